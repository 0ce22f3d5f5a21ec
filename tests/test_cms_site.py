"""The forms on the published site (issue 21, the forms' own side), in headless Chromium with a Hebrew interface.

- A photo is saved (the admin's policy lets Decap read the upload back from its blob: address), without the place
  where it was taken: on a COPY of the real site that is a git repository, against decap-server in git mode, an editor
  adds a cohort whose project has a phone photo with GPS and a serial number in its Exif; the commit holds the photo,
  without them (read back with Pillow), the entry refers to it, and the built project page shows it.
- Signing in on the published site: against a stub of the OAuth *service* on 127.0.0.1 (Decap's postMessage exchange,
  packages/decap-cms-lib-auth/src/netlify-auth.js) and a stub of GitHub's API, Decap asks for the token with the site's
  auth_scope and ends signed in; without `cms:` the forms say what is missing instead of sending editors to Netlify.
- Inside another site's frame (GitHub Pages sends no header that forbids it) the forms do not start, and say why.
"""

from __future__ import annotations

import http.server
import io
import json
import mimetypes
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from browser_support import browser_type_launch_args, free_port, require, serve_site  # noqa: F401  (Debian's Chromium)
from conftest import REPO, copy_fixture_site
from PIL import Image
from test_cms import (
    DecapServer,
    build,
    build_py,
    built_forms_fixture,
    cohort_ids,
    copy_real_site,
    install_forms,
    last,
    open_entry,
    publish,
    require_the_forms_tools,
    texts,
    unused,
)
from test_photos import MAKER, SERIAL, phone_photo

from sitegen.tools import cms

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "he-IL", "viewport": {"width": 1280, "height": 900}}


def watch(page: Any) -> list[str]:
    """Console errors (a policy violation among them) and uncaught exceptions of ``page``."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP violation: ' + e.effectiveDirective + ' ' + e.blockedURI))")
    return problems


# --- a photo, saved without its place ------------------------------------------------------------------------


def test_an_editor_saves_a_phone_photo_to_a_project_without_its_location_and_the_project_page_shows_it(tmp_path: Path,
                                                                                                        page: Any, decap_server: DecapServer) -> None:
    require_the_forms_tools()
    repo = copy_real_site(tmp_path / "copy")
    cohort = unused("photo-cohort", set(cohort_ids(repo)))
    photo = tmp_path / "upload" / "clinic-opening.jpg"
    photo.parent.mkdir()
    photo.write_bytes(phone_photo(1600, 1200, orientation=6))
    with Image.open(photo) as original:  # what the phone wrote, before the forms
        assert original.getexif().get_ifd(0x8825) and SERIAL.encode() in photo.read_bytes()
    www = tmp_path / "www"
    port = free_port()
    build(repo, www / "merhav", f"http://127.0.0.1:{port}/merhav/")
    server = decap_server.open(repo)
    problems = watch(page)
    server.serve(page)
    try:
        with serve_site(www / "merhav", prefix="/merhav/", port=port) as served:
            page.goto(served.url + "admin/")
            page.get_by_role("button", name="התחברות").click()
            page.get_by_role("link", name=re.compile("ציטוטי בוגרים")).first.wait_for()
            page.goto(served.url + "admin/#/collections/cohorts/new")
            last(page, "id").fill(cohort)
            texts(page, [("מחזור עם תמונה", "A cohort with a photo")], start=0)
            the_cohorts_own = page.locator('[id^="he-field-"]').count()
            page.get_by_role("button", name=re.compile("פרוייקטים")).click()
            last(page, "slug").fill("clinic-opening")
            texts(page, [("פתיחת המרפאה", "The clinic opens"), ("מרפאה שנפתחה.", "A clinic that opened.")], start=the_cohorts_own)
            last(page, "date").fill("2027-05-01")
            last(page, "status").click()
            last(page, "status").fill("active")
            page.keyboard.press("Enter")
            page.get_by_role("button", name="בחירת תמונה").last.click()
            page.locator('input[type="file"]').last.set_input_files(str(photo))  # the media library's "העלאה"
            page.get_by_role("button", name="לבחור את הקובץ המסומן").click()
            texts(page, [("גזירת הסרט בפתיחת המרפאה", "Cutting the ribbon at the clinic's opening")])  # what the photo shows
            publish(page)
    finally:
        server.stop()
    assert problems == [], "\n".join(problems)  # no "Failed to persist entry: TypeError: Failed to fetch" (blob:)

    changed = subprocess.run(["git", "show", "--name-only", "--format=", "HEAD"], cwd=repo, capture_output=True, text=True,
                             check=True).stdout.split()
    committed = [name for name in changed if name.startswith(cms.MEDIA_FOLDER + "/")]
    assert len(committed) == 1 and committed[0].endswith(".jpg") and f"data/cohorts/{cohort}.yaml" in changed, changed
    entry = yaml.safe_load((repo / "data" / "cohorts" / f"{cohort}.yaml").read_text(encoding="utf-8"))
    (project,) = entry["projects"]
    assert project["image"] == cms.PUBLIC_FOLDER + committed[0].removeprefix(cms.MEDIA_FOLDER)
    saved = subprocess.run(["git", "show", f"HEAD:{committed[0]}"], cwd=repo, capture_output=True, check=True).stdout
    with Image.open(io.BytesIO(saved)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769), dict(exif)  # no GPS, no serial (Exif's own IFD)
        assert exif.get(0x0112) == 6 and image.size == (1600, 1200)  # still told to be turned upright; the picture intact
        image.load()
    assert SERIAL.encode() not in saved and MAKER.encode() not in saved

    out = tmp_path / "out"
    build(repo, out, "https://example.org/merhav/")
    for prefix in ("", "en/"):
        html = (out / prefix / "cohorts" / cohort / "clinic-opening" / "index.html").read_text(encoding="utf-8")
        figure = re.search(r'<figure class="project-image">(.*?)</figure>', html, re.S)
        assert figure and re.search(r'<img [^>]*src="/merhav/assets/images/clinic-opening\.[0-9a-f]{10}-\d+\.jpg"', figure[1]), prefix
        size = re.search(r'<img [^>]*width="(\d+)" height="(\d+)"', figure[1])
        assert size and int(size[1]) * 4 == int(size[2]) * 3, figure[1]  # upright: the orientation was kept


# --- signing in, and refusing to run framed --------------------------------------------------------------------

SITE = "https://merhav.example"
"""The published site's origin in these tests: not a host where decap-server may run (Decap's localhost, 127.0.0.1)."""


def built_forms(tmp_path: Path, cms_yaml: str = "") -> Path:
    """The fixture site with the forms, ``cms_yaml`` added to its data/site.yaml, built for SITE (without ``cms_yaml``:
    built once per run and shared, test_cms.built_forms_fixture; read it, never change it)."""
    if not cms_yaml:
        return built_forms_fixture(SITE + "/")[1]
    source = copy_fixture_site(tmp_path / "src")
    install_forms(source)
    if cms_yaml:
        site_yaml = source / "data" / "site.yaml"
        site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + cms_yaml, encoding="utf-8")
    out = tmp_path / "out"
    build(source, out, SITE + "/")
    return out


def publish_at(page: Any, folder: Path, origin: str = SITE) -> None:
    """``folder`` served at ``origin`` to ``page`` (as a static host without headers, GitHub Pages' way)."""
    def answer(route: Any) -> None:
        rel = urlsplit(route.request.url).path.lstrip("/")
        path = folder / rel / "index.html" if (folder / rel).is_dir() else folder / rel
        if not path.is_file():
            route.fulfill(status=404, body="not found")
            return
        route.fulfill(status=200, body=path.read_bytes(),
                      content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
    page.route(origin + "/**", answer)


class _OAuth(http.server.BaseHTTPRequestHandler):
    """The OAuth service's side of Decap's exchange, as decap-proxy or a Cloudflare Worker answers once GitHub has
    sent the editor back: "authorizing:github" to the opener, then, to the origin that answered, the token."""

    asked: list[dict[str, list[str]]]

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        self.asked.append({"path": [url.path], **parse_qs(url.query)})
        reply = json.dumps({"token": "stub-token", "provider": "github"})
        body = ("<!doctype html><title>sign in</title><script>\n"
                "window.addEventListener('message', function answer(e) {\n"
                "  window.removeEventListener('message', answer);\n"
                f"  e.source.postMessage('authorization:github:success:' + {json.dumps(reply)}, e.origin);\n"
                "});\n"
                "window.opener.postMessage('authorizing:github', '*');\n"
                "</script>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def oauth_service() -> Iterator[tuple[str, list[dict[str, list[str]]]]]:
    asked: list[dict[str, list[str]]] = []
    handler = type("OAuth", (_OAuth,), {"asked": asked})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def github_api(page: Any, repo: str) -> list[tuple[str, str]]:
    """GitHub's API as Decap asks it after signing in: the editor, and their right to write to ``repo``; the rest
    (the content) empty. Returns (path, Authorization header) of each request."""
    seen: list[tuple[str, str]] = []

    def answer(route: Any) -> None:
        path = urlsplit(route.request.url).path
        seen.append((path, route.request.headers.get("authorization", "")))
        owner = repo.split("/")[0]
        if path == "/user":
            route.fulfill(json={"login": "editor", "name": "An Editor", "id": 1, "avatar_url": ""})
        elif path == f"/repos/{repo}":
            route.fulfill(json={"full_name": repo, "owner": {"login": owner}, "default_branch": "main", "private": False,
                                "permissions": {"admin": False, "push": True, "pull": True}})
        elif "/git/trees/" in path:
            route.fulfill(json={"sha": "0" * 40, "tree": [], "truncated": False})
        else:
            route.fulfill(status=404, json={"message": "Not Found"})
    page.route("https://api.github.com/**", answer)
    return seen


def test_an_editor_signs_in_through_the_sites_oauth_service_with_the_token_scope_it_names(tmp_path: Path, page: Any) -> None:
    require("node_modules/decap-cms (npm ci)", cms.cms_installed(REPO))
    with oauth_service() as (service, asked):
        out = built_forms(tmp_path, f"cms:\n  repo: merhav-org/merhav-site\n  auth_url: {service}/auth\n")
        config = yaml.safe_load((out / "admin" / "config.yml").read_text(encoding="utf-8"))
        assert {k: config["backend"][k] for k in ("repo", "base_url", "auth_endpoint", "auth_scope")} == {
            "repo": "merhav-org/merhav-site", "base_url": service, "auth_endpoint": "auth", "auth_scope": "public_repo"}
        publish_at(page, out)
        api = github_api(page, "merhav-org/merhav-site")
        page.goto(SITE + "/admin/")
        with page.context.expect_page() as opened:
            page.get_by_role("button", name=re.compile("GitHub")).click()
        page.get_by_role("link", name=re.compile("ציטוטי בוגרים")).first.wait_for(timeout=30000)  # signed in: the collections
        assert opened.value.is_closed()  # Decap closed the service's window once it had the token
    asked = [a for a in asked if a["path"] != ["/favicon.ico"]]  # (the window's icon)
    assert len(asked) == 1 and asked[0]["path"] == ["/auth"], asked
    assert asked[0]["provider"] == ["github"] and asked[0]["scope"] == ["public_repo"] and asked[0]["site_id"] == ["merhav.example"]
    assert ("/user", "token stub-token") in api and ("/repos/merhav-org/merhav-site", "token stub-token") in api, api


def test_without_a_repository_and_a_sign_in_service_the_published_forms_say_what_is_missing(tmp_path: Path, page: Any) -> None:
    require("node_modules/decap-cms (npm ci)", cms.cms_installed(REPO))
    out = built_forms(tmp_path)
    problems = watch(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    publish_at(page, out)
    page.goto(SITE + "/admin/")
    notice = page.locator(".merhav-notice")
    notice.wait_for()
    he, en = cms.NOTICES["no_signin"]["he"], cms.NOTICES["no_signin"]["en"]
    sections = notice.locator("section")
    assert [sections.nth(i).get_attribute("lang") for i in range(sections.count())] == ["he", "en"]  # Hebrew first
    assert sections.first.get_attribute("dir") == "rtl" and sections.first.locator("h1").inner_text() == he[0]
    text = sections.first.locator("p").inner_text()
    assert cms.NOTICES["repo"]["he"] in text and cms.NOTICES["auth"]["he"] in text and "{" not in text
    assert sections.nth(1).locator("h1").inner_text() == en[0]
    page.wait_for_timeout(1000)
    assert page.locator("#nc-root").count() == 0 and page.get_by_role("button", name=re.compile("GitHub|התחברות")).count() == 0
    assert not [url for url in requests if "netlify" in url or not url.startswith(SITE)], requests
    assert problems == [], problems


def test_the_forms_refuse_to_run_inside_another_sites_frame(tmp_path: Path, page: Any) -> None:
    require("node_modules/decap-cms (npm ci)", cms.cms_installed(REPO))
    out = built_forms(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    with serve_site(out) as served:
        (other / "index.html").write_text(f'<!doctype html><title>another site</title><link rel="icon" href="data:,"><iframe src="{served.url}admin/" '
                                          'width="1000" height="700"></iframe>', encoding="utf-8")
        with serve_site(other) as elsewhere:  # another 127.0.0.1 origin: another port
            problems = watch(page)
            page.goto(elsewhere.url)
            frame = page.frame_locator("iframe")
            notice = frame.locator(".merhav-notice section").first
            notice.wait_for()
            assert notice.get_attribute("lang") == "he" and notice.locator("h1").inner_text() == cms.NOTICES["framed"]["he"][0]
            assert notice.locator("a").get_attribute("href") == served.url + "admin/"
            page.wait_for_timeout(1000)
            assert frame.locator("#nc-root").count() == 0 and frame.get_by_role("button").count() == 0  # no Decap
            assert problems == [], problems
            # the same page on its own: Decap starts (its sign-in, decap-server's here on 127.0.0.1)
            page.goto(served.url + "admin/")
            page.locator("#nc-root").wait_for(state="attached")
            assert page.locator(".merhav-notice").count() == 0


# --- a new page, put in the menu -----------------------------------------------------------------------------------


def test_an_editor_adds_a_page_whose_address_is_suggested_and_puts_it_in_the_menu(tmp_path: Path, page: Any, decap_server: DecapServer) -> None:
    require_the_forms_tools()
    repo = copy_real_site(tmp_path / "copy")
    taken = {p.name.split(".")[0] for p in (repo / "content").iterdir()}
    address = unused("alumni-evenings", taken)
    english = "Alumni evenings" if address == "alumni-evenings" else address.replace("-", " ").capitalize()
    www = tmp_path / "www"
    port = free_port()
    build(repo, www / "merhav", f"http://127.0.0.1:{port}/merhav/")
    server = decap_server.open(repo)
    problems = watch(page)
    server.serve(page)

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout

    commits = git("rev-list", "--count", "HEAD")
    try:
        with serve_site(www / "merhav", prefix="/merhav/", port=port) as served:
            page.goto(served.url + "admin/")
            page.get_by_role("button", name="התחברות").click()
            page.get_by_role("link", name=re.compile("ציטוטי בוגרים")).first.wait_for()
            page.goto(served.url + "admin/#/collections/pages/new")
            page.locator('[id^="address-field-"]').nth(1).wait_for()  # both languages' sides
            page.locator('[id^="title-field-"]').first.fill("ערבי בוגרים")
            page.get_by_role("button", name="פרסום", exact=True).first.click()
            page.get_by_text("פרסום מיידי").click()
            # the address: required of a new page, refused before saving (not an API_ERROR)
            page.get_by_text(re.compile("מלאו את 'כתובת העמוד החדש")).first.wait_for(timeout=20000)
            page.wait_for_timeout(500)
            assert git("rev-list", "--count", "HEAD") == commits
            refused = [p for p in problems if f"{cms.FORM_TEXTS['he']['refused']}: " in p]  # Decap logs a refused save
            assert len(refused) == 1 and "מלאו את 'כתובת העמוד החדש (חובה)'" in refused[0] and len(problems) == 1, problems
            problems.clear()
            page.locator('[id^="title-field-"]').nth(1).press_sequentially(english)  # the English title, typed
            assert page.locator('[id^="address-field-"]').first.input_value() == address  # suggested from it
            publish(page)
            # the site is built again with the page (serve does it after each save; the publishing workflow on GitHub)
            build(repo, www / "merhav", f"http://127.0.0.1:{port}/merhav/")
            open_entry(page, served.url + "admin/", "menu", "menu")
            page.get_by_role("button", name=re.compile("^הוספת תפריט")).first.click()
            choose_page = page.locator('[id^="page-field-"]').last
            choose_page.click()
            choose_page.fill("ערבי בוגרים")  # the page, by its title
            page.keyboard.press("Enter")
            publish(page)
    finally:
        server.stop()
    assert problems == [], "\n".join(problems)
    log = git("log", "--format=%s", f"-{2}").splitlines()
    assert int(git("rev-list", "--count", "HEAD")) == int(commits) + 2, log
    page_files = git("show", "--name-only", "--format=", "HEAD~1").split()
    assert sorted(page_files) == [f"content/{address}.en.md", f"content/{address}.he.md"], page_files
    assert git("show", "--name-only", "--format=", "HEAD").split() == ["data/menu.yaml"]
    diff = [line for line in git("show", "--format=", "--unified=0", "HEAD").splitlines() if line[:1] in "+-"
            and not line.startswith(("+++", "---"))]
    assert diff == ["+", f"+- page: {address}"], diff  # the new item (and the blank line between items): nothing else
    checked = build_py("check", "--source", str(repo))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = tmp_path / "out"
    build(repo, out, "https://example.org/merhav/")
    home = (out / "index.html").read_text(encoding="utf-8")
    menu = re.search(r'<nav class="main-nav".*?</nav>', home, re.S)
    assert menu and f'<a href="/merhav/{address}/">ערבי בוגרים</a>' in menu[0], menu
