"""Quotation marks in text exactly as typed.

Jinja's autoescaping (markupsafe) writes every " and ' as &#34; and &#39;, which a browser
shows correctly but which turns the source's מנכ"ל, חב"א and "ויתור על אגו" into entities in
the HTML that search engines, feeds and people reading the source see. Between tags those
escapes are not needed (only &, < and > are), so we put the characters back there; inside
tags, where attribute values need them, they stay escaped.
"""

from __future__ import annotations

import re

_TO_RAW_START = re.compile(r"(?:[^<]++|<(?!(?:script|style)\b)[^>]*+>)*+", re.I)
"""Text and tags up to a tag that starts raw text (``<script``, ``<style``), or to the end."""
_RAW_START = re.compile(r"<(?:script|style)\b[^>]*+>", re.I)
_TO_RAW_END = re.compile(r"(?:[^<]++|<(?!/(?:script|style)\b)[^>]*+>)*+", re.I)
"""Raw text and the tags in it up to a tag that ends raw text (``</script``, ``</style``: either), or to the end."""
_RAW_END = re.compile(r"</(?:script|style)\b[^>]*+>", re.I)
_TAG_WITH_ESCAPE = re.compile(r"(<[^>]*&#3[49];[^>]*>)")
"""A tag holding an escaped quote (in an attribute's value), where it stays escaped."""


def plain_quotes_in_text(html: str) -> str:
    """``html`` with &#34; and &#39; written as " and ' between tags, never inside a tag, a <script> or a <style>.

    A tag is a ``<`` up to the next ``>``; raw text runs from a start tag of a script or a style to the next end tag of
    either. The scan is the regular expressions' own, in C: the raw texts are found (a page holds a few), and in the
    rest the escapes are replaced everywhere but in the few tags that hold one (0.22 -> 0.10 ms a page of the generated
    catalogue, measured, when every tag and every text was a step of a Python loop; 0.68 ms when each tag was
    matched on its own). Tags close at ``>``: after the last one no ``<`` starts a tag, so the scans stop there."""
    if "&#34;" not in html and "&#39;" not in html:
        return html
    closed = html.rfind(">") + 1
    out: list[str] = []
    at = 0
    while True:
        start = _RAW_START.match(html, _TO_RAW_START.match(html, at, closed).end(), closed)  # type: ignore[union-attr]
        if start is None:
            out.append(_plain(html[at:]))
            return "".join(out)
        out.append(_plain(html[at:start.end()]))
        end = _RAW_END.match(html, _TO_RAW_END.match(html, start.end(), closed).end(), closed)  # type: ignore[union-attr]
        if end is None:  # raw text to the end
            out.append(html[start.end():])
            return "".join(out)
        out.append(html[start.end():end.end()])
        at = end.end()


def _plain(text: str) -> str:
    """``text`` (no raw text in it) with its escaped quotes plain, except in the tags that hold them."""
    if "&#" not in text:
        return text
    parts = _TAG_WITH_ESCAPE.split(text)
    parts[0::2] = [part.replace("&#34;", '"').replace("&#39;", "'") for part in parts[0::2]]
    return "".join(parts)
