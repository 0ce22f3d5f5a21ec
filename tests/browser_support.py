"""What every browser test needs: Debian's Chromium for pytest-playwright, axe-core, the Nu HTML
checker, a log of what goes wrong while a page loads, and a static server on 127.0.0.1.

The fixtures are imported by tests/browser/conftest.py (the engine's browser tests, on fixture
sites) and tests/real_site/conftest.py (the real content).

- pytest-playwright drives Debian's Chromium (``playwright install`` cannot download its own browser on
  our machines): its headless shell, ``chromium-headless-shell``, for the headless runs — Chromium's build
  for automation, the one Playwright itself runs headless tests on, from the same source and version as
  Debian's ``chromium``; the same per-page checks of the real site took 0.67× the CPU and 0.73× the time
  of the full browser (bench/RESULTS.md, issue 25) — and ``chromium`` for ``--headed``. The visual
  references are the headless shell's pictures. ``browser_type_launch_args`` is extended, not replaced, so
  ``--headed`` and ``--slowmo`` still work.
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


HEADLESS_SHELL = "chromium-headless-shell"
HEADED = "chromium"


def chromium_path(headed: bool = False) -> str | None:
    """$CHROMIUM_PATH if set (and only it), else Debian's headless shell (or, for a ``--headed`` run, its
    chromium, since the shell has no window); None when it is not installed."""
    given = os.environ.get("CHROMIUM_PATH")
    name = HEADED if headed else HEADLESS_SHELL
    for candidate in [given] if given else [shutil.which(name), f"/usr/bin/{name}"]:
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
    headed = browser_type_launch_args.get("headless") is False
    executable = chromium_path(headed)
    require(f"Chromium ({os.environ.get('CHROMIUM_PATH') or '/usr/bin/' + (HEADED if headed else HEADLESS_SHELL)})", executable)
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


class ProblemLog:
    """Console errors (a Content-Security-Policy violation among them), uncaught exceptions, failed requests and HTTP
    errors of a page, as they happen; not a request the browser aborts because its page is navigating away (a reload,
    a link followed).

    Listens to the page from its creation until ``stop``. ``begin`` starts a new list (a test of its own on a page
    that is kept): a request's failure or HTTP error goes to the list that was current when the request was sent, as
    it went to the test whose context was then open when each test had a page of its own."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        # A request still under way when its page navigates (a reload, a link followed) is aborted by the browser:
        # that is the navigation, not a fault of the page. Such a request was sent before a later navigation of its
        # frame began, and ends net::ERR_ABORTED; any other failure, an abort without a navigation after it included,
        # is a problem.
        self.navigations: dict[Any, int] = {}
        """How many navigations each frame has begun; each request remembers the count of its frame when it was sent."""
        self.sent: dict[Any, tuple[int, list[str]]] = {}
        """The requests under way: their frame's count of navigations when sent, and the list then current."""
        self._listeners = [
            ("console", self._on_console),
            ("pageerror", self._on_page_error),
            ("request", self._on_request),
            ("requestfinished", self._on_request_finished),
            ("requestfailed", self._on_request_failed),
            ("response", self._on_response),
        ]
        for event, listener in self._listeners:
            page.on(event, listener)

    def begin(self) -> list[str]:
        """A new, empty list for what happens from now on."""
        self.problems = []
        return self.problems

    def stop(self) -> None:
        for event, listener in self._listeners:
            self.page.remove_listener(event, listener)

    @property
    def under_way(self) -> int:
        """How many requests were sent and have neither finished nor failed."""
        return len(self.sent)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error: {message.text}" + (f" (at {where})" if where else ""))

    def _on_page_error(self, error: Any) -> None:
        self.problems.append(f"uncaught exception: {error}")

    def _on_request(self, request: Any) -> None:
        if request.is_navigation_request():
            self.navigations[request.frame] = self.navigations.get(request.frame, 0) + 1
        self.sent[request] = (self.navigations.get(request.frame, 0), self.problems)

    def _on_request_finished(self, request: Any) -> None:
        self.sent.pop(request, None)

    def _on_response(self, response: Any) -> None:
        if response.status >= 400:
            _, problems = self.sent.get(response.request, (0, self.problems))
            problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def _on_request_failed(self, request: Any) -> None:
        count, problems = self.sent.pop(request, (None, self.problems))
        navigated_since = count is not None and self.navigations.get(request.frame, 0) > count
        if request.failure == "net::ERR_ABORTED" and navigated_since:
            return
        problems.append(f"request failed: {request.method} {request.url}: {request.failure}")


@pytest.fixture
def page_problems(page: Any) -> list[str]:
    """What goes wrong on ``page`` (``ProblemLog``), as it happens."""
    return ProblemLog(page).problems


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
