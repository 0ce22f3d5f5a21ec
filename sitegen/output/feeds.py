"""An Atom 1.0 feed of projects per language: /projects/feed.xml, /en/projects/feed.xml.

Newest first (a project's ``date``, then its slug), at most FEED_ENTRIES. Made from the project
pages of the Site (model/catalogue.py), so a feed says exactly what the pages say. Atom needs
absolute addresses: without a base URL there are no feeds (the build says so), and neither are
there without projects. Every RFC 4287 requirement is met: the feed's id, title, updated, author
and rel=self link; each entry's id (its page's address, which stays while the slug does), title,
updated, rel=alternate link and summary. Dates are RFC 3339 (a project's date at midnight UTC).
"""

from __future__ import annotations

import datetime
from typing import Any

import nh3

from sitegen.model.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES
from sitegen.model.site import Site
from sitegen.sources.config import Language, localize

FEED_ENTRIES = 50
"""A feed carries the newest projects; readers keep what they have seen, and the listings hold the rest."""


def project_feeds(site: Site) -> dict[str, bytes] | None:
    """{output path: Atom document} per language; None when no base URL is known (and there are projects)."""
    projects = [p for p in site.pages if p.layout == "project" and p.available]
    if not projects:
        return {}
    if not site.config.base_url:
        return None
    feeds = {}
    for language in site.config.languages:
        entries = sorted((p.params["project"] for p in projects if p.lang == language.code),
                         key=lambda v: (v["date"], v["slug"]), reverse=True)[:FEED_ENTRIES]
        contents = {p.params["project"]["slug"]: p.content for p in projects if p.lang == language.code}
        folder = language.output_dir("projects")
        feeds[f"{folder}/feed.xml"] = atom(site, language, entries, contents)
    return feeds


def atom(site: Site, language: Language, entries: list[dict[str, Any]], contents: dict[str, str]) -> bytes:
    from xml.sax.saxutils import escape, quoteattr  # (it imports urllib.request: only when there is a feed)

    config = site.config
    urls = config.urls
    strings = site.strings.get(language.code, {})
    settings = config.settings_dump()
    site_title = localize(settings["title"], language.code, config.default.code, config.codes)
    # Who runs the programme (data/site.yaml's owner) when the programme has confirmed it; the site's title until then.
    author = localize(settings["owner"]["name"], language.code, config.default.code, config.codes) or site_title
    listing = urls.absolute(language.url("projects"))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(language.code)}>',
        f"  <id>{escape(listing)}</id>",
        f"  <title>{escape(site_title)}: {escape(strings.get('projects_title', 'Projects'))}</title>",
        f"  <subtitle>{escape(strings.get('projects_description', ''))}</subtitle>",
        f"  <updated>{_rfc3339(entries[0]['date'])}</updated>",
        f"  <author><name>{escape(author)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(listing + "feed.xml")}/>',
        f'  <link rel="alternate" type="text/html" hreflang={quoteattr(language.code)} href={quoteattr(listing)}/>',
    ]
    for entry in entries:
        url = urls.absolute(entry["url"])
        lines += [
            "  <entry>",
            f"    <id>{escape(url)}</id>",
            f"    <title>{escape(entry['title'])}</title>",
            f"    <updated>{_rfc3339(entry['date'])}</updated>",
            f"    <published>{_rfc3339(entry['date'])}</published>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <summary>{escape(entry['summary'])}</summary>",
        ]
        lines += [f"    <category term={quoteattr(t['id'])} label={quoteattr(t['name'])}/>" for t in entry["topics"]]
        html = contents.get(entry["slug"], "")
        if html:
            lines.append(f'    <content type="html">{escape(_absolute(html, urls.origin))}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rfc3339(date: datetime.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _absolute(html: str, origin: str) -> str:
    """Links and images of a page's text (paths from the server's root, the base path included), made
    absolute: a feed is read away from the site.

    The HTML is parsed and written again by the sanitiser (nh3, with the allow-lists of model/markup.py), which
    changes the attribute values and escapes them itself: no address is spliced into HTML as text, so even an
    origin holding '"><script>' (which urls.parse_base_url refuses first) stays inside its attribute."""

    def absolute(tag: str, attribute: str, value: str) -> str:
        if attribute in ("href", "src") and value.startswith("/") and not value.startswith("//"):
            return origin + value
        return value

    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                     strip_comments=True, attribute_filter=absolute)
