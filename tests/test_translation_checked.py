"""`translation_checked` (written by the forms when an editor confirms that the translations still match the source):
an ISO 8601 date and time with its time zone, in a page's front matter or on a data entry with texts in several
languages. tools/staleness.py reads it (tests/test_staleness.py)."""

from __future__ import annotations

QUOTE = """\
- id: first-last
  translation_checked: {checked}
  name:
    he: פלונית
    en: Jane Doe
  caption:
    he: מנהלת
    en: Director
  quote:
    he: ציטוט
    en: A quote
"""


def test_a_page_and_a_data_entry_may_say_when_their_translations_were_checked(tiny) -> None:  # type: ignore[no-untyped-def]
    tiny.write({"content/about.en.md": "---\ntitle: About\ntranslation_checked: 2026-12-06T09:30:00Z\n---\nAbout.\n",
                "content/about.he.md": "---\ntitle: אודות\ntranslation_checked: '2026-12-06T11:30:00+02:00'\n---\nאודות.\n",
                "data/testimonials.yaml": QUOTE.format(checked="2026-12-06T09:30:00Z")})
    result = tiny.run("check")
    assert result.code == 0, result.err


def test_a_translation_checked_that_is_not_an_instant_is_refused_at_its_line(tiny) -> None:  # type: ignore[no-untyped-def]
    tiny.write({"content/about.en.md": "---\ntitle: About\ntranslation_checked: yesterday\n---\nAbout.\n",
                "data/testimonials.yaml": QUOTE.format(checked="2026-12-06")})
    result = tiny.run("check")
    assert result.code == 1
    assert ("content/about.en.md:3: 'translation_checked': 'yesterday' is not a date and time with its time zone — write it "
            "as YYYY-MM-DDTHH:MM:SSZ (in UTC), e.g. 2026-12-06T09:30:00Z, or delete the line") in result.err
    assert "data/testimonials.yaml:2: 'translation_checked': '2026-12-06' is not a date and time with its time zone" in result.err
    tiny.write({"content/about.en.md": "---\ntitle: About\ntranslation_checked: 2026-12-06T09:30:00\n---\nAbout.\n",
                "data/testimonials.yaml": "[]\n"})
    assert "'translation_checked': '2026-12-06T09:30:00' is not a date and time with its time zone" in tiny.run("check").err
