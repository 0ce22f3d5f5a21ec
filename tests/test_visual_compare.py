"""The visual tests' comparison (tests/visual/compare.py) can fail: a moved block, a tinted background, a page one
line taller; and lets through what a renderer's anti-aliasing varies: a few faint pixels."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw
from visual.compare import MAX_RATIO, compare, write_failure


def page(shift: int = 0, background: str = "#ffffff", height: int = 600) -> Image.Image:
    """A small 'page': a background, a dark title bar and a few lines of 'text'."""
    image = Image.new("RGB", (400, height), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20 + shift, 20, 300 + shift, 60), fill="#0f4c5c")
    for y in range(100, 400, 24):
        draw.rectangle((20 + shift, y, 360 + shift, y + 10), fill="#1d2327")
    return image


def test_the_same_page_passes() -> None:
    assert compare(page(), page()).same


def test_anti_aliasing_on_a_few_pixels_passes() -> None:
    noisy = page()
    pixels = noisy.load()
    allowed = int(400 * 600 * MAX_RATIO)
    for i in range(allowed):  # glyph edges drawn a little differently: strong but rare
        pixels[20 + i % 340, 100 + (i // 340) * 24] = (120, 120, 120)
    for x in range(400):  # and faint everywhere on one row
        pixels[x, 5] = (250, 250, 250)
    assert compare(noisy, page()).same


def test_the_content_moved_by_two_pixels_fails() -> None:
    verdict = compare(page(shift=2), page())
    assert not verdict.same and "pixels differ" in verdict.reason


def test_a_background_tinted_a_little_fails() -> None:
    assert not compare(page(background="#f1efe9"), page()).same


def test_a_page_one_line_taller_fails() -> None:
    verdict = compare(page(height=624), page())
    assert not verdict.same and "size" in verdict.reason


def test_a_failure_leaves_the_photograph_and_a_diff_image(tmp_path: Path) -> None:
    actual, reference = page(shift=4), page()
    verdict = compare(actual, reference)
    written = write_failure(tmp_path, "home-he-375", actual, reference, verdict)
    assert [p.name for p in written] == ["home-he-375.actual.png", "home-he-375.diff.png"]
    diff = Image.open(written[1]).convert("RGB")
    assert (230, 0, 0) in {colour for _, colour in diff.getcolors(maxcolors=100_000) or []}, "no differing pixel in red"
