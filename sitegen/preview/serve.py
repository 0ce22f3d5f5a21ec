"""``python build.py serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

- The server only watches and calls the build (MkDocs' way); it never dies of a content
  error. After a failed rebuild the last good build stays on disk, the terminal prints the
  problems as ``path:line: message``, and every HTML page the browser asks for is an error
  page naming the file, the line and the message with the lines around it, in the
  language of the page asked for. Fixing the file rebuilds, and the page reloads by itself
  (reload.py: a script file and an event stream, so the pages keep the site's
  Content-Security-Policy in the preview too).
- A threaded WSGI server of the standard library (wsgiref): each browser's event stream
  waits in a thread of its own; file-system events come from watch.py.
- Drafts are shown (with their badge). The output goes to ``<source>/.preview`` by default,
  never into ``site/``, so a preview cannot leak drafts into a publish.
- ``/_status/`` shows the translation dashboard; it exists only here, never in a build.
- Every answer is ``Cache-Control: no-store`` (a preview shows the files as they are now), except the files under
  ``assets/``: their names carry their bytes' hash, so they are kept a year, as the published site keeps them
  (security.IMMUTABLE). The browser then reuses the forms' Decap bundle (~5 MB), its compiled code, the fonts and
  the stylesheet when the page reloads after each save, instead of fetching and compiling them again.
- The editors' forms are never locked out: ``/admin/`` and its files are served whatever the content's state
  (from the last good build, or made from the broken content: live.py), and ``/_preview/problems.json`` tells
  them the current problems in the site's languages (admin.js shows them above the forms; it asks only when the page
  carries the preview's reload script, so a published site is never asked).

The error page is made here, with its own few words and styles, not from the site's
templates or strings: it must work when those are what is broken.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, BinaryIO
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import FileWrapper

from sitegen.errors import BuildFailed, ContentError
from sitegen.messages import current_language, direction_of, msg
from sitegen.messages.language import chosen_by_name
from sitegen.model.assets import ASSETS_DIR
from sitegen.output.security import ADMIN_DIR, IMMUTABLE
from sitegen.preview.reload import EVENTS_PATH, SCRIPT, SCRIPT_PATH, Reloader

WATCHED = ("content", "data", "templates", "static")

ERROR_TEXTS = {
    "he": {"title": "שגיאה בתוכן", "intro": "האתר לא נבנה מחדש. הגרסה הקודמת נשמרה. תקנו את הבעיות האלה והדף ייטען מחדש מעצמו:",
           "line": "שורה", "dir": "rtl"},
    "en": {"title": "Content error", "intro": "The site was not rebuilt; the last good build is kept. Fix these problems and this page reloads by itself:",
           "line": "line", "dir": "ltr"},
}

FORMS_TEXTS = {
    "he": {"title": "האתר לא נבנה מחדש", "intro": "האתר שמוצג הוא הגרסה הקודמת, עד שהבעיות האלה יתוקנו. הטפסים ממשיכים לעבוד: "
           "תקנו כאן את מה שמתואר ושמרו, והאתר ייבנה מחדש מעצמו.", "line": "שורה"},
    "en": {"title": "The site was not rebuilt", "intro": "The site shows its last good version until these problems are fixed. "
           "The forms still work: fix what is described here and save, and the site rebuilds by itself.", "line": "line"},
}
"""The words above the forms while the content has problems (admin.js shows them, the site's language first)."""
PROBLEMS_PATH = "/_preview/problems.json"
"""The preview's answer to the forms: the current problems (problems_json). A build never writes it."""


@dataclass
class ServeState:
    """What the server knows about the last build (shared with the watcher thread)."""

    problems: list[ContentError] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    status_html: Callable[[str], bytes] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def error_page(problems: list[ContentError], source: Path, lang: str) -> bytes:
    """The page the preview shows while the content has problems, in the language of the page asked for (its
    frame and the messages alike, unless the editor named the messages' language: --messages): the path and line first, then the message, whose quoted names, paths and
    values are each in a <bdi>, so that a Latin snippet keeps its order inside a Hebrew sentence."""
    texts = ERROR_TEXTS.get(lang, ERROR_TEXTS["en"])
    said = current_language() if chosen_by_name() else lang  # --messages en: English messages on every page
    items = []
    for problem in problems:
        excerpt = _excerpt(source, problem)
        line = f" · {texts['line']} {problem.line}" if problem.line else ""  # outside the path's isolate: 'שורה 12', not '12 שורה'
        items.append(
            f'<li><p class="where"><bdi dir="ltr">{html.escape(problem.path)}</bdi>{line}</p>'
            f'<p class="what" dir="{direction_of(said)}">{problem.message.localized(said, markup=True)}</p>{excerpt}</li>'
        )
    body = "\n".join(items)
    page = f"""<!DOCTYPE html>
<html lang="{lang}" dir="{texts['dir']}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{texts['title']}</title><link rel="icon" href="data:,">
<style>
body {{ margin: 0; font: 1.05rem/1.6 system-ui, "Segoe UI", "Noto Sans Hebrew", Arial, sans-serif; background: #fff7f5; color: #2a1a17; }}
main {{ max-inline-size: 60rem; margin-inline: auto; padding: 2rem 1rem; }}
h1 {{ color: #a3210f; margin-block: 0 0.5rem; }}
ol {{ padding: 0; list-style: none; }}
li {{ background: #fff; border: 1px solid #f0c4bb; border-inline-start: 6px solid #a3210f; border-radius: 0.5rem; padding: 1rem 1.25rem; margin-block: 1rem; }}
.where {{ font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 700; margin: 0; }}
.what {{ margin-block: 0.25rem 0.75rem; }}
pre {{ direction: ltr; text-align: start; background: #2a1a17; color: #f7e9e6; padding: 0.75rem; border-radius: 0.4rem; overflow-x: auto; margin: 0; }}
pre span {{ display: block; }} pre .hit {{ background: #7a1d10; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #1d1210; color: #f7e9e6; }} li {{ background: #2a1a17; border-color: #5a2a22; }} h1 {{ color: #ff9b8a; }} }}
</style></head>
<body><main><h1>{texts['title']}</h1><p>{texts['intro']}</p><ol>
{body}
</ol></main></body></html>
"""
    return page.encode("utf-8")


def problems_json(problems: list[ContentError], languages: list[str]) -> bytes:
    """The current problems for the forms' banner: each with its file, line and message in every language of the site
    that has words here (the default first), and the banner's own words."""
    said = [lang for lang in languages if lang in FORMS_TEXTS] or ["en"]
    body = {
        "languages": said,
        "texts": {lang: FORMS_TEXTS[lang] for lang in said},
        "problems": [{"path": p.path, "line": p.line, "message": {lang: p.message.localized(lang) for lang in said}}
                     for p in problems],
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def in_forms(path: str) -> bool:
    """/admin/ and what is under it: served whatever the content's state (the editors' way to fix it)."""
    return path.lstrip("/").split("/", 1)[0] == ADMIN_DIR


def _excerpt(source: Path, problem: ContentError, around: int = 2) -> str:
    if not problem.line:
        return ""
    try:
        lines = (source / problem.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    start, end = max(1, problem.line - around), min(len(lines), problem.line + around)
    rows = []
    for number in range(start, end + 1):
        css = ' class="hit"' if number == problem.line else ""
        rows.append(f'<span{css} dir="auto">{number:>4} | {html.escape(lines[number - 1])}</span>')
    return "<pre>" + "".join(rows) + "</pre>" if rows else ""


def language_of(path: str, languages: list[str]) -> str:
    first = path.strip("/").split("/", 1)[0]
    return first if first in languages[1:] else (languages[0] if languages else "en")


def allowed_hosts(host: str) -> set[str] | None:
    """The names the preview answers to (a Host header with any other name gets 421): the one it listens on, and
    for the loopback addresses their usual names. None (any) when it listens on every address (0.0.0.0, ::):
    it is exposed to the network on purpose then, by address."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {host.lower().strip("[]")}
    if names & {"127.0.0.1", "localhost", "::1"}:
        names |= {"127.0.0.1", "localhost", "::1"}
    return names


def host_allowed(header: str, hosts: set[str]) -> bool:
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return name.rstrip(".") in hosts


def make_app(out: Path, source: Path, state: ServeState, reloader: Reloader | None = None,
             hosts: set[str] | None = None) -> Callable[..., Iterable[bytes]]:
    """A WSGI app serving the output folder, or the error page while the build is broken; every
    HTML answer carries the reload script (reload.py). ``hosts``: the names it answers (allowed_hosts)."""
    reloader = reloader or Reloader()

    def html(start_response: Callable[..., Any], status: str, body: bytes) -> list[bytes]:
        return _respond(start_response, status, "text/html; charset=utf-8", reloader.inject(body))

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/") or "/"
        if hosts is not None and not host_allowed(environ.get("HTTP_HOST", ""), hosts):
            # DNS rebinding: a page of another site whose name now points here must not read the drafts
            return _respond(start_response, "421 Misdirected Request", "text/plain; charset=utf-8",
                            (msg("This preview answers only the addresses it was started for, such as http://127.0.0.1:8000/.")
                             .localized() + "\n").encode())
        if path == SCRIPT_PATH:
            return _respond(start_response, "200 OK", "text/javascript; charset=utf-8", SCRIPT)
        if path == EVENTS_PATH:
            since = parse_qs(environ.get("QUERY_STRING", "")).get("since", ["0"])[0]
            start_response("200 OK", [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")])
            return reloader.events(int(since) if re.fullmatch(r"[0-9]{1,18}", since) else 0)  # '²' is a digit to isdigit()
        with state.lock:
            problems = list(state.problems)
            languages = list(state.languages)
            status_html = state.status_html
        if path.rstrip("/") == "/_status" and status_html is not None:
            return html(start_response, "200 OK", status_html(language_of("/", languages)))
        if path == PROBLEMS_PATH:
            return _respond(start_response, "200 OK", "application/json; charset=utf-8", problems_json(problems, languages))
        target = _resolve(out, path)
        wants_html = target is None or target.suffix == ".html"
        if problems and wants_html and not (target is not None and in_forms(path)):
            return html(start_response, "500 Content Error", error_page(problems, source, language_of(path, languages)))
        if target is not None and target.suffix == ".html":
            try:
                return html(start_response, "200 OK", target.read_bytes())
            except OSError:  # replaced by a rebuild meanwhile: as if it were not there
                target = None
        if target is not None:
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/xml"):
                kind += "; charset=utf-8"
            try:
                file = open(target, "rb")  # noqa: SIM115 - the server closes it once sent (PEP 3333's file_wrapper)
            except OSError:
                target = None
            else:
                return _send_file(environ, start_response, kind, file, _cache_control(out, target))
        not_found = out / (language_of(path, languages) if language_of(path, languages) != (languages or ["he"])[0] else "") / "404.html"
        body = not_found.read_bytes() if not_found.is_file() else b"<!DOCTYPE html><title>404</title><p>Not found</p>"
        return html(start_response, "404 Not Found", body)

    return app


def _resolve(out: Path, url_path: str) -> Path | None:
    from urllib.parse import unquote

    rel = unquote(url_path).lstrip("/")
    if "\0" in rel:  # /%00: no file has such a name
        return None
    try:
        candidate = (out / rel).resolve()
        if not candidate.is_relative_to(out.resolve()):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None
    except (OSError, ValueError, RuntimeError):  # a name too long, a loop of links: nothing to serve
        return None


SEND_CHUNK = 1 << 18
"""Bytes of a file sent at a time (256 KiB)."""


def _cache_control(out: Path, target: Path) -> str:
    """A year for a file of the output's assets/ (a fingerprinted name: a changed file is a new name), none otherwise.
    Said of the file found (``_resolve``'s resolved path), not of the address: /assets/../x is not under assets/."""
    try:
        inside = target.relative_to(out.resolve()).parts[:1] == (ASSETS_DIR,)
    except (OSError, ValueError):
        inside = False
    return IMMUTABLE if inside else "no-store"


def _send_file(environ: dict[str, Any], start_response: Callable[..., Any], kind: str, file: BinaryIO,
               cache_control: str = "no-store") -> Iterable[bytes]:
    """A file of the output in chunks, through the server's file wrapper (PEP 3333): never read whole, so a static
    file of 1.5 GB costs the preview no more memory than a small one."""
    size = os.fstat(file.fileno()).st_size
    start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(size)), ("Cache-Control", cache_control)])
    wrapper = environ.get("wsgi.file_wrapper", FileWrapper)
    return wrapper(file, SEND_CHUNK)  # type: ignore[no-any-return]


def _respond(start_response: Callable[..., Any], status: str, kind: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
    return [body]


def port_in_use(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a browser's open event stream never holds up Ctrl-C
    allow_reuse_address = True


IDLE_SECONDS = 15
"""A connection that sends no request for this long is closed (each holds a thread; the event stream writes every few
seconds, so a live browser never waits that long)."""

IDLE_VARIABLE = "MERHAV_PREVIEW_IDLE_SECONDS"
"""Another limit than IDLE_SECONDS, in seconds (the tests lower it instead of waiting the real one out)."""


def idle_seconds(environ: Mapping[str, str] = os.environ) -> float:
    """IDLE_SECONDS, or $MERHAV_PREVIEW_IDLE_SECONDS when it is a positive number."""
    try:
        given = float(environ.get(IDLE_VARIABLE, ""))
    except ValueError:
        return IDLE_SECONDS
    return given if 0 < given < float("inf") else IDLE_SECONDS  # (not NaN, not infinite)


class _Quiet(WSGIRequestHandler):
    timeout = IDLE_SECONDS

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve(builder: Any, source: Path, out: Path, host: str, port: int, report: Callable[[list[ContentError]], None]) -> int:
    """Run until stopped: Ctrl-C, or SIGTERM and SIGHUP, which cli.py turns into the same KeyboardInterrupt.
    ``builder`` is a live.LiveBuild: ``build(changed)`` (None: everything) returns an incremental.Outcome;
    ``languages`` and ``status_page(lang)`` serve the pages; ``stop()`` and ``join()`` end its search index.

    Stopped, it exits with 0, however it was asked: stopping is how a preview ends, not a failure (a process manager
    counts 0 as a clean stop; systemd would mark a service stopped with 143 as failed). ``build`` returns 128 + the
    signal's number instead: an interrupted build did not do its job."""
    import signal
    import socket

    from sitegen.preview.watch import EventWatcher

    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        print(msg("build.py serve: cannot serve on '{host}' ({reason}) — give an address of this computer with --host, "
                  "e.g. 127.0.0.1 (the default) or 0.0.0.0", host=host, reason=exc).localized(), file=sys.stderr)
        return 2
    if port_in_use(host, port):
        print(msg("build.py serve: port {port} on {host} is in use — stop the other server or choose another with --port",
                  port=port, host=host).localized(), file=sys.stderr)
        return 2
    state = ServeState()

    def run(changed: set[str] | None) -> None:
        outcome = builder.build(changed)
        with state.lock:
            state.problems = outcome.problems
            state.languages = builder.languages or state.languages or ["he", "en"]
            state.status_html = builder.status_page
        if outcome.problems:
            report(outcome.problems)
            print(msg("serve: build failed ({count} problem(s)); the last good build is kept", count=len(outcome.problems)).localized(),
                  file=sys.stderr)
        else:
            print(msg("serve: {path}: rendered {rendered} page(s), wrote {written} file(s) in {ms:.0f} ms", path=outcome.path,
                      rendered=outcome.rendered, written=len(outcome.written), ms=outcome.seconds * 1000).localized(), file=sys.stderr)

    reloader = Reloader()

    def rebuild(changed: set[str]) -> None:
        try:
            run(changed)
        except Exception as exc:  # noqa: BLE001 - the watcher must live on: the next save rebuilds
            with state.lock:
                state.problems = [ContentError(sorted(changed)[0] if changed else "content", 0,
                                               msg("the preview could not rebuild ({name}: {exc}) — save the file again; if it happens again, restart "
                                                   "the preview and report this message to the site's developers", name=type(exc).__name__, exc=exc))]
            report(state.problems)
        reloader.rebuilt()  # after a failure too: the pages become the error page

    watcher = EventWatcher(source, list(WATCHED), rebuild)
    server: _Server | None = None
    stopped_by = signal.SIGINT
    try:
        try:
            run(None)  # stopped meanwhile: the writer puts the previous preview folder back (output/write.py)
            try:
                server = make_server(host, port, make_app(out, source, state, reloader, allowed_hosts(host)), server_class=_Server,
                                     handler_class=type("_Quiet", (_Quiet,), {"timeout": idle_seconds()}))
            except OSError as exc:
                print(msg("build.py serve: cannot serve on {host} port {port} ({reason}) — choose another --host or --port",
                          host=host, port=port, reason=exc.strerror or exc).localized(), file=sys.stderr)
                return 2
            watcher.start()
            print(msg("Serving on http://{host}:{port}/ (Ctrl-C to stop)", host=host, port=port).localized(), file=sys.stderr)
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt as stop:  # Ctrl-C, or cli.Interrupted (SIGTERM, SIGHUP)
            stopped_by = getattr(stop, "signum", signal.SIGINT)
    finally:
        wind_down(server, reloader, watcher, builder)
    print(msg("serve: stopped ({signal})", signal=signal.Signals(stopped_by).name).localized(), file=sys.stderr)
    return 0


def wind_down(server: _Server | None, reloader: Reloader, watcher: Any, builder: Any) -> None:
    """End the preview so that nothing is left half done: the socket closed, the browsers' streams ended, no rebuild or
    search index started any more, Pagefind stopped (its temporary folder removed), and a rebuild under way finished —
    its files all written, never some of them (a rebuild replaces the changed files one by one). A second Ctrl-C or
    signal meanwhile ends the wait (the rebuild's thread then dies with the process)."""
    try:
        if server is not None:
            server.server_close()
        reloader.stop()
        watcher.stop()
        builder.stop()
        watcher.join()
        builder.join()
    except KeyboardInterrupt:
        pass


__all__ = ["serve", "error_page", "make_app", "BuildFailed"]
