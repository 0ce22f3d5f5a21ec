"""The forms' picture cleaning (admin.js merhavCleanPicture), run under node on real files made with Pillow: what a phone
writes of where and with which camera (GPS, the body's serial number, the maker) is gone, the picture is intact.
The browser path (the file input, the upload, the commit) is tests/test_cms_site.py's; this covers each format."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from browser_support import require
from conftest import REPO
from PIL import Image
from test_photos import MAKER, SERIAL, phone_photo

ADMIN_JS = REPO / "sitegen" / "tools" / "admin.js"
CLEAN = "var clean = require(process.argv[1]).cleanPicture; var out = clean(new Uint8Array(require('fs').readFileSync(0)));" \
        "process.stdout.write(out ? Buffer.from(out) : 'null');"


def cleaned(data: bytes) -> bytes:
    require("node", shutil.which("node"))
    done = subprocess.run(["node", "-e", CLEAN, str(ADMIN_JS)], input=data, capture_output=True, check=True)
    return done.stdout


def phone_exif() -> Image.Exif:
    with Image.open(io.BytesIO(phone_photo(64, 48, orientation=6))) as photo:
        return photo.getexif()


def resaved(fmt: str, **options: object) -> bytes:
    with Image.open(io.BytesIO(phone_photo(64, 48, orientation=6))) as photo:
        out = io.BytesIO()
        photo.convert("RGB").save(out, fmt, exif=phone_exif(), **options)
        return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_phone_photo_loses_its_place_and_camera_and_keeps_its_picture(fmt: str) -> None:
    original = phone_photo(64, 48, orientation=6) if fmt == "JPEG" else resaved(fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825), "the test's photo has a GPS position"
        pixels = before.convert("RGB").tobytes()
    after = cleaned(original)
    assert after != b"null" and SERIAL.encode() not in after and MAKER.encode() not in after, fmt
    with Image.open(io.BytesIO(after)) as image:
        assert image.format == fmt and image.size == (64, 48)
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769), dict(exif)
        if fmt == "JPEG":
            assert exif.get(0x0112) == 6  # the orientation, kept on its own
        if fmt != "JPEG":
            assert image.convert("RGB").tobytes() == pixels  # not re-encoded: the same picture


def test_a_file_it_does_not_know_is_left_as_it_is(tmp_path: Path) -> None:
    assert cleaned(b"GIF89a not really a picture") == b"null"
    assert cleaned(json.dumps({"a": 1}).encode()) == b"null"
