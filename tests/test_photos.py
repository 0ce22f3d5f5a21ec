"""Photos: an editor's 4000×3000 phone photo becomes small WebP variants and a JPEG fallback, without the
metadata the phone wrote (GPS position, camera serial number); the original is never published; a
rebuild takes the variants from .cache/; a 375 px phone downloads a small WebP."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sitefactory import build_good, make_site

from sitegen.output import images

SERIAL = "SERIAL-4711-MERHAV"
MAKER = "PhoneMakerCo"


def phone_photo(width: int = 4000, height: int = 3000, orientation: int = 1) -> bytes:
    """A real JPEG with what a phone writes: maker and model, orientation, the GPS position, the body's serial number."""
    noise = Image.effect_noise((width // 40, height // 40), 60).resize((width, height), Image.Resampling.BICUBIC)
    image = Image.merge("RGB", [noise, Image.linear_gradient("L").resize((width, height)), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)])
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = MAKER, "Model 15", orientation
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (31.0, 46.0, 12.5), "E", (35.0, 13.0, 1.0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


PAGE_WITH_PHOTO = "---\ntitle: אודות\n---\n## רקע\n\nעל התכנית.\n\n![הקבוצה בסיור שטח](images/group.jpg)\n"
FACULTY = """\
- id: dana-levi
  name:
    he: דנה לוי
    en: Dana Levi
  role:
    he: מרצה
    en: Lecturer
  photo: images/faculty/dana.jpg
  photo_alt:
    he: דנה לוי מחייכת
    en: Dana Levi, smiling
"""


@pytest.fixture(scope="module")
def photo_bytes() -> bytes:
    return phone_photo()


def _site(root: Path, photo: bytes, extra: dict[str, Any] | None = None) -> Path:
    return make_site(root, {"static/images/group.jpg": photo, "content/about.he.md": PAGE_WITH_PHOTO,
                            "static/images/faculty/dana.jpg": photo, "data/faculty.yaml": FACULTY,
                            "content/faculty.he.md": "---\ntitle: סגל\nlayout: faculty\n---\nהסגל.\n",
                            "content/faculty.en.md": "---\ntitle: Faculty\nlayout: faculty\n---\nThe faculty.\n", **(extra or {})})


def test_a_phone_photo_becomes_small_variants_without_its_metadata(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      photo_bytes: bytes) -> None:
    files = build_good(capsys, _site(tmp_path, photo_bytes))
    assert "images/group.jpg" not in files and "images/faculty/dana.jpg" not in files  # the original is never published
    variants = {rel: data for rel, data in files.items() if re.match(r"assets/images/(faculty/)?(group|dana)\.[0-9a-f]{10}-\d+\.(webp|jpg)$", rel)}
    assert sorted(re.sub(r"\.[0-9a-f]{10}-", "-", rel) for rel in variants) == [
        "assets/images/faculty/dana-1600.webp", "assets/images/faculty/dana-480.webp", "assets/images/faculty/dana-960.jpg",
        "assets/images/faculty/dana-960.webp",
        "assets/images/group-1600.webp", "assets/images/group-480.webp", "assets/images/group-960.jpg", "assets/images/group-960.webp"]
    for rel, data in variants.items():
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == ("WEBP" if rel.endswith(".webp") else "JPEG")
            assert image.width == int(rel.rsplit("-", 1)[1].split(".")[0]) and image.width * 3 == image.height * 4
            assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info, rel
        for leak in (SERIAL.encode(), MAKER.encode(), b"Exif\x00\x00"):
            assert leak not in data, f"{rel} carries {leak!r}"
        assert len(data) < len(photo_bytes) / 5


def test_pages_write_the_picture_with_srcset_sizes_and_dimensions(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                   photo_bytes: bytes) -> None:
    files = build_good(capsys, _site(tmp_path, photo_bytes))
    for page, alt in (("about/index.html", "הקבוצה בסיור שטח"), ("faculty/index.html", "דנה לוי מחייכת")):
        html = files[page].decode()
        picture = re.search(r"<picture>(.*?)</picture>", html, re.S)
        assert picture, page
        source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', picture[1])
        assert source and [c.split()[1] for c in source[1].split(", ")] == ["480w", "960w", "1600w"], picture[1]
        img = re.search(r"<img ([^>]+)>", picture[1])
        assert img, picture[1]
        for attribute in ('width="960"', 'height="720"', 'loading="lazy"', 'decoding="async"', f'alt="{alt}"'):
            assert attribute in img[1], (page, img[1])
        assert re.search(r'src="/assets/images/[a-z/]+\.[0-9a-f]{10}-960\.jpg"', img[1])


def test_a_rebuild_takes_the_variants_from_the_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str], photo_bytes: bytes,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(tmp_path, photo_bytes)
    first = build_good(capsys, root)
    digest = hashlib.sha256(photo_bytes).hexdigest()
    assert len([p for p in (root / ".cache" / "photos").iterdir() if p.name.startswith(digest)]) == 4  # one photo, twice
    monkeypatch.setattr(images, "encode", lambda *a, **k: pytest.fail("encoded again, though the cache holds the variants"))
    assert build_good(capsys, root) == first


def test_a_photo_taken_sideways_is_published_upright(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = build_good(capsys, _site(tmp_path, phone_photo(1200, 900, orientation=6)))
    html = files["about/index.html"].decode()
    assert 'width="900" height="1200"' in html
    webp = next(data for rel, data in files.items() if rel.startswith("assets/images/group.") and rel.endswith("-900.webp"))
    with Image.open(io.BytesIO(webp)) as image:
        assert image.size == (900, 1200)


def test_a_picture_that_cannot_be_read_is_an_error_at_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitefactory import broken

    result = broken(capsys, tmp_path, {"static/images/broken.jpg": b"\xff\xd8\xff not a whole JPEG"})
    assert "static/images/broken.jpg: this picture cannot be read (UnidentifiedImageError) — save it again as JPEG or PNG, or remove it" \
        in result.err.splitlines()


def clean_photo(fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, fmt)
    return out.getvalue()


def png_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = MAKER  # (an Exif with no tag of its own is not written)
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 46.0, 12.5)})
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "PNG", exif=exif)
    return out.getvalue()


def test_check_warns_at_its_path_about_an_original_that_still_says_where_it_was_taken(tmp_path: Path,
                                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The original is committed to the (public) repository: a GPS position in it is reported — a warning, not a refusal."""
    from sitefactory import run

    root = make_site(tmp_path, {"static/images/located.jpg": phone_photo(400, 300), "static/images/located.png": png_with_gps(),
                                "static/images/clean.jpg": clean_photo(), "static/images/clean.png": clean_photo("PNG"),
                                "content/about.he.md": "---\ntitle: אודות\n---\n![א](images/located.jpg) ![ב](images/clean.jpg)\n"})
    result = run(capsys, "check", "--source", str(root), "--messages", "en")
    assert result.code == 0, result.err
    located = [line for line in result.err.splitlines() if "holds the place where it was taken" in line]
    assert sorted(line.split(": ", 1)[0] for line in located) == ["static/images/located.jpg", "static/images/located.png"], result.err
    assert all(": warning: " in line for line in located), located
    assert build_good(capsys, root)  # the build goes on


@pytest.mark.parametrize("stop", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["disk-full", "interrupted"])
def test_a_variant_not_kept_leaves_no_temporary_file_in_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  stop: BaseException) -> None:
    """A full disk, or Ctrl-C / SIGTERM (cli.Interrupted is a KeyboardInterrupt) while a variant is put into .cache/:
    the build goes on without it (the disk) or unwinds (the signal), and no '.new-' file is left in the cache."""
    from types import SimpleNamespace

    cache = tmp_path / "photos"
    photo, variant = SimpleNamespace(digest="d" * 64), SimpleNamespace(width=480, height=360, path="a/b-480.jpg")

    def failing(*args: object) -> None:
        raise stop

    monkeypatch.setattr(images.os, "replace", failing)  # (only _keep runs below)
    if isinstance(stop, OSError):
        images._keep(cache, photo, variant, b"variant")  # type: ignore[arg-type]
    else:
        with pytest.raises(KeyboardInterrupt):
            images._keep(cache, photo, variant, b"variant")  # type: ignore[arg-type]
    monkeypatch.undo()
    assert list(cache.iterdir()) == []
