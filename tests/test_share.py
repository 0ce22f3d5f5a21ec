"""The share images (sitegen/output/share.py): one per language, 1200×630, drawn from data/site.yaml in the site's
font, Hebrew runs right to left with the punctuation where a reader expects it; deterministic; named by what they
are drawn from. Whether Hebrew is shaped right is checked by eye (bench/screenshots.py, the PNGs themselves)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import copy_fixture_site
from PIL import Image

from sitegen.output.share import _visual, share_image_path, share_images
from sitegen.pipeline import Options, make_site


def test_a_right_to_left_line_is_laid_out_run_by_run_from_the_right() -> None:
    # logical: "מרחב" לקידום 9-10. (a quote, Hebrew, a quote and a space, Hebrew, digits with their dash, a full stop)
    assert _visual('"מרחב" לקידום 9-10.', rtl=True) == [
        ("latin", ".", "ltr"), ("latin", "9-10", "ltr"), ("hebrew", "לקידום ", "rtl"), ("latin", ' "', "ltr"),
        ("hebrew", "מרחב", "rtl"), ("latin", '"', "ltr"),
    ]
    assert _visual("שלום (עולם)", rtl=True) == [("latin", "(", "ltr"), ("hebrew", "עולם", "rtl"), ("latin", ") ", "ltr"),
                                               ("hebrew", "שלום", "rtl")]
    assert _visual("Merhav: (a) b", rtl=False) == [("latin", "Merhav: (a) b", "ltr")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = copy_fixture_site(tmp_path_factory.mktemp("share"))
    return root, make_site(Options(source=root, out=root / "site", base_url="https://merhav.example/merhav/")).site


def test_one_image_per_language_1200_by_630_deterministic(site: tuple[Path, object]) -> None:
    root, model = site
    images = share_images(model, root / "static")  # type: ignore[arg-type]
    assert sorted(images) == sorted(share_image_path(model, code) for code in ("he", "en"))  # type: ignore[arg-type]
    for data in images.values():
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.size == (1200, 630) and picture.format == "PNG"
            assert not picture.info.get("exif")
    assert share_images(model, root / "static") == images  # type: ignore[arg-type]


def test_the_name_changes_with_the_title(tmp_path: Path, site: tuple[Path, object]) -> None:
    root, model = site
    before = share_image_path(model, "he")  # type: ignore[arg-type]
    other = copy_fixture_site(tmp_path)
    config = other / "data" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("he: מרחב", "he: מרחב חדש", 1), encoding="utf-8")
    changed = make_site(Options(source=other, out=other / "site", base_url="https://merhav.example/merhav/")).site
    assert share_image_path(changed, "he") != before and share_image_path(changed, "en") == share_image_path(model, "en")  # type: ignore[arg-type]
