"""What every browser test needs: Debian's Chromium for pytest-playwright, axe-core, the Nu HTML
checker, a log of what goes wrong while a page loads, and a static server on 127.0.0.1.

The fixtures are imported by tests/browser/conftest.py (the engine's browser tests, on fixture
sites) and tests/real_site/conftest.py (the real content).

- pytest-playwright drives ``/usr/bin/chromium`` (``playwright install`` cannot download its own
  browser on our machines); ``browser_type_launch_args`` is extended, not replaced, so ``--headed``
  and ``--slowmo`` still work.
- Missing tools: Chromium, ``node_modules/axe-core``, or Java with ``node_modules/vnu-jar``. On a
  developer's machine the tests that need them are skipped with a one-line reason; with ``CI=true``
  they fail, because CI must never pass by skipping. ``bash .ci/setup.sh`` installs all of them.
- ``serve_site`` serves a built folder the way a static host does — under the base URL's path
  (``/merhav/``), a folder's ``index.html``, the 404 page of the address's language with status
  404 — in a thread of the test process.
"""

from __future__ import annotations

import http.server
import os
import posixpath
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require(what: str, present: object, tests: str = "browser tests") -> None:
    """Skip (developer's machine) or fail (CI=true) when a tool the test needs is missing."""
    if present:
        return
    if in_ci():
        pytest.fail(f"{what} is missing, and CI=true: {tests} must run in CI (.ci/setup.sh installs it)", pytrace=False)
    pytest.skip(f"{what} not found: run `bash .ci/setup.sh` to enable the {tests}")


def chromium_path() -> str | None:
    """$CHROMIUM_PATH if set (and only it), else Debian's chromium."""
    given = os.environ.get("CHROMIUM_PATH")
    for candidate in [given] if given else [shutil.which("chromium"), "/usr/bin/chromium"]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- fixtures (imported by the conftest files) ---


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


VNU_JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m")
"""The checker runs for seconds, not hours: Java's quick compiler only (C1; the optimizing one, C2, spent half of the
CPU of a check of the 562-page catalogue compiling: 19 -> 10 s), one garbage-collector thread, and the deeper stack
C1's larger frames need (with the default one the checker stops: "StackOverflowError while evaluating HTML schema").
The same checker, the same messages."""


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    require("Java (for the Nu HTML checker)", java)
    require("node_modules/vnu-jar/build/dist/vnu.jar", VNU_JAR.is_file())
    return [str(java), *VNU_JAVA_OPTIONS, "-jar", str(VNU_JAR)]


@pytest.fixture
def page_problems(page: Any) -> list[str]:
    """Console errors (a Content-Security-Policy violation among them), uncaught exceptions, failed
    requests and HTTP errors of ``page``, as they happen; not a request the browser aborts because its page is
    navigating away (a reload, a link followed)."""
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            problems.append(f"console error: {message.text}" + (f" (at {where})" if where else ""))

    def on_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    # A request still under way when its page navigates (a reload, a link followed) is aborted by the browser: that is
    # the navigation, not a fault of the page. Such a request was sent before a later navigation of its frame began,
    # and ends net::ERR_ABORTED; any other failure, an abort without a navigation after it included, is a problem.
    navigations: dict[Any, int] = {}
    """How many navigations each frame has begun; each request remembers the count of its frame when it was sent."""
    sent_at: dict[Any, int] = {}

    def on_request(request: Any) -> None:
        if request.is_navigation_request():
            navigations[request.frame] = navigations.get(request.frame, 0) + 1
        sent_at[request] = navigations.get(request.frame, 0)

    def on_request_failed(request: Any) -> None:
        sent = sent_at.pop(request, None)
        navigated_since = sent is not None and navigations.get(request.frame, 0) > sent
        if request.failure == "net::ERR_ABORTED" and navigated_since:
            return
        problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.on("request", on_request)
    page.on("requestfinished", lambda request: sent_at.pop(request, None))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return problems


# --- a static host ---


@dataclass(frozen=True)
class Served:
    origin: str
    """http://127.0.0.1:PORT"""
    prefix: str
    """The base URL's path, "/" or "/merhav/"."""

    @property
    def url(self) -> str:
        """Where the site's home page is: origin + prefix."""
        return self.origin + self.prefix


class _Handler(http.server.SimpleHTTPRequestHandler):
    folder: Path
    prefix: str
    languages: tuple[str, ...]
    """Language prefixes whose addresses get their own 404 page (en → en/404.html)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(self.folder), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def translate_path(self, path: str) -> str:
        rel = unquote(urlsplit(path).path)
        if not rel.startswith(self.prefix):
            return str(self.folder.parent / ".outside-the-base-path")  # never a file: a 404
        rel = posixpath.normpath("/" + rel[len(self.prefix):]).lstrip("/")
        return str(self.folder / rel) if rel not in ("", ".") else str(self.folder)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        rel = unquote(urlsplit(self.path).path)[len(self.prefix):] if self.path.startswith(self.prefix) else ""
        first = rel.split("/", 1)[0]
        page = self.folder / (f"{first}/404.html" if first in self.languages else "404.html")
        body = page.read_bytes() if page.is_file() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_site(folder: Path, prefix: str = "/", languages: tuple[str, ...] = ("en",), port: int = 0) -> Iterator[Served]:
    """Serve ``folder`` at http://127.0.0.1:PORT``prefix`` (a thread of this process) until the block ends."""
    handler = type("Handler", (_Handler,), {"folder": folder, "prefix": prefix, "languages": languages})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(origin=f"http://127.0.0.1:{server.server_address[1]}", prefix=prefix)
    finally:
        server.shutdown()
        server.server_close()
