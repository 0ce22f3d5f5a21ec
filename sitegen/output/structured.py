"""Structured data (schema.org, JSON-LD) for a page: facts of data/*.yaml and content/ only, nothing invented.

- every indexable page: a ``BreadcrumbList`` (home → the pages above it → the page);
- the home page: the site (``WebSite``), who runs the programme (``Organization``, from data/site.yaml's ``owner``,
  left out with the ``publisher`` and ``provider`` that name it while ``owner`` is empty) and the programme;
- the programme's page (layout ``programme``): the programme, an ``EducationalOccupationalProgram`` — its full title,
  its goal and method as the curriculum writes them (the meetings and the duration in the source's words), the
  owner as its provider, and ``timeToComplete`` when data/curriculum.yaml gives ``method.duration_iso``;
- a project's page: a ``CreativeWork`` (title, summary, date, status, team, topics; part of the programme);
- the testimonials' page: each quote a ``Quotation`` by a ``Person`` with the role the data gives;
- a cohort's page with a video: a ``VideoObject`` (output/video.py).

Drafts, stand-ins, 404 and search pages get none. Each block is written as
``<script type="application/ld+json">``: a data block, which browsers never run, so the Content-Security-Policy
(no inline script) does not apply to it; ``<`` is escaped so that no text can close the element.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from sitegen.model.site import Page, Site
from sitegen.output.video import video_of

CONTEXT = "https://schema.org"


def json_ld(site: Site, page: Page, data: Mapping[str, Any], settings: Mapping[str, Any], strings: Mapping[str, str],
            image: str, poster: Callable[[str], str] = lambda rel: "") -> list[dict[str, Any]]:
    """The page's JSON-LD objects (each with its @context); ``image`` is the share image's absolute address,
    ``poster(rel)`` the absolute address of a photo of static/ as published ("" when it has none)."""
    if page.noindex:
        return []
    urls = site.config.urls
    language = site.config.language(page.lang)

    def address(path: str) -> str:
        return urls.absolute(path) or path

    home = address(language.url(""))
    owner = settings.get("owner") or {}
    organization: dict[str, Any] | None = None  # who runs the programme: named only when data/site.yaml's owner says
    if owner.get("name"):
        organization = {"@type": "Organization", "@id": f"{home}#owner", "name": owner["name"]}
        organization.update({key: owner[key] for key in ("url", "address") if owner.get(key)})
    program_page = next((p for p in site.pages_in(page.lang) if p.layout == "programme" and p.available), None)
    program_id = f"{address(program_page.url) if program_page else home}#programme"
    blocks: list[dict[str, Any]] = []
    if page.key:
        blocks.append(breadcrumbs(site, page, address))
    if page.key == "":
        website = {"@type": "WebSite", "@id": f"{home}#website", "name": settings.get("title", ""),
                   "alternateName": settings.get("full_title", ""), "url": home, "inLanguage": page.lang,
                   "description": settings.get("description", ""), "image": image}
        if organization:
            website["publisher"] = {"@id": organization["@id"]}
        blocks.append(website)
        if organization:
            blocks.append(organization)
    if page.key == "" or page.layout == "programme":
        blocks.append(programme(data.get("curriculum") or {}, settings, program_id, organization,
                                address(program_page.url) if program_page else home, page.lang))
    if page.layout == "project":
        blocks.append(project(page.params["project"], strings, address, program_id, page.lang, image))
    if page.layout == "testimonials":
        blocks += [quotation(item, page.lang) for item in data.get("testimonials") or []]
    if page.layout == "cohort":
        cohort = next((c for c in data.get("cohorts") or [] if c.get("id") == page.params.get("cohort")), None)
        if cohort and cohort.get("video"):
            blocks.append(video_object(cohort, strings, address(page.url), poster(cohort.get("image") or "")))
    return [{"@context": CONTEXT, **block} for block in blocks]


def trail(site: Site, page: Page) -> list[Page]:
    """Home, then every page above this one that exists, is published and is not a draft (cohorts, cohorts/a, …),
    then this page: the breadcrumbs, here and on the page (templates/base.html)."""
    parts = page.key.split("/")
    above = [site.page("", page.lang), *(site.page("/".join(parts[:n]), page.lang) for n in range(1, len(parts)))]
    return [p for p in above if p is not None and p.available and not p.draft] + [page]


def breadcrumbs(site: Site, page: Page, address: Callable[[str], str]) -> dict[str, Any]:
    """The trail as schema.org's BreadcrumbList (this page only when it is published)."""
    shown = [p for p in trail(site, page) if p.available and not p.draft]
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": n, "name": p.title, "item": address(p.url)} for n, p in enumerate(shown, 1)]}


def programme(curriculum: Mapping[str, Any], settings: Mapping[str, Any], program_id: str, organization: dict[str, Any] | None,
              url: str, lang: str) -> dict[str, Any]:
    method = curriculum.get("method") or {}
    goal = (curriculum.get("goal") or {}).get("text", "")
    description = " ".join(t for t in [goal, *(method.get("points") or [])] if t)
    block = {"@type": "EducationalOccupationalProgram", "@id": program_id, "name": settings.get("full_title", ""),
             "description": description, "url": url, "inLanguage": lang}
    if organization:
        block["provider"] = organization
    if method.get("duration_iso"):
        block["timeToComplete"] = method["duration_iso"]
    return block


def project(view: Mapping[str, Any], strings: Mapping[str, str], address: Callable[[str], str], program_id: str,
            lang: str, image: str) -> dict[str, Any]:
    block: dict[str, Any] = {
        "@type": "CreativeWork", "name": view["title"], "description": view["summary"], "url": address(view["url"]),
        "datePublished": view["date"].isoformat(), "inLanguage": lang,
        "creativeWorkStatus": strings.get(f"status_{view['status']}", view["status"]),
        "isPartOf": {"@id": program_id}, "image": image,
    }
    if view.get("team"):
        block["contributor"] = [{"@type": "Person", "name": m["name"], **({"jobTitle": m["role"]} if m.get("role") else {})}
                                for m in view["team"]]
    if view.get("topics"):
        block["about"] = [t["name"] for t in view["topics"]]
    return block


def quotation(item: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A graduate's quote: the words, who said them and the role the data gives them (never more)."""
    role = item.get("caption") or ", ".join(t for t in (item.get("role"), item.get("organisation")) if t)
    person = {"@type": "Person", "name": item.get("name", ""), **({"jobTitle": role} if role else {})}
    return {"@type": "Quotation", "text": item.get("quote", ""), "creator": person, "inLanguage": lang}


def video_object(cohort: Mapping[str, Any], strings: Mapping[str, str], page_url: str, thumbnail: str) -> dict[str, Any]:
    """The cohort's video: its name and description from the cohort and the strings, its player, the cohort's photo
    as its thumbnail when it has one. No upload date: the data has none."""
    video = video_of(cohort["video"])
    name = f"{strings.get('cohort_video_heading', '')}: {cohort.get('name', '')}".strip(": ")
    block: dict[str, Any] = {"@type": "VideoObject", "name": name, "description": cohort.get("summary") or name,
                             "url": video["url"], "mainEntityOfPage": page_url}
    if video["embed"]:
        block["embedUrl"] = video["embed"]
    if thumbnail:
        block["thumbnailUrl"] = thumbnail
    return block


def script_blocks(blocks: list[dict[str, Any]]) -> Markup:
    """The ``<script type="application/ld+json">`` elements of ``blocks``, deterministic, ``<`` escaped."""
    return Markup("\n".join(
        '<script type="application/ld+json">'
        + json.dumps(block, ensure_ascii=False, sort_keys=False, separators=(",", ":")).replace("<", "\\u003c")
        + "</script>" for block in blocks))
