"""Files made from the whole site rather than one page: sitemap.xml, robots.txt, _headers, and static/ as published."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sitegen.errors import BuildFailed, ContentError
from sitegen.messages import msg
from sitegen.model.assets import ASSETS_DIR
from sitegen.model.site import Site
from sitegen.model.statichtml import is_static_html, no_head, with_policy
from sitegen.output.feeds import project_feeds
from sitegen.output.images import CACHE_DIR, photo_outputs
from sitegen.output.security import headers_file, meta_policy
from sitegen.output.share import share_images
from sitegen.output.write import Output
from sitegen.sources.streamed import Remembered, stream_source
from sitegen.sources.tree import Unreadable, read_source


def sitemap(site: Site) -> bytes | None:
    """A sitemap with every indexable page and its translations (xhtml:link alternates).

    Sitemaps need absolute addresses: without a base URL there is none (the build says so).
    """
    urls = site.config.urls
    if not urls.origin:
        return None
    from xml.sax.saxutils import escape, quoteattr  # (it imports urllib.request: only when there is a sitemap)

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in site.pages:
        if not page.in_sitemap:
            continue
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(urls.absolute(page.url))}</loc>")
        translations = [(lang.code, other) for lang, other in site.translations(page) if other.in_sitemap]
        if len(translations) > 1:
            # x-default: the page a visitor whose language is none of ours gets — the first language's
            for code, other in [*translations, ("x-default", translations[0][1])]:
                lines.append(f"    <xhtml:link rel=\"alternate\" hreflang={quoteattr(code)} href={quoteattr(urls.absolute(other.url))}/>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site: Site) -> bytes:
    """robots.txt. Crawlers read it only at a domain's root: under a sub-path it is written all the same
    (harmless), and the sitemap is announced by the pages' canonical links and by the host."""
    urls = site.config.urls
    lines = ["User-agent: *", "Allow: /"]
    if urls.origin:
        lines.append(f"Sitemap: {urls.absolute(urls.path('sitemap.xml'))}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def headers(site: Site) -> bytes:
    return headers_file(site.config.urls.root, ASSETS_DIR, tuple(lang.prefix for lang in site.config.languages if lang.prefix))


def static_outputs(site: Site, static_dir: Path, remembered: Remembered | None = None) -> dict[str, Output]:
    """static/ as published: fingerprinted files under their hashed names (stylesheets rewritten), photos as their
    variants (never the original), listed web pages with the site's policy, and the others as they are: by reference
    to their source, read in chunks for their digest and copied in chunks by output/write.py, never held whole
    (sources/streamed.py; ``remembered``: the digest kept by the file's status instead, incremental/stamped.py).

    Raises BuildFailed when a file listed when the sources were read is no longer an ordinary file of the project."""
    root = static_dir.parent

    def unreadable(rel: str, problem: Unreadable) -> BuildFailed:
        return BuildFailed([ContentError(f"static/{rel}", 0, problem.message)])

    def read(rel: str) -> bytes:
        try:
            return read_source(static_dir / rel, root)
        except Unreadable as problem:
            raise unreadable(rel, problem) from None

    files: dict[str, Output] = dict(photo_outputs(site.assets.photos, read, root / CACHE_DIR))
    for rel in site.static_files:
        if rel in site.assets.photos:
            continue
        out = site.assets.output(rel)
        data = site.assets.contents.get(out)
        if data is not None:  # fingerprinted, sanitised or encoded afresh by the model
            files[out] = data
        elif is_static_html(rel):  # listed in data/site.yaml (the model refused the others): the site's policy first
            with_head = with_policy(read(rel), meta_policy()["csp"])
            if with_head is None:  # changed since the model read it
                raise BuildFailed([ContentError(f"static/{rel}", 0, no_head())])
            files[out] = with_head
        else:
            try:
                files[out] = stream_source(static_dir / rel, root, remembered)
            except Unreadable as problem:
                raise unreadable(rel, problem) from None
    return files


def site_files(site: Site, static_dir: Path, drawn: Mapping[str, bytes] | None = None, remembered: Remembered | None = None,
               ) -> tuple[dict[str, Output], list[str]]:
    """Everything but the pages: static/ as published, the share images (``drawn``: those an earlier build drew,
    output/share.py), robots.txt, _headers, the sitemap and the feeds; with the notes a build prints (what a missing
    base URL leaves out). ``remembered``: as for ``static_outputs``."""
    files = static_outputs(site, static_dir, remembered)
    files.update(share_images(site, static_dir, drawn))
    files["robots.txt"] = robots(site)
    files["_headers"] = headers(site)
    notes: list[str] = []  # Messages (sitegen/messages)
    site_map = sitemap(site)
    if site_map is None:
        notes.append(msg("no base URL: sitemap.xml and canonical links left out — set base_url in data/site.yaml or pass "
                         "--base-url"))
    else:
        files["sitemap.xml"] = site_map
    feeds = project_feeds(site)
    if feeds is None:
        notes.append(msg("no base URL: the projects' Atom feeds left out — set base_url in data/site.yaml or pass --base-url"))
    else:
        files.update(feeds)
    return files, notes
