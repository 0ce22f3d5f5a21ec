"""The forms refuse before saving what check would refuse across files, with check's words (issue 21).

- admin/checks.json (sitegen/tools/formchecks.py): what the forms need — the ids, project addresses and page files that
  exist, the names kept for the build — and check's own message templates in the site's languages.
- In headless Chromium with a Hebrew interface, on a COPY of the real site that is a git repository, against
  decap-server in git mode (each save a commit): a new cohort whose project takes the address of a project of another
  cohort, and a new page at an address kept for the build whose text links to a page that does not exist, are refused
  before saving — no commit — with the Hebrew message check gives for the same mistake (check run on a copy that
  holds it); the forms stay usable: each mistake fixed, the save makes one commit, and check passes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_support import browser_type_launch_args, free_port, require, serve_site  # noqa: F401  (Debian's Chromium)
from conftest import copy_fixture_site
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_cms import (
    DecapServer,
    build,
    build_py,
    built_forms_fixture,
    copy_real_site,
    last,
    publish,
    require_the_forms_tools,
    texts,
    unused,
)

from sitegen.messages import translation
from sitegen.sources.gather import gather
from sitegen.tools import cms
from sitegen.tools.formchecks import CHECKS_FILE, TEMPLATES, checks_json

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]


def test_every_message_the_forms_give_is_in_the_catalogue_in_hebrew() -> None:
    for name, template in TEMPLATES.items():
        assert translation("he", template), name


def test_checks_json_lists_what_exists_with_where_it_is(tmp_path: Path) -> None:
    source = copy_fixture_site(tmp_path / "src")
    sources = gather(source)
    checks = json.loads(checks_json(sources))
    assert checks["languages"] == sources.config.codes
    assert set(checks["pages"]) == set(sources.page_paths) and all(p.startswith("content/") for p in checks["pages"])
    for cohort in sources.data["cohorts"]:
        assert checks["cohorts"][cohort["id"]]["path"] == f"data/cohorts/{cohort['id']}.yaml"
        for project in cohort.get("projects") or []:
            place = checks["slugs"][project["slug"]]
            assert place["cohort"] == cohort["id"] and place["path"] == f"data/cohorts/{cohort['id']}.yaml"
            lines = (source / place["path"]).read_text(encoding="utf-8").splitlines()
            assert project["slug"] in lines[place["line"] - 1], place
    assert {"search", "pagefind", "assets", "admin"} <= set(checks["reserved"]) and checks["prefixes"] == {"en": "en"}
    assert checks["messages"]["link_nowhere"]["he"] == translation("he", TEMPLATES["link_nowhere"])


def test_the_build_writes_checks_json_beside_the_forms() -> None:
    source, out = built_forms_fixture("https://example.org/merhav/")
    assert (out / CHECKS_FILE).read_bytes() == checks_json(gather(source))


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "he-IL", "viewport": {"width": 1280, "height": 900}}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def check_says(repo: Path) -> str:
    """check's output in Hebrew (the site's language) on ``repo`` (in this process: test_cms.build_py)."""
    done = build_py("check", "--messages", "he", "--source", str(repo))
    return done.stdout + done.stderr


COHORT = """\
id: {id}
name:
  he: מחזור לבדיקה
  en: A cohort for the test
projects:
  - slug: {slug}
    title:
      he: מרפאות
      en: Clinics
    summary:
      he: תקציר קצר.
      en: A short summary.
    date: 2027-01-01
    status: active
"""


def refusal(page: Any) -> str:
    page.get_by_role("button", name="פרסום", exact=True).first.click()
    page.get_by_text("פרסום מיידי").click()
    told = page.get_by_text(re.compile(cms.FORM_TEXTS["he"]["refused"]))
    told.first.wait_for(timeout=20000)
    return str(told.first.inner_text())


@pytest.mark.browser
@pytest.mark.slow
def test_a_slug_of_another_file_and_a_broken_link_are_refused_before_saving_with_checks_words(tmp_path: Path, page: Any, decap_server: DecapServer) -> None:
    require_the_forms_tools()
    repo = copy_real_site(tmp_path / "copy")
    taken = {p.stem for p in (repo / "data" / "cohorts").glob("*.yaml")}
    older, newer = unused("aa-guard", taken), unused("zz-guard", taken)  # the new one sorts last: check reports it there
    slugs = {s for p in (repo / "data" / "cohorts").glob("*.yaml") for s in re.findall(r"slug: (\S+)", p.read_text(encoding="utf-8"))}
    slug = unused("guard-clinics", slugs)
    (repo / "data" / "cohorts" / f"{older}.yaml").write_text(COHORT.format(id=older, slug=slug), encoding="utf-8")
    git(repo, "add", "-A")
    subprocess.run([*GIT, "commit", "-qm", "a cohort with a project"], cwd=repo, check=True)
    stems = sorted(p.name.removesuffix(".he.md") for p in (repo / "content").glob("*.he.md")
                   if (repo / "content" / p.name.replace(".he.md", ".en.md")).is_file())
    require("a page in both languages in the real content", stems)
    names = {p.name.split(".")[0] for p in (repo / "content").iterdir()}
    target, nowhere, address = stems[0], unused("no-such-page", names), unused("guard-page", names)

    # what check says of the same mistakes, on a scratch copy that holds them
    scratch = tmp_path / "scratch"
    shutil.copytree(repo, scratch, ignore=shutil.ignore_patterns("node_modules", ".git"))
    (scratch / "data" / "cohorts" / f"{newer}.yaml").write_text(COHORT.format(id=newer, slug=slug), encoding="utf-8")
    (scratch / "content" / f"{address}.he.md").write_text(f"---\ntitle: עמוד לבדיקה\n---\nראו [קישור]({nowhere}.he.md)\n", encoding="utf-8")
    (scratch / "content" / "search.he.md").write_text("---\ntitle: חיפוש\n---\n", encoding="utf-8")  # a name kept for the build
    said = check_says(scratch)
    kept_words = next(line for line in said.splitlines() if line.startswith("content/search.he.md:")).split(": ", 1)[1]
    slug_line = next(line for line in said.splitlines() if line.startswith(f"data/cohorts/{newer}.yaml:") and slug in line)
    link_line = next(line for line in said.splitlines() if line.startswith(f"content/{address}.he.md:") and nowhere in line)
    slug_words, link_words = (line.split(": ", 1)[1] for line in (slug_line, link_line))  # 'path:line: message'

    www, port = tmp_path / "www", free_port()
    build(repo, www / "merhav", f"http://127.0.0.1:{port}/merhav/")
    server = decap_server.open(repo)
    commits = len(git(repo, "log", "--format=%s").splitlines())
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    server.serve(page)
    try:
        with serve_site(www / "merhav", prefix="/merhav/", port=port) as served:
            admin = served.url + "admin/"
            page.goto(admin)
            page.get_by_role("button", name="התחברות").click()
            page.locator("aside").first.get_by_text("תכנית הלימודים").wait_for()

            # 1. a new cohort whose project takes the address of the other cohort's project (nothing saved yet: Decap's
            #    own navigation to the form, as test_cms.fill_a_cohort; after a save the forms are loaded afresh, below)
            page.goto(admin + "#/collections/cohorts/new")
            last(page, "id").wait_for()
            last(page, "id").fill(newer)
            texts(page, [("מחזור חדש", "A new cohort")], start=0)
            own = page.locator('[id^="he-field-"]').count()
            page.get_by_role("button", name=re.compile("פרוייקטים")).click()
            last(page, "slug").fill(slug)
            texts(page, [("מרפאות משותפות", "Shared clinics"), ("תקציר.", "A summary.")], start=own)
            last(page, "date").fill("2027-05-01")
            box = last(page, "status")
            box.click()
            box.fill("active")
            page.keyboard.press("Enter")
            told = refusal(page)
            assert slug_words in told, (told, slug_words)
            assert len(git(repo, "log", "--format=%s").splitlines()) == commits, "refused: no commit"
            last(page, "slug").click()  # fixed in the same form: saved, one commit
            page.keyboard.press("Control+A")
            page.keyboard.type(slug + "-2")
            assert last(page, "slug").input_value() == slug + "-2"
            publish(page)
            assert git(repo, "log", "-1", "--format=%s").strip() == f"מחזור: {newer}"
            commits += 1

            # 2. a new page whose Hebrew text links to a page that does not exist
            for attempt in range(3):  # (test_cms.add_a_page: right after a save Decap may leave a new page's editor empty)
                page.goto(admin + "#/collections/pages/new")
                page.reload()
                try:
                    page.locator('[id^="address-field-"]').nth(1).wait_for(timeout=15000)
                    break
                except PlaywrightTimeout:
                    if attempt == 2:
                        raise
            page.locator('[id^="address-field-"]').first.fill("search")  # the search page's address, kept for the build
            page.locator('[id^="title-field-"]').first.fill("עמוד לבדיקה")
            page.locator('[id^="title-field-"]').nth(1).fill("A page for the test")
            hebrew = page.locator('[class*="-ControlPaneContainer"][lang="he"]')
            mode = hebrew.get_by_text("Markdown", exact=True).first.locator("xpath=..").get_by_role("switch")
            mode.click()  # the text as Markdown (the switch beside the word 'Markdown'): typed as it is saved
            editor = hebrew.locator('[contenteditable="true"]').first
            editor.click()
            page.keyboard.type(f"ראו [קישור]({nowhere}.he.md)")
            told = refusal(page)
            assert link_words in told and kept_words in told, (told, link_words, kept_words)
            assert len(git(repo, "log", "--format=%s").splitlines()) == commits, "refused: no commit"
            page.locator('[id^="address-field-"]').first.click()  # both fixed in the same form: saved, one commit
            page.keyboard.press("Control+A")
            page.keyboard.type(address)
            editor.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(f"ראו [קישור]({target}.he.md)")
            publish(page)
            assert git(repo, "log", "-1", "--format=%s").strip() == f"עמוד: {address}"
    finally:
        server.stop()
    assert problems == [], problems
    assert len(git(repo, "log", "--format=%s").splitlines()) == commits + 1
    saved = yaml.safe_load((repo / "data" / "cohorts" / f"{newer}.yaml").read_text(encoding="utf-8"))
    assert [p["slug"] for p in saved["projects"]] == [slug + "-2"]
    assert (repo / "content" / f"{address}.he.md").read_text(encoding="utf-8").endswith(f"ראו [קישור]({target}.he.md)\n")
    assert "לא נמצאו בעיות" in check_says(repo)
