"""A person browses the generated catalogue (5 cohorts × 40 projects) in headless Chromium, in
both languages: the cohorts → a cohort → a project (by clicking its card, not its title) → one of
its ministries → another project. Every link and <link> on each of those pages answers 200.

The catalogue is tests/catalogue_fixture.py's (bench/generate.py's data with the real templates),
built once per run and served by one server a process (tests/browser/conftest.py, ``catalogue_server``);
Chromium comes from tests/browser_support.py (skipped with a reason when missing, a failure when CI=true).
The file's tests are one group (``xdist_group``): one worker waits for the catalogue's build, not both.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from browser_support import Served
from catalogue_fixture import built_catalogue

from browser.axe_check import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("catalogue")]


@pytest.fixture(scope="module")
def catalogue_url(catalogue_server: Served) -> str:
    return catalogue_server.origin


@pytest.fixture
def tab(browser: Any, catalogue_url: str) -> Iterator[Any]:
    """A page of a fresh context on the catalogue's server, with its console errors collected."""
    context = browser.new_context(base_url=catalogue_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"uncaught: {e}"))
    yield page
    context.close()


def check_every_link(page: Any, base: str, answered: dict[str, int]) -> None:
    hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs, page.url
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        if urlsplit(url).netloc != urlsplit(base).netloc:
            continue  # another site (the project links of the generated data point to example.org)
        if url not in answered:
            answered[url] = page.request.get(url).status
        assert answered[url] == 200, f"{page.url}: the link {href} answers {answered[url]}"


@pytest.mark.parametrize("prefix, lang, direction", [("", "he", "rtl"), ("/en", "en", "ltr")])
def test_browse_cohort_project_ministry_project(tab: Any, catalogue_url: str, prefix: str, lang: str, direction: str) -> None:
    answered: dict[str, int] = {}
    tab.goto(f"{prefix}/cohorts/")
    assert tab.evaluate("[document.documentElement.lang, document.dir]") == [lang, direction]
    check_every_link(tab, catalogue_url, answered)

    tab.locator(".cohort-cards .card-link a").nth(1).click()                  # a cohort
    tab.wait_for_url(re.compile(rf"{prefix}/cohorts/b/$"))
    check_every_link(tab, catalogue_url, answered)
    assert tab.locator(".project-card").count() == 20
    assert tab.locator("nav.pagination a[rel=next]").count() == 1

    card = tab.locator(".project-card").first                                 # a project: click the card, not the title
    first_project = card.locator(".card-title a").get_attribute("href")
    box = card.locator("p").nth(1).bounding_box()                            # the summary: the title's link covers the card
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.wait_for_url(re.compile(re.escape(first_project) + "$"))
    assert tab.locator("h1").inner_text()
    check_every_link(tab, catalogue_url, answered)

    ministry = tab.locator(".project-facts a[href*='/ministries/']").first    # one of its ministries
    name = ministry.inner_text()
    ministry.click()
    tab.wait_for_url(re.compile(rf"{prefix}/ministries/[a-z0-9-]+/$"))
    assert tab.locator("h1").inner_text() == name
    check_every_link(tab, catalogue_url, answered)

    others = [h for h in tab.eval_on_selector_all(".project-card .card-title a", "els => els.map(e => e.getAttribute('href'))")
              if h != first_project]
    assert others, "the ministry lists no other project"
    tab.locator(f".project-card .card-title a[href='{others[0]}']").click()  # another project
    tab.wait_for_url(re.compile(re.escape(others[0]) + "$"))
    check_every_link(tab, catalogue_url, answered)
    assert tab.evaluate("getComputedStyle(document.body).direction") == direction
    assert tab.problems == []
    assert len(answered) > 50, len(answered)


def test_pagination_and_feed_link_in_the_browser(tab: Any, catalogue_url: str) -> None:
    tab.goto("/en/projects/")
    tab.locator("nav.pagination a[rel=next]").click()
    tab.wait_for_url(re.compile(r"/en/projects/page/2/$"))
    assert tab.locator("nav.pagination [aria-current=page]").inner_text() == "2"
    feed = tab.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    assert feed == "/en/projects/feed.xml"
    response = tab.request.get(urljoin(tab.url, feed))
    assert response.status == 200 and response.body().startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<feed')
    tab.goto("/projects/page/2/")
    arrow = tab.evaluate("getComputedStyle(document.querySelector('.pagination-next'), '::after').content")
    assert arrow == '"←"', "in Hebrew, 'next' points left, the way the text reads"


SEARCH = """async query => {
    const pagefind = await import(document.querySelector('#search').dataset.bundle + 'pagefind.js');
    const found = await pagefind.search(query);
    return Promise.all(found.results.map(async result => (await result.data()).url));
}"""
"""Every page a search finds, through Pagefind's own API on the language's search page (the interface shows the first
five): the index of the page's language, as the search box asks it."""

LISTING = re.compile(r"^/(en/)?(projects|ministries|topics)/|/page/\d+/$|^/(en/)?cohorts/[^/]+/$")
"""A listing of projects: all projects, a ministry's, a topic's, a cohort's own page, and any page "n of m"."""


def test_a_search_finds_a_project_on_its_own_page_and_a_ministry_on_its_listings_first(tab: Any, catalogue_url: str) -> None:
    """A project's title finds its own page, and no page that lists it: a listing's cards repeat each project's title
    and summary, and are not indexed (output/search.py ``indexed_pages``). A ministry's name finds the first page of
    its listing (its heading), never a page "n of m" of it."""
    built = built_catalogue()
    cohort = yaml.safe_load((built.source / "data" / "cohorts" / "d.yaml").read_text(encoding="utf-8"))
    ministries = yaml.safe_load((built.source / "data" / "ministries.yaml").read_text(encoding="utf-8"))
    ministry = next(m for m in ministries if (built.out / "en" / "ministries" / m["id"] / "page" / "2" / "index.html").is_file())
    tab.goto("/en/search/")
    for project in cohort["projects"][:2]:
        found = tab.evaluate(SEARCH, project["title"]["en"])
        assert f"/en/cohorts/d/{project['slug']}/" in found, (project["title"]["en"], found)
        listings = [url for url in found if LISTING.search(url)]
        assert not listings, f"{project['title']['en']!r} found on pages that list it: {listings}"
    found = tab.evaluate(SEARCH, ministry["name"]["en"])
    first = f"/en/ministries/{ministry['id']}/"
    assert first in found, (ministry["name"]["en"], found)
    assert not [url for url in found if url.startswith(first + "page/")], found


@pytest.mark.parametrize("path", ["/projects/page/2/", "/en/cohorts/b/", "/ministries/", "/en/cohorts/a/partnership-mental-health-1/"])
def test_catalogue_pages_have_no_axe_violations(browser: Any, catalogue_url: str, axe_source: str, path: str) -> None:
    """axe in the light scheme, then the dark, on one load of the page (the site's policy in force)."""
    context = browser.new_context(base_url=catalogue_url)
    try:
        page = context.new_page()
        page.goto(path)
        assert_no_axe_violations(page, axe_source, path)
    finally:
        context.close()


def test_every_catalogue_page_is_valid_html(vnu_command: list[str]) -> None:
    """The Nu HTML checker over the whole generated catalogue (562 pages): no error."""
    built = built_catalogue()
    assert built.code == 0
    done = subprocess.run([*vnu_command, "--errors-only", "--skip-non-html", "--stdout", str(built.out)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout[:3000] + done.stderr[:1000]
