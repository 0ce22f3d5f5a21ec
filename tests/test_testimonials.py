"""Graduates' quotes: a cohort only when the data names one; a caption as the source writes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitefactory import COHORTS_YAML, build_good, make_site, run

QUOTES = """\
- id: without-cohort
  name:
    he: בוני
    en: Bonnie
  caption:
    he: מנהלת מינהל קהילה בעיריית ירושלים
    en: Director of the Community Administration, Jerusalem Municipality
  quote:
    he: ציטוט של בוגרת התכנית.
    en: A quote of a graduate of the programme.
- id: with-cohort
  cohort: a
  name:
    he: דנה
    en: Dana
  role:
    he: מנהלת
    en: Director
  organisation:
    he: עירייה
    en: Municipality
  quote:
    he: ציטוט של בוגרת מחזור א.
    en: A quote of a graduate of Cohort A.
"""
GRADUATES = {
    "content/graduates.he.md": "---\ntitle: בוגרים מספרים\nlayout: testimonials\n---\n",
    "content/graduates.en.md": "---\ntitle: Graduates tell\nlayout: testimonials\n---\n",
    "content/cohorts/index.he.md": "---\ntitle: מחזורים\nlayout: cohorts\n---\n",
    "content/cohorts/index.en.md": "---\ntitle: Cohorts\nlayout: cohorts\n---\n",
}


@pytest.fixture
def files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    make_site(tmp_path, {"data/cohorts.yaml": COHORTS_YAML, "data/testimonials.yaml": QUOTES, **GRADUATES})
    return {rel: data.decode() for rel, data in build_good(capsys, tmp_path).items() if rel.endswith(".html")}


def test_a_quote_without_a_cohort_is_the_programmes_not_a_cohorts(files: dict[str, str]) -> None:
    for prefix, programme, cohort in (("", "ציטוט של בוגרת התכנית.", "ציטוט של בוגרת מחזור א."),
                                      ("en/", "A quote of a graduate of the programme.", "A quote of a graduate of Cohort A.")):
        graduates = files[f"{prefix}graduates/index.html"]
        shown = graduates[graduates.index("<main"):]  # the head's JSON-LD lists every quote too (output/structured.py)
        sections = re.split(r'<section class="section"', shown)
        assert programme in sections[0] and cohort not in sections[0], "the programme's quotes come first, under the page's heading"
        assert len(sections) == 2 and cohort in sections[1] and programme not in sections[1], "then a section per cohort"
        cohort_page = files[f"{prefix}cohorts/a/index.html"]
        assert cohort in cohort_page and programme not in cohort_page


def test_the_cohorts_card_counts_its_quotes(files: dict[str, str]) -> None:
    assert "<p class=\"meta\">A quote from one graduate</p>" in files["en/cohorts/index.html"]


def test_a_caption_is_shown_as_written(files: dict[str, str]) -> None:
    assert '<span class="quote-role">מנהלת מינהל קהילה בעיריית ירושלים</span>' in files["graduates/index.html"]
    assert '<span class="quote-role">Director of the Community Administration, Jerusalem Municipality</span>' in files["en/graduates/index.html"]
    assert '<span class="quote-role">Director, Municipality</span>' in files["en/graduates/index.html"]


# --- a quote a file: data/testimonials/<id>.yaml, as the forms add them ----------------------------------------------

def quote_file(quote_id: str, he: str, weight: int | None = None, cohort: str = "") -> str:
    return (f"id: {quote_id}\n" + (f"cohort: {cohort}\n" if cohort else "") + "name:\n  he: שם\n  en: Name\n"
            "caption:\n  he: תפקיד\n  en: Role\n" f"quote:\n  he: {he}\n  en: {he}\n" + (f"weight: {weight}\n" if weight is not None else ""))


def test_quotes_in_files_of_their_own_are_shown_by_weight_then_by_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"data/cohorts.yaml": COHORTS_YAML, "data/testimonials.yaml": None, **GRADUATES,
                         "data/testimonials/b-second.yaml": quote_file("b-second", "ציטוט-שני", 2),
                         "data/testimonials/a-third.yaml": quote_file("a-third", "ציטוט-שלישי", 2),
                         "data/testimonials/z-first.yaml": quote_file("z-first", "ציטוט-ראשון", 1),
                         "data/testimonials/c-unweighted.yaml": quote_file("c-unweighted", "ציטוט-בלי-משקל")})
    page = build_good(capsys, tmp_path)["graduates/index.html"].decode()
    page = page[page.index("<main"):]
    shown = re.findall(r"ציטוט-[^<]+", page)
    assert shown == ["ציטוט-בלי-משקל", "ציטוט-ראשון", "ציטוט-שלישי", "ציטוט-שני"], shown  # weight 0 first; equal weights: by file name


@pytest.mark.parametrize("files, expected", [
    ({"data/testimonials/dana-levi.yaml": quote_file("dana", "x")},
     ["data/testimonials/dana-levi.yaml:1: the testimonial id 'dana' differs from the file's name — rename the file to "
      "data/testimonials/dana.yaml, or change the id to 'dana-levi'"]),
    ({"data/testimonials/dana.yaml": quote_file("dana", "x", cohort="z")},
     ["data/testimonials/dana.yaml:2: unknown cohort 'z' — use the id of a cohort in data/cohorts/ (a), or leave it empty"]),
    ({"data/testimonials/dana.yaml": quote_file("dana", "x").replace("caption:", "role:")},
     ["data/testimonials/dana.yaml:1: the file: 'organisation' missing — write 'role' and 'organisation', or 'caption' for the two as one text"]),
    ({"data/testimonials.yaml": "- " + quote_file("dana", "x").replace("\n", "\n  ").rstrip() + "\n",
      "data/testimonials/dana.yaml": quote_file("dana", "y")},
     ["data/testimonials/dana.yaml:1: the testimonial id 'dana' is used twice (first at data/testimonials.yaml:1) — each must be unique"]),
    ({"data/testimonials/dana.yaml": "- " + quote_file("dana", "x").replace("\n", "\n  ").rstrip() + "\n"},
     ["data/testimonials/dana.yaml:1: one testimonial per file: write its fields (id: …, name: …) at the top level, not as a list item ('- ')"]),
], ids=["id not the file's name", "unknown cohort", "role without organisation", "id twice, list and file", "a list in a file"])
def test_a_quotes_file_is_checked_at_its_own_path_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          files: dict[str, str], expected: list[str]) -> None:
    make_site(tmp_path, {"data/cohorts.yaml": COHORTS_YAML, "data/testimonials.yaml": "[]\n", **files})
    done = run(capsys, "check", "--source", str(tmp_path))
    assert done.code == 1 and [p for p in done.problems if "warning" not in p] == expected, done.err
