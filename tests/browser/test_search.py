"""Search through the visible interface, as a visitor does, on the fixture site built and served under /merhav/
(the policy of the pages' <meta> in force): a Hebrew phrase on the Hebrew search page (right-to-left, Hebrew
labels, Hebrew pages only; a word found by its stem though the page writes it with a particle), an English one
on the English page; each result followed to its page. Without JavaScript the page says so and lists the pages.
The site is built once per run and served by one server a process (tests/browser/sites.py, conftest.py); the file's
tests are one group (``xdist_group``): one worker waits for its build, not both."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from browser_support import Served
from playwright.sync_api import Page, expect

from browser.axe_check import assert_no_axe_violations
from browser.sites import PREFIX

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("search-site")]


@pytest.fixture(scope="module")
def served(search_site_server: Served) -> str:
    return search_site_server.origin


def _search(page: Page, origin: str, path: str, query: str) -> list[tuple[str, str]]:
    page.goto(origin + PREFIX + path)
    box = page.get_by_role("search").get_by_role("textbox")
    box.fill(query)
    results = page.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible(timeout=10_000)
    # every result drawn: Pagefind lists the results with a grey placeholder each (.pagefind-ui__loading) and fills
    # them one by one; read earlier, the list misses the later ones and its first link is not the first result
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length > 0"
                           " && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading')"
                           " && document.querySelectorAll('.pagefind-ui__result').length"
                           " === document.querySelectorAll('.pagefind-ui__result-link').length")
    return [(a.get_attribute("href") or "", a.inner_text()) for a in results.all()]


def test_a_hebrew_phrase_is_found_right_to_left_and_leads_to_its_page(page: Page, served: str, page_problems: list[str]) -> None:
    found = _search(page, served, "search/", "סוכני שינוי")
    assert found and all(href.startswith(PREFIX) and not href.startswith(PREFIX + "en/") for href, _ in found), found
    ui = page.locator(".pagefind-ui")
    assert ui.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # The site's own Hebrew labels (data/strings/he.yaml, search_ui_*), not Pagefind's masculine ones.
    assert page.get_by_role("search").get_by_role("textbox").get_attribute("placeholder") == "חיפוש באתר"
    expect(page.locator(".pagefind-ui__message")).to_have_text(re.compile(r"^(נמצאה תוצאה אחת|נמצאו \d+ תוצאות) עבור סוכני שינוי$"))
    assert page.locator(".pagefind-ui__search-clear").inner_text() == "ניקוי"
    href = found[0][0]
    page.locator(".pagefind-ui__result-link").first.click()
    expect(page).to_have_url(re.compile(re.escape(served + href) + "$"))
    assert "סוכני שינוי" in page.locator("main").inner_text()
    assert page_problems == []


def test_a_hebrew_word_is_found_by_its_stem(page: Page, served: str) -> None:
    """The site writes במגזר and המגזר; the visitor types מגזר. The excerpts show the words as written."""
    found = _search(page, served, "search/", "מגזר")
    assert found
    excerpts = " ".join(page.locator(".pagefind-ui__result-excerpt").all_inner_texts())
    assert re.search(r"[במה]מגזר|המגזר", excerpts) and "_" not in excerpts, excerpts


def test_the_search_box_speaks_the_sites_hebrew(page: Page, served: str) -> None:
    """Pagefind's Hebrew says "תוצאה 1" (result number 1) and "מחפש" (masculine): the site's labels replace them."""
    page.goto(served + PREFIX + "search/")
    labels = json.loads(page.locator("#search").get_attribute("data-translations") or "{}")
    assert labels["total_one_result"] == "תוצאה אחת" and labels["searching"] == "החיפוש של [SEARCH_TERM] מתבצע…"
    box = page.get_by_role("search").get_by_role("textbox")
    expect(box).to_have_attribute("placeholder", "חיפוש באתר")
    box.fill("זזזזזזז")
    expect(page.locator(".pagefind-ui__message")).to_have_text("לא נמצאו תוצאות עבור זזזזזזז", timeout=10_000)


def test_an_english_phrase_is_found_left_to_right_and_leads_to_its_page(page: Page, served: str, page_problems: list[str]) -> None:
    found = _search(page, served, "en/search/", "peer learning")
    assert found and all(href.startswith(PREFIX + "en/") for href, _ in found), found
    assert page.locator(".pagefind-ui").evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.locator(".pagefind-ui__result-link").first.click()
    expect(page).to_have_url(re.compile(re.escape(served + found[0][0]) + "$"))
    assert "peer" in page.locator("main").inner_text().lower()
    assert page_problems == []


def test_the_header_search_link_leads_to_the_search_page_of_the_language(page: Page, served: str) -> None:
    for home, target in (("", "search/"), ("en/", "en/search/")):
        page.goto(served + PREFIX + home)
        page.get_by_role("banner").locator("a.search-link").click()
        expect(page).to_have_url(served + PREFIX + target)


def test_without_javascript_the_search_page_says_so_and_lists_the_pages(browser: Any, browser_context_args: dict[str, Any],
                                                                        served: str) -> None:
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    try:
        page = context.new_page()
        page.goto(served + PREFIX + "en/search/")
        expect(page.locator(".search-noscript")).to_be_visible()
        assert page.locator("#search-pages + ul a").count() >= 3
    finally:
        context.close()


@pytest.mark.parametrize(("path", "query"), [("search/", "מגזר"), ("en/search/", "civil society")])
def test_the_search_page_passes_axe_after_a_search(page: Page, served: str, axe_source: str, path: str, query: str) -> None:
    """One search, then axe in the light scheme and the dark on its results (the page's policy in force)."""
    _search(page, served, path, query)
    assert_no_axe_violations(page, axe_source, path)


def test_the_bundle_is_where_the_page_says(served: str, tmp_path: Path) -> None:
    import urllib.request

    with urllib.request.urlopen(served + PREFIX + "pagefind/pagefind-entry.json") as answer:
        assert answer.status == 200 and b'"he"' in answer.read()
