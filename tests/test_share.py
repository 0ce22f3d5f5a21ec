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


def test_a_build_takes_the_images_the_last_one_drew_while_what_they_are_drawn_from_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawing one takes as long as rendering a page: a page's edit draws none (.cache/pages.pickle keeps them), the
    same bytes as a build without the cache; a change of the title draws again."""
    from sitegen import pipeline
    from sitegen.output import share

    root = copy_fixture_site(tmp_path / "src")
    drawn: list[str] = []
    real = share.draw.__wrapped__  # not the in-process memo: every drawing counts

    def counting(title: str, *args: object) -> bytes:
        drawn.append(title)
        return real(title, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(share, "draw", counting)

    def built(out: Path, cache: bool = True) -> dict[str, bytes]:
        drawn.clear()
        result = pipeline.build(Options(source=root, out=out, base_url="https://merhav.example/merhav/", cache=cache))
        return {rel: data for rel, data in result.files.items() if rel.startswith("assets/share-")}

    first = built(tmp_path / "site")
    assert len(first) == 2 and len(drawn) == 2
    page = root / "content" / "index.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert built(tmp_path / "site") == first and drawn == [], "a page's edit draws nothing"
    assert built(tmp_path / "cold", cache=False) == first and len(drawn) == 2, "the same bytes as drawn afresh"
    config = root / "data" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("he: מרחב", "he: מרחב חדש", 1), encoding="utf-8")
    again = built(tmp_path / "site")
    assert len(drawn) == 2 and again != first, "the settings changed: drawn again"  # (common inputs changed: both)
    assert again == built(tmp_path / "cold2", cache=False)
