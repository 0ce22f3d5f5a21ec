"""Broken input: every mistake an editor can make is one `path:line: what — how to fix` line,
exit status 1, and the site built before it stays byte-for-byte as it was.

Each case builds a good tiny site, breaks it with a few files, builds again (see
``sitefactory.broken``) and compares the printed problems exactly.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from sitefactory import BASE_FILES, COHORTS_YAML, TESTIMONIALS_YAML, all_html, broken, build_good, make_site, run

BLOCK = (
    "write the whole text as a block: put `>-` after the colon and the text on the next line, "
    "indented by two more spaces"
)


def page(front: str, body: str = "") -> str:
    return f"---\n{front}---\n{body}"


def graduates(**fields: str) -> dict[str, str | bytes | None]:
    """data/testimonials.yaml with one entry (and its cohort); ``fields`` replace whole lines ('' removes one)."""
    lines = {
        "id": "- id: first-last", "cohort": "  cohort: a", "name": "  name: פלונית", "role": "  role: מנהלת",
        "organisation": "  organisation: עירייה", "quote": "  quote: ציטוט",
    }
    lines.update(fields)
    return {"data/cohorts.yaml": COHORTS_YAML, "data/testimonials.yaml": "\n".join(line for line in lines.values() if line) + "\n"}


CASES: dict[str, tuple[dict[str, str | bytes | None], list[str]]] = {
    # --- invalid YAML ---------------------------------------------------------------
    "tab in front matter": (
        {"content/about.he.md": page("title: אודות\n\tdescription: x\n")},
        ["content/about.he.md:3: a tab character — YAML indentation must use spaces, not tabs"],
    ),
    "tab in a data file": (
        {"data/cohorts.yaml": "- id: a\n  name:\n\the: x\n"},
        ["data/cohorts.yaml:3: a tab character — YAML indentation must use spaces, not tabs"],
    ),
    "unclosed quote": (
        {"content/about.he.md": page('title: "אודות\ndescription: x\n')},
        ["content/about.he.md:2: a quotation mark is opened here and never closed — close it, or write the text as a block with `>-`"],
    ),
    "bad indentation": (
        {"data/cohorts.yaml": "- id: a\n  name:\n    he: x\n   en: y\n"},
        ["data/cohorts.yaml:4: the indentation does not line up — indent the items of one list or mapping by the same number of spaces"],
    ),
    "an impossible date": (
        {"data/cohorts.yaml": "- id: a\n  name: x\n  start: 2025-13-01\n"},
        ["data/cohorts.yaml:3: '2025-13-01' is not a real date (month must be in 1..12) — write it as YYYY-MM-DD, e.g. 2025-01-31"],
    ),
    "a colon inside a value": (
        {"content/about.he.md": page("title: שעה: עשר\n")},
        ["content/about.he.md:2: a colon followed by a space inside a value — write the value in quotes, or as a block with `>-`"],
    ),
    "a value that begins with a quotation mark": (
        graduates(quote='  quote: "ויתור על אגו" הוא מהלך ראשון'),
        [f"data/testimonials.yaml:6: this value begins with a quotation mark, so YAML reads only up to the matching one and "
         f"the rest of the text breaks the file — {BLOCK} (quotation marks inside are then kept exactly)"],
    ),
    "a value that begins with a geresh": (
        {"content/about.he.md": page("title: 'צ'רקסי\n")},
        [f"content/about.he.md:2: this value begins with a quotation mark, so YAML reads only up to the matching one and "
         f"the rest of the text breaks the file — {BLOCK} (quotation marks inside are then kept exactly)"],
    ),
    "a value that begins with a star": (
        {"content/about.he.md": page("title: *חשוב* לדעת\n")},
        [f"content/about.he.md:2: this value begins with '*', which YAML reads as a reference to another value (an alias) — {BLOCK}"],
    ),
    "a value that begins with a bracket": (
        {"content/about.he.md": page("title: [טיוטה] אודות\n")},
        [f"content/about.he.md:2: this value begins with '[', which YAML reads as the start of a list — {BLOCK}"],
    ),
    "a value that begins with a percent sign": (
        {"content/about.he.md": page("title: %50 מהמשתתפים\n")},
        [f"content/about.he.md:2: this value begins with '%', which YAML reads as a directive — {BLOCK}"],
    ),
    "a value that begins with a dash": (
        {"content/about.he.md": page("title: - אודות\n")},
        [f"content/about.he.md:2: this value begins with '- ', which YAML reads as a list — {BLOCK}, or start the list on the next line"],
    ),
    "text on the line of >-": (
        {"content/about.he.md": page("title: > אודות\n")},
        [f"content/about.he.md:2: this value begins with '>', which YAML reads as the start of a block, whose text must begin "
         f"on the next line — {BLOCK}"],
    ),
    "an anchor PyYAML would drop": (
        {"content/about.he.md": page("title: &x אודות\n")},
        [f"content/about.he.md:2: this value begins with '&', which YAML reads as the name of an anchor, and drops it — {BLOCK}, "
         "or put the value in quotes"],
    ),
    "aliases": (
        {"data/cohorts.yaml": "- id: a\n  name: &n מחזור\n- id: b\n  name: *n\n"},
        [f"data/cohorts.yaml:2: this value begins with '&', which YAML reads as the name of an anchor, and drops it — {BLOCK}, "
         "or put the value in quotes",
         f"data/cohorts.yaml:4: this value begins with '*', which YAML reads as a reference to another value (an alias) — {BLOCK}, "
         "or put the value in quotes"],
    ),
    "a merge key": (
        {"data/cohorts.yaml": "- id: a\n  name: x\n  <<: {video: ''}\n"},
        ["data/cohorts.yaml:3: '<<' (a YAML merge key) is not supported — write the fields out in full"],
    ),
    "a Python tag (never run)": (
        {"data/cohorts.yaml": "- id: a\n  name: !!python/object/apply:os.system ['echo pwned']\n"},
        ["data/cohorts.yaml:2: the tag '!!python/object/apply:os.system' is not allowed here — remove it "
         f"(or, if the text begins with '!', {BLOCK})"],
    ),
    "nesting too deep": (
        {"data/extra.yaml": "[" * 1200 + "]" * 1200 + "\n"},
        ["data/extra.yaml:1: lists or mappings are nested too deeply to read — flatten the structure"],
    ),
    # --- duplicate keys -----------------------------------------------------------------
    "duplicate key in front matter": (
        {"content/about.he.md": page("title: אודות\ndescription: א\ntitle: שוב\n")},
        ["content/about.he.md:4: duplicate key 'title' (first at line 2) — YAML keeps only one of them; delete or rename one"],
    ),
    "duplicate key deep in a data file": (
        graduates(name="  name:\n    he: פלונית\n    en: Jane\n    he: אלמונית"),
        ["data/testimonials.yaml:6: duplicate key 'he' (first at line 4) — YAML keeps only one of them; delete or rename one"],
    ),
    # --- front matter -----------------------------------------------------------------------
    "no front matter": (
        {"content/about.he.md": "# אודות\n\nטקסט.\n"},
        ["content/about.he.md:1: the page has no front matter — start the file with a line '---', then 'title: …', then '---'"],
    ),
    "unclosed front matter": (
        {"content/about.he.md": "---\ntitle: אודות\n\nטקסט.\n"},
        ["content/about.he.md:1: the front matter is not closed — add a line '---' after its last field"],
    ),
    "front matter that is a list": (
        {"content/about.he.md": page("- title: אודות\n")},
        ["content/about.he.md:2: the front matter must be fields written as 'name: value', one per line"],
    ),
    "front matter that is one word": (
        {"content/about.he.md": page("אודות\n")},
        ["content/about.he.md:2: the front matter must be fields written as 'name: value', one per line"],
    ),
    "empty lines before the front matter": (
        {"content/about.he.md": "\n\n" + page("title: אודות\n")},
        ["content/about.he.md:3: the front matter must begin on the first line — delete the empty lines above '---'"],
    ),
    # --- required fields, types, unknown fields -------------------------------------------
    "required field missing": (
        {"content/about.he.md": page("description: על התכנית\n")},
        ["content/about.he.md:2: required field 'title' is missing — add `title: …`"],
    ),
    "required field missing in a data entry": (
        graduates(quote=""),
        ["data/testimonials.yaml:1: required field 'quote' is missing — add `quote: …`"],
    ),
    "empty title": (
        {"content/about.he.md": page("title:\n")},
        ["content/about.he.md:2: 'title' is empty — write the text after the colon"],
    ),
    "a number where text is expected": (
        {"content/about.he.md": page("title: 2026\n")},
        ["content/about.he.md:2: 'title' must be text, but YAML read a number (2026) — put the value in quotes"],
    ),
    "a date where text is expected": (
        {"content/about.he.md": page("title: 2026-11-29\n")},
        ["content/about.he.md:2: 'title' must be text, but YAML read a date (2026-11-29) — put the value in quotes"],
    ),
    "yes where text is expected": (
        {"content/about.he.md": page("title: yes\n")},
        ["content/about.he.md:2: 'title' must be text, but YAML read a yes/no value (true) — put the value in quotes"],
    ),
    "text where a number is expected": (
        {"content/about.he.md": page("title: אודות\nweight: שתיים\n")},
        ["content/about.he.md:3: 'weight' must be a whole number, not 'שתיים'"],
    ),
    "a fraction where a whole number is expected": (
        {"content/about.he.md": page("title: אודות\nweight: 1.5\n")},
        ["content/about.he.md:3: 'weight' must be a whole number, not a number (1.5)"],
    ),
    "a number out of its range": (
        {"data/site.yaml": BASE_FILES["data/site.yaml"] + "projects_per_page: 0\n"},
        [f"data/site.yaml:{len(BASE_FILES['data/site.yaml'].splitlines()) + 1}: 'projects_per_page' must be a whole number from 1 to 500, not 0"],
    ),
    "text where true/false is expected": (
        {"content/about.he.md": page("title: אודות\ndraft: maybe\n")},
        ["content/about.he.md:3: 'draft' must be true or false, not 'maybe' — write true or false"],
    ),
    "text where a date is expected": (
        {"data/cohorts.yaml": "- id: a\n  name: x\n  start: בקרוב\n"},
        ["data/cohorts.yaml:3: 'start' must be a date written as YYYY-MM-DD, not 'בקרוב'"],
    ),
    "a list where only text is expected": (
        {"content/about.he.md": page("title:\n  - אודות\n")},
        ["content/about.he.md:2: 'title' must be text, not a list — write the text after the colon, on the same line"],
    ),
    "a list where text is expected": (
        graduates(name="  name: [פלונית, אלמונית]"),
        ["data/testimonials.yaml:3: 'name' must be text or a mapping of languages (he: …, en: …), not a list — "
         "write the text after the colon, or one line per language below it"],
    ),
    "a mapping where the file must be a list": (
        {"data/cohorts.yaml": "id: a\nname: x\n"},
        ["data/cohorts.yaml:1: the file must be a list, not a mapping — write each item on a line starting with '- ' "
         "(see the example in the comments at the top of the file), or [] for none"],
    ),
    "a list where the file must be a mapping": (
        {"data/curriculum.yaml": "- goal\n- topics\n"},
        ["data/curriculum.yaml:1: the file must be a mapping of fields, not a list — write one 'name: value' line per field "
         "(see the example in the comments at the top of the file)"],
    ),
    "a word where an entry is expected": (
        {"data/cohorts.yaml": "- מחזור א\n"},
        ["data/cohorts.yaml:1: entry 1 must be a mapping of fields, not 'מחזור א' — write one 'name: value' line per field "
         "after the '- ' (see the example in the comments at the top of the file)"],
    ),
    "an email that is not one": (
        {"data/site.yaml": BASE_FILES["data/site.yaml"] + "  email: merhav at example.org\n"},
        ["data/site.yaml:33: 'email': 'merhav at example.org' is not an email address — write it as name@example.org, or leave it empty"],
    ),
    "a wrong direction in site.yaml": (
        {"data/site.yaml": BASE_FILES["data/site.yaml"].replace("dir: ltr", "dir: left")},
        ["data/site.yaml:17: 'dir' must be 'ltr' or 'rtl', not 'left' — write one of these"],
    ),
    "unknown field: a typo": (
        {"content/about.he.md": page("title: אודות\ndescripton: על התכנית\n")},
        ["content/about.he.md:3: unknown field 'descripton' — did you mean 'description'?"],
    ),
    "unknown field in a data entry": (
        graduates(quote="  qoute: ציטוט"),
        ["data/testimonials.yaml:1: required field 'quote' is missing — add `quote: …`",
         "data/testimonials.yaml:6: unknown field 'qoute' — did you mean 'quote'?"],
    ),
    "unknown field, nothing close": (
        {"content/about.he.md": page("title: אודות\nתגיות: א\n")},
        ["content/about.he.md:3: unknown field 'תגיות' — known fields: title, description, weight, draft, layout"],
    ),
    "a key that is a number": (
        {"content/about.he.md": page("title: אודות\n1: א\n")},
        ["content/about.he.md:3: unknown field '1' — known fields: title, description, weight, draft, layout"],
    ),
    "a key in brackets": (
        {"content/about.he.md": page("title: אודות\n[tags]: א\n")},
        ["content/about.he.md:3: a key must be a plain word — remove the brackets or braces around it"],
    ),
    # --- languages ------------------------------------------------------------------------
    "a page in a language not configured": (
        {"content/about.fr.md": page("title: À propos\n")},
        ["content/about.fr.md: language code 'fr' is not configured in data/site.yaml (configured: he, en) — "
         "rename the file or add the language"],
    ),
    "a text in a language not configured": (
        {"data/cohorts.yaml": "- id: a\n  name:\n    he: מחזור א\n    ar: الفوج أ\n"},
        ["data/cohorts.yaml:2: 'name': language code 'ar' is not configured in data/site.yaml (configured: he, en) — "
         "use one of these, or add the language there"],
    ),
    "interface texts for a language not configured": (
        {"data/strings/fr.yaml": "skip_link: Aller au contenu\n"},
        ["data/strings/fr.yaml: strings for 'fr', a language not configured in data/site.yaml — rename or remove the file"],
    ),
    # --- duplicates and references ----------------------------------------------------------
    "a testimonial id used twice": (
        {"data/cohorts.yaml": COHORTS_YAML, "data/testimonials.yaml": TESTIMONIALS_YAML + TESTIMONIALS_YAML},
        ["data/testimonials.yaml:17: the testimonial id 'first-last' is used twice (first at line 1) — each must be unique"],
    ),
    "an unknown cohort": (
        graduates(cohort="  cohort: z"),
        ["data/testimonials.yaml:2: unknown cohort 'z' — use the id of a cohort in data/cohorts/ (a), or leave it empty"],
    ),
    "a key indented one space more than its siblings": (
        {"data/faculty.yaml": "- id: a\n  name:\n    he: א\n     en: A\n"},
        ["data/faculty.yaml:4: this line is indented by one space more than its siblings — line it up with them "
         "(a commented example whose '#' alone was deleted leaves this: delete the space after it too)"],
    ),
    "an example entry uncommented by deleting its '#' only": (
        {"data/faculty.yaml": "- id: a\n  name: א\n  role: r\n\n - id: b\n   name: ב\n   role: r\n"},
        ["data/faculty.yaml:5: this line is indented by one space more than its siblings — line it up with them "
         "(a commented example whose '#' alone was deleted leaves this: delete the space after it too)"],
    ),
    "a quote with a caption and a role": (
        graduates(organisation="  organisation: עירייה\n  caption: מנהלת בעירייה"),
        ["data/testimonials.yaml:1: entry 1: write either 'caption' (role and organisation as one text) or 'role' and 'organisation', not both"],
    ),
    "a quote with neither caption nor organisation": (
        graduates(organisation=""),
        ["data/testimonials.yaml:1: entry 1: 'organisation' missing — write 'role' and 'organisation', or 'caption' for the two as one text"],
    ),
    "a menu item written as a file": (
        {"data/site.yaml": BASE_FILES["data/site.yaml"].replace("page: about", "page: about.he.md")},
        ["data/site.yaml:20: the menu points to page 'about.he.md', which does not exist — did you mean 'about'? "
         "(write the path of a file under content/ without language and .md)"],
    ),
    "a menu item for a missing page": (
        {"data/site.yaml": BASE_FILES["data/site.yaml"].replace("page: about", "page: abuot")},
        ["data/site.yaml:20: the menu points to page 'abuot', which does not exist — did you mean 'about'? "
         "(write the path of a file under content/ without language and .md)"],
    ),
    # --- links and images -----------------------------------------------------------------
    "a link to a missing page": (
        {"content/about.he.md": page("title: אודות\n", "\nראו [התכנית](programme.he.md).\n")},
        ["content/about.he.md:5: link to a page that does not exist: content/programme.he.md — "
         "write the path of the target's .md file relative to this file (e.g. ../programme.he.md)"],
    ),
    "a link to a missing anchor": (
        {"content/about.en.md": page("title: About\n", "\nSee [background](about.he.md#רקע) and [goals](about.he.md#מטרות).\n")},
        ["content/about.en.md:5: link to '#מטרות', which content/about.he.md does not have — check the heading it points to"],
    ),
    "a missing image": (
        {"content/about.he.md": page("title: אודות\n", "\n![המשתתפים](images/group.jpg)\n")},
        ["content/about.he.md:5: the image 'images/group.jpg' is not in static/ — put it at static/images/group.jpg or fix the path"],
    ),
    "an image without alt text": (
        {"content/about.he.md": page("title: אודות\n", "\n![](images/photo.png)\n")},
        ["content/about.he.md:5: the image 'images/photo.png' has no alt text — describe it between the brackets: "
         "![what it shows](images/photo.png)"],
    ),
    "an image written as HTML (alt text unchecked)": (
        {"content/about.he.md": page("title: אודות\n", "\n<img src=\"/images/photo.png\">\n")},
        ["content/about.he.md:5: an image written as HTML (<img>) — write it in Markdown, ![what it shows](images/photo.jpg), "
         "so that its file and description are checked"],
    ),
    "a faculty photo that is missing": (
        {"data/faculty.yaml": "- id: a-b\n  name: א\n  role: ב\n  photo: images/a-b.jpg\n  photo_alt: תמונה\n"},
        ["data/faculty.yaml:4: the photo 'images/a-b.jpg' is not in static/ — put the file at static/images/a-b.jpg"],
    ),
    # --- files ---------------------------------------------------------------------------------
    "a file that is not UTF-8": (
        {"content/about.he.md": page("title: אודות\n", "\n").encode() + "שלום\n".encode("cp1255")},
        ["content/about.he.md:5: the file is not UTF-8 text — save it again with the encoding UTF-8"],
    ),
    "an empty page": (
        {"content/about.he.md": ""},
        ["content/about.he.md: the file is empty — a page starts with front matter: a line '---', then 'title: …', then '---'"],
    ),
    "an empty data file": (
        {"data/cohorts.yaml": "\n"},
        ["data/cohorts.yaml: the file is empty — restore its text (git keeps every version), or write [] for an empty list"],
    ),
    "a 5 MB file": (
        {"content/about.he.md": page("title: אודות\n", "מילה " * 582_600)},
        ["content/about.he.md: the file is 5.0 MB; the limit is 2 MB — split it into several files, "
         "or remove pasted data (images belong in static/)"],
    ),
    "an invisible control character": (
        {"content/about.he.md": page("title: אודות\n", "\nטקסט\x08 מודבק.\n")},
        ["content/about.he.md:5: an invisible character, U+0008 (a control character), at column 5 — delete it "
         "(such characters come with text pasted from other programs)"],
    ),
    "a line separator": (
        {"data/cohorts.yaml": "- id: a\n  name: מחזור\u2028א\n"},
        ["data/cohorts.yaml:2: an invisible character, U+2028 (line separator), at column 14 — delete it "
         "(such characters come with text pasted from other programs)"],
    ),
    "a control character written as an escape": (
        {"content/about.he.md": page('title: "אודות\\0"\n')},
        ["content/about.he.md:2: this text holds an invisible character, U+0000 (a control character), written as an escape "
         "with '\\' — remove the escape"],
    ),
    "a file name that cannot be an address": (
        {"content/אודות.he.md": page("title: אודות\n")},
        ["content/אודות.he.md: 'אודות' cannot be part of a web address — name files and folders with lowercase Latin letters, "
         "digits and hyphens"],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_broken_input_is_one_exact_message_and_the_site_stays(tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str | bytes | None], expected: list[str]) -> None:
    result = broken(capsys, tmp_path, files)
    assert result.problems == expected


DUPLICATES = {
    "two files for one page": (
        {"content/about/index.he.md": page("title: אודות\n")},
        ["content/about.he.md: two files make the same page /about in 'he' (the other is content/about/index.he.md) — remove one"],
    ),
    "a cohort id used twice": (
        {"data/cohorts.yaml": "- id: a\n  name: x\n- id: a\n  name: y\n"},
        ["data/cohorts.yaml:3: the cohort id 'a' is used twice (first at line 1) — each must be unique"],
    ),
}


@pytest.mark.parametrize("files, expected", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_duplicates_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str | bytes | None], expected: list[str]) -> None:
    """The duplicate is named at its line (model/pages.output_collisions may add a second line
    about the output file both would write)."""
    result = broken(capsys, tmp_path, files)
    assert set(expected) <= set(result.problems)


def test_check_reports_the_same_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"content/about.he.md": page("title: אודות\ndescripton: x\n")})
    result = run(capsys, "check", "--source", str(tmp_path))
    assert result.code == 1
    assert result.problems == ["content/about.he.md:3: unknown field 'descripton' — did you mean 'description'?"]
    assert not (tmp_path / "site").exists()


def test_every_problem_of_a_run_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not only the first: an editor fixes them all in one go."""
    result = broken(capsys, tmp_path, {
        "content/about.he.md": page("title: אודות\n\tweight: 1\n"),
        "content/about.en.md": page("titel: About\n"),
        "data/cohorts.yaml": "- id: A\n  name: x\n",
    })
    assert result.problems == [
        "content/about.en.md:2: required field 'title' is missing — add `title: …`",
        "content/about.en.md:2: unknown field 'titel' — did you mean 'title'?",
        "content/about.he.md:3: a tab character — YAML indentation must use spaces, not tabs",
        "data/cohorts.yaml:1: 'id': 'A' is not a safe id — use lowercase Latin letters, digits and single hyphens (e.g. 'bonnie-goldberg')",
    ]


def test_a_page_without_its_counterpart_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"content/news.he.md": page("title: חדשות\n")})
    result = run(capsys, "build", "--source", str(tmp_path))
    assert result.code == 0
    assert (tmp_path / "site/news/index.html").is_file()
    result = run(capsys, "check", "--source", str(tmp_path))
    assert result.code == 0
    assert "content/news.he.md: no 'en' version of this page — add content/news.en.md" in result.out


def test_an_accessibility_statement_without_its_coordinators_details_is_a_warning(tmp_path: Path,
                                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"content/accessibility.he.md": page("title: הצהרת נגישות\nlayout: accessibility\n"),
                         "content/accessibility.en.md": page("title: Accessibility statement\nlayout: accessibility\n"),
                         "data/site.yaml": BASE_FILES["data/site.yaml"] + "accessibility:\n  coordinator:\n    email: ''\n"})
    result = run(capsys, "check", "--source", str(tmp_path))
    assert result.code == 0
    assert ("data/site.yaml:35: warning: the accessibility coordinator's email address is missing — write it under accessibility: "
            "coordinator: email (the accessibility statement leaves it out until then)") in result.err.splitlines()
    assert ("data/site.yaml:33: warning: the date the accessibility statement was last updated is missing — write it under "
            "accessibility: updated, as YYYY-MM-DD") in result.err.splitlines()


def test_a_page_without_its_counterpart_is_an_error_with_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = broken(capsys, tmp_path, {"content/news.he.md": page("title: חדשות\n")}, "--strict")
    assert result.problems == ["warning: not a git repository: stale translations cannot be found",  # said, not passed over
                               "content/news.he.md: no 'en' version of this page — add content/news.en.md"]


def test_a_file_at_the_size_limit_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The limit is 2 MB (refused above it, see the 5 MB case); a long page below it builds."""
    body = "## פרק\n\n" + "מילה " * 150_000 + "\n"
    make_site(tmp_path, {"content/about.he.md": page("title: אודות\n", body)})
    files = build_good(capsys, tmp_path)
    assert 1_000_000 < len(files["about/index.html"]) < 2 * 1024 * 1024


def test_a_byte_order_mark_and_windows_line_ends_are_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {
        "content/about.he.md": "\ufeff---\r\ntitle: אודות\r\n---\r\nטקסט.\r\n",
        "content/about.en.md": "---\rtitle: About\r---\rText.\r",  # old Mac line ends
    })
    files = build_good(capsys, tmp_path)
    assert "אודות" in files["about/index.html"].decode()
    assert "\r" not in files["en/about/index.html"].decode()


# --- templates ------------------------------------------------------------------------------

def test_a_template_syntax_error_names_the_template_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = broken(capsys, tmp_path, {"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ content }\n{% endblock %}\n"})
    assert result.problems == ["templates/page.html:3: template syntax error: unexpected '}'"]


def test_an_undefined_variable_names_the_template_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = broken(capsys, tmp_path, {"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n\n{{ nothing.here }}\n{% endblock %}\n"})
    assert result.problems == ["templates/page.html:4: UndefinedError: 'nothing' is undefined (while rendering /)"]


# --- Hebrew and quoting: rendered exactly as written ------------------------------------------

HEBREW = [
    'מנכ"ל המשרד וחב"א נפגשו ע"י ד"ר עפרה',            # gershayim, ASCII
    "הרשות במגזר הצ'רקסי",                               # geresh, ASCII
    "מנכ\u05f4ל וצ\u05f3רקסי",                           # gershayim and geresh, Hebrew letters
    "בית־ספר ודו־שיח",                                   # maqaf
    "שָׁלוֹם עֲלֵיכֶם",                                  # niqqud
    "9-10 מפגשים, 3–4 שעות, 2026",                      # numbers and ranges
    "התכנית Merhav פועלת עם Bonnie Goldberg בירושלים",   # English inside Hebrew
]


def test_hebrew_in_front_matter_and_body_renders_exactly_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    title, description = HEBREW[0], HEBREW[1]
    front = f"title: {title}\ndescription: {description}\n"
    body = "\n" + "\n\n".join(HEBREW) + "\n"
    make_site(tmp_path, {"content/about.he.md": page(front, body)})
    files = build_good(capsys, tmp_path)
    text = html.unescape(files["about/index.html"].decode())
    for line in HEBREW:
        assert line in text
    assert f"<title>{title} |" in text
    for typographic in "“”‘’״׳":  # no "smart" quotes, no conversion of ASCII marks
        assert typographic not in text.replace("\u05f4", "").replace("\u05f3", "")


def test_hebrew_in_data_renders_exactly_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = BASE_FILES["data/site.yaml"].replace(
        "      he: שותף\n", "      he: 'חב\"א — החברה למתנ\"סים'\n").replace(
        "full_title:\n  he: מרחב לבדיקות\n", "full_title:\n  he: >-\n    \"מיזם ממשל וחברה אזרחית\" ע\"י צ'רקסים, 9-10 מפגשים בבית־ספר\n")
    # (the full title: every page's footer shows it; a partner's description is no longer in the footer)
    testimonials = (
        "- id: ofra\n  cohort: a\n"
        "  name:\n    he: 'ד\"ר עפרה חבקין'\n    en: Dr. Ofra Havkin\n"
        "  role:\n    he: מנכ\"ל\n    en: Director-General\n"
        "  organisation:\n    he: >-\n      הרשות במגזר הערבי, הדרוזי והצ'רקסי\n    en: The Authority\n"
        "  quote:\n    he: >-\n      \"ויתור על אגו\" הוא המהלך הראשון\n    en: >-\n      \"Giving up ego\" comes first\n"
    )
    make_site(tmp_path, {"data/site.yaml": site, "data/cohorts.yaml": COHORTS_YAML, "data/testimonials.yaml": testimonials})
    text = all_html(build_good(capsys, tmp_path))
    for written in [
        'חב"א — החברה למתנ"סים', '"מיזם ממשל וחברה אזרחית" ע"י צ\'רקסים, 9-10 מפגשים בבית־ספר',
        'ד"ר עפרה חבקין', 'מנכ"ל', "הרשות במגזר הערבי, הדרוזי והצ'רקסי", '"ויתור על אגו" הוא המהלך הראשון', '"Giving up ego" comes first',
    ]:
        assert written in text


def test_mixed_direction_runs_are_isolated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The markup editors use for bidi survives, and names from data are in <bdi>."""
    body = (
        '\nהתכנית <bdi>Bonnie Goldberg</bdi> ו<span lang="en" dir="ltr">Merhav</span> '
        '<bdo dir="ltr">9-10</bdo>.\n\n<p dir="ltr" lang="en">An English paragraph.</p>\n'
    )
    make_site(tmp_path, {"content/about.he.md": page("title: אודות\n", body)})
    files = build_good(capsys, tmp_path)
    about = files["about/index.html"].decode()
    assert '<bdi>Bonnie Goldberg</bdi>' in about
    assert '<span lang="en" dir="ltr">Merhav</span>' in about
    assert '<bdo dir="ltr">9-10</bdo>' in about
    assert '<p dir="ltr" lang="en">An English paragraph.</p>' in about



def test_names_from_data_are_isolated_in_the_quote_component(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"data/cohorts.yaml": COHORTS_YAML, "data/testimonials.yaml": TESTIMONIALS_YAML})
    files = build_good(capsys, tmp_path)
    pages = [data.decode() for rel, data in files.items() if rel.endswith(".html")]
    for name in ("Jane Doe", "פלונית אלמונית"):
        assert any(re.search(rf"<bdi\b[^>]*>\s*{name}\s*</bdi>", page) for page in pages), f"{name} is not in <bdi>"


# --- the examples of docs/errors.md ------------------------------------------------------------

def _asserted_messages() -> set[str]:
    """Every message the tests of bad and hostile input assert, word for word."""
    from test_hostile_content import PATHS_OUT, SCRIPT_ADDRESSES

    found = {message for _, expected in [*CASES.values(), *DUPLICATES.values()] for message in expected}
    found |= {expected for _, expected in [*SCRIPT_ADDRESSES, *PATHS_OUT]}
    for name in ("test_bad_input.py", "test_hostile_content.py", "test_hostile_files.py", "test_hostile_text.py", "test_hostile_strings.py", "test_hostile_commands.py", "test_hostile_quiet.py",
                 "test_staleness.py", "test_translation_checked.py", "test_hostile_pictures.py", "test_hostile_svg.py",
                 "test_hostile_names.py", "test_hostile_scale.py", "test_hostile_share.py", "test_hostile_weak.py", "test_testimonials.py"):
        tree = ast.parse((Path(__file__).parent / name).read_text(encoding="utf-8"))
        found |= {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return found


def test_the_errors_doc_shows_the_messages_as_they_print() -> None:
    """Each example of docs/errors.md (the notes of sitegen/messages/notes.yaml, which python -m
    sitegen.messages.errorsdoc merges into it) is a message a test asserts ('…' stands for any text)."""
    from sitegen.messages.errorsdoc import read_notes

    examples = [note["example"] for notes in read_notes().values() for note in notes]
    examples = [e for e in examples if e.startswith(("content/", "data/", "templates/", "static/"))]
    assert len(examples) >= 50
    known = _asserted_messages()
    for example in examples:
        pattern = re.compile(re.escape(example).replace(re.escape("…"), ".*"))
        assert any(pattern.fullmatch(message) for message in known), f"docs/errors.md shows a message no test asserts: {example}"
