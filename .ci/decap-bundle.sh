#!/usr/bin/env bash
# Decap CMS (the editors' forms at /admin/) into node_modules/decap-cms without the ~590 packages it depends on.
#
# Why: the npm package `decap-cms` declares the dependencies of its sources (React, every widget, webpack loaders),
# but what the site ships is its dist/ folder alone: one self-contained bundle and the chunks it loads beside it
# (sitegen/tools/cms.py). Installing that tree took ~25 of `npm ci`'s ~31 s (and ~33 s of every publish) on a
# 2-core machine, for files nothing reads. So package.json lists decap-cms under optionalDependencies (a build
# without it leaves /admin/ out and says so), `npm ci --omit=optional` (.ci/setup.sh, the Pages workflow) leaves
# its tree out, and this script installs the one package.
#
# The package is the very one package-lock.json pins: `npm pack` fetches that version's tarball (through npm's
# registry settings and cache, checked against the registry's own integrity), and it is unpacked only when its
# SHA-512 is the lock's `integrity`. A plain `npm ci` still installs decap-cms, with its whole tree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pinned=$(node -p '
  const entry = require("./package-lock.json").packages["node_modules/decap-cms"] || {};
  (entry.version || "-") + " " + (entry.integrity || "-")')
read -r version integrity <<< "$pinned"
if [ "$version" = - ] || [ "$integrity" = - ]; then
  echo "decap-bundle: package-lock.json pins no decap-cms (its version and integrity): run npm install to lock it" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack "decap-cms@$version" --pack-destination "$work" --silent --no-audit --no-fund > /dev/null
tarball="$work/decap-cms-$version.tgz"
found=$(node -e '
  const data = require("fs").readFileSync(process.argv[1]);
  console.log("sha512-" + require("crypto").createHash("sha512").update(data).digest("base64"));' "$tarball")
if [ "$found" != "$integrity" ]; then
  echo "decap-bundle: decap-cms $version from the registry is not the one package-lock.json pins" >&2
  echo "  lock: $integrity" >&2
  echo "  got:  $found" >&2
  exit 1
fi
rm -rf node_modules/decap-cms
mkdir -p node_modules/decap-cms
tar -xzf "$tarball" -C node_modules/decap-cms --strip-components=1 --no-same-owner
echo "decap-bundle: decap-cms $version installed alone ($(du -sh node_modules/decap-cms | cut -f 1))"
