"""The projects' Atom feeds: every MUST of RFC 4287, and a real feed reader's parser reads them cleanly."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from catalogue_fixture import BASE_URL, built_catalogue, many_projects
from sitefactory import make_site, run

from sitegen.output.feeds import FEED_ENTRIES

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feed_of(lang: str) -> Path:
    built = built_catalogue()
    assert built.code == 0
    return built.out / ("projects/feed.xml" if lang == "he" else f"{lang}/projects/feed.xml")


def text(element: ET.Element, tag: str) -> str:
    found = element.find(ATOM + tag)
    assert found is not None, f"<{tag}> is missing"
    return found.text or ""


def links(element: ET.Element) -> dict[str, str]:
    return {link.get("rel", "alternate"): link.get("href", "") for link in element.findall(ATOM + "link")}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_feed_meets_every_must_of_rfc_4287(lang: str) -> None:
    root = ET.parse(feed_of(lang)).getroot()
    prefix = "" if lang == "he" else f"/{lang}"
    assert root.tag == ATOM + "feed" and root.get(XML_LANG) == lang
    assert text(root, "id") == f"{BASE_URL}{prefix}/projects/"
    assert text(root, "title").strip()
    assert RFC3339.match(text(root, "updated"))
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # so no entry needs its own author
    assert links(root)["self"] == f"{BASE_URL}{prefix}/projects/feed.xml"
    assert links(root)["alternate"] == f"{BASE_URL}{prefix}/projects/"
    entries = root.findall(ATOM + "entry")
    assert len(entries) == FEED_ENTRIES
    ids = [text(e, "id") for e in entries]
    assert len(set(ids)) == len(ids)
    dates = [text(e, "updated") for e in entries]
    assert all(RFC3339.match(d) for d in dates) and dates == sorted(dates, reverse=True), "newest first"
    assert text(root, "updated") == dates[0]
    for entry in entries:
        assert text(entry, "title").strip() and text(entry, "summary").strip()
        alternate = links(entry)["alternate"]
        assert alternate == text(entry, "id") and re.fullmatch(rf"{BASE_URL}{prefix}/cohorts/[a-e]/[a-z0-9-]+/", alternate)
        content = entry.find(ATOM + "content")
        if content is not None:
            assert content.get("type") == "html"
            assert 'href="/' not in (content.text or ""), "links in a feed are absolute"


@pytest.mark.parametrize("lang", ["he", "en"])
def test_a_feed_reader_parses_the_feed_without_complaint(lang: str) -> None:
    parsed = feedparser.parse(feed_of(lang).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == FEED_ENTRIES
    first = parsed.entries[0]
    assert first.link.startswith(BASE_URL) and first.title and first.summary
    newest = max(datetime.date(*e.updated_parsed[:3]) for e in parsed.entries)
    assert datetime.date(*first.updated_parsed[:3]) == newest


def test_every_page_of_a_language_links_its_feed() -> None:
    out = built_catalogue().out
    for page, href in (("index.html", "/projects/feed.xml"), ("en/programme/index.html", "/en/projects/feed.xml"),
                       ("cohorts/b/index.html", "/projects/feed.xml"), ("en/topics/health/index.html", "/en/projects/feed.xml")):
        html = (out / page).read_text(encoding="utf-8")
        assert f'<link rel="alternate" type="application/atom+xml" href="{href}"' in html, page


def test_without_a_base_url_the_feeds_are_left_out_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, many_projects(3))
    result = run(capsys, "build", "--source", str(tmp_path))
    assert result.code == 0
    assert "note: no base URL: the projects' Atom feeds left out — set base_url in data/site.yaml or pass --base-url" in result.err
    assert not (tmp_path / "site" / "projects" / "feed.xml").exists()
    assert "application/atom+xml" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_small_feed_lists_every_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, many_projects(3))
    assert run(capsys, "build", "--source", str(tmp_path), "--base-url", BASE_URL).code == 0
    parsed = feedparser.parse((tmp_path / "site" / "en" / "projects" / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert [e.title for e in parsed.entries] == ["Project p03", "Project p02", "Project p01"]
    assert parsed.feed.language == "en" and parsed.entries[0].id == f"{BASE_URL}/en/cohorts/a/p03/"
