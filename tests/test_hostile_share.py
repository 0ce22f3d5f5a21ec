"""Hostile input, third round (issue 24, point 8): any title of data/site.yaml draws a share image, in bounded time.

A 20,000-letter word or one letter with 1,000 combining marks in the site's title ended the build in a traceback
(while check passed, so CI's check job passed and its build job failed); a 100,000-word title took 23 s to draw.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import REPO, SITE_YAML
from PIL import Image
from sitefactory import make_site, run

from sitegen.output.share import FONTS, HEIGHT, WIDTH, _lines, draw

FONT_BYTES = tuple((REPO / "static" / FONTS[name]).read_bytes() for name in ("hebrew", "latin"))
TITLES = {
    "a 20,000-letter Hebrew word": "א" * 20000,
    "a 20,000-letter Latin word": "x" * 20000,
    "a letter with 1,000 combining marks": "מ" + "\u05b0" * 1000 + "רחב",
    "a Latin letter with 1,000 combining accents": "e" + "\u0301" * 1000,
    "100,000 words": " ".join(["מילה"] * 100000),
}


def _yaml(title: str) -> str:
    return SITE_YAML.replace("title:\n  he: מרחב\n", f"title:\n  he: >-\n    {title}\n", 1)


@pytest.mark.parametrize("case", TITLES)
def test_any_title_is_drawn_within_the_image(case: str) -> None:
    started = time.process_time()
    png = draw(TITLES[case], TITLES[case], TITLES[case], True, FONT_BYTES)
    assert time.process_time() - started < 8, "bounded time (a 100,000-word title took 23 s)"
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (WIDTH, HEIGHT)


@pytest.mark.parametrize("case", TITLES)
def test_every_line_fits_and_a_cut_text_says_so(case: str) -> None:
    from sitegen.output.share import _width

    lines = _lines(TITLES[case], 52, "SemiBold", True, FONT_BYTES, 4)
    assert 1 <= len(lines) <= 4
    assert all(_width(line, 52, "SemiBold", True, FONT_BYTES) <= WIDTH - 2 * 80 for line in lines), lines
    if len(TITLES[case]) > 600:
        assert lines[-1].endswith(" …")


def test_a_short_title_is_not_cut() -> None:
    assert _lines("מרחב", 132, "Bold", True, FONT_BYTES, 1) == ["מרחב"]
    assert _lines("Merhav: promoting shared spaces", 52, "SemiBold", False, FONT_BYTES, 4) == ["Merhav: promoting shared spaces"]


@pytest.mark.parametrize("case", ["a 20,000-letter Hebrew word", "a Latin letter with 1,000 combining accents"])
def test_the_build_draws_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    """check passed and build tracebacked: now both pass."""
    root = make_site(tmp_path, {"data/site.yaml": _yaml(TITLES[case])})
    for command in ("check", "build"):
        result = run(capsys, command, "--source", str(root))
        assert result.code == 0 and "Traceback" not in result.err, (command, result.err[-500:])
    assert list((root / "site" / "assets").glob("share-he.*.png"))


UNFORESEEN = ("data/site.yaml: the share image of 'he' cannot be drawn from title, full_title and the owner's name (OSError: …) — "
              "shorten them, or remove unusual characters")


def test_a_failure_no_rule_foresaw_is_a_message_at_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from sitegen.output import share

    def fails(*args: object) -> bytes:
        raise OSError("raster overflow")

    monkeypatch.setattr(share, "draw", fails)
    result = run(capsys, "build", "--source", str(make_site(tmp_path)))
    assert result.code == 1 and "Traceback" not in result.err
    pattern = re.compile(re.escape(UNFORESEEN).replace("…", ".*"))
    assert any(pattern.fullmatch(line) for line in result.problems), result.err
