"""The repository's own content builds, and every page is in its language and direction."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import BASE_URL, REPO, Tags

from sitegen.cli import main

pytestmark = pytest.mark.slow


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_real_content_passes_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No problems found.\n\nTranslation status")


def test_every_page_has_the_lang_and_dir_of_its_language(real_site: Path) -> None:
    assert len(pages(real_site)) >= 10
    for page in pages(real_site):
        english = page.relative_to(real_site).parts[0] == "en"
        expected = {"lang": "en", "dir": "ltr"} if english else {"lang": "he", "dir": "rtl"}
        assert Tags(page.read_text(encoding="utf-8")).first("html") == expected, page


def test_every_language_switch_leads_to_an_existing_page_in_that_language(real_site: Path) -> None:
    checked = 0
    for page in pages(real_site):
        for link in Tags(page.read_text(encoding="utf-8")).all("a"):
            href, lang = link.get("href"), link.get("hreflang")
            if not lang:
                continue
            assert href and href.startswith("/"), (page, href)
            target = real_site / href.lstrip("/")
            target = target / "index.html" if href.endswith("/") else target
            assert target.is_file(), f"{page.relative_to(real_site)}: switcher to {href} has no file"
            assert Tags(target.read_text(encoding="utf-8")).first("html")["lang"] == lang
            checked += 1
    assert checked >= len(pages(real_site))


def test_the_real_sitemap_is_valid_and_absolute(real_site: Path) -> None:
    root = ET.parse(real_site / "sitemap.xml").getroot()
    locs = [el.text or "" for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{BASE_URL}/" in locs and f"{BASE_URL}/en/" in locs
    assert all(loc.startswith(BASE_URL + "/") for loc in locs)
    for loc in locs:
        rel = loc.removeprefix(BASE_URL + "/")
        assert (real_site / rel / "index.html").is_file(), loc
    assert (real_site / "robots.txt").is_file() and (real_site / "404.html").is_file() and (real_site / "en/404.html").is_file()
