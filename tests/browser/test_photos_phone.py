"""An editor's 4000×3000 phone photo, on a page of a site built and served under /merhav/, as a 375 px phone with a
2× screen (Chromium's mobile emulation) downloads it: one WebP variant, far smaller than the original, never the
original nor the JPEG fallback; scrolled into view (it loads lazily), it shows at its width."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import serve_site
from sitefactory import make_site

from sitegen.pipeline import Options, build

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PREFIX = "/merhav/"
PAGE = "---\ntitle: אודות\n---\n## רקע\n\n" + "על התכנית.\n\n" * 200 + "![הקבוצה בסיור שטח](images/group.jpg)\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, bytes]]:
    from test_photos import phone_photo

    original = phone_photo()
    root = make_site(tmp_path_factory.mktemp("phone"), {"static/images/group.jpg": original, "content/about.he.md": PAGE})
    with serve_site(root / "site", PREFIX, ("en",)) as server:
        build(Options(source=root, out=root / "site", base_url=server.url))
        yield server.origin, original


def test_a_375px_phone_downloads_one_small_webp_of_the_4000px_photo(browser: Any, served: tuple[str, bytes]) -> None:
    origin, original = served
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        responses: list[Any] = []
        # the photo's variants (the site's own mark and icon, in the header and footer, are images too: not counted)
        page.on("response", lambda r: responses.append(r) if r.request.resource_type == "image" and "/assets/images/" in r.url else None)
        page.goto(origin + PREFIX + "about/", wait_until="networkidle")
        assert responses == [], "the photo is below the fold: nothing loads before the visitor scrolls (loading=lazy)"
        picture = page.locator("main img")
        with page.expect_response(lambda r: r.request.resource_type == "image" and "/assets/images/" in r.url):
            picture.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('main img').complete && document.querySelector('main img').naturalWidth > 0")
        page.wait_for_load_state("networkidle")
        images = [(r.url, len(r.body()), r.headers.get("content-type", "")) for r in responses]
        assert len(images) == 1, images
        url, size, kind = images[0]
        assert kind == "image/webp" and url.endswith("-960.webp"), images  # 375 CSS px × 2 = 750 device px: the 960 variant
        assert size < 200_000 and size * 10 < len(original), (size, len(original))
        assert picture.evaluate("img => img.currentSrc") == url
        width = picture.evaluate("img => img.getBoundingClientRect().width")
        assert 300 <= width <= 375
    finally:
        context.close()
