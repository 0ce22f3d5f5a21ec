#!/usr/bin/env bash
# Install what the test suite needs, on a fresh Debian machine (CI) or a developer's one.
# Idempotent: run it as often as you like; each step is quick when its work is already done.
#
#   apt:  chromium (headless, driven by Playwright through /usr/bin/chromium; `playwright install`
#         cannot download its own browser here), fonts-dejavu-core (Hebrew glyphs),
#         default-jre-headless (the Nu HTML checker, vnu.jar, runs on Java >= 11)
#   pip:  requirements-dev.txt, into the `python` on PATH (the one `python -m pytest` will use)
#   npm:  package-lock.json: axe-core, vnu-jar, lighthouse (npm ci, so exactly the locked versions)
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
command -v java >/dev/null 2>&1 || missing+=(java)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing with apt-get (missing: ${missing[*]})"
  packages=(chromium fonts-dejavu-core default-jre-headless)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -q
  $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -q "${packages[@]}"
fi
echo "setup: apt done ($((SECONDS - t0)) s): $(chromium --version 2>/dev/null | tail -n 1); $(java -version 2>&1 | head -n 1)"

t1=$SECONDS
python -m pip install -q --disable-pip-version-check --root-user-action=ignore -r requirements-dev.txt
python - <<'PY'
import sys
import playwright, pytest, pytest_playwright  # noqa: F401  (fails here, not in the tests, if pip used another interpreter)
print(f"setup: pip done: {sys.executable} (Python {sys.version.split()[0]})")
PY
echo "setup: pip took $((SECONDS - t1)) s"

t2=$SECONDS
npm ci --no-audit --no-fund
for f in node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar node_modules/lighthouse/cli/index.js; do
  [ -f "$f" ] || { echo "setup: $f is missing after npm ci" >&2; exit 1; }
done
echo "setup: npm took $((SECONDS - t2)) s; setup total $((SECONDS - t0)) s"
