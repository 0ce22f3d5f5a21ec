"""Web pages in static/ (``.html``, ``.xhtml``…) are published only when data/site.yaml lists them.

A web page opened from the site's address runs in the site's origin, where ``/admin/`` keeps the editors'
GitHub token, and GitHub Pages sends no Content-Security-Policy header: a page dropped into static/ could
read that token. So each one is refused unless listed under ``static_html:`` in data/site.yaml (a
verification file a search engine asks for, a page exported from another tool), and a listed one is
published with the site's policy: the same ``<meta http-equiv="Content-Security-Policy">`` as every page
(output/security.py), first thing in its ``<head>`` (output/files.py puts it there), so that no inline script of it runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

from sitegen.errors import ContentError
from sitegen.messages import Message, msg

HTML_TYPES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")
SITE_FILE = "data/site.yaml"
_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.I)
_SCRIPT = re.compile(rb"<script", re.I)


def no_head() -> Message:
    return msg("this web page has no <head> (or runs a script before it), so the site's security policy cannot be added — add "
               "<head></head> right after <html>, or remove it from static/")


def is_static_html(rel: str) -> bool:
    return rel.lower().endswith(HTML_TYPES)


def _line_of(raw_site: Any, index: int) -> int:
    try:
        return int(raw_site["static_html"].item_lines[index])
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0


def with_policy(data: bytes, policy: str) -> bytes | None:
    """``data`` with ``policy`` (output/security.py's) first in its <head>; None when it has no <head> or runs a script
    before it."""
    head = _HEAD.search(data)
    if head is None or _SCRIPT.search(data, 0, head.start()):
        return None
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy, quote=True)}" />'.encode()
    return data[:head.end()] + meta + data[head.end():]


def check_static_html(static_files: list[str], listed: list[str], raw_site: Any,
                      read: Callable[[str], bytes]) -> list[ContentError]:
    """The web pages of static/ that are not listed, the listed ones the policy cannot be put into, and the listed
    names that are no web page of static/ (output/files.py puts the policy into the others)."""
    problems: list[ContentError] = []
    allowed = {name.strip().removeprefix("static/").lstrip("/") for name in listed}
    present = set(static_files)
    for index, name in enumerate(listed):
        rel = name.strip().removeprefix("static/").lstrip("/")
        if rel not in present or not is_static_html(rel):
            problems.append(ContentError(SITE_FILE, _line_of(raw_site, index), msg(
                "static_html lists '{name}', which is no web page (.html, .xhtml) in static/ — write its path under static/ "
                "(e.g. google1234.html), or remove the line", name=name)))
    for rel in static_files:
        if not is_static_html(rel):
            continue
        if rel not in allowed:
            problems.append(ContentError(f"static/{rel}", 0, msg(
                "a web page in static/ would run in the site's own address, where the editors' forms keep their sign-in — "
                "make it a page under content/ instead, or, if it must be published as it is, list it under static_html: "
                "in data/site.yaml")))
            continue
        if with_policy(read(rel), "") is None:
            problems.append(ContentError(f"static/{rel}", 0, no_head()))
    return problems
