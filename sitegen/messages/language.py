"""Which language the messages are shown in.

In this order: the command line's ``--messages CODE``; the environment variable ``MERHAV_MESSAGES``
(CI or a developer who prefers English: ``MERHAV_MESSAGES=en``); else the site's default language,
the first of ``languages:`` in data/site.yaml. A language with no catalogue shows English.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sitegen.messages import ENGLISH, use_language

ENVIRONMENT = "MERHAV_MESSAGES"
_FIRST_CODE = re.compile(r"^languages:\s*\n(?:\s*#.*\n|\s*\n)*\s*-\s*code:\s*['\"]?([A-Za-z-]+)", re.MULTILINE)


def site_language(source: Path) -> str:
    """The first language code of data/site.yaml, read with a pattern rather than the YAML reader: the
    choice is made before anything else is read (and when site.yaml is broken, which check reports)."""
    try:
        text = (source / "data" / "site.yaml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ENGLISH
    found = _FIRST_CODE.search(text)
    return found.group(1).lower() if found else ENGLISH


_chosen_by_name = False


def chosen_by_name() -> bool:
    """Whether the editor named the language (--messages or MERHAV_MESSAGES): the preview's error page then shows
    the messages in it, on every page; else each page shows them in its own language."""
    return _chosen_by_name


def choose_language(source: Path, option: str | None = None) -> str:
    """Set and return the language of the messages (see the module's text)."""
    global _chosen_by_name
    named = option or os.environ.get(ENVIRONMENT, "").strip()
    _chosen_by_name = bool(named)
    language = (named or site_language(source)).lower()
    use_language(language)
    from sitegen.messages import current_language

    return current_language()
