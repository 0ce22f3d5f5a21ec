"""The bytes of the photos' variants (model/photos.py decides their names and sizes).

Each variant is the original turned upright (its EXIF orientation applied), resized with Lanczos,
and encoded afresh: only the pixels and the colour profile are kept, so the metadata phones and
cameras write (EXIF with the GPS position and the camera's serial number, XMP, comments) is in no
published file. Encoding a 12-megapixel photo takes about a second, so the variants are kept in
``<source>/.cache/photos/``, named by the original's SHA-256, the width, the format and
ENCODING (a change of settings makes new names): a rebuild reads them instead of encoding again.
Each kept file starts with a line holding the SHA-256 of the bytes after it: a truncated or damaged one
(a build killed on a full disk, a cache restored from elsewhere) is encoded again, never published.
The folder may be deleted at any time; a cache that cannot be written is simply not kept.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sitegen.errors import BuildFailed, ContentError
from sitegen.incremental.sealed import open_cache_file
from sitegen.messages import msg
from sitegen.model.photos import Photo, Variant

ENCODING = "q78-q82-2"
"""Part of every cached file's name: the settings below (change it when they change)."""
CACHE_DIR = Path(".cache") / "photos"
_SEAL = b"merhav-photo-variant "
"""A kept variant's first line: this, the SHA-256 of the rest in hex, a newline."""


def photo_outputs(photos: Mapping[str, Photo], read: Callable[[str], bytes], cache: Path | None) -> dict[str, bytes]:
    """{output path: bytes} of every variant of every photo; ``cache``: a folder to keep them in (or None)."""
    files: dict[str, bytes] = {}
    for rel, photo in sorted(photos.items()):
        missing = []
        for variant in photo.outputs:
            kept = _cached(cache, photo, variant)
            if kept is None:
                missing.append(variant)
            else:
                files[variant.path] = kept
        if missing:
            try:
                made = encode(read(rel), missing)
            except Exception as exc:  # noqa: BLE001 - a picture whose header was fine but whose pixels are not
                raise BuildFailed([ContentError(f"static/{rel}", 0, msg(
                    "this picture cannot be decoded ({error}) — it is probably cut short or damaged: save it again as JPEG or "
                    "PNG, or remove it", error=f"{type(exc).__name__}: {str(exc)[:100]}"))]) from None
            for variant, data in zip(missing, made, strict=True):
                files[variant.path] = data
                _keep(cache, photo, variant, data)
    return files


def encode(data: bytes, variants: list[Variant]) -> list[bytes]:
    """The bytes of each variant of one original (decoded once)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        icc = opened.info.get("icc_profile")
        try:
            upright = ImageOps.exif_transpose(opened)
        except (SyntaxError, ValueError, KeyError, TypeError):  # a damaged EXIF block (model/photos.py read orientation 1)
            upright = opened.copy()
    upright = eight_bits(upright)
    alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    pixels = upright.convert("RGBA" if alpha else "RGB")
    pixels.info = {}  # nothing from the original goes with the pixels: no EXIF, no XMP, no comment
    results = []
    for variant in variants:
        image = pixels if (variant.width, variant.height) == pixels.size else pixels.resize(
            (variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        profile = {"icc_profile": icc} if icc else {}
        if variant.format == "WEBP":
            image.save(out, "WEBP", quality=78, method=4, exif=b"", xmp=b"", **profile)
        elif variant.format == "PNG":
            image.save(out, "PNG", optimize=True, **profile)
        else:
            image.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True, exif=b"", **profile)
        results.append(out.getvalue())
    return results


def eight_bits(image: Any) -> Any:
    """A picture of 16 or 32 bits a channel (a scan's greyscale PNG, a TIFF) brought to 8 bits by scaling, not clipping:
    converted as it is, every value above 255 would come out white."""
    if image.mode.startswith("I;16"):
        image = image.convert("I")
    if image.mode in ("I", "F"):
        low, high = image.getextrema()
        top = 255 if high <= 255 else 65535 if high <= 65535 else high
        image = image.point(lambda value: value * (255 / top)).convert("L")
    return image


def _cache_name(photo: Photo, variant: Variant) -> str:
    return f"{photo.digest}-{variant.width}x{variant.height}-{ENCODING}.{variant.path.rsplit('.', 1)[1]}"


def _cached(cache: Path | None, photo: Photo, variant: Variant) -> bytes | None:
    if cache is None:
        return None
    opened = open_cache_file(cache / _cache_name(photo, variant))
    if opened is None:
        return None
    try:
        with opened as file:
            kept = file.read()
    except OSError:
        return None
    head, _, data = kept.partition(b"\n")
    if head != _SEAL + hashlib.sha256(data).hexdigest().encode():
        return None
    return data


def _keep(cache: Path | None, photo: Photo, variant: Variant, data: bytes) -> None:
    """Write one variant into the cache (atomically: a build killed meanwhile leaves no half file; one interrupted or
    failing, no temporary file either)."""
    if cache is None:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache, prefix=".new-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(_SEAL + hashlib.sha256(data).hexdigest().encode() + b"\n")
                file.write(data)
            os.replace(temporary, cache / _cache_name(photo, variant))
        except BaseException:  # a full disk, Ctrl-C, SIGTERM (cli.Interrupted)
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only checkout: build without keeping them
