"""The catalogue's pages: pagination at its boundaries, the 5 × 40 fixture browsed link by link,
and the real site's honest empty state."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from catalogue_fixture import VOCABULARIES, Links, built_catalogue, cohort_entry, file_for, many_projects
from conftest import SITE_YAML
from sitefactory import make_site, run

from sitegen.model.catalogue import PER_PAGE
from sitegen.sources.config import localize


def build(capsys: pytest.CaptureFixture[str], root: Path, files: dict[str, str]) -> Path:
    make_site(root, files)
    result = run(capsys, "build", "--source", str(root), "--base-url", "https://merhav.example")
    assert result.code == 0, result.err
    return root / "site"


def cards(html: str) -> list[str]:
    """The project slugs of the cards on a page, in order."""
    return re.findall(r'class="card card-link project-card">.*?href="/(?:en/)?cohorts/a/([^/]+)/"', html, re.S)


@pytest.mark.parametrize("n", [PER_PAGE - 1, PER_PAGE, PER_PAGE + 1])
def test_listings_paginate_at_20(tmp_path: Path, capsys: pytest.CaptureFixture[str], n: int) -> None:
    out = build(capsys, tmp_path, many_projects(n))
    paged = n > PER_PAGE
    for listing in ("projects", "en/projects", "cohorts/a", "en/cohorts/a", "ministries/health", "en/ministries/health"):
        first = (out / listing / "index.html").read_text(encoding="utf-8")
        assert len(cards(first)) == min(n, PER_PAGE), listing
        assert (out / listing / "page" / "2" / "index.html").exists() == paged, listing
        assert not (out / listing / "page" / "3").exists()
        assert ('rel="next"' in first) == paged
        assert ('<nav class="pagination"' in first) == paged
    listing = (out / "projects" / "index.html").read_text(encoding="utf-8")
    assert cards(listing)[0] == f"p{n:02d}", "newest first"
    if paged:
        second = (out / "projects" / "page" / "2" / "index.html").read_text(encoding="utf-8")
        assert cards(second) == ["p01"]
        assert '<a class="pagination-prev" rel="prev" href="/projects/">הקודם</a>' in second
        assert 'href="/projects/page/2/" aria-current="page">2</a>' in second
        assert "rel=\"next\"" not in second
        assert "עמוד 2 מתוך 2" in second
        assert "<title>פרוייקטים – עמוד 2 מתוך 2 | מרחב</title>" in second
        assert '<a class="pagination-next" rel="next" href="/projects/page/2/">הבא</a>' in listing
        english = (out / "en" / "projects" / "page" / "2" / "index.html").read_text(encoding="utf-8")
        assert "Page 2 of 2" in english and 'href="/en/projects/" ' not in english
        assert '<a class="pagination-prev" rel="prev" href="/en/projects/">Previous</a>' in english
        cohort = (out / "cohorts" / "a" / "page" / "2" / "index.html").read_text(encoding="utf-8")
        assert cards(cohort) == [f"p{n:02d}"], "a cohort's projects keep the order of data/cohorts.yaml"


@pytest.mark.parametrize(("per_page", "n", "pages"), [(4, 9, 3), (1, 2, 2), (50, 49, 1)])
def test_the_page_size_comes_from_site_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str], per_page: int, n: int, pages: int) -> None:
    out = build(capsys, tmp_path, {**many_projects(n), "data/site.yaml": SITE_YAML + f"projects_per_page: {per_page}\n"})
    for listing in ("projects", "en/projects", "cohorts/a", "ministries/health", "en/ministries/health"):
        seen = cards((out / listing / "index.html").read_text(encoding="utf-8"))
        for number in range(2, pages + 1):
            seen += cards((out / listing / "page" / str(number) / "index.html").read_text(encoding="utf-8"))
        assert not (out / listing / "page" / str(pages + 1)).exists(), listing
        assert sorted(seen) == [f"p{i:02d}" for i in range(1, n + 1)], listing
        assert len(cards((out / listing / "index.html").read_text(encoding="utf-8"))) == min(n, per_page), listing


@pytest.mark.parametrize("value", ["0", "-3", "twenty", "501"])
def test_a_page_size_that_cannot_be_is_an_error_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    make_site(tmp_path, {**many_projects(3), "data/site.yaml": SITE_YAML + f"projects_per_page: {value}\n"})
    result = run(capsys, "build", "--source", str(tmp_path))
    assert result.code == 1
    line = len(SITE_YAML.splitlines()) + 1
    said = f"data/site.yaml:{line}: 'projects_per_page' must be a whole number"
    assert said in result.err, result.err
    if value != "twenty":
        assert f"{said} from 1 to 500, not {value}\n" in result.err


def test_a_long_pagination_shows_a_window_of_page_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = build(capsys, tmp_path, many_projects(PER_PAGE * 9 + 1))
    html = (out / "projects" / "page" / "5" / "index.html").read_text(encoding="utf-8")
    numbers = re.findall(r'class="pagination-number" href="[^"]+"(?: aria-current="page")?>(\d+)<', html)
    assert numbers == ["1", "3", "4", "5", "6", "7", "10"]
    assert html.count('class="pagination-gap"') == 2


def test_a_project_page_shows_every_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from catalogue_fixture import GRADUATES, VOCABULARIES, cohort_entry, project_entry

    extra = ("      partners:\n        - he: עמותת גשרים\n          en: Bridges Association\n"
             "      links:\n        - label:\n            he: אתר\n            en: Website\n          url: https://example.org/x\n"
             "      image: images/photo.png\n      image_alt:\n        he: תמונה\n        en: A picture\n"
             "      body:\n        he: |\n          ## רקע\n\n          ראו [התכנית](../about.he.md).\n")
    files = {**VOCABULARIES, "data/cohorts.yaml": cohort_entry("a", [project_entry(
        "x", ministries="[health, jerusalem]", topics="[housing]", team="[dana-levi]", extra=extra)], GRADUATES)}
    out = build(capsys, tmp_path, files)
    he = (out / "cohorts" / "a" / "x" / "index.html").read_text(encoding="utf-8")
    for expected in ('<h1>פרוייקט x</h1>', '<a href="/ministries/health/"><bdi>משרד הבריאות</bdi></a>',
                     '<a href="/ministries/jerusalem/"><bdi>עיריית ירושלים</bdi></a>', '<a href="/topics/housing/">דיור</a>',
                     "<bdi>עמותת גשרים</bdi>", "<bdi>דנה לוי</bdi>", '<a href="https://example.org/x">אתר</a>',
                     '<source type="image/webp" srcset="/assets/images/photo.', '-2.jpg" alt="תמונה" width="2" height="2" loading="lazy"',
                     '<h2 id="רקע">רקע</h2>', '<a href="/about/">התכנית</a>',
                     '<span class="status status-active">פעיל</span>', '<time datetime="2025-01-01">'):
        assert expected in he
    en = (out / "en" / "cohorts" / "a" / "x" / "index.html").read_text(encoding="utf-8")
    assert "The project's full description exists in another language:" in en
    assert '<a href="/cohorts/a/x/" hreflang="he" lang="he" dir="rtl">עברית</a>' in en
    terms = (out / "ministries" / "index.html").read_text(encoding="utf-8")
    assert terms.index("משרדי ממשלה") < terms.index("משרד הבריאות") < terms.index("רשויות מקומיות") < terms.index("עיריית ירושלים")
    assert "פרוייקט אחד" in terms


def test_terms_without_projects_get_no_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = build(capsys, tmp_path, many_projects(2))
    assert (out / "ministries" / "health" / "index.html").is_file()
    assert not (out / "ministries" / "jerusalem").exists()
    assert not (out / "topics").exists(), "no project has a topic: no topics index"


COHORTS_PAGE = {"content/cohorts/index.he.md": "---\ntitle: מחזורים\nlayout: cohorts\n---\n",
                "content/cohorts/index.en.md": "---\ntitle: Cohorts\nlayout: cohorts\n---\n"}


def test_a_site_without_projects_publishes_no_empty_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No project and a cohort with nothing but a name: no page of projects (so no menu, search, sitemap or feed entry
    for it), no page for the cohort, whose name the cohorts' page gives without a link; nothing promises a list."""
    menu = SITE_YAML.replace("  - page: about\n", "  - page: about\n  - page: projects\n")  # left out while no project
    out = build(capsys, tmp_path, {"data/site.yaml": menu, "data/cohorts.yaml": cohort_entry("a", []), **VOCABULARIES, **COHORTS_PAGE})
    for prefix in ("", "en/"):
        for absent in ("projects", "cohorts/a", "ministries", "topics"):
            assert not (out / prefix / absent).exists(), prefix + absent
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/projects/" not in sitemap and "/cohorts/a/" not in sitemap and "/en/cohorts/" in sitemap
    cohorts = (out / "en" / "cohorts" / "index.html").read_text(encoding="utf-8")
    assert "<li>\n      <h2>Cohort A</h2>" in cohorts and "/cohorts/a/" not in cohorts
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "/projects/" not in text and "will be published" not in text and "תפורסם" not in text, page


def test_a_cohort_with_quotes_alone_shows_them_and_no_empty_section(fixture_site: Path) -> None:
    for prefix in ("", "en/"):
        page = (fixture_site / prefix / "cohorts" / "a" / "index.html").read_text(encoding="utf-8")
        assert 'id="quotes"' in page and 'id="projects"' not in page and 'id="video"' not in page
        assert 'class="notice"' not in page
        assert not (fixture_site / prefix / "projects").exists()


@pytest.mark.parametrize(("extra", "shown", "hidden"), [
    ("  projects_url: https://lists.example.org/a\n",
     ['<h2 id="projects">', '<a href="https://lists.example.org/a">View the list of the inter-ministerial projects'],
     ['id="video"']),
    ("  video: https://www.youtube.com/watch?v=dQw4w9WgXcQ\n", ['<h2 id="video">'], ['id="projects"']),
    ('  years: "2024–2025"\n', ["2024–2025"], ['id="projects"', 'id="video"']),
])
def test_a_cohort_page_shows_only_the_sections_its_data_gives(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               extra: str, shown: list[str], hidden: list[str]) -> None:
    out = build(capsys, tmp_path, {"data/cohorts.yaml": cohort_entry("a", []) + extra, **VOCABULARIES})
    page = (out / "en" / "cohorts" / "a" / "index.html").read_text(encoding="utf-8")
    for expected in shown:
        assert expected in page
    for absent in hidden:
        assert absent not in page
    assert not (out / "en" / "projects").exists()


# --- the 5 × 40 fixture, browsed through its links ---------------------------------------------


def fixture_site() -> Path:
    built = built_catalogue()
    assert built.code == 0, "the generated catalogue does not build"
    return built.out


def links_of(out: Path, page: Path) -> list[str]:
    return Links(page.read_text(encoding="utf-8")).hrefs


def broken_links(out: Path, page: Path) -> list[str]:
    return [href for href in links_of(out, page) if (target := file_for(out, href)) is not None and not target.is_file()]


def first_link(out: Path, page: Path, pattern: str, avoid: str = "") -> str:
    found = [h for h in links_of(out, page) if re.fullmatch(pattern, h) and h != avoid]
    assert found, f"no link matching {pattern} on {page}"
    return found[0]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_fixture_browses_cohort_project_ministry_project(prefix: str) -> None:
    out = fixture_site()
    visited = []
    page = file_for(out, f"{prefix}/cohorts/")
    assert page is not None
    steps = [rf"{prefix}/cohorts/[a-e]/", rf"{prefix}/cohorts/[a-e]/[a-z0-9-]+/", rf"{prefix}/ministries/[a-z0-9-]+/",
             rf"{prefix}/cohorts/[a-e]/[a-z0-9-]+/"]
    previous = ""
    for pattern in steps:
        assert broken_links(out, page) == [], page
        href = first_link(out, page, pattern, avoid=previous)
        if "/cohorts/" in href and href.count("/") > 3 + bool(prefix):
            previous = previous or href
        visited.append(href)
        target = file_for(out, href)
        assert target is not None and target.is_file(), href
        page = target
    assert broken_links(out, page) == []
    assert visited[1] != visited[3], "the walk ends at another project"


def test_every_link_of_the_fixture_catalogue_answers() -> None:
    out = fixture_site()
    pages = [p for folder in ("cohorts", "projects", "ministries", "topics") for root in (out, out / "en")
             for p in (root / folder).rglob("index.html")]
    assert len(pages) > 2 * (5 + 200 + 10), len(pages)
    broken = {str(p.relative_to(out)): b for p in pages if (b := broken_links(out, p))}
    assert broken == {}


def test_the_fixture_has_what_the_generator_promised() -> None:
    out = fixture_site()
    for cohort in "abcde":
        html = (out / "cohorts" / cohort / "index.html").read_text(encoding="utf-8")
        assert "פרוייקטים · עמוד 1 מתוך 2" in html.replace("40 ", ""), cohort
    assert len(list((out / "ministries").glob("*/index.html"))) >= 15
    assert len(list((out / "topics").glob("*/index.html"))) == 10
    assert (out / "projects" / "page" / "10" / "index.html").is_file()
    assert not (out / "projects" / "page" / "11").exists()


def test_the_menu_may_point_to_the_projects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitefactory import SITE_YAML

    site_yaml = SITE_YAML.replace("  - page: about\n", "  - page: about\n  - page: projects\n  - page: ministries\n")
    out = build(capsys, tmp_path, {**many_projects(2), "data/site.yaml": site_yaml})
    html = (out / "en" / "ministries" / "health" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/en/projects/">Projects</a>' in html
    assert '<a href="/en/ministries/" aria-current="page">Ministries and authorities</a>' in html


def test_every_page_of_the_catalogue_has_a_description_of_its_own() -> None:
    """Cohorts, listings by ministry and topic (every page of each), projects, 404s, stand-ins: none
    shares another page's description, nor falls back to the site's one."""
    built = built_catalogue()
    assert built.code == 0
    site_descriptions = set()
    for lang in ("he", "en"):
        site_yaml = yaml.safe_load((built.source / "data" / "site.yaml").read_text(encoding="utf-8"))
        site_descriptions.add(" ".join(str(localize(site_yaml["description"], lang, "he", ["he", "en"])).split()))
    by_language: dict[str, dict[str, list[str]]] = {}
    for file in sorted(built.out.rglob("*.html")):
        markup = file.read_text(encoding="utf-8")
        lang = re.search(r'<html lang="([^"]+)"', markup)
        described = re.search(r'<meta name="description" content="([^"]*)"', markup)
        assert lang and described, file
        text = " ".join(html.unescape(described.group(1)).split())
        assert text and text not in site_descriptions, f"{file.relative_to(built.out)}: {text!r}"
        by_language.setdefault(lang.group(1), {}).setdefault(text, []).append(file.relative_to(built.out).as_posix())
    shared = {text: files for pages in by_language.values() for text, files in pages.items() if len(files) > 1}
    assert not shared, shared
    assert sum(len(pages) for pages in by_language.values()) > 400  # the 5 × 40 catalogue, paginated, in both languages
