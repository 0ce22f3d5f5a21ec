"""Quotation marks in text exactly as typed.

Jinja's autoescaping (markupsafe) writes every " and ' as &#34; and &#39;, which a browser
shows correctly but which turns the source's מנכ"ל, חב"א and "ויתור על אגו" into entities in
the HTML that search engines, feeds and people reading the source see. Between tags those
escapes are not needed (only &, < and > are), so we put the characters back there; inside
tags, where attribute values need them, they stay escaped.
"""

from __future__ import annotations

import re

_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b", re.I)


def plain_quotes_in_text(html: str) -> str:
    parts = _TAG_OR_TEXT.split(html)
    raw_text = False
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            if _SCRIPT_OR_STYLE.match(part):
                raw_text = True
            elif raw_text and re.match(r"</(script|style)\b", part, re.I):
                raw_text = False
        elif not raw_text and "&#" in part:
            parts[i] = part.replace("&#34;", '"').replace("&#39;", "'")
    return "".join(parts)
