"""Hostile input, third round (issue 24, the "weak" list): each a message at its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitefactory import make_site, run

AS_PRINTED = {  # word for word (README's "Errors you may see" shows it)
    "digits": "content/about.he.md:3: this number has 5,000 digits; no field takes more than 30 — write a smaller number "
              "(or, if it is meant as text, put it in quotes)",
}


@pytest.mark.parametrize(("rel", "text", "expected"), [
    ("content/about.he.md", "---\ntitle: אודות\nweight: " + "9" * 5000 + "\n---\nטקסט.\n", AS_PRINTED["digits"]),
    ("data/cohorts.yaml", "- id: a\n  name:\n    he: א\n    en: A\n  year: -" + "1" * 40 + "\n",
     "data/cohorts.yaml:5: this number has 40 digits; no field takes more than 30 — write a smaller number "
     "(or, if it is meant as text, put it in quotes)"),
])
def test_a_number_with_thousands_of_digits_is_a_message_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                     rel: str, text: str, expected: str) -> None:
    """Was a developer's ValueError ('Exceeds the limit (4300 digits) for integer string conversion') with no line."""
    result = run(capsys, "check", "--source", str(make_site(tmp_path, {rel: text})))
    assert result.code == 1 and "Traceback" not in result.err and "ValueError" not in result.err
    assert expected in result.problems, result.err


def test_a_long_number_in_quotes_is_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = "---\ntitle: '" + "1" * 5000 + "'\n---\nטקסט.\n"
    result = run(capsys, "check", "--source", str(make_site(tmp_path, {"content/about.he.md": page})))
    assert "digits" not in result.err, result.err
