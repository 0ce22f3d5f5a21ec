"""The browser tests' ground: the REAL site, built once, served on 127.0.0.1, and Debian's Chromium.

- The site is built with ``python build.py --out <tmp> --base-url http://127.0.0.1:<port>`` the first
  time a test asks for a page (at collection, so that every built page becomes a test of its own:
  the pages are found by walking the built tree for ``**/index.html`` and ``**/404.html``, never
  listed by hand), then served by ``python -m http.server`` bound to 127.0.0.1 on that port.
- pytest-playwright drives ``/usr/bin/chromium`` (``playwright install`` cannot download its own
  browser on our machines); ``browser_type_launch_args`` is extended, not replaced, so ``--headed``
  and ``--slowmo`` still work.
- Missing tools: Chromium, ``node_modules/axe-core``, or Java with ``node_modules/vnu-jar``. On a
  developer's machine the tests that need them are skipped with a one-line reason; with ``CI=true``
  they fail, because CI must never pass by skipping. ``bash .ci/setup.sh`` installs all of them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require(what: str, present: object) -> None:
    """Skip (developer's machine) or fail (CI=true) when a tool the test needs is missing."""
    if present:
        return
    if in_ci():
        pytest.fail(f"{what} is missing, and CI=true: browser tests must run in CI (.ci/setup.sh installs it)", pytrace=False)
    pytest.skip(f"{what} not found: run `bash .ci/setup.sh` to enable the browser tests")


def chromium_path() -> str | None:
    """$CHROMIUM_PATH if set (and only it), else Debian's chromium."""
    given = os.environ.get("CHROMIUM_PATH")
    for candidate in [given] if given else [shutil.which("chromium"), "/usr/bin/chromium"]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


# --- the site's languages (data/site.yaml: the first is at /, the others under /<code>/) ---


@dataclass(frozen=True)
class Language:
    code: str
    dir: str
    label: str
    default: bool


def site_languages() -> dict[str, Language]:
    data = yaml.safe_load((ROOT / "data" / "site.yaml").read_text(encoding="utf-8"))
    langs = data["languages"]
    return {
        entry["code"]: Language(code=entry["code"], dir=entry["dir"], label=entry.get("label", entry["code"]), default=i == 0)
        for i, entry in enumerate(langs)
    }


LANGUAGES = site_languages()
DEFAULT_LANG = next(lang for lang in LANGUAGES.values() if lang.default)


@dataclass(frozen=True)
class SitePage:
    """One built HTML page: its URL path (``/en/programme/``, ``/404.html``), file and language."""

    path: str
    file: Path
    lang: str

    @property
    def rest(self) -> str:
        """The path without the language prefix: ``/programme/`` for both languages."""
        if LANGUAGES[self.lang].default:
            return self.path
        return self.path[len(self.lang) + 1 :]

    def counterpart(self, lang: str) -> str:
        return self.rest if LANGUAGES[lang].default else f"/{lang}{self.rest}"

    def __str__(self) -> str:
        return self.path


def find_pages(root: Path) -> list[SitePage]:
    files = sorted({*root.rglob("index.html"), *root.rglob("404.html")})
    pages = []
    for file in files:
        rel = file.relative_to(root).as_posix()
        path = "/" + (rel[: -len("index.html")] if file.name == "index.html" else rel)
        first = path.strip("/").split("/", 1)[0]
        lang = first if first in LANGUAGES and not LANGUAGES[first].default else DEFAULT_LANG.code
        pages.append(SitePage(path=path, file=file, lang=lang))
    return pages


# --- the build, once per session ---


@dataclass
class BuiltSite:
    root: Path
    port: int
    pages: list[SitePage]
    error: str | None
    seconds: float

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


_BUILT: BuiltSite | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_once() -> BuiltSite:
    global _BUILT
    if _BUILT is None:
        port = free_port()
        out = Path(tempfile.mkdtemp(prefix="merhav-browser-tests-")) / "site"
        command = [sys.executable, "build.py", "--out", str(out), "--base-url", f"http://127.0.0.1:{port}"]
        t0 = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
        seconds = time.perf_counter() - t0
        error = None
        if done.returncode != 0:
            error = f"`{' '.join(command[1:])}` exited {done.returncode}:\n{done.stdout}{done.stderr}"
        pages = find_pages(out) if error is None else []
        if error is None and not pages:
            error = f"the build wrote no index.html under {out}"
        _BUILT = BuiltSite(root=out, port=port, pages=pages, error=error, seconds=seconds)
    return _BUILT


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every built page becomes a parameter of the tests that take ``site_page``."""
    if "site_page" not in metafunc.fixturenames:
        return
    site = build_once()
    if site.error:  # one placeholder: the test then fails in the built_site fixture with the build's output
        metafunc.parametrize("site_page", [pytest.param(None, id="build-failed")])
        return
    metafunc.parametrize("site_page", site.pages, ids=[p.path for p in site.pages])


def pytest_unconfigure(config: pytest.Config) -> None:
    if _BUILT is not None:
        shutil.rmtree(_BUILT.root.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def languages() -> dict[str, Language]:
    """The site's languages from data/site.yaml, by code (the first one is the default, at /)."""
    return LANGUAGES


@pytest.fixture(scope="session")
def built_site() -> BuiltSite:
    site = build_once()
    if site.error:
        pytest.fail(f"the real site does not build: {site.error}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def base_url(built_site: BuiltSite) -> Any:
    """The built site over HTTP (pytest-playwright passes it to every context: ``page.goto("/en/")``)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(built_site.port), "--bind", "127.0.0.1", "--directory", str(built_site.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"python -m http.server {built_site.port} exited: {server.stderr.read() if server.stderr else ''}", pytrace=False
                )
            try:
                urllib.request.urlopen(built_site.url + "/", timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"python -m http.server did not answer on {built_site.url}", pytrace=False)
                time.sleep(0.05)
        yield built_site.url
    finally:
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- Chromium, axe-core, vnu ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's own launch options, plus Debian's Chromium and a few quiet flags."""
    executable = chromium_path()
    require(f"Chromium ({os.environ.get('CHROMIUM_PATH') or '/usr/bin/chromium'})", executable)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def axe_source() -> str:
    require("node_modules/axe-core/axe.min.js", AXE_JS.is_file())
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    require("Java (for the Nu HTML checker)", java)
    require("node_modules/vnu-jar/build/dist/vnu.jar", VNU_JAR.is_file())
    return [str(java), "-jar", str(VNU_JAR)]


# --- what a page does while it loads ---


@pytest.fixture
def page_problems(page: Any) -> list[str]:
    """Console errors, uncaught exceptions, failed requests and HTTP errors of ``page``, as they happen."""
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            problems.append(f"console error: {message.text}" + (f" (at {where})" if where else ""))

    def on_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.method} {request.url}: {request.failure}"))
    page.on("response", on_response)
    return problems
