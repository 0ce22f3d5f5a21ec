"""A real static host for the tests, and a crawler that follows every reference a site makes.

- ``render_config``: ``deploy/nginx.conf`` filled in by the real ``envsubst '$LISTEN $DOCROOT $PREFIX'``
  (Debian's gettext-base), the command an operator runs, never a Python imitation of it.
- ``Nginx``: Debian's ``/usr/sbin/nginx`` as a child process (``-p TMP -c TMP/nginx.conf``, ``daemon off``),
  the rendered server block included in a minimal ``http {}``; stopped by its PID.
- ``crawl``: starting from a few addresses, fetch every same-origin reference found in HTML
  (``href``, ``src``, ``srcset``, ``poster``, ``<meta property="og:…">``…), stylesheets (``url()``,
  ``@import``), XML (sitemap ``<loc>`` and ``xhtml:link``, Atom links and the HTML inside entries) and
  ``robots.txt`` (``Sitemap:``), without following redirects; report what does not answer 200 and
  every same-origin reference outside the site's path.

``require`` skips with a one-line reason on a developer's machine and fails when ``CI=true``, like the
browser tests' (tests/browser/conftest.py).
"""

from __future__ import annotations

import http.client
import os
import posixpath
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import browser_support
import pytest

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "deploy" / "nginx.conf"
PLACEHOLDERS = ("LISTEN", "DOCROOT", "PREFIX")
NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def require(what: str, present: object) -> None:
    """Skip (developer's machine) or fail (CI=true) when a tool the test needs is missing (browser_support.require)."""
    browser_support.require(what, present, "these tests")


def have_nginx() -> bool:
    return Path(NGINX).is_file() and os.access(NGINX, os.X_OK) and MIME_TYPES.is_file()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- nginx ---------------------------------------------------------------------------------------


def render_config(listen: str, docroot: Path, prefix: str, template: Path = TEMPLATE) -> str:
    """The template filled in exactly as the command of docs/publishing.md does: envsubst with the three names only."""
    envsubst = shutil.which("envsubst")
    require("envsubst (Debian's gettext-base)", envsubst)
    env = {**os.environ, "LISTEN": listen, "DOCROOT": str(docroot), "PREFIX": prefix}
    done = subprocess.run([str(envsubst), " ".join("$" + name for name in PLACEHOLDERS)], input=template.read_text(encoding="utf-8"),
                          env=env, capture_output=True, text=True, check=True, timeout=30)
    return done.stdout


def main_config(tmp: Path, server_conf: Path) -> str:
    """A minimal nginx.conf around the server block, everything in ``tmp``: no system service, no root-owned paths."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""  # workers must read tmp folders (0700)
    temp = tmp / "temp"
    temp.mkdir(exist_ok=True)
    paths = "".join(f"  {kind}_temp_path {temp};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log stderr error;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n  include {MIME_TYPES};\n  default_type application/octet-stream;\n  access_log off;\n{paths}"
            f"  include {server_conf};\n}}\n")


@dataclass
class Served:
    """A site served by nginx: ``origin`` is http://127.0.0.1:PORT, ``prefix`` "/merhav/" or "/"."""

    origin: str
    prefix: str
    site: Path
    """The built folder, at DOCROOT + PREFIX."""

    def url(self, rel: str = "") -> str:
        return self.origin + self.prefix + rel.lstrip("/")


@contextmanager
def nginx(tmp: Path, docroot: Path, prefix: str, port: int) -> Iterator[str]:
    """nginx serving ``docroot`` with deploy/nginx.conf (PREFIX ``prefix``) on 127.0.0.1:``port``; yields the origin."""
    require(f"nginx ({NGINX}, with {MIME_TYPES})", have_nginx())
    tmp.mkdir(parents=True, exist_ok=True)
    server_conf = tmp / "merhav.conf"
    server_conf.write_text(render_config(f"127.0.0.1:{port}", docroot, prefix), encoding="utf-8")
    conf = tmp / "nginx.conf"
    conf.write_text(main_config(tmp, server_conf), encoding="utf-8")
    test = subprocess.run([NGINX, "-t", "-q", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True, timeout=30)
    assert test.returncode == 0, f"nginx -t rejects the rendered deploy/nginx.conf:\n{test.stderr}"
    log = (tmp / "nginx.log").open("w")
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited with {process.returncode}: {(tmp / 'nginx.log').read_text()}", pytrace=False)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not listen on {origin}: {(tmp / 'nginx.log').read_text()}", pytrace=False)
                time.sleep(0.05)
        yield origin
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful stop of this master (and its worker) by its PID
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# --- fetching --------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


class Client:
    """GET over one kept-alive HTTP/1.1 connection; redirects are answers, never followed."""

    def __init__(self, origin: str):
        parts = urlsplit(origin)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._conn: http.client.HTTPConnection | None = None

    def get(self, target: str) -> Response:
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self._conn.request("GET", target, headers={"Accept-Encoding": "identity"})
                answer = self._conn.getresponse()
                body = answer.read()
                if answer.will_close:
                    self.close()
                return Response(answer.status, answer.headers, body)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # the server closed a kept-alive connection: once more, on a new one
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def get(url: str) -> Response:
    parts = urlsplit(url)
    client = Client(f"{parts.scheme}://{parts.netloc}")
    try:
        return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    finally:
        client.close()


# --- references ------------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "poster", "data", "action", "cite", "background", "formaction", "manifest", "longdesc"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
META_URLS = re.compile(r"^(og:(url|image|image:url|image:secure_url|audio|video)|twitter:image)$")
CSS_REFERENCE = re.compile(r"""url\(\s*(["']?)([^"')]*?)\1\s*\)|@import\s+(["'])([^"']*)\3""", re.IGNORECASE)


class _HtmlReferences(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.base: str | None = None
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        for name, value in values.items():
            if name in URL_ATTRIBUTES and value.strip():
                self.found.append(value.strip())
            elif name in SRCSET_ATTRIBUTES:
                self.found += [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]
            elif name == "style":
                self.found += css_references(value)
        if tag == "meta" and META_URLS.match(values.get("property", "") or values.get("name", "")) and values.get("content"):
            self.found.append(values["content"].strip())
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self.found += css_references(data)


def html_references(text: str) -> tuple[list[str], str | None]:
    """(every address in the document, its <base href> if any)."""
    parser = _HtmlReferences()
    parser.feed(text)
    parser.close()
    return parser.found, parser.base


def css_references(text: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_REFERENCE.finditer(text)]


def xml_references(body: bytes) -> list[str]:
    """Sitemap <loc> and <xhtml:link href>; Atom <link href>, <icon>, <logo>, <uri>, and the links inside HTML content."""
    found: list[str] = []
    root = ET.fromstring(body)
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if element.get("href"):
            found.append(element.get("href", "").strip())
        if name in ("loc", "icon", "logo", "uri") and element.text and element.text.strip():
            found.append(element.text.strip())
        if name in ("content", "summary", "title", "rights", "subtitle") and element.get("type") in ("html", "xhtml"):
            inner = (element.text or "") if element.get("type") == "html" else ET.tostring(element, encoding="unicode")
            found += html_references(inner)[0]
    return found


def robots_references(text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("sitemap:")]


def references(target: str, response: Response) -> list[str]:
    kind = response.content_type
    text = response.body.decode("utf-8", errors="replace")
    if kind in ("text/html", "application/xhtml+xml"):
        found, base = html_references(text)
        return [urljoin(urljoin(target, base), ref) for ref in found] if base else found
    if kind == "text/css":
        return css_references(text)
    if kind.endswith("xml"):
        return xml_references(response.body)
    if target.endswith("/robots.txt"):
        return robots_references(text)
    return []


# --- the crawl -------------------------------------------------------------------------------------


@dataclass
class Crawl:
    origin: str
    prefix: str
    fetched: dict[str, Response] = field(default_factory=dict)
    """Path (with query) → the answer, for every same-origin address inside the prefix."""
    referrers: dict[str, set[str]] = field(default_factory=dict)
    outside: list[str] = field(default_factory=list)
    """'<reference> in <page>' for each same-origin reference whose path is not under the prefix."""

    expected: dict[str, int] = field(default_factory=dict)
    """Starts that must answer another status than 200 (a missing address: 404)."""

    @property
    def broken(self) -> list[str]:
        """'<path>: HTTP <status> (from <pages>)' for every answer that is not 200 (nor the status expected of a start)."""
        return [f"{path}: HTTP {answer.status}" + (f" -> {answer.headers.get('Location')}" if answer.headers.get("Location") else "")
                + f" (from {', '.join(sorted(self.referrers.get(path, ())) or ['the start'])})"
                for path, answer in sorted(self.fetched.items()) if answer.status != self.expected.get(path, 200)]


def crawl(origin: str, prefix: str, starts: Iterable[str], expect: dict[str, int] | None = None, deep: bool = True,
          limit: int = 20000) -> Crawl:
    """Fetch ``starts`` (paths) and every same-origin address they lead to, breadth first.

    Only answers 200 are read for references, and the starts named in ``expect`` (a 404 page's links).
    ``deep=False``: only what the starts reference, and what their stylesheets do (fonts, images), is fetched.
    Addresses of other sites (https://…), mailto:, tel:, data: and javascript: are not followed.
    A same-origin address outside ``prefix`` is recorded in ``outside`` and not fetched.
    """
    result = Crawl(origin, prefix, expected=dict(expect or {}))
    own = urlsplit(origin)
    first = list(dict.fromkeys(starts))
    queue = deque(first)
    seen = set(first)
    client = Client(origin)
    try:
        while queue:
            target = queue.popleft()
            answer = client.get(target)
            result.fetched[target] = answer
            if len(result.fetched) > limit:
                raise AssertionError(f"more than {limit} addresses: is the crawl going round in circles? ({target})")
            if answer.status != 200 and target not in result.expected:
                continue
            if not deep and target not in first and answer.content_type != "text/css":
                continue
            page_url = origin + target
            for ref in references(target, answer):
                absolute, _ = urldefrag(urljoin(page_url, ref))
                parts = urlsplit(absolute)
                if parts.scheme not in ("http", "https") or (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
                    continue  # another site, mailto:, tel:, data:… — not ours to fetch
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                if not path.startswith(prefix):
                    result.outside.append(f"{ref} in {target}")
                    continue
                result.referrers.setdefault(path, set()).add(target)
                if path not in seen:
                    seen.add(path)
                    queue.append(path)
    finally:
        client.close()
    return result


def file_for(site: Path, prefix: str, path: str) -> Path | None:
    """The built file a static host serves for ``path`` (directory index included), or None outside the site."""
    if not path.startswith(prefix):
        return None
    rel = posixpath.normpath("/" + path[len(prefix):].split("?", 1)[0]).lstrip("/")
    target = site / rel if rel not in ("", ".") else site
    if path.split("?", 1)[0].endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def built_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def expected_mime(path: str) -> str | tuple[str, ...] | None:
    """The Content-Type a file's name calls for (None: no opinion)."""
    name = path.split("?", 1)[0]
    if name.endswith("/") or name.endswith(".html"):
        return "text/html"
    return MIME_BY_EXTENSION.get(posixpath.splitext(name)[1].lower())


MIME_BY_EXTENSION: dict[str, str | tuple[str, ...]] = {
    ".css": "text/css",
    ".js": ("application/javascript", "text/javascript"),
    ".mjs": ("application/javascript", "text/javascript"),
    ".woff2": "font/woff2",
    ".woff": ("font/woff", "application/font-woff"),
    ".svg": "image/svg+xml",
    ".xml": ("text/xml", "application/xml", "application/atom+xml", "application/rss+xml"),
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": ("image/x-icon", "image/vnd.microsoft.icon"),
    ".txt": "text/plain",
    ".json": "application/json",
    ".pdf": "application/pdf",
}


def header_problems(path: str, response: Response, expected: Iterable[tuple[str, str]]) -> list[str]:
    """Each expected header exactly once, with exactly its value."""
    problems = []
    for name, value in expected:
        got = response.headers.get_all(name) or []
        if got != [value]:
            problems.append(f"{path}: {name} is {got or 'missing'}, not [{value!r}]")
    return problems
