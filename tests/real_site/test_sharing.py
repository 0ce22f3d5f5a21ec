"""Sharing and structured data on the real content, built under a sub-path: every indexable page has its Open Graph
and Twitter tags, an x-default alternate matching the sitemap, and JSON-LD blocks that parse and carry the fields
schema.org's types need — with facts read back from the engine's model, never today's pages or counts."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from conftest import Tags
from PIL import Image

from sitegen.model.site import Page

from .conftest import Built

pytestmark = pytest.mark.slow
OG_REQUIRED = ("og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale", "og:image", "og:image:alt",
               "og:image:width", "og:image:height")


def _page_html(real_site: Built, page: Page) -> str:
    return (real_site.root / page.output).read_text(encoding="utf-8")


def _meta(tags: Tags, key: str) -> list[str]:
    return [a.get("content") or "" for t, a in tags.found if t == "meta" and (a.get("property") == key or a.get("name") == key)]


def json_ld(html: str) -> list[dict[str, Any]]:
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def _local(real_site: Built, address: str) -> bytes:
    assert address.startswith(real_site.base_url), address
    target = real_site.root / address[len(real_site.base_url):]
    return (target / "index.html" if target.is_dir() else target).read_bytes()


def _indexable(real_site: Built) -> list[Page]:
    assert real_site.site is not None
    return [p for p in real_site.site.pages if p.in_sitemap]


def test_every_indexable_page_has_its_sharing_tags(real_site: Built) -> None:
    assert real_site.site is not None
    locales = {lang.code: lang.locale for lang in real_site.site.config.languages}
    images: dict[str, bytes] = {}
    for page in _indexable(real_site):
        tags = Tags(_page_html(real_site, page))
        for key in OG_REQUIRED:
            values = _meta(tags, key)
            assert len(values) == 1 and values[0].strip(), f"{page.url}: {key} {values}"
        assert _meta(tags, "og:url") == [real_site.origin + page.url]
        assert _meta(tags, "og:locale") == [locales[page.lang]]
        assert sorted(_meta(tags, "og:locale:alternate")) == sorted(v for k, v in locales.items() if k != page.lang)
        assert _meta(tags, "twitter:card") == ["summary_large_image"]
        assert len(_meta(tags, "description")) == 1 and _meta(tags, "description")[0].strip(), page.url
        image = _meta(tags, "og:image")[0]
        images.setdefault(image, _local(real_site, image))
        with Image.open(io.BytesIO(images[image])) as picture:
            assert picture.size == (int(_meta(tags, "og:image:width")[0]), int(_meta(tags, "og:image:height")[0])) == (1200, 630)
    assert len(images) == len(locales), "one share image per language"


def test_the_head_names_the_same_alternates_and_x_default_as_the_sitemap(real_site: Built) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(real_site.root / "sitemap.xml").getroot()
    sitemap = {url.findtext("s:loc", namespaces=ns): {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
               for url in root.findall("s:url", ns)}
    multilingual = 0
    for page in _indexable(real_site):
        links = [a for a in Tags(_page_html(real_site, page)).all("link", rel="alternate") if a.get("hreflang")]
        head = {a["hreflang"]: a.get("href") for a in links}
        expected = sitemap[real_site.origin + page.url]
        if expected:
            multilingual += 1
            assert head == expected, page.url
        else:  # a page in one language only: itself, and no x-default (nor in the sitemap)
            assert "x-default" not in head, page.url
    assert multilingual, "no page with translations: nothing was compared"


def test_every_json_ld_block_parses_and_has_the_fields_of_its_type(real_site: Built) -> None:
    assert real_site.site is not None
    seen: set[str] = set()
    for page in real_site.site.pages:
        blocks = json_ld(_page_html(real_site, page))
        if page.noindex:
            assert blocks == [], f"{page.url}: structured data on a page search engines should not list"
            continue
        types = [b["@type"] for b in blocks]
        seen.update(types)
        for block in blocks:
            assert block["@context"] == "https://schema.org", page.url
            problems = _problems(block, real_site)
            assert not problems, f"{page.url}: {problems}"
        if page.key:
            crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")["itemListElement"]
            assert crumbs[-1]["item"] == real_site.origin + page.url and crumbs[-1]["name"] == page.title, page.url
            assert crumbs[0]["item"] == real_site.origin + real_site.site.page("", page.lang).url  # type: ignore[union-attr]
        else:
            assert {"WebSite", "EducationalOccupationalProgram"} <= set(types), page.url
        if page.layout == "programme":
            assert "EducationalOccupationalProgram" in types, page.url
        if page.layout == "project":
            work = next(b for b in blocks if b["@type"] == "CreativeWork")
            view = page.params["project"]
            assert (work["name"], work["datePublished"]) == (view["title"], view["date"].isoformat()), page.url
        if page.layout == "testimonials":
            testimonials = real_site.site.data.get("testimonials") or []
            assert types.count("Quotation") == len(testimonials), page.url
    assert {"BreadcrumbList", "WebSite", "EducationalOccupationalProgram"} <= seen
    # Who runs the programme is named only from data/site.yaml's owner, never assumed.
    assert ("Organization" in seen) == bool(real_site.site.config.settings.owner.name)


REQUIRED: dict[str, tuple[str, ...]] = {
    "WebSite": ("name", "url", "inLanguage"),
    "Organization": ("name",),
    "EducationalOccupationalProgram": ("name", "description", "url"),
    "CreativeWork": ("name", "description", "url", "datePublished", "inLanguage"),
    "Quotation": ("text", "creator"),
    "BreadcrumbList": ("itemListElement",),
    "VideoObject": ("name", "description", "url", "mainEntityOfPage"),
}


def _problems(block: dict[str, Any], real_site: Built) -> list[str]:
    kind = block["@type"]
    if kind not in REQUIRED:
        return [f"unexpected type {kind}"]
    problems = [f"{kind} without {name}" for name in REQUIRED[kind] if not block.get(name)]
    owner = real_site.site.config.settings.owner.name if real_site.site else ""
    if kind in ("EducationalOccupationalProgram", "WebSite"):
        named = (block.get("provider") or block.get("publisher") or {})
        if bool(owner) != bool(named):
            problems.append(f"{kind}: provider/publisher {named!r} where data/site.yaml's owner is {owner!r}")
    if kind == "Quotation" and not (block.get("creator") or {}).get("name"):
        problems.append("a quote by no one")
    if kind == "BreadcrumbList":
        items = block.get("itemListElement") or []
        if [i.get("position") for i in items] != list(range(1, len(items) + 1)) or not all(i.get("name") for i in items):
            problems.append(f"breadcrumbs out of order or unnamed: {items}")
        problems += [f"a breadcrumb outside the site: {i.get('item')}" for i in items if not str(i.get("item")).startswith(real_site.base_url)]
    for key in ("url", "image"):
        if key in block and kind != "VideoObject" and not str(block[key]).startswith(real_site.base_url):
            problems.append(f"{kind}.{key} outside the site: {block[key]}")
    if "datePublished" in block and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", block["datePublished"]):
        problems.append(f"{kind}.datePublished is not a date: {block['datePublished']}")
    if "timeToComplete" in block and not re.fullmatch(r"P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?", block["timeToComplete"]):
        problems.append(f"{kind}.timeToComplete is not an ISO 8601 period: {block['timeToComplete']}")
    return problems
