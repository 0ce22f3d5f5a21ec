"""Script injection through the base URL: the Atom feed's ``content type="html"`` holds a project's text with
its links made absolute. The base URL is parsed and refused when it holds quotes, angle brackets or spaces
(urls.parse_base_url), and the feed's HTML is written again by the sanitiser rather than spliced as text
(output/feeds.py ``_absolute``), so even an origin that slipped through stays inside its attribute.

Why hypothesis here: any origin, however hostile, must leave the HTML's elements as they were (only
attribute values change); shrinking gives the smallest origin that breaks out.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefactory import built_site, run

from sitegen.output.feeds import _absolute

TEXT = ('<p>See <a href="/merhav/projects/x/">the project</a> and <a href="https://example.org/">elsewhere</a>, '
        '<img src="/merhav/images/a.png" alt="a"> <a href="//cdn.example/x">cdn</a> <a href="#top">top</a></p>')
ATTACKS = ['https://h"><script>alert(1)</script>', "https://h'><img src=x onerror=alert(1)>", "https://h\" onload=\"x",
           "https://h/><svg onload=alert(1)>", "javascript:alert(1)//"]


@pytest.mark.parametrize("origin", ATTACKS)
def test_an_origin_never_breaks_out_of_its_attribute(origin: str) -> None:
    made = _absolute(TEXT, origin)
    assert "<script" not in made and "<svg" not in made and "<img src=x" not in made
    assert _tags(made) == _tags(TEXT)  # the same elements with the same attributes: no onerror=, no onload=


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from('abc:/."\'<>= &;#x\\`'), max_size=30))
def test_any_origin_changes_attribute_values_only(origin: str) -> None:
    made = _absolute(TEXT, origin)
    assert _tags(made) == _tags(TEXT)
    for url in re.findall(r'(?:href|src)="([^"]*)"', made):
        unescaped = html.unescape(url)
        assert unescaped.startswith((origin + "/merhav/", "https://example.org/", "//cdn", "#top")), url


def _tags(markup: str) -> list[tuple[str, list[str]]]:
    """Each start tag and the names of its attributes, as a browser's parser reads them."""
    found: list[tuple[str, list[str]]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, [name for name, _ in attrs]))

    Parser().feed(markup)
    return found


def test_the_links_of_a_feed_are_absolute_and_nothing_else_changes() -> None:
    assert _absolute(TEXT, "https://example.org") == TEXT.replace('"/merhav/', '"https://example.org/merhav/')


@pytest.mark.parametrize("base_url", ['https://example.org/"><script>alert(1)</script>/', "https://example.org/a b/",
                                      "https://example.org/<x>/"])
def test_a_base_url_with_a_script_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], base_url: str) -> None:
    source = tmp_path / "src"
    built_site(capsys, source)
    result = run(capsys, "build", "--source", str(source), "--base-url", base_url)
    assert result.code == 2
    assert "has a character an address cannot have (a space, a quotation mark, < or >)" in result.err
    assert "Traceback" not in result.err
