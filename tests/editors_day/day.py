"""An editor's ordinary day on a copy of the real site: the edits, made once per run.

Following docs/editing.md, an editor adds a graduate's quote, a cohort of their own file with two
projects (made with ``build.py new project``, the guide's own example slug among them, its TODO
markers filled), a page in both languages (``build.py new page``) and its menu item; fixes one
word of the curriculum and a sentence of a page; and removes a quote. tests/editors_day/ then checks
that ``check`` and ``build`` pass on the copy and runs every test of tests/real_site/ on it (conftest.py).

The edits find what they change in whatever the content is on the day the test runs (the first
cohort, the last quote, a Hebrew word of the curriculum), so the content may change freely.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from conftest import REPO
from shared_build import key, shared

COHORT_ID = "editors-day"
GUIDE_SLUG = "shared-clinics"


def build_py(source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--source", str(source)],
                          capture_output=True, text=True, timeout=300)


def unused(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… whichever the content does not use yet."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def top_level_items(text: str) -> list[tuple[int, int]]:
    """(start, end) line spans of the items of a YAML file that is a list (``- `` at column 0)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("- ")]
    return [(start, starts[k + 1] if k + 1 < len(starts) else len(lines)) for k, start in enumerate(starts)]


def add_quote(root: Path, cohort: str) -> str:
    path = root / "data" / "testimonials.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    existing = yaml.safe_load(text) or []
    quote_id = unused("dana-levi", {item["id"] for item in existing})
    entry = f"""
- id: {quote_id}
  cohort: {cohort}
  name:
    he: דנה לוי
    en: Dana Levi
  role:
    he: מנהלת אגף
    en: Head of Department
  organisation:
    he: משרד החינוך
    en: Ministry of Education
  quote:
    he: >-
      התכנית פתחה לי "דלת" לעבודה משותפת עם ארגוני החברה האזרחית, ע"י מפגשים עם מנכ"ל/ית ונציגי חב"א.
    en: >-
      The programme opened a "door" for me to working together with civil-society organisations.
"""
    if text.strip() in ("", "[]"):
        text = ""
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    return quote_id


def remove_a_quote(root: Path, keep: str) -> None:
    """Delete the last quote other than ``keep`` (as an editor deletes its lines)."""
    path = root / "data" / "testimonials.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    spans = [(s, e) for s, e in top_level_items(text) if not lines[s].startswith(f"- id: {keep}")]
    if not spans:
        return
    start, end = spans[-1]
    path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")


def add_cohort(root: Path) -> str:
    """A cohort in a file of its own (data/cohorts/<id>.yaml), as the guide allows when the list grows long."""
    cohorts = yaml.safe_load((root / "data" / "cohorts.yaml").read_text(encoding="utf-8")) or [] if (root / "data" / "cohorts.yaml").exists() else []
    folder = root / "data" / "cohorts"
    taken = {c["id"] for c in cohorts} | ({p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set())
    cohort_id = unused(COHORT_ID, taken)
    folder.mkdir(exist_ok=True)
    (folder / f"{cohort_id}.yaml").write_text(f"""# A cohort added on an editor's day.
id: {cohort_id}
name:
  he: "מחזור ב'"
  en: Cohort B
years: "2027"
start: 2027-03-01
end: null
video: ""
graduates:
  - id: dana-levi
    name:
      he: דנה לוי
      en: Dana Levi
projects: []
""", encoding="utf-8")
    return cohort_id


def fill_todos(path: Path, hebrew: str, english: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*he: )TODO$", rf"\g<1>{hebrew}", text)
    text = re.sub(r"(?m)^(\s*en: )TODO$", rf"\g<1>{english}", text)
    text = re.sub(r"(?m)^(\s*he: \|\n\s*)TODO$", rf"\g<1>{hebrew}.", text)
    text = re.sub(r"(?m)^(\s*en: \|\n\s*)TODO$", rf"\g<1>{english}.", text)
    path.write_text(text, encoding="utf-8")


def fix_a_word_of_the_curriculum(root: Path) -> None:
    path = root / "data" / "curriculum.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        word = re.search(r"[\u05d0-\u05ea]{4,}", line)
        if word:  # one word retyped (a letter doubled), as an editor fixes a spelling
            w = word.group()
            lines[i] = line[: word.start()] + w[0] + w + line[word.end():]
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    pytest.fail("no Hebrew word in data/curriculum.yaml to fix")


def add_a_sentence(root: Path) -> None:
    page = sorted((root / "content").glob("*.en.md"))[0]
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + "\n\nA sentence added on an editor's day.\n", encoding="utf-8")


def add_menu_item(root: Path, key: str) -> None:
    """An item at the end of data/menu.yaml, as the forms write one (a blank line between items)."""
    path = root / "data" / "menu.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n").removesuffix("[]").rstrip("\n")
    path.write_text(text + ("\n\n" if text else "") + f"- page: {key}\n", encoding="utf-8")


def edit_a_copy(root: Path) -> str:
    """A copy of the repository's site in ``root``, after the day's edits; the new cohort's id."""
    for folder in ("content", "data", "templates", "static"):
        shutil.copytree(REPO / folder, root / folder)

    cohort = add_cohort(root)
    quote = add_quote(root, cohort)
    remove_a_quote(root, keep=quote)
    for slug, he, en in ((GUIDE_SLUG, "מרפאות משותפות", "Shared clinics"), ("open-data", "מידע פתוח", "Open data")):
        made = build_py(root, "new", "project", "--cohort", cohort, slug)
        assert made.returncode == 0, made.stderr
        assert build_py(root, "check").returncode == 1, "the TODO markers of a new project are reported"
        fill_todos(root / "data" / "cohorts" / f"{cohort}.yaml", he, en)
    pages = {p.stem.split(".")[0] for p in (root / "content").rglob("*.md")}
    page_key = f"about/{unused('history', pages)}"
    made = build_py(root, "new", "page", page_key)
    assert made.returncode == 0, made.stderr
    for lang, text in (("he", "היסטוריה"), ("en", "History")):
        page = root / "content" / f"{page_key}.{lang}.md"
        page.write_text(page.read_text(encoding="utf-8").replace("TODO", text), encoding="utf-8")
    add_menu_item(root, page_key)
    fix_a_word_of_the_curriculum(root)
    add_a_sentence(root)
    return cohort


class Day(NamedTuple):
    source: Path
    """The edited copy: read it, never change it (its .cache/ is written by the builds, one at a time)."""
    cohort: str
    """The id of the cohort the day added."""


_DAY: Day | BaseException | None = None


def the_day() -> Day:
    """The edited copy, made once per run by whichever process asks first (tests/shared_build.py), and asked for
    once per process: a day that could not be made raises the same error to every test that asks again."""
    global _DAY
    if _DAY is None:
        try:
            folder = shared(f"editors-day-{key(REPO)}",
                            lambda folder: (folder / "cohort").write_text(edit_a_copy(folder / "src"), encoding="utf-8"))
            _DAY = Day(folder / "src", (folder / "cohort").read_text(encoding="utf-8"))
        except (Exception, pytest.fail.Exception) as error:
            _DAY = error
    if isinstance(_DAY, BaseException):
        raise _DAY
    return _DAY
