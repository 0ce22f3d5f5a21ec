"""The built site on a real static host: nginx with the repository's deploy/nginx.conf.

Three sites are built with ``python build.py`` and served by Debian's nginx on 127.0.0.1 (see
tests/hosting.py): the REAL content under a sub-path (``/merhav/``), a generated catalogue (cohorts,
projects, pagination, feeds, images; bench/generate.py) under the same sub-path, and the real content
at a domain's root. Each is crawled from its languages' home pages and robots.txt, following every
same-origin reference, and checked for what must hold for any valid content: every answer is 200,
no reference leaves the site's path, every file the build makes is reached and served byte for byte
with its MIME type, every response carries exactly the headers of sitegen/output/security.py, assets are
cached for a year and the rest revalidated, a missing address at any depth gets its language's 404
page whose links all work from there. The last test opens every page of the real site, served by
nginx under /merhav/, in headless Chromium.

nginx and envsubst missing: skipped with one line, failed with CI=true (``bash .ci/setup.sh`` installs them).
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml
from hosting import (
    Crawl,
    Served,
    crawl,
    expected_mime,
    file_for,
    free_port,
    get,
    have_nginx,
    header_problems,
    nginx,
    render_config,
    require,
)
from sitefactory import tiny_png

from sitegen.output.security import (
    ADMIN_DIR,
    ADMIN_HEADERS,
    HEADERS,
    IMMUTABLE,
    SEARCH_HEADERS,
    content_security_policy,
    headers_for,
)

REPO = Path(__file__).resolve().parents[1]
PREFIX = "/merhav"
pytestmark = pytest.mark.slow


# --- the sites ---------------------------------------------------------------------------------------


@dataclass
class Hosted:
    served: Served
    source: Path
    languages: list[str]
    """Codes of the source's data/site.yaml, the default (at the root of the site) first."""
    crawl: Crawl

    def home(self, lang: str) -> str:
        """The path of a language's home page: /merhav/ or /merhav/en/."""
        return self.served.prefix + ("" if lang == self.languages[0] else f"{lang}/")

    def not_found_page(self, lang: str) -> Path:
        return self.served.site / ("404.html" if lang == self.languages[0] else f"{lang}/404.html")


def languages_of(source: Path) -> list[str]:
    data = yaml.safe_load((source / "data" / "site.yaml").read_text(encoding="utf-8"))
    return [entry["code"] for entry in data["languages"]]


def build(source: Path, out: Path, base_url: str) -> None:
    command = [sys.executable, "build.py", "--source", str(source), "--out", str(out), "--base-url", base_url]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"`python {' '.join(command[1:])}` exited {done.returncode}:\n{done.stdout}{done.stderr}"


def host(tmp: Path, source: Path, prefix: str) -> Iterator[Hosted]:
    """Build ``source`` for http://127.0.0.1:PORT{prefix}/, place it at DOCROOT{prefix}/, serve it with nginx, crawl it."""
    require("nginx (/usr/sbin/nginx, Debian's nginx package)", have_nginx())
    port = free_port()
    docroot = tmp / "www"
    site = docroot / prefix.strip("/") if prefix else docroot
    build(source, site, f"http://127.0.0.1:{port}{prefix}/")
    with nginx(tmp / "nginx", docroot, prefix, port) as origin:
        served = Served(origin, prefix + "/", site)
        langs = languages_of(source)
        hosted = Hosted(served, source, langs, Crawl(origin, served.prefix))
        starts = [hosted.home(lang) for lang in langs] + [served.prefix + "robots.txt"]
        if (site / ADMIN_DIR / "config.yml").is_file():  # the editors' forms: linked from no page, by design
            # (and what admin.js fetches: its configuration, and what the forms refuse across files: tools/formchecks.py)
            starts += [served.prefix + f"{ADMIN_DIR}/", served.prefix + f"{ADMIN_DIR}/config.yml", served.prefix + f"{ADMIN_DIR}/checks.json"]
        hosted.crawl = crawl(origin, served.prefix, starts)
        yield hosted


def catalogue_source(dest: Path) -> Path:
    """bench/generate.py's catalogue (45 projects in 2 cohorts: listings of 3 pages, feeds), plus images
    the way editors add them: in a page's Markdown (a page of its own, linked only from the sitemap), as
    a faculty member's photo and as a project's picture."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    generate.generate(45, dest, cohorts=2)
    (dest / "static" / "images").mkdir(parents=True, exist_ok=True)
    (dest / "static" / "images" / "hosting-test.png").write_bytes(tiny_png())
    for lang, title, alt in (("he", "תמונות", "תמונה לבדיקה"), ("en", "Pictures", "A test picture")):
        (dest / "content" / f"hosting-images.{lang}.md").write_text(
            f"---\ntitle: {title}\n---\n![{alt}](images/hosting-test.png)\n", encoding="utf-8")
    (dest / "data" / "faculty.yaml").write_text(
        "- id: test-person\n  name:\n    he: פלונית\n    en: Jane Doe\n  role:\n    he: מרצה\n    en: Lecturer\n"
        "  photo: images/hosting-test.png\n  photo_alt:\n    he: פלונית\n    en: Jane Doe\n", encoding="utf-8")
    cohorts = dest / "data" / "cohorts.yaml"
    text = cohorts.read_text(encoding="utf-8")
    marker = "      status: "
    at = text.index("\n", text.index(marker)) + 1
    image = "      image: images/hosting-test.png\n      image_alt:\n        he: תמונה\n        en: A picture\n"
    cohorts.write_text(text[:at] + image + text[at:], encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    yield from host(tmp_path_factory.mktemp("hosting-real"), REPO, PREFIX)


@pytest.fixture(scope="module")
def catalogue_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    require("nginx (/usr/sbin/nginx, Debian's nginx package)", have_nginx())
    tmp = tmp_path_factory.mktemp("hosting-catalogue")
    yield from host(tmp, catalogue_source(tmp / "src"), PREFIX)


@pytest.fixture(scope="module")
def root_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    yield from host(tmp_path_factory.mktemp("hosting-root"), REPO, "")


SITES = ["real_site", "catalogue_site", "root_site"]


@pytest.fixture(params=SITES)
def hosted(request: pytest.FixtureRequest) -> Hosted:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


# --- which built files must be reached -----------------------------------------------------------------


def unlinked_by_design(hosted: Hosted, rel: str) -> bool:
    """Files no page links to: _headers (for other hosts), .merhav-site (the build's list of its files, for the
    next build: output/write.py), the 404 pages (served for missing addresses), and files copied from static/ as
    they are (a licence text, an image an editor has not used yet).
    Everything the build makes — pages, feeds, the sitemap, the fingerprinted assets — must be reached."""
    if rel in ("_headers", ".merhav-site") or rel in {hosted.not_found_page(lang).relative_to(hosted.served.site).as_posix() for lang in hosted.languages}:
        return True
    if rel.startswith("pagefind/"):  # the search index: its scripts fetch the parts a search needs
        return True
    if rel.startswith("assets/decap-cms.") and not rel.endswith("/decap-cms.js"):
        return True  # the chunks Decap CMS's script loads from its own folder when an editor needs them
    static = hosted.source / "static" / rel
    return static.is_file() and static.read_bytes() == (hosted.served.site / rel).read_bytes()


def unreached(hosted: Hosted) -> list[str]:
    reached = set()
    for path, answer in hosted.crawl.fetched.items():
        target = file_for(hosted.served.site, hosted.served.prefix, path)
        if answer.status == 200 and target is not None:
            reached.add(target.relative_to(hosted.served.site).as_posix())
    every = sorted(p.relative_to(hosted.served.site).as_posix() for p in hosted.served.site.rglob("*") if p.is_file())
    return [rel for rel in every if rel not in reached and not unlinked_by_design(hosted, rel)]


# --- crawling ------------------------------------------------------------------------------------------


def test_every_reference_answers_200_inside_the_site_path(hosted: Hosted) -> None:
    found = hosted.crawl
    assert found.broken == [], "broken references:\n  " + "\n  ".join(found.broken)
    assert found.outside == [], f"references that leave {hosted.served.prefix}:\n  " + "\n  ".join(found.outside)
    assert unreached(hosted) == [], "built files that no reference leads to"


def test_every_answer_is_the_built_file_with_its_mime_type(hosted: Hosted) -> None:
    problems = []
    for path, answer in sorted(hosted.crawl.fetched.items()):
        target = file_for(hosted.served.site, hosted.served.prefix, path)
        assert target is not None
        if not target.is_file() or answer.body != target.read_bytes():
            problems.append(f"{path}: not the bytes of {target.relative_to(hosted.served.site)}")
        want = expected_mime(path)
        if want is not None and answer.content_type not in ((want,) if isinstance(want, str) else want):
            problems.append(f"{path}: Content-Type {answer.headers.get('Content-Type')!r}, expected {want}")
    assert problems == []
    kinds = {answer.content_type for answer in hosted.crawl.fetched.values()}
    assert {"text/html", "text/css", "font/woff2"} <= kinds, f"the crawl found only {sorted(kinds)}"


def test_a_missing_address_gets_its_languages_404_page_whose_links_work_from_there(hosted: Hosted) -> None:
    for lang in hosted.languages:
        for missing in (hosted.home(lang) + "no/such", hosted.home(lang) + "no/such/deep/page", hosted.home(lang) + "no/such/dir/"):
            found = crawl(hosted.served.origin, hosted.served.prefix, [missing], expect={missing: 404}, deep=False)
            answer = found.fetched[missing]
            assert answer.status == 404, f"{missing}: HTTP {answer.status}"
            assert answer.body == hosted.not_found_page(lang).read_bytes(), f"{missing}: not the '{lang}' 404 page"
            assert header_problems(missing, answer, HEADERS) == []
            assert answer.headers.get("Cache-Control") != IMMUTABLE
            assert found.broken == [], f"from {missing}:\n  " + "\n  ".join(found.broken)
            assert found.outside == [], f"from {missing}:\n  " + "\n  ".join(found.outside)
            assert any(r.content_type == "text/css" for r in found.fetched.values()), f"{missing}: the stylesheet was not reached"
    hidden = get(hosted.served.url("_headers"))
    assert hidden.status == 404 and hidden.body == hosted.not_found_page(hosted.languages[0]).read_bytes(), \
        "nginx publishes _headers (meant for Netlify and Cloudflare Pages)"


def test_a_folder_without_its_slash_is_redirected_with_a_relative_location(hosted: Hosted) -> None:
    folders = sorted({p.parent.relative_to(hosted.served.site).as_posix() for p in hosted.served.site.rglob("index.html")} - {"."})
    assert folders
    for rel in [*folders[:3], *[lang for lang in hosted.languages[1:]]]:
        address = hosted.served.prefix + rel
        answer = get(hosted.served.origin + address)
        assert (answer.status, answer.headers.get("Location")) == (301, address + "/"), address
        assert header_problems(address, answer, HEADERS) == []
    if hosted.served.prefix != "/":
        answer = get(hosted.served.origin + hosted.served.prefix.rstrip("/"))
        assert (answer.status, answer.headers.get("Location")) == (301, hosted.served.prefix)


# --- headers -------------------------------------------------------------------------------------------


def cache_problems(path: str, values: list[str], assets: str) -> list[str]:
    """assets/ (fingerprinted names): a year, immutable; everything else: revalidated (no-cache, or at most 10 minutes)."""
    if path.startswith(assets):
        return [] if values == [IMMUTABLE] else [f"{path}: Cache-Control {values}, not [{IMMUTABLE!r}]"]
    if len(values) != 1 or "immutable" in values[0]:
        return [f"{path}: Cache-Control {values}"]
    directives = {d.strip().split("=")[0]: d.strip().partition("=")[2] for d in values[0].split(",")}
    if "no-cache" in directives or "no-store" in directives or int(directives.get("max-age") or 10**9) <= 600:
        return []
    return [f"{path}: Cache-Control {values}: pages and files whose names do not change must be revalidated"]


def test_every_response_carries_exactly_the_security_headers_and_its_cache_policy(hosted: Hosted) -> None:
    problems = []
    assets = hosted.served.prefix + "assets/"
    for path, answer in sorted(hosted.crawl.fetched.items()):
        problems += header_problems(path, answer, expected_headers(hosted, path))
        problems += cache_problems(path, answer.headers.get_all("Cache-Control") or [], assets)
    assert problems == []
    fetched = hosted.crawl.fetched
    assert any(p.startswith(assets) for p in fetched) and any(a.content_type == "text/html" for a in fetched.values())


def expected_headers(hosted: Hosted, path: str) -> tuple[tuple[str, str], ...]:
    """The headers of sitegen/output/security.py for an address: the editors' forms (admin/), the search pages and
    the index have policies of their own; every other address has the site's."""
    if path.startswith(hosted.served.prefix + f"{ADMIN_DIR}/"):
        return ADMIN_HEADERS
    inside = path[len(hosted.served.prefix):] if path.startswith(hosted.served.prefix) else path
    return headers_for(inside, tuple(lang for lang in hosted.languages[1:]))


def test_the_search_pages_alone_allow_webassembly(hosted: Hosted) -> None:
    fetched = hosted.crawl.fetched
    searches = [p for p in fetched if p.endswith("/search/")]
    assert len(searches) == len(hosted.languages), sorted(fetched)
    for path, answer in fetched.items():
        policy = answer.headers.get("Content-Security-Policy") or ""
        assert ("'wasm-unsafe-eval'" in policy) == (path in searches or "/pagefind/" in path), path
    assert dict(SEARCH_HEADERS)["Content-Security-Policy"] == content_security_policy(search=True)


def test_the_headers_file_lists_the_same_headers(real_site: Hosted) -> None:
    blocks: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in (real_site.served.site / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            current = blocks.setdefault(line.strip(), [])
        else:
            assert current is not None, line
            name, _, value = line.strip().partition(":")
            current.append((name.strip(), value.strip()))
    prefix = real_site.served.prefix.rstrip("/") + "/"  # the base URL's path the site was built for
    assert sorted(blocks.get(f"{prefix}*", [])) == sorted(HEADERS), blocks
    assert blocks.get(f"{prefix}assets/*") == [("Cache-Control", IMMUTABLE)]
    for folder in ["pagefind", "search", *(f"{lang}/search" for lang in real_site.languages[1:])]:
        assert blocks.get(f"{prefix}{folder}/*") == [("! Content-Security-Policy", ""),
                                                     ("Content-Security-Policy", content_security_policy(search=True))], folder
    assert blocks.get(f"{prefix}{ADMIN_DIR}/*") == [("! Content-Security-Policy", ""),
                                                    ("Content-Security-Policy", dict(ADMIN_HEADERS)["Content-Security-Policy"])]


def test_the_template_has_only_the_three_placeholders(tmp_path: Path) -> None:
    """What the envsubst command of docs/publishing.md fills; nginx's own variables ($uri…) stay as they are."""
    import re

    from hosting import PLACEHOLDERS, TEMPLATE

    text = TEMPLATE.read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{(\w+)\}", text)) == set(PLACEHOLDERS)
    rendered = render_config("127.0.0.1:1", tmp_path / "www", "/x")
    assert "${" not in rendered and "$uri" in rendered and "location /x/en/" in rendered


# --- the crawler and the checks can fail -------------------------------------------------------------


@pytest.fixture
def tiny_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A hand-made folder with mistakes of every kind, served by Python's http.server (no nginx needed)."""
    site = tmp_path / "www" / "p"
    files = {
        "index.html": ('<!doctype html><link rel="stylesheet" href="s.css"><link rel="icon" href="/p/icon.svg">'
                       '<a href="/p/ok/">ok</a> <a href="/p/missing/">missing</a> <a href="/elsewhere/">out</a>'
                       '<a href="https://example.org/">other site</a> <a href="mailto:x@example.org">mail</a> <a href="#top">top</a>'
                       '<img src="data:image/gif;base64,R0lGOD" alt=""> <img srcset="/p/i.png 1x, /p/gone.png 2x" alt="">'),
        "ok/index.html": '<a href="../">home</a> <a href="/p/ok">no slash</a>',
        "s.css": '@font-face { src: url("gone.woff2") } body { background: url(/other/x.png) } /* url(comment.png) */',
        "icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "i.png": "",
        "robots.txt": "Sitemap: http://HOST/p/sitemap.xml\n",
        "sitemap.xml": ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://HOST/p/ok/</loc></url>'
                        "<url><loc>http://HOST/p/nowhere/</loc></url></urlset>"),
        "orphan/index.html": "<p>no link leads here</p>",
    }

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(tmp_path / "www")))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text.replace("HOST", origin.removeprefix("http://")), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield origin, site
    finally:
        server.shutdown()
        server.server_close()


def test_the_crawler_finds_broken_references_and_references_leaving_the_prefix(tiny_server: tuple[str, Path]) -> None:
    origin, site = tiny_server
    found = crawl(origin, "/p/", ["/p/", "/p/robots.txt"])
    assert [line.split(":")[0] for line in found.broken] == ["/p/gone.png", "/p/gone.woff2", "/p/missing/", "/p/nowhere/", "/p/ok"]
    assert "/p/ok: HTTP 301 -> /p/ok/ (from /p/ok/)" in found.broken
    assert "/p/gone.woff2: HTTP 404 (from /p/s.css)" in found.broken
    assert sorted(found.outside) == ["/elsewhere/ in /p/", "/other/x.png in /p/s.css"]
    assert not any("example.org" in path or "comment" in path for path in found.fetched)
    hosted = Hosted(Served(origin, "/p/", site), site.parent / "no-source", ["he"], found)
    assert unreached(hosted) == ["orphan/index.html"]
    assert header_problems("/p/", found.fetched["/p/"], HEADERS) == [
        f"/p/: {name} is missing, not [{value!r}]" for name, value in HEADERS]
    assert cache_problems("/p/assets/x.css", [], "/p/assets/") and cache_problems("/p/", ["max-age=86400"], "/p/assets/")
    assert not cache_problems("/p/", ["no-cache"], "/p/assets/")


def test_a_404_start_is_followed_and_reported_only_when_unexpected(tiny_server: tuple[str, Path]) -> None:
    origin, _ = tiny_server
    (tiny_server[1].parent / "404.html").write_text('<a href="/p/ok/">home</a>', encoding="utf-8")
    found = crawl(origin, "/p/", ["/p/no/such"], expect={"/p/no/such": 404})
    assert found.broken == []
    assert crawl(origin, "/p/", ["/p/no/such"]).broken == ["/p/no/such: HTTP 404 (from the start)"]


# --- in a browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, with the browser tests' flags (tests/browser/conftest.py; tests/browser_support.py once
    the browser helpers move there)."""
    try:
        from browser_support import CHROMIUM_ARGS, chromium_path
    except ImportError:
        from browser.conftest import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    require("Chromium (/usr/bin/chromium)", executable)
    return {**browser_type_launch_args, "executable_path": executable,
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
"""

LOADED = """async () => {
    await document.fonts.ready;
    const sheets = [...document.styleSheets].filter(s => s.href);
    const family = getComputedStyle(document.body).fontFamily.split(',')[0].trim().replace(/^["']|["']$/g, '');
    return {
        sheets: sheets.map(s => ({href: s.href, rules: (() => { try { return s.cssRules.length } catch (e) { return -1 } })()})),
        faces: [...document.fonts].map(f => ({family: f.family.replace(/^["']|["']$/g, ''), status: f.status})),
        family,
        usesWebFont: [...document.fonts].some(f => f.family.replace(/^["']|["']$/g, '') === family && f.status === 'loaded'),
        violations: window.__cspViolations,
    };
}"""


@pytest.mark.browser
def test_every_page_loads_in_chromium_without_errors_or_csp_violations(real_site: Hosted, page: Any) -> None:
    """Every page of the real site (found in the built tree) and a deep missing address per language,
    served by nginx under /merhav/ with the CSP header and the CSP <meta>: no console error, no failed
    request, no CSP violation; the stylesheet's rules apply and the body's web font has loaded."""
    site, served = real_site.served.site, real_site.served
    folders = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    folders = [rel for rel in folders if rel != ADMIN_DIR]  # the editors' forms: tests/test_cms.py
    addresses = [served.prefix + ("" if rel == "." else rel + "/") for rel in folders]
    addresses += [real_site.home(lang) + "no/such/deep/page" for lang in real_site.languages]
    problems: list[str] = []
    page.add_init_script(CSP_LISTENER)

    def on_console(message: Any) -> None:
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not (where == page.url and "/no/such/" in where and "404" in message.text):
            problems.append(f"{page.url}: console error: {message.text}" + (f" (at {where})" if where else ""))

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: uncaught {e}"))
    # net::ERR_ABORTED is the browser cancelling a request when the test moves on to the next page (the
    # icon is fetched after "load"); every file's own answer is checked by the crawl (200, headers).
    page.on("requestfailed", lambda r: problems.append(f"{page.url}: request failed: {r.url} {r.failure}")
            if r.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda r: problems.append(f"{page.url}: HTTP {r.status} {r.url}")
            if r.status >= 400 and not (r.request.is_navigation_request() and "/no/such/" in r.url) else None)
    for address in addresses:
        response = page.goto(served.origin + address, wait_until="load")
        assert response is not None
        assert response.status == (404 if "/no/such/" in address else 200), address
        assert response.header_value("content-security-policy") == dict(expected_headers(real_site, address))["Content-Security-Policy"]
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, f"{address}: no CSP <meta>"
        state = page.evaluate(LOADED)
        problems += [f"{address}: CSP violation: {v}" for v in state["violations"]]
        if not any(s["rules"] > 0 and s["href"].startswith(served.origin + served.prefix) for s in state["sheets"]):
            problems.append(f"{address}: no stylesheet of the site applied: {state['sheets']}")
        if not state["usesWebFont"] or any(f["status"] == "error" for f in state["faces"]):
            problems.append(f"{address}: the body's font {state['family']!r} is not a loaded web font: {state['faces']}")
    assert problems == [], "\n".join(problems)

    # The listener can see a violation: an inline style is refused by the policy.
    page.evaluate("() => { const s = document.createElement('style'); s.textContent = 'body{color:red}'; document.head.append(s); }")
    page.wait_for_function("window.__cspViolations.length > 0", timeout=5000)
    assert "style-src" in page.evaluate("window.__cspViolations[0]")
