"""A page's meta description: its own, or its opening words, never the site's one shared by many."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sitefactory import make_site, run

from sitegen.model.summary import LIMIT, opening_words


def described(page: Path) -> str:
    found = re.search(r'<meta name="description" content="([^"]*)"', page.read_text(encoding="utf-8"))
    assert found, page
    return html.unescape(found.group(1))


def test_the_opening_paragraph_is_the_description_when_the_front_matter_has_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long = " ".join(["מילה"] * 60)
    make_site(tmp_path, {
        "content/about.he.md": "---\ntitle: אודות\n---\n## רקע\n\nעל התכנית של מנכ\"ל המשרד.\n\nפסקה שנייה.\n",
        "content/about.en.md": f"---\ntitle: About\n---\n{long.replace('מילה', 'word')}\n",
        "content/index.en.md": "---\ntitle: Home\ndescription: Written by the editors.\n---\nHello.\n",
    })
    result = run(capsys, "build", "--source", str(tmp_path), "--base-url", "https://merhav.example")
    assert result.code == 0, result.err
    site = tmp_path / "site"
    assert described(site / "about" / "index.html") == 'על התכנית של מנכ"ל המשרד.'
    assert described(site / "en" / "index.html") == "Written by the editors."
    english = described(site / "en" / "about" / "index.html")
    assert english.endswith("…") and len(english) <= LIMIT + 1 and english[:-1].split(" ") == ["word"] * len(english[:-1].split(" "))


@pytest.mark.parametrize(("markup", "expected"), [
    ("<h2>Title</h2><p>  First\n  words. </p><p>Second.</p>", "First words."),
    ("<p></p><p><a href='x'>Linked</a> &amp; <em>emphasised</em></p>", "Linked & emphasised"),
    ("<ul><li>no paragraph</li></ul>", ""),
    ("<p>" + "x" * 300 + "</p>", "x" * LIMIT + "…"),
    ("<blockquote><p>Quoted</p></blockquote><p>after</p>", "Quoted"),
])
def test_opening_words(markup: str, expected: str) -> None:
    assert opening_words(markup) == expected
