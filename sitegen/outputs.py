"""Files made from the whole site rather than one page: sitemap.xml, robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .model import Site


def sitemap(site: Site) -> bytes | None:
    """A sitemap with every indexable page and its translations (xhtml:link alternates).

    Sitemaps need absolute addresses: without a base URL there is none (the build says so).
    """
    base = site.config.base_url
    if not base:
        return None
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in site.pages:
        if not page.in_sitemap:
            continue
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(base + page.url)}</loc>")
        translations = [(lang.code, other) for lang, other in site.translations(page) if other.in_sitemap]
        if len(translations) > 1:
            # x-default: the page a visitor whose language is none of ours gets — the first language's
            for code, other in [*translations, ("x-default", translations[0][1])]:
                lines.append(f"    <xhtml:link rel=\"alternate\" hreflang={quoteattr(code)} href={quoteattr(base + other.url)}/>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site: Site) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site.config.base_url:
        lines.append(f"Sitemap: {site.config.base_url}/sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
