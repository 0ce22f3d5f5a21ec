"""The site's main menu: data/menu.yaml, a list of {page, label} that the editors' forms edit.

A site made before the menu had a file of its own keeps it in data/site.yaml as ``nav:``: still read (the same items,
the same checks, at that file's lines), so that an older site builds unchanged until the menu is moved; both at once
is an error (which one would the site show?). The forms edit data/menu.yaml only.
"""

from __future__ import annotations

from typing import Any

MENU = "menu"
"""The data file's name (schema.DATA_SCHEMAS, site.data)."""
MENU_FILE = "data/menu.yaml"
SITE_FILE = "data/site.yaml"


def menu_items(data: Any, settings: Any) -> list[dict[str, Any]]:
    """The menu's items as plain values ({page, label}): data/menu.yaml's, else data/site.yaml's ``nav:``."""
    if data.get(MENU):
        return list(data[MENU])
    return [item.dump() for item in settings.nav]  # records (sources/validated.py): as model_dump() gives


def menu_source(sources: Any) -> tuple[str, Any, tuple[Any, ...]]:
    """Where the menu's items were read: (file, the file as read, the key path of the list in it) — for a line."""
    if sources.data.get(MENU) or not sources.config.settings.nav:
        return MENU_FILE, sources.raw_data.get(MENU), ()
    return SITE_FILE, sources.raw_site, ("nav",)
