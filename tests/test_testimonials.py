"""Graduates' quotes: a cohort only when the data names one; a caption as the source writes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitefactory import COHORTS_YAML, build_good, make_site

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
