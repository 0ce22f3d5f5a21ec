"""The layout's measurable promises (issue 23), on the visual tests' fixture site in Chromium, in both directions:
the text column starts where its title does, the cards of a row are equally tall, a card is a link or marked as
plain text, and Pagefind's search box is mirrored (magnifier at the start, clear button at the end, both out of
the typed words' way, targets of at least 44 px), its excerpts free of decoration numbers, and the list of all
pages steps aside while a search shows results."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import Served
from playwright.sync_api import Page, expect
from real_site.page_checks import Checks
from visual.capture import LANGUAGES, PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
TARGET = 44


@pytest.fixture(scope="module")
def origin(visual_site_server: Served) -> str:
    return visual_site_server.origin


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Page]:
    """One page for the module's tests (each opens its own address): quicker than a context per test."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def _open(page: Page, origin: str, code: str, path: str, viewport: dict[str, int] = DESKTOP) -> None:
    page.set_viewport_size(viewport)
    page.goto(f"{origin}/{LANGUAGES[code]}{path}")
    page.evaluate("document.fonts.ready")


# The start edge of an element's box: its left in left-to-right, its right in right-to-left.
START_EDGE = """(element) => {
  const box = element.getBoundingClientRect();
  return getComputedStyle(element).direction === "rtl" ? box.right : box.left;
}"""


TEXT_COLUMN_KINDS = ("accessibility", "404", "faculty", "programme")


def the_text_column_starts_where_the_title_starts(page: Page, code: str, kind: str) -> None:
    title = page.locator("main h1")
    paragraph = page.locator("main p:not(.lead):not(.meta)").first
    title_start, text_start = title.evaluate(START_EDGE), paragraph.evaluate(START_EDGE)
    assert abs(title_start - text_start) <= 1, f"{kind} ({code}): the title starts at x={title_start}, the text at x={text_start}"


# Each grid of cards on the page: the heights of the cards that share a row (same top).
ROWS = """() => [...document.querySelectorAll(".goals, .topics, .cards, .quotes-grid")].map(grid => {
  const rows = {};
  for (const card of grid.children) {
    const box = card.getBoundingClientRect();
    (rows[Math.round(box.top)] ||= []).push(Math.round(box.height * 10) / 10);
  }
  return {grid: grid.className, rows: Object.values(rows)};
})"""


GRID_KINDS = ("home", "programme", "cohorts")


def the_cards_of_a_row_are_equally_tall(page: Page, code: str, kind: str) -> None:
    grids = page.evaluate(ROWS)
    assert grids, f"{kind} ({code}) has no grid of cards"
    for grid in grids:
        for heights in grid["rows"]:
            assert max(heights) - min(heights) <= 1, f"{kind} ({code}), {grid['grid']}: a row of cards {heights} px tall"


def eight_topics_leave_no_hole_and_the_method_facts_no_half_row(page: Page) -> None:
    tops = page.locator(".topics > li").evaluate_all("items => items.map(i => Math.round(i.getBoundingClientRect().top))")
    per_row = [tops.count(top) for top in sorted(set(tops))]
    assert len(set(per_row)) == 1, f"topic rows of {per_row} cards: the last row has a hole"
    figures = page.locator(".facts-summary .fact dd")
    for i in range(figures.count()):
        lines = figures.nth(i).evaluate("e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))")
        if figures.nth(i).locator(".tags").count() == 0:
            assert lines == 1, f"the figure {figures.nth(i).inner_text()!r} breaks over {lines} lines"
    assert page.locator("#method ~ * ul.prose-list, .method ul:not(.tags)").count() == 0, "a list repeats the facts"


# Every element styled as a card: a link inside it, or marked as plain text (and then it does not look raised).
CARDS = """() => [...document.querySelectorAll(".card")].map(card => ({
  text: card.innerText.slice(0, 60),
  linked: card.querySelector("a[href]") !== null,
  plain: card.classList.contains("card-plain"),
  shadow: getComputedStyle(card).boxShadow,
}))"""


def a_card_is_a_link_or_plain_text(page: Page, code: str, kind: str) -> None:
    cards = page.evaluate(CARDS)
    for card in cards:
        assert card["linked"] or card["plain"], f"{kind} ({code}): a card that leads nowhere: {card['text']!r}"
        if card["plain"]:
            assert card["shadow"] == "none", f"{kind} ({code}): a plain-text card looks raised: {card['text']!r}"
    if kind in GRID_KINDS:
        assert cards, f"{kind} ({code}): no card on a page of cards: the check checks nothing"


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("kind", PAGES)
def test_the_layout_of_the_page(page: Page, origin: str, code: str, kind: str) -> None:
    """The page loaded once, and each of the checks above that concerns it (every card a link or plain text; the text
    column; the rows of cards; the programme's topics and facts): every check runs, and the test lists each failure."""
    _open(page, origin, code, PAGES[kind])
    checks = Checks(f"{kind} ({code})")
    checks.run("a card is a link or plain text", a_card_is_a_link_or_plain_text, page, code, kind)
    if kind in TEXT_COLUMN_KINDS:
        checks.run("the text column starts where the title starts", the_text_column_starts_where_the_title_starts, page, code, kind)
    if kind in GRID_KINDS:
        checks.run("the cards of a row are equally tall", the_cards_of_a_row_are_equally_tall, page, code, kind)
    if (kind, code) == ("programme", "en"):
        checks.run("eight topics leave no hole, the method's facts no half row",
                   eight_topics_leave_no_hole_and_the_method_facts_no_half_row, page)
    checks.assert_all_passed()


# The search box's parts, measured: the magnifier (the form's ::before), the input with its padding, the clear button.
SEARCH_BOX = """() => {
  const form = document.querySelector(".pagefind-ui__form");
  const input = form.querySelector(".pagefind-ui__search-input");
  const clear = form.querySelector(".pagefind-ui__search-clear");
  const icon = getComputedStyle(form, "::before");
  const formBox = form.getBoundingClientRect();
  const iconLeft = formBox.left + parseFloat(icon.left);
  const iconTop = formBox.top + parseFloat(icon.top);
  const box = input.getBoundingClientRect();
  const style = getComputedStyle(input);
  const clearBox = clear.getBoundingClientRect();
  return {
    direction: style.direction,
    input: {left: box.left, right: box.right, top: box.top, bottom: box.bottom, height: box.height},
    text: {left: box.left + parseFloat(style.paddingLeft), right: box.right - parseFloat(style.paddingRight)},
    icon: {left: iconLeft, right: iconLeft + parseFloat(icon.width), top: iconTop, bottom: iconTop + parseFloat(icon.height)},
    clear: {left: clearBox.left, right: clearBox.right, top: clearBox.top, bottom: clearBox.bottom, width: clearBox.width,
            height: clearBox.height},
    clearFont: parseFloat(getComputedStyle(clear).fontSize),
  };
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
@pytest.mark.parametrize(("code", "query"), [("he", "שותפות"), ("en", "partnership")])
def test_the_search_box_is_mirrored(page: Page, origin: str, code: str, query: str, viewport: dict[str, int]) -> None:
    _open(page, origin, code, PAGES["search"], viewport)
    page.locator(".pagefind-ui__search-input").fill(query)
    expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=10_000)  # the form also holds them
    box = page.evaluate(SEARCH_BOX)
    middle = (box["input"]["left"] + box["input"]["right"]) / 2
    if code == "he":
        assert box["direction"] == "rtl"
        assert box["icon"]["left"] > middle and box["icon"]["right"] <= box["input"]["right"], f"the magnifier is not at the start (right): {box}"
        assert box["clear"]["right"] < middle and box["clear"]["left"] >= box["input"]["left"], f"the clear button is not at the end (left): {box}"
        assert box["icon"]["left"] >= box["text"]["right"], f"the magnifier overlaps the typed words: {box}"
        assert box["clear"]["right"] <= box["text"]["left"], f"the clear button overlaps the typed words: {box}"
    else:
        assert box["direction"] == "ltr"
        assert box["icon"]["right"] < middle and box["icon"]["left"] >= box["input"]["left"], f"the magnifier is not at the start (left): {box}"
        assert box["clear"]["left"] > middle and box["clear"]["right"] <= box["input"]["right"], f"the clear button is not at the end (right): {box}"
        assert box["icon"]["right"] <= box["text"]["left"], f"the magnifier overlaps the typed words: {box}"
        assert box["clear"]["left"] >= box["text"]["right"], f"the clear button overlaps the typed words: {box}"
    for part in ("icon", "clear"):
        assert box["input"]["top"] <= box[part]["top"] and box[part]["bottom"] <= box["input"]["bottom"], f"the {part} is not inside the box: {box}"
    assert box["input"]["height"] >= TARGET, box
    assert box["clear"]["width"] >= TARGET and box["clear"]["height"] >= TARGET, f"the clear button is smaller than {TARGET} px: {box}"
    assert box["clearFont"] >= 16, f"the clear button's text is {box['clearFont']} px"


@pytest.mark.parametrize(("code", "query", "number_first"), [("he", "הרחבת", "1 הרחבת"), ("en", "broadening", "1 Broadening")])
def test_results_hide_the_page_list_and_their_excerpts_have_no_goal_numbers(page: Page, origin: str, code: str, query: str,
                                                                             number_first: str) -> None:
    _open(page, origin, code, PAGES["search"])
    pages_list = page.locator(".search-pages")
    expect(pages_list).to_be_visible()
    page.locator(".pagefind-ui__search-input").fill(query)
    expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=10_000)
    expect(pages_list).to_be_hidden()
    excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert excerpts and not any(number_first.lower() in excerpt.lower() for excerpt in excerpts), excerpts
    page.locator(".pagefind-ui__search-clear").click()
    expect(pages_list).to_be_visible()
