"""Issue 21's closing test: an editor's whole day through the forms, in one browser test.

On a COPY of the real site that is a git repository, previewed all day by ``python build.py serve`` (it rebuilds after
each save, and the open forms reload with it), against decap-server in git mode (each save a commit), in headless
Chromium with a Hebrew interface, an editor:

1. adds a cohort with two projects, one with a phone photo whose Exif holds the GPS position and the camera's serial;
   the second project's address is first one already used in another cohort's file: refused before saving (no
   commit), with check's Hebrew words; fixed, saved;
2. while a hand edit committed outside the forms (a data file broken, as happens on GitHub) makes the build fail,
   opens /admin/: it loads and shows the problem; the editor goes on and adds a page in both languages, its address
   suggested from the English title, whose text first links to a page that does not exist: refused before saving,
   with check's words; fixed, saved;
3. once the hand edit is reverted (the banner goes by itself), puts the new page in the menu.

Then: the photo shows on the built pages in both languages; no image committed during the day holds GPS data or the
serial; each save's commit touches only its entry's files; ``check`` and ``build`` pass; no console error or uncaught
exception but the refusals Decap logs.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_support import browser_type_launch_args, require  # noqa: F401  (Debian's Chromium)
from PIL import Image
from test_cms import DecapServer, build, build_py, copy_real_site, last, publish, require_the_forms_tools, texts, unused
from test_cms_site import watch
from test_forms_never_locked_out import start
from test_forms_refuse import COHORT, GIT, check_says, refusal
from test_photos import MAKER, SERIAL, phone_photo
from test_serve import get, wait_for

from sitegen.tools import cms

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RELOAD = 'script[src="/_preview/reload.js"]'
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff")


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "he-IL", "viewport": {"width": 1280, "height": 900}}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def commit_by_hand(repo: Path, path: Path, message: str) -> None:
    git(repo, "add", str(path.relative_to(repo)))
    subprocess.run([*GIT, "commit", "-qm", message], cwd=repo, check=True)


def generation(page: Any) -> int:
    """The preview's rebuild count the open page was served with (reload.py's script tag)."""
    return int(page.locator(RELOAD).get_attribute("data-generation"))


def served_generation(base: str) -> int:
    found = re.search(r'data-generation="(\d+)"', get(base + "/admin/")[1])
    assert found
    return int(found[1])


def rebuilt(page: Any, base: str, since: int, url: str, answer: Callable[[int, str], bool]) -> None:
    """Wait until the preview has rebuilt after generation ``since`` and serves ``url`` as ``answer(code, body)``
    expects of the edit just made, and the open forms have reloaded with its last rebuild.

    The condition is the edit's own effect, not a count of rebuilds: one save writes its files one after the other (the
    photo, then the entry; a page's two languages) and the preview may see them in two batches (sitegen/preview/watch.py
    gathers a save's events for 50 ms), so "a rebuild after ``since``" could be the previous save's second batch: under
    load the site was then still broken right after the hand edit was reverted (a 500 where a 200 was expected)."""
    page.wait_for_function(f"() => {{ const s = document.querySelector('{RELOAD}'); return s && +s.dataset.generation > {since}; }}",
                           timeout=120000)
    wait_for(url, answer, seconds=120)
    while (now := served_generation(base)) != generation(page):
        page.wait_for_function(f"() => {{ const s = document.querySelector('{RELOAD}'); return s && +s.dataset.generation >= {now}; }}",
                               timeout=120000)


def open_form(page: Any, url: str, ready: str, *, afresh: bool = True) -> None:
    """Open an address of the forms afresh (Decap keeps the editor signed in) and wait for the input ``ready``.

    Not afresh (before the first save): Decap's own navigation to it, without loading the forms again (~1.6 s of
    Chromium's CPU a load)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # (test_cms.add_a_page: right after a save Decap may leave a new entry's editor empty; test_cms.open_entry: right
    # after a new entry is published, Decap may move the address to that entry's after our goto)
    for attempt in range(3):
        page.goto(url)
        if afresh or attempt:
            page.reload()
        try:
            page.locator(ready).wait_for(timeout=15000)
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            continue
        if page.url.partition("#")[2] == url.partition("#")[2]:
            return
    raise AssertionError(f"the forms kept opening {page.url} instead of {url}")


def files_of(repo: Path, commit: str) -> list[str]:
    return sorted(git(repo, "show", "--name-only", "--format=", commit).split())


def test_an_editors_day_entirely_through_the_forms(tmp_path: Path, page: Any, decap_server: DecapServer) -> None:
    require_the_forms_tools()
    repo = copy_real_site(tmp_path / "copy")
    # Before the day: another cohort's file holds a project (the real content may have none yet)
    cohorts = {p.stem for p in (repo / "data" / "cohorts").glob("*.yaml")}
    older, cohort = unused("aa-day", cohorts), unused("zz-day", cohorts)  # the day's cohort sorts last: check reports it there
    slugs = {s for p in (repo / "data" / "cohorts").glob("*.yaml") for s in re.findall(r"slug: (\S+)", p.read_text(encoding="utf-8"))}
    taken = unused("day-clinics", slugs)
    photo_slug, second_slug = unused("clinic-opening", slugs | {taken}), unused("day-gardens", slugs | {taken})
    (repo / "data" / "cohorts" / f"{older}.yaml").write_text(COHORT.format(id=older, slug=taken), encoding="utf-8")
    commit_by_hand(repo, repo / "data" / "cohorts" / f"{older}.yaml", "a cohort with a project")
    names = {p.name.split(".")[0] for p in (repo / "content").iterdir()}
    address = unused("alumni-evenings", names)
    english = "Alumni evenings" if address == "alumni-evenings" else address.replace("-", " ").capitalize()
    stems = sorted(p.name.removesuffix(".he.md") for p in (repo / "content").glob("*.he.md")
                   if (repo / "content" / p.name.replace(".he.md", ".en.md")).is_file())
    require("a page in both languages in the real content", stems)
    target, nowhere = stems[0], unused("no-such-page", names)
    photo = tmp_path / "upload" / "clinic-opening.jpg"
    photo.parent.mkdir()
    photo.write_bytes(phone_photo(1600, 1200))
    with Image.open(photo) as original:  # what the phone wrote, before the forms
        assert original.getexif().get_ifd(0x8825) and SERIAL.encode() in photo.read_bytes()

    # check's own words for the day's two mistakes (in Hebrew), on a scratch copy that holds them
    scratch = tmp_path / "scratch"
    shutil.copytree(repo, scratch, ignore=shutil.ignore_patterns("node_modules", ".git"))
    (scratch / "data" / "cohorts" / f"{cohort}.yaml").write_text(COHORT.format(id=cohort, slug=taken), encoding="utf-8")
    (scratch / "content" / f"{address}.he.md").write_text(f"---\ntitle: ערבי בוגרים\n---\nראו [קישור]({nowhere}.he.md)\n",
                                                          encoding="utf-8")
    said = check_says(scratch).splitlines()
    slug_words = next(line for line in said if line.startswith(f"data/cohorts/{cohort}.yaml:") and taken in line).split(": ", 1)[1]
    link_words = next(line for line in said if line.startswith(f"content/{address}.he.md:") and nowhere in line).split(": ", 1)[1]

    day_began = git(repo, "rev-parse", "HEAD").strip()
    base, preview = start(repo)
    said_by_preview: list[str] = []
    reader = threading.Thread(target=lambda: said_by_preview.extend(iter(preview.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    server = decap_server.open(repo)
    problems = watch(page)
    server.serve(page)
    saves: dict[str, list[str]] = {}

    def saved(what: str, files: list[str]) -> None:
        saves[git(repo, "rev-parse", "HEAD").strip()] = files
        assert git(repo, "log", "-1", "--format=%s").strip() == what

    def commits() -> int:
        return int(git(repo, "rev-list", "--count", "HEAD"))

    try:
        wait_for(base + "/", lambda code, body: code == 200, seconds=180)
        admin = base + "/admin/"
        page.goto(admin)
        page.get_by_role("button", name="התחברות").click()
        page.get_by_role("link", name=re.compile("ציטוטי בוגרים")).first.wait_for()

        # 1. a cohort with two projects, one with a photo; the second first takes another cohort's project address
        open_form(page, admin + "#/collections/cohorts/new", '[id^="id-field-"]', afresh=False)  # nothing saved yet
        last(page, "id").fill(cohort)
        texts(page, [("מחזור של יום עבודה", "A working day's cohort")], start=0)
        own = page.locator('[id^="he-field-"]').count()
        page.get_by_role("button", name=re.compile("פרוייקטים")).click()
        per_project = page.locator('[id^="he-field-"]').count() - own
        last(page, "slug").fill(photo_slug)
        texts(page, [("פתיחת המרפאה", "The clinic opens"), ("מרפאה שנפתחה.", "A clinic that opened.")], start=own)
        last(page, "date").fill("2027-05-01")
        choose = last(page, "status")
        choose.click()
        choose.fill("active")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="בחירת תמונה").last.click()
        page.locator('input[type="file"]').last.set_input_files(str(photo))  # the media library's "העלאה"
        page.get_by_role("button", name="לבחור את הקובץ המסומן").click()
        texts(page, [("גזירת הסרט בפתיחת המרפאה", "Cutting the ribbon at the clinic's opening")])  # what the photo shows
        page.get_by_role("button", name=re.compile("פרוייקטים")).last.click()
        second = page.locator('[id^="he-field-"]').count() - per_project
        last(page, "slug").fill(taken)
        texts(page, [("גינות קהילתיות", "Community gardens"), ("גינות שהשכונה מטפחת.", "Gardens the neighbourhood keeps.")],
              start=second)
        last(page, "date").fill("2027-06-01")
        choose = last(page, "status")
        choose.click()
        choose.fill("planned")
        page.keyboard.press("Enter")
        before = commits()
        told = refusal(page)
        assert slug_words in told, (told, slug_words)
        assert commits() == before, "refused: no commit"
        last(page, "slug").click()
        page.keyboard.press("Control+A")
        page.keyboard.type(second_slug)
        generation_before = generation(page)
        publish(page)
        committed_photo = [f for f in files_of(repo, "HEAD") if f.startswith(cms.MEDIA_FOLDER + "/")]
        assert len(committed_photo) == 1, files_of(repo, "HEAD")
        saved(f"מחזור: {cohort}", [f"data/cohorts/{cohort}.yaml", *committed_photo])
        rebuilt(page, base, generation_before, f"{base}/cohorts/{cohort}/{photo_slug}/",
                lambda code, body: code == 200 and 'class="project-image"' in body)  # the entry and its photo

        # 2. a hand edit committed outside the forms breaks a data file: the build fails, the forms still load and say so
        generation_before = generation(page)
        broken = repo / "data" / "cohorts" / f"{older}.yaml"
        broken.write_text(broken.read_text(encoding="utf-8").replace("status: active", "status: finished"), encoding="utf-8")
        commit_by_hand(repo, broken, "a project's status, edited by hand")
        rebuilt(page, base, generation_before, base + "/", lambda code, body: code == 500)
        assert get(base + "/")[0] == 500  # every page of the site: the error page
        banner = page.locator(".merhav-problems")
        banner.wait_for(timeout=30000)
        assert banner.get_attribute("lang") == "he" and f"data/cohorts/{older}.yaml" in banner.inner_text()

        #    the editor goes on: a page in both languages, its address suggested, first linking to a page that does not exist
        open_form(page, admin + "#/collections/pages/new", '[id^="address-field-"] >> nth=1')
        page.locator('[id^="title-field-"]').first.fill("ערבי בוגרים")
        page.locator('[id^="title-field-"]').nth(1).press_sequentially(english)
        assert page.locator('[id^="address-field-"]').first.input_value() == address  # suggested from the English title
        hebrew = page.locator('[class*="-ControlPaneContainer"][lang="he"]')
        hebrew.get_by_text("Markdown", exact=True).first.locator("xpath=..").get_by_role("switch").click()  # typed as saved
        editor = hebrew.locator('[contenteditable="true"]').first
        editor.click()
        page.keyboard.type(f"ראו [קישור]({nowhere}.he.md)")
        before = commits()
        told = refusal(page)
        assert link_words in told, (told, link_words)
        assert commits() == before, "refused: no commit"
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(f"ראו [קישור]({target}.he.md)")
        generation_before = generation(page)
        publish(page)
        saved(f"עמוד: {address}", [f"content/{address}.en.md", f"content/{address}.he.md"])
        rebuilt(page, base, generation_before, base + "/", lambda code, body: code == 500)
        assert get(base + "/")[0] == 500, "still broken by the hand edit"

        # 3. the hand edit reverted: the banner goes by itself; the new page goes in the menu
        generation_before = generation(page)
        git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.org", "revert", "--no-edit", "HEAD~1")
        rebuilt(page, base, generation_before, base + "/", lambda code, body: code == 200)
        assert get(base + "/")[0] == 200
        assert page.locator(".merhav-problems").count() == 0
        open_form(page, admin + "#/collections/menu/entries/menu", 'button:has-text("הוספת תפריט")')
        page.get_by_role("button", name=re.compile("^הוספת תפריט")).first.click()
        choose = page.locator('[id^="page-field-"]').last
        choose.click()
        choose.fill("ערבי בוגרים")  # the page, by its title
        page.keyboard.press("Enter")
        generation_before = generation(page)
        publish(page)
        saved("תפריט: menu", ["data/menu.yaml"])
        rebuilt(page, base, generation_before, base + "/", lambda code, body: f'<a href="/{address}/">' in body)

        # the photo shows on the preview's pages, in both languages
        for prefix in ("", "/en"):
            code, html = get(f"{base}{prefix}/cohorts/{cohort}/{photo_slug}/")
            figure = re.search(r'<figure class="project-image">(.*?)</figure>', html, re.S)
            assert code == 200 and figure, (prefix, code)
            src = re.search(r'<img [^>]*src="(/assets/images/clinic-opening\.[0-9a-f]{10}-\d+\.jpg)"', figure[1])
            assert src and get(base + src[1])[0] == 200, figure[1]
        menu = re.search(r'<nav class="main-nav".*?</nav>', get(base + "/")[1], re.S)
        assert menu and f'<a href="/{address}/">ערבי בוגרים</a>' in menu[0], menu
    finally:
        server.stop()
        preview.terminate()
        try:
            preview.wait(10)
        except subprocess.TimeoutExpired:
            preview.kill()
        reader.join(5)

    refused = [p for p in problems if f"{cms.FORM_TEXTS['he']['refused']}: " in p]  # Decap logs a refused save
    assert len(refused) == 2, problems
    assert [p for p in problems if p not in refused] == [], "\n".join(problems)

    # each save's commit touches only its entry's files; nothing else was committed but the hand edit and its revert
    day = git(repo, "rev-list", "--reverse", f"{day_began}..HEAD").split()
    assert len(day) == 5, git(repo, "log", "--format=%s")
    for commit, files in saves.items():
        assert files_of(repo, commit) == sorted(files), commit
    assert [c for c in day if c not in saves and files_of(repo, c) != [f"data/cohorts/{older}.yaml"]] == []

    # no image committed during the day says where it was taken, or by which camera
    images = [(c, f) for c in day for f in git(repo, "diff-tree", "--no-commit-id", "-r", "--diff-filter=AM", "--name-only", c).split()
              if f.lower().endswith(IMAGE_SUFFIXES)]
    assert images, "the photo was committed"
    for commit, name in images:
        data = subprocess.run(["git", "show", f"{commit}:{name}"], cwd=repo, capture_output=True, check=True).stdout
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            assert not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769), (name, dict(exif))  # no GPS, no serial
            image.load()
        assert SERIAL.encode() not in data and MAKER.encode() not in data, name

    entry = yaml.safe_load((repo / "data" / "cohorts" / f"{cohort}.yaml").read_text(encoding="utf-8"))
    assert [p["slug"] for p in entry["projects"]] == [photo_slug, second_slug]
    assert entry["projects"][0]["image"] == cms.PUBLIC_FOLDER + committed_photo[0].removeprefix(cms.MEDIA_FOLDER)
    assert (repo / "content" / f"{address}.he.md").read_text(encoding="utf-8").endswith(f"ראו [קישור]({target}.he.md)\n")

    checked = build_py("check", "--source", str(repo))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = tmp_path / "out"
    build(repo, out, "https://example.org/merhav/")
    for prefix in ("", "en/"):
        html = (out / prefix / "cohorts" / cohort / photo_slug / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<figure class="project-image">.*?src="/merhav/assets/images/clinic-opening\.[0-9a-f]{10}-\d+\.jpg"',
                         html, re.S), prefix
