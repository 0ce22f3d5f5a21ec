"""Photos under static/ that still say where they were taken.

The published variants never carry a photo's metadata (output/images.py), but the original is committed to the
repository, which is public: one that still holds a GPS position tells anyone where it was taken (often a home). The
forms remove it before the upload (sitegen/tools/admin.js merhavCleanPicture); a photo added another way is reported
here, at its path — a warning, not a refusal (the site is built the same, and the photo may be meant to be public).
"""

from __future__ import annotations

import posixpath
import warnings
from pathlib import Path

from sitegen.errors import ContentError
from sitegen.messages import msg
from sitegen.sources.gather import Sources

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff")
"""The pictures that can carry Exif or XMP (an SVG is a text, checked elsewhere)."""
GPS_IFD = 0x8825
XMP_GPS = (b"GPSLatitude", b"GPSLongitude")


def located_photos(sources: Sources) -> list[ContentError]:
    static = sources.root / "static"
    return [ContentError(posixpath.join("static", rel), 0,
                         msg("this photo still holds the place where it was taken (GPS), which anyone can read in the repository "
                             "— upload it again through the editing forms, which remove it, or remove the location with a photo "
                             "editor"), "warning")
            for rel in sources.static_files if rel.lower().endswith(PHOTO_SUFFIXES) and has_location(static / rel)]


def has_location(path: Path) -> bool:
    """Whether the picture's Exif has a GPS position, or its XMP one (a picture Pillow cannot read: not this check's)."""
    from PIL import Image, UnidentifiedImageError  # only when static/ has a photo

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                if any(image.getexif().get_ifd(GPS_IFD).values()):
                    return True
                xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
                xmp = xmp.encode("utf-8", "replace") if isinstance(xmp, str) else bytes(xmp)
                return any(key in xmp for key in XMP_GPS)
    except (OSError, ValueError, UnidentifiedImageError, SyntaxError, Image.DecompressionBombError):
        return False
