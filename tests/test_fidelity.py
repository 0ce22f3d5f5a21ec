"""``build.py fidelity``: a report of where each line of a source text is on the site (never a gate)."""

from __future__ import annotations

from pathlib import Path

from conftest import TinySite

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
