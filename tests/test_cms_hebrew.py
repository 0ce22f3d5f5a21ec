"""The forms in Hebrew, and a save changes only what the editor changed (issue 20), in headless Chromium.

On a COPY of the real site that is a git repository, against decap-server in git mode (each save a commit), an
editor whose browser speaks Hebrew fixes one Hebrew word of the curriculum, edits a graduate's quote and adds
one (after the forms refused it once). Asserted: the interface, its sidebar and buttons, and its refusals are in
Hebrew and right to left, every Hebrew input and Markdown editor too and every English one left to right; the
word's commit changes exactly one line; the other saves touch only their entry's file; the commits are named
after the kind and the entry; no comment is lost; ``check`` and ``build`` pass afterwards, ``check`` speaking Hebrew by
default; ``status`` finds only the one translation the Hebrew word fix made stale.

Screenshots of the main screens go to $MERHAV_SHOTS when it is set (the integrator's copy: /work/wt/_brief/shots/forms).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_support import browser_type_launch_args, free_port, require, serve_site  # noqa: F401  (Debian's Chromium)
from test_cms import DecapServer, build, build_py, copy_real_site, open_entry, require_the_forms_tools, unused

from sitegen.tools import cms

HEBREW = re.compile("[\u0590-\u05ff]")


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "he-IL", "viewport": {"width": 1280, "height": 900}}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("MERHAV_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def direction(locator: Any) -> str:
    return str(locator.evaluate("e => getComputedStyle(e).direction"))


def publish(page: Any) -> None:
    page.get_by_role("button", name="פרסום", exact=True).first.click()
    page.get_by_text("פרסום מיידי").click()


def published(page: Any) -> None:
    page.get_by_text(re.compile("האייטם פורסם|השינויים נשמרו|האייטם נשמר")).first.wait_for(timeout=20000)


def assert_texts_in_their_direction(page: Any) -> int:
    """Every input of a Hebrew text is right to left, of an English one left to right; returns how many Hebrew ones."""
    he, en = page.locator('[id^="he-field-"]'), page.locator('[id^="en-field-"]')
    for i in range(he.count()):
        assert direction(he.nth(i)) == "rtl", i
    for i in range(en.count()):
        assert direction(en.nth(i)) == "ltr", i
    return int(he.count())


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def assert_the_notice_leaves_the_bar_clear(page: Any, notice: Any) -> None:
    """A notice (Decap's Toastify) shows at the top's inline end, the left, as Decap shows it on the right left to
    right; it covers neither the start of the editor's bar (the entry's kind, "unsaved changes") nor the publish button.
    Measured once it has come in (its own animation finished; not its countdown bar's, which ends as it goes): at the
    top right it covered the bar's start."""
    notice.evaluate("e => Promise.all(e.getAnimations().map(a => a.finished))")
    box, width = notice.bounding_box(), page.viewport_size["width"]
    assert box["x"] + box["width"] <= width / 2, f"the notice is not at the inline end (the left): {box}"
    bar = {"the start of the editor's bar": page.locator('[class*="-ToolbarSectionBackLink"]').first,
           "the publish button": page.get_by_role("button", name="פרסום", exact=True).first}
    covered = [name for name, part in bar.items() if overlap(box, part.bounding_box())]
    assert not covered, f"the notice {box} covers {covered}"


@pytest.mark.browser
@pytest.mark.slow
def test_an_editor_in_hebrew_fixes_a_word_edits_and_adds_a_quote_and_each_save_changes_only_that(tmp_path: Path, page: Any, decap_server: DecapServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    require_the_forms_tools()
    repo = copy_real_site(tmp_path / "copy")
    quotes = sorted(p.stem for p in (repo / "data" / "testimonials").glob("*.yaml"))
    require("a quote in the real content", quotes)
    edited_quote, new_quote = quotes[0], unused("dana-levi", set(quotes))
    curriculum_top = (repo / "data" / "curriculum.yaml").read_text(encoding="utf-8").split("\n\n")[0]
    www, port = tmp_path / "www", free_port()
    build(repo, www / "merhav", f"http://127.0.0.1:{port}/merhav/")
    server = decap_server.open(repo)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    server.serve(page)
    try:
        with serve_site(www / "merhav", prefix="/merhav/", port=port) as served:
            admin = served.url + "admin/"
            page.goto(admin)
            page.get_by_role("button", name="התחברות").click()
            sidebar = page.locator("aside").first
            sidebar.get_by_text("תכנית הלימודים").wait_for()
            assert page.locator("html").get_attribute("lang") == "he" and direction(sidebar) == "rtl"
            box, view = sidebar.bounding_box(), page.viewport_size
            assert box["x"] > view["width"] / 2, "the sidebar is on the right"
            shot(page, "1-collections")

            # 1. one Hebrew word of the curriculum
            page.goto(admin + "#/collections/curriculum/entries/curriculum")
            page.locator('[id^="he-field-"]').first.wait_for()
            assert assert_texts_in_their_direction(page) > 0
            fields = page.locator('input[id^="he-field-"], textarea[id^="he-field-"]')
            text_field = next(fields.nth(i) for i in range(fields.count()) if len(fields.nth(i).input_value().split()) > 1)
            words = text_field.input_value().split(" ")
            text_field.fill(" ".join([words[0] + "ה", *words[1:]]))
            publish_button = page.get_by_role("button", name="פרסום", exact=True).first
            assert direction(publish_button) == "rtl"
            shot(page, "2-curriculum-editor")
            publish(page)
            published(page)
            assert git(repo, "show", "--numstat", "--format=%s", "HEAD").split("\n")[:3] == [
                "תכנית הלימודים: curriculum", "", "1\t1\tdata/curriculum.yaml"]

            # 2. a quote edited: its file only
            open_entry(page, admin, "testimonials", edited_quote)
            page.locator('[id^="he-field-"]').first.wait_for()
            assert assert_texts_in_their_direction(page) > 0
            name = page.locator('[id^="en-field-"]').first
            name.fill(name.input_value() + " ")  # a space at the end: the writer keeps the text as typed
            name.fill(name.input_value().rstrip() + "a")
            publish(page)
            published(page)
            assert git(repo, "show", "--name-only", "--format=%s", "HEAD").split("\n")[:3] == [
                f"ציטוט: {edited_quote}", "", f"data/testimonials/{edited_quote}.yaml"]
            assert git(repo, "show", "--numstat", "--format=", "HEAD").strip() == f"1\t1\tdata/testimonials/{edited_quote}.yaml"

            # 3. a new quote: refused first (a role without its organisation), in Hebrew; then saved, its id made from its name
            page.goto(admin + "#/collections/testimonials/new")
            page.reload()
            page.locator('[id^="he-field-"]').first.wait_for()
            he, en = page.locator('[id^="he-field-"]'), page.locator('[id^="en-field-"]')
            # name, caption, role, organisation, quote
            he.nth(0).fill("דנה לוי")
            en.nth(0).fill("Dana Levi")
            he.nth(2).fill('מנכ"לית')
            en.nth(2).fill("Director General")
            he.nth(4).fill('"שותפות" היא לא מילה: היא דרך')
            en.nth(4).fill("Partnership: a way, not a word")
            assert assert_texts_in_their_direction(page) == 5
            publish(page)
            refusal = page.get_by_text(re.compile("לא נשמר, כי האתר לא ייבנה כך"))
            refusal.first.wait_for(timeout=20000)
            assert "מלאו את 'תפקיד וארגון' או את 'תפקיד' ואת 'ארגון', לא את שניהם" in refusal.first.inner_text()
            assert direction(refusal.first) == "rtl"
            assert_the_notice_leaves_the_bar_clear(page, page.locator(".Toastify__toast", has=refusal.first))
            shot(page, "3-refusal")
            he.nth(3).fill("עיריית חיפה")
            en.nth(3).fill("Haifa Municipality")
            publish(page)
            published(page)
            shot(page, "4-quote-editor")

            # 4. a page: its Hebrew side right to left, Markdown editor included; its English side left to right
            stem = sorted(p.name.removesuffix(".he.md") for p in (repo / "content").glob("*.he.md"))[0]
            open_entry(page, admin, "pages", stem)
            sides = page.locator('[class*="-ControlPaneContainer"][lang]')
            sides.nth(1).locator('[id^="title-field-"]').wait_for()
            for lang, way in (("he", "rtl"), ("en", "ltr")):
                side = page.locator(f'[class*="-ControlPaneContainer"][lang="{lang}"]')
                assert direction(side.locator('[id^="title-field-"]')) == way, lang
                editor = side.locator('[contenteditable="true"]').first
                editor.wait_for()
                assert direction(editor) == way, lang
            assert page.get_by_text("Fill in from another locale").count() == 0  # Decap's words its Hebrew lacks (cms.FORM_TEXTS)
            assert page.get_by_text("מילוי מתוך שפה אחרת").count() == 2
            shot(page, "5-page-editor")
    finally:
        server.stop()
    refused = [p for p in problems if cms.FORM_TEXTS["he"]["refused"] in p]
    assert len(refused) == 1 and [p for p in problems if p not in refused] == [], "\n".join(problems)
    new_id = new_quote if new_quote == "dana-levi" else "dana-levi"
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").split("\n")[:3] == [
        f"ציטוט: {new_id}", "", f"data/testimonials/{new_id}.yaml"]
    saved = yaml.safe_load((repo / "data" / "testimonials" / f"{new_id}.yaml").read_text(encoding="utf-8"))
    assert saved == {"id": new_id, "name": {"he": "דנה לוי", "en": "Dana Levi"}, "role": {"he": 'מנכ"לית', "en": "Director General"},
                     "organisation": {"he": "עיריית חיפה", "en": "Haifa Municipality"},
                     "quote": {"he": '"שותפות" היא לא מילה: היא דרך', "en": "Partnership: a way, not a word"}}
    assert len(git(repo, "log", "--format=%s").splitlines()) == 4  # the copy, then one commit for each save
    assert (repo / "data" / "curriculum.yaml").read_text(encoding="utf-8").startswith(curriculum_top + "\n\n"), "no comment is lost"
    # check speaks the site's language (Hebrew) when nobody chose another (the tests' MERHAV_MESSAGES=en taken away)
    with monkeypatch.context() as hebrew:
        hebrew.delenv("MERHAV_MESSAGES")
        checked = build_py("check", "--source", str(repo))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "לא נמצאו בעיות" in checked.stdout and "No problems" not in checked.stdout + checked.stderr, checked.stdout
    # status finds no false staleness: of the three saves, only the Hebrew word fix changed a source text (the curriculum's,
    # whose English may now be out of date); the English edit and the new quote leave nothing stale, and no re-written
    # line elsewhere counts as a change
    status = build_py("status", "--source", str(repo))
    stale = [line.strip() for line in (status.stdout + status.stderr).splitlines() if "may be out of date" in line]
    assert len(stale) == 1 and stale[0].startswith("data/curriculum.yaml:") and "the text in 'en'" in stale[0], status.stdout
    out = tmp_path / "out"
    build(repo, out, "https://example.org/merhav/")
    graduates = (out / "graduates" / "index.html").read_text(encoding="utf-8") + (out / "en" / "graduates" / "index.html").read_text(encoding="utf-8")
    assert "דנה לוי" in graduates and "Dana Levi" in graduates
