"""The frame of every page (templates/base.html, issue 23): breadcrumbs on inner pages, a slim footer, the mark and
the favicon, the share image. What a browser must show (the phone menu, print) is in tests/browser/test_header_menu.py."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, SITE_YAML
from PIL import Image
from sitefactory import make_site, run, snapshot, tiny_png

from sitegen.model.svg import sanitise_svg
from sitegen.output.share import FONTS, HEIGHT, WIDTH, draw
from sitegen.output.year import build_year

FONT_BYTES = tuple((REPO / "static" / FONTS[name]).read_bytes() for name in ("hebrew", "latin"))


class Crumbs(HTMLParser):
    """The breadcrumbs of a page: [(href or None, text, aria-current)], and the nav's aria-label."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.label: str | None = None
        self.items: list[tuple[str | None, str, str | None]] = []
        self._inside = False
        self._item: list = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and a.get("class") == "breadcrumbs":
            self._inside, self.label = True, a.get("aria-label")
        elif self._inside and tag == "li":
            self._item = [None, "", None]
        elif self._inside and tag in ("a", "span"):
            self._item[0] = a.get("href") if tag == "a" else None
            self._item[2] = a.get("aria-current")

    def handle_endtag(self, tag: str) -> None:
        if self._inside and tag == "li":
            self.items.append(tuple(self._item))  # type: ignore[arg-type]
        elif tag == "nav":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside and self._item:
            self._item[1] += data.strip()


def _page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def _json_ld_trail(html: str) -> list[str]:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "BreadcrumbList":
            return [item["name"] for item in data["itemListElement"]]
    return []


@pytest.mark.parametrize(("rel", "expected"), [
    ("cohorts/a/index.html", [("/", "מרחב", None), ("/cohorts/", "מחזורים", None), (None, "מחזור א'", "page")]),
    ("en/cohorts/a/index.html", [("/en/", "Merhav", None), ("/en/cohorts/", "Cohorts", None), (None, "Cohort A", "page")]),
    ("en/programme/index.html", [("/en/", "Merhav", None), (None, "The programme", "page")]),
])
def test_an_inner_page_has_breadcrumbs_back_to_the_pages_above_it(fixture_site: Path, rel: str, expected: list) -> None:
    html = _page(fixture_site, rel)
    crumbs = Crumbs(html)
    assert crumbs.label == ("מיקום באתר" if not rel.startswith("en/") else "Breadcrumb")
    titles = [title for _, title, _ in crumbs.items]
    assert crumbs.items[1:] == expected[1:] and crumbs.items[0][0] == expected[0][0], crumbs.items
    assert titles == _json_ld_trail(html), "the page shows the trail its structured data gives"


@pytest.mark.parametrize("rel", ["index.html", "en/index.html", "404.html", "en/404.html"])
def test_the_home_page_and_404_have_no_breadcrumbs(fixture_site: Path, rel: str) -> None:
    assert 'class="breadcrumbs"' not in _page(fixture_site, rel)


def _footer(html: str) -> str:
    found = re.search(r'<footer class="site-footer">.*</footer>', html, re.S)
    assert found
    return found[0]


@pytest.mark.parametrize("rel", ["index.html", "en/cohorts/a/index.html"])
def test_the_footer_is_slim(fixture_site: Path, rel: str) -> None:
    footer = _footer(_page(fixture_site, rel))
    assert "<h2" not in footer and "lang-switch" not in footer, "no 'Language' column repeating the header's switcher"
    assert "partner-card" not in footer and "card" not in footer, "no partner cards on every page"
    settings = (fixture_site.parent / "src" / "data" / "site.yaml").read_text(encoding="utf-8")
    assert "מרחב עבודה קבוע ומשותף" in settings and "מרחב עבודה קבוע ומשותף" not in footer, "names only, not descriptions"
    assert "<bdi>מיזם ממשל וחברה אזרחית</bdi>" in footer or "<bdi>The Government and Civil Society Initiative</bdi>" in footer
    assert "<a href=\"\"" not in footer, "a partner without an address is not a link"
    assert re.search(r'<p class="footer-year">© \d{4} ', footer)


def test_a_partner_with_an_address_is_a_link_and_its_logo_shows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"><rect width="4" height="2" fill="#333"/></svg>'
    yaml = SITE_YAML.replace("    url: https://example.org/\n", "    url: https://example.org/\n    logo: logos/partner.svg\n", 1)
    root = make_site(tmp_path, {"data/site.yaml": yaml, "static/logos/partner.svg": logo})
    assert run(capsys, "build", "--source", str(root)).code == 0
    footer = _footer(snapshot(root / "site")["en/index.html"].decode())
    assert '<a href="https://example.org/"><bdi>Partner</bdi></a>' in footer
    assert re.search(r'<img class="partner-logo" src="/[^"]*partner[^"]*\.svg" alt=""', footer), footer


@pytest.mark.parametrize(("logo", "problem"), [
    ("logos/none.svg", "the logo 'logos/none.svg' is not in static/ — put the file at static/logos/none.svg"),
    ("logos/p.png", "the logo 'logos/p.png' is not an SVG file"),
])
def test_a_partner_logo_that_is_missing_or_not_svg_is_an_error_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                             logo: str, problem: str) -> None:
    yaml = SITE_YAML.replace("    url: https://example.org/\n", f"    url: https://example.org/\n    logo: {logo}\n", 1)
    result = run(capsys, "check", "--source", str(make_site(tmp_path, {"data/site.yaml": yaml, "static/logos/p.png": tiny_png()})))
    line = yaml.splitlines().index(f"    logo: {logo}") + 1
    assert result.code == 1
    assert f"data/site.yaml:{line}: {problem}" in result.err, result.err


def test_the_year_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")  # 9 September 2001
    assert build_year() == 2001
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_year() >= 2026


def _elements(data: bytes) -> list[tuple[str, dict[str, str]]]:
    return [(e.tag, dict(e.attrib)) for e in ET.fromstring(data).iter()]


@pytest.mark.parametrize("name", ["mark.svg", "favicon.svg", "hero.svg"])
def test_the_identity_svgs_pass_the_sanitiser_whole(name: str) -> None:
    original = (REPO / "static" / name).read_bytes()
    assert _elements(sanitise_svg(original)) == _elements(original), "the sanitiser removes nothing from the mark"
    tags = {tag.rsplit("}", 1)[-1] for tag, _ in _elements(original)}
    assert "text" not in tags and "circle" in tags, "drawn shapes, no letter (the old favicon was a Latin 'M')"


FULL = "Merhav: promoting shared spaces of influence for government and civil society"


def test_the_share_image_says_the_name_once_and_has_no_side_bar() -> None:
    image = draw("Merhav", FULL, "", False, FONT_BYTES)
    assert image == draw("MERHAV", FULL, "", False, FONT_BYTES), "a full title that holds the name: the name is not drawn apart"
    assert image != draw("Elsewhere", FULL, "", False, FONT_BYTES), "a full title without the name: the name is drawn too"
    for rtl in (False, True):
        with Image.open(io.BytesIO(draw("מרחב", '"מרחב" לקידום', "", rtl, FONT_BYTES))) as picture:
            rgb = picture.convert("RGB")
            edges = {rgb.getpixel((x, y)) for x in (*range(0, 40), *range(WIDTH - 40, WIDTH)) for y in range(0, HEIGHT, 7)}
            assert edges == {(0x0F, 0x4C, 0x5C)}, "the edges are the background: no yellow bar"
