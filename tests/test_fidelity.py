"""``build.py fidelity``: a report of where each line of a source text is on the site (never a gate)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TinySite
from sitefactory import make_site, run

SOURCE_TEXT = """1
2
על התכנית.
• רקע
שורה, שהאתר כותב בחלקים: לא כולה
שורה שאין באתר בכלל
"""


def test_each_line_is_on_the_site_in_parts_or_not_found(tiny: TinySite, tmp_path: Path) -> None:
    text = tmp_path / "source.txt"
    text.write_text(SOURCE_TEXT, encoding="utf-8")
    tiny.write({"content/parts.he.md": "---\ntitle: חלקים\n---\nשורה, ועוד משהו; שהאתר כותב בחלקים.\n"})
    code, out, err = tiny.run("fidelity", "--source-text", str(text))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("(he): 2 of 4 lines are on the site as written, 1 in parts, 1 not found.")
    assert "  line   3: on /about/" in lines
    assert "  line   4: on /about/" in lines, "a bullet aside, the heading 'רקע' is there"
    assert "  line   5: in parts (2 of 3) on /parts/" in lines
    assert "  line   6: NOT FOUND" in lines
    assert not any(line.startswith(("  line   1", "  line   2")) for line in lines), "digits alone are scraping noise"


def test_hebrew_on_english_pages_without_lang_is_listed(tiny: TinySite, tmp_path: Path) -> None:
    text = tmp_path / "source.txt"
    text.write_text("על התכנית.\n", encoding="utf-8")
    tiny.write({"content/about.en.md": "---\ntitle: About\n---\nThe name מרחב means space; <span lang=\"he\">מרחב</span> is marked.\n"})
    code, out, _ = tiny.run("fidelity", "--source-text", str(text))
    assert code == 0
    assert "Text in 'he' on other languages' pages without lang=\"he\" (WCAG 3.1.2):" in out
    assert out.splitlines().count("  /en/about/: מרחב") == 1, "the marked one is not listed"


def test_a_missing_source_text_is_a_usage_error(tiny: TinySite) -> None:
    code, _, err = tiny.run("fidelity")
    assert code == 2
    assert "build.py fidelity: error: no source text at" in err and "pass --source-text PATH" in err


def test_the_menu_does_not_count_as_written(tiny: TinySite, tmp_path: Path) -> None:
    """A line counts as written where a page's text says it, not where the menu names a page."""
    text = tmp_path / "source.txt"
    text.write_text("תווית בתפריט בלבד\n", encoding="utf-8")
    site = (tiny.root / "data/site.yaml").read_text(encoding="utf-8")
    tiny.write({"data/site.yaml": site.replace("  - page: about\n", "  - page: about\n    label:\n      he: תווית בתפריט בלבד\n"
                                                                    "      en: Menu label\n")})
    code, out, err = tiny.run("fidelity", "--source-text", str(text))
    assert code == 0, err
    assert "  line   1: NOT FOUND" in out.splitlines()


def test_a_word_glued_to_vav_is_split_off(tiny: TinySite, tmp_path: Path) -> None:
    """'הרצאות מומחים ולמידת עמיתים' shown as two items: each piece is on the page, the glued ו aside."""
    text = tmp_path / "source.txt"
    text.write_text("• הרצאות מומחים ולמידת עמיתים.\nכישורים, ניסיון ומחויבות עמוקה\n", encoding="utf-8")
    tiny.write({"content/ways.he.md": "---\ntitle: דרכים\n---\n- הרצאות מומחים\n- למידת עמיתים\n- כישורים\n- מחויבות עמוקה\n"})
    code, out, err = tiny.run("fidelity", "--source-text", str(text))
    assert code == 0, err
    lines = out.splitlines()
    assert "  line   1: on /ways/ (in pieces)" in lines
    assert "  line   2: in parts (1 of 2) on /ways/" in lines, "'ניסיון' is not on the page: only one part is whole"


def test_head_and_structured_texts_the_source_does_not_support_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With the site's templates: titles, descriptions, Open Graph and JSON-LD are read; a claim the source does not
    make is listed, the source's words in another form ("מחזורים", "מחזורי") are not."""
    root = make_site(tmp_path / "site", {
        "content/cohorts.he.md": "---\ntitle: מחזורים\ndescription: מחזורי התכנית.\n---\nעל התכנית.\n",
        "content/cohorts.en.md": "---\ntitle: Cohorts\n---\nAbout.\n",
        "content/claims.he.md": "---\ntitle: על התכנית\ndescription: התכנית נמשכת שישה חודשים בדיוק.\n---\nעל התכנית.\n",
        "content/claims.en.md": "---\ntitle: Claims\n---\nClaims.\n",
    })
    text = tmp_path / "source.txt"
    text.write_text("על התכנית.\nמחזור א' של התכנית\n", encoding="utf-8")
    result = run(capsys, "fidelity", "--source", str(root), "--source-text", str(text))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    listed = [line for line in lines if line.startswith("  NOT SUPPORTED")]
    assert "  NOT SUPPORTED /claims/ description: התכנית נמשכת שישה חודשים בדיוק." in listed
    assert "  NOT SUPPORTED /claims/ og:description: התכנית נמשכת שישה חודשים בדיוק." in listed
    assert "  NOT SUPPORTED / JSON-LD WebSite.description: אתר קטן לבדיקות" in listed
    assert not [line for line in listed if "/cohorts/ title" in line or "/cohorts/ description" in line], listed
    assert not [line for line in listed if "/claims/ title" in line], "על התכנית is the source's"


def test_the_english_is_read_against_the_glossary(tiny: TinySite, tmp_path: Path) -> None:
    text = tmp_path / "source.txt"
    text.write_text("על התכנית.\n", encoding="utf-8")
    (tmp_path / "glossary.md").write_text("| Hebrew | English |\n|---|---|\n| על התכנית | about the programme |\n"
                                          "| רקע | the background story (its history) |\n| שורה שאין באתר | absent |\n",
                                          encoding="utf-8")
    code, out, err = tiny.run("fidelity", "--source-text", str(text))
    assert code == 0, err
    lines = out.splitlines()
    assert "English against the glossary: 1 of 2 terms on the Hebrew pages have their English rendering on the English pages:" in lines
    assert '  MISSING "the background story" (for רקע)' in lines
