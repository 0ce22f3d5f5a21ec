"""A cohort's video in Chromium, on a site built and served under /merhav/ (the pages' policy in force): the page
requests nothing outside the site before the click — no YouTube, no Vimeo — and the click (or Enter on the
focused facade) leads to the privacy-enhanced player at youtube-nocookie.com. The site is built once per run
(tests/browser/sites.py); the file's tests are one group (``xdist_group``), served by one server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import serve_site
from playwright.sync_api import Page, expect

from browser.sites import PREFIX, video_site

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("video-site")]
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with serve_site(video_site(), PREFIX, ("en",)) as server:
        yield server.origin


@pytest.mark.parametrize("path", ["cohorts/a/", "en/cohorts/a/"])
def test_nothing_leaves_the_site_before_the_click_and_the_click_plays_on_youtube_nocookie(
        page: Page, served: str, page_problems: list[str], path: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.route(re.compile(r"^https://www\.youtube-nocookie\.com/"), lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!DOCTYPE html><title>player</title>"))
    page.goto(served + PREFIX + path, wait_until="networkidle")
    facade = page.locator("a.video-facade")
    facade.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert [u for u in requested if not u.startswith(served)] == []
    assert page_problems == []
    assert facade.locator(".video-play").is_visible() and facade.locator("img").is_visible()
    facade.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(PLAYER)


def test_the_facade_says_what_it_does(page: Page, served: str) -> None:
    page.goto(served + PREFIX + "en/cohorts/a/")
    assert page.get_by_role("link", name=re.compile("Watch the video")).get_attribute("href") == PLAYER
