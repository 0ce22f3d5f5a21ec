"""The site's theme: the stylesheet uses logical properties only (so it mirrors for right-to-left),
has dark, print and reduced-motion styles and a visible focus; quotation marks stay as typed.

The theme (templates/, static/) is the developers'; these tests read it, never the content.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


PHYSICAL = re.compile(
    r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b|(?<![\w-])(?:left|right)\s*:|"
    r"text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)|clear\s*:\s*(?:left|right)|"
    r"border-(?:top|bottom)-(?:left|right)-radius"
)


def test_stylesheet_uses_logical_properties_only() -> None:
    css = (ROOT / "static/style.css").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = [m.group(0) for m in PHYSICAL.finditer(code)]
    assert not found, f"physical left/right in static/style.css: {found} — use inline-start/end"
    assert "margin-inline" in code and "inset-inline-start" in code


def test_the_physical_property_check_can_fail() -> None:
    for bad in ("a { margin-left: 1rem }", "b { left: 0 }", "c { text-align: right }", "d { float: left }", "e{padding-right:0}"):
        assert PHYSICAL.search(bad), bad
    for good in ("a { margin-inline-start: 1rem }", "b { inset-inline-start: 0 }", "c { text-align: start }"):
        assert not PHYSICAL.search(good), good


def test_stylesheet_has_dark_print_and_reduced_motion() -> None:
    css = (ROOT / "static/style.css").read_text(encoding="utf-8")
    for query in ("prefers-color-scheme: dark", "@media print", "prefers-reduced-motion: reduce", ":focus-visible"):
        assert query in css, query


def test_plain_quotes_leave_attributes_and_scripts_alone() -> None:
    from sitegen.output.htmltext import plain_quotes_in_text

    html_in = '<p title="&#34;a&#34;">&#34;b&#34; &#39;c&#39; &amp; &lt;</p><script>x="&#34;"</script>'
    assert plain_quotes_in_text(html_in) == '<p title="&#34;a&#34;">"b" \'c\' &amp; &lt;</p><script>x="&#34;"</script>'


def _plain_quotes_as_first_written(html: str) -> str:
    """output/htmltext.py's first version, tag by tag: the reference the faster one must equal."""
    parts = re.split(r"(<[^>]*>)", html)
    raw_text = False
    for i, part in enumerate(parts):
        if i % 2:
            if re.match(r"<(script|style)\b", part, re.I):
                raw_text = True
            elif raw_text and re.match(r"</(script|style)\b", part, re.I):
                raw_text = False
        elif not raw_text and "&#" in part:
            parts[i] = part.replace("&#34;", '"').replace("&#39;", "'")
    return "".join(parts)


_PIECES = ["&#34;", "&#39;", "&#38;", "&amp;", "<p>", "</p>", '<a title="&#34;x&#39;">', "<script>", "</script>", "<SCRIPT src=x>",
           "</Script >", "<style>", "</style>", "<scripts>", "</styles>", "<!-- <script> -->", "<", ">", "a", "מנכ", " ", "\n",
           "<br/>", "</STYLE>", "<a <b title=&#34;>", "&#39;>", "<x&#34;", "</script", "<script", "<style x='&#34;'>", "> &#34; <",
           "<!--&#34;-->"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
@settings(max_examples=400, deadline=None)
def test_plain_quotes_are_what_the_first_version_made(pieces: list[str]) -> None:
    from sitegen.output.htmltext import plain_quotes_in_text

    html = "".join(pieces)
    assert plain_quotes_in_text(html) == _plain_quotes_as_first_written(html)
