#!/usr/bin/env bash
# Install what the test suite needs, on a fresh Debian machine (CI) or a developer's one.
# Idempotent: run it as often as you like; each step is quick when its work is already done.
#
#   apt:  chromium-headless-shell (Chromium's build for automation, which Playwright drives for the browser
#         tests; `playwright install` cannot download its own browser here) and chromium (the same
#         version with a window, for `pytest --headed`, and Lighthouse), fonts-dejavu-core (Hebrew glyphs),
#         default-jre-headless (the Nu HTML checker, vnu.jar, runs on Java >= 11),
#         nginx (tests/test_hosting.py serves the built site with deploy/nginx.conf; the tests start
#         their own nginx on a free port, never the system's service), gettext-base (envsubst, which
#         fills in deploy/nginx.conf), shellcheck (tests/test_repo_lint.py: .ci/ scripts and, through
#         actionlint, the workflows' run: scripts)
#   pip:  requirements-dev.txt, into the `python` on PATH (the one `python -m pytest` will use)
#   npm:  package-lock.json: axe-core, vnu-jar; decap-cms and js-yaml (the editors' forms at
#         /admin/, shipped into the site) and decap-server (their local backend, tests/test_cms.py)
#         (npm ci --omit=optional, so exactly the locked versions, then decap-cms alone by .ci/decap-bundle.sh:
#         its ~590 dependencies are the sources' of a bundle that needs none; lighthouse, optional too, is the
#         benchmark's: `npm ci` installs everything)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive

t0=$SECONDS
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# Java must be there before `npm ci`: vnu-jar's postinstall script would otherwise try to
# download a JDK from the internet.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromium-headless-shell >/dev/null 2>&1 || missing+=(chromium-headless-shell)
command -v java >/dev/null 2>&1 || missing+=(java)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v envsubst >/dev/null 2>&1 || missing+=(envsubst)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing with apt-get (missing: ${missing[*]})"
  packages=(chromium chromium-headless-shell fonts-dejavu-core default-jre-headless nginx gettext-base shellcheck)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -q
  $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -q "${packages[@]}"
fi
echo "setup: apt done ($((SECONDS - t0)) s): $(chromium --version 2>/dev/null | tail -n 1);" \
  "$(chromium-headless-shell --version 2>/dev/null | tail -n 1); $(java -version 2>&1 | head -n 1);" \
  "$(/usr/sbin/nginx -v 2>&1 || nginx -v 2>&1); shellcheck $(shellcheck --version | sed -n 's/^version: //p')"

# pip and npm side by side: neither reads what the other writes, and on a fresh machine each spends most of its
# time downloading and unpacking (npm ~10 s, pip ~10-20 s). npm's output is held and shown after pip's,
# so the log reads in order; a failure of either fails the setup, with its output.
t1=$SECONDS
npm_log=$(mktemp)
trap 'rm -f "$npm_log"' EXIT
install_npm() {
  # npm ci always deletes node_modules and starts again (~10 s): skip it when the last one that
  # ran here installed this very package-lock.json and its files are still there.
  local tools=(node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar
               node_modules/decap-cms/dist/decap-cms.js node_modules/js-yaml/dist/js-yaml.min.js node_modules/decap-server/dist/index.js)
  local stamp=node_modules/.ci-setup-package-lock.sha256
  local lock present=true f
  lock=$(sha256sum package-lock.json | cut -d ' ' -f 1)
  for f in "${tools[@]}"; do [ -f "$f" ] || present=false; done
  if $present && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock" ]; then
    echo "setup: node_modules already holds package-lock.json's packages"
  else
    npm ci --omit=optional --no-audit --no-fund || return 1
    bash .ci/decap-bundle.sh || return 1
    for f in "${tools[@]}"; do
      [ -f "$f" ] || { echo "setup: $f is missing after npm ci" >&2; return 1; }
    done
    echo "$lock" > "$stamp"
  fi
  echo "setup: npm took $((SECONDS - t1)) s"
}
install_npm > "$npm_log" 2>&1 &
npm_pid=$!

if ! python -m pip install -q --disable-pip-version-check --root-user-action=ignore -r requirements-dev.txt; then
  wait "$npm_pid" || true
  exit 1
fi
python - <<'PY'
import sys
import playwright, pytest, pytest_playwright  # noqa: F401  (fails here, not in the tests, if pip used another interpreter)
print(f"setup: pip done: {sys.executable} (Python {sys.version.split()[0]})")
PY
echo "setup: pip took $((SECONDS - t1)) s"

npm_status=0
wait "$npm_pid" || npm_status=$?
cat "$npm_log"
if [ "$npm_status" -ne 0 ]; then
  echo "setup: npm failed (exit $npm_status)" >&2
  exit "$npm_status"
fi
echo "setup total $((SECONDS - t0)) s"
