"""Photos under static/ become resized variants; the original is never published.

An editor adds a photo by its file (``static/images/faculty/dana.jpg``, a project's ``image``, a
cohort's ``image``, or ``![what it shows](images/x.jpg)`` in Markdown). The build publishes, for
each JPEG, PNG or WebP file of static/:

- WebP variants at most WIDTHS wide (never wider than the original), for ``srcset``;
- one fallback at most FALLBACK_WIDTH wide, a JPEG (a PNG when the picture has transparency),
  for ``src`` (browsers without WebP, feed readers, link previews);

all under ``assets/`` with the first digits of the original's SHA-256 in their names, so hosts may
cache them for a year. Here only their names and sizes are decided (from the file's header: the
model needs ``width``/``height`` for the pages); output/images.py makes the bytes, without the
metadata phones write into photos (GPS position, camera serial number), and keeps them in
``.cache/`` so that a rebuild does not encode them again.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from sitegen.errors import ContentError
from sitegen.messages import msg
from sitegen.urls import Urls

PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")
"""Files of static/ published as resized variants (GIF and SVG are copied as they are)."""
WIDTHS = (480, 960, 1600)
"""Widths of the WebP variants: a phone's column, a tablet's or a phone at 2x, a wide screen at 2x."""
FALLBACK_WIDTH = 960
DIGEST_LENGTH = 10
PROSE_SIZES = "(min-width: 52rem) 46rem, calc(100vw - 2rem)"
"""What ``sizes`` says for a picture in a column of text (the stylesheet's .prose is at most ~46rem wide)."""

_ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture by 90°: its width and height swap once it is upright."""


def is_photo(rel: str) -> bool:
    return rel.lower().endswith(PHOTO_TYPES)


@dataclass(frozen=True)
class Variant:
    path: str
    """Where it is published, inside the output folder (assets/images/x.1a2b3c4d5e-480.webp)."""
    width: int
    height: int
    format: str
    """"WEBP", "JPEG" or "PNG" (Pillow's names)."""


@dataclass(frozen=True)
class Photo:
    source: str
    """The path under static/."""
    digest: str
    """SHA-256 of the original's bytes (the cache's key)."""
    width: int
    height: int
    """Upright, as the camera's orientation tag says."""
    variants: tuple[Variant, ...]
    """The WebP variants, narrowest first."""
    fallback: Variant

    @property
    def outputs(self) -> tuple[Variant, ...]:
        return (*self.variants, self.fallback)


def plan_photos(static_files: list[str], read: Callable[[str], bytes]) -> tuple[dict[str, Photo], list[ContentError]]:
    """static-relative path → Photo, for every picture of static/; an unreadable picture is a problem at its path."""
    from PIL import Image, UnidentifiedImageError

    photos: dict[str, Photo] = {}
    problems: list[ContentError] = []
    for rel in static_files:
        if not is_photo(rel):
            continue
        data = read(rel)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                orientation = image.getexif().get(0x0112, 1)
                alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            problems.append(ContentError(f"static/{rel}", 0, msg("this picture cannot be read ({name}) — save it again as JPEG or PNG, or remove it", name=type(exc).__name__)))
            continue
        if orientation in _ROTATED:
            width, height = height, width
        photos[rel] = _plan(rel, hashlib.sha256(data).hexdigest(), width, height, alpha)
    return photos, problems


def _plan(rel: str, digest: str, width: int, height: int, alpha: bool) -> Photo:
    folder, name = posixpath.split(rel)
    stem = name.rsplit(".", 1)[0]

    def variant(w: int, fmt: str, ext: str) -> Variant:
        h = max(1, round(height * w / width))
        return Variant(posixpath.join("assets", folder, f"{stem}.{digest[:DIGEST_LENGTH]}-{w}.{ext}"), w, h, fmt)

    widths = sorted({min(w, width) for w in WIDTHS})
    fallback = variant(min(FALLBACK_WIDTH, width), "PNG", "png") if alpha else variant(min(FALLBACK_WIDTH, width), "JPEG", "jpg")
    return Photo(rel, digest, width, height, tuple(variant(w, "WEBP", "webp") for w in widths), fallback)


class StaticUrls:
    """The published address of a file under static/, and the markup of a picture.

    Called as ``static_url(rel)`` it gives an address (a photo's: its fallback); ``image(rel, alt, …)`` gives
    an ``<img>`` — for a photo a ``<picture>`` with its WebP ``srcset``, ``sizes``, ``width``/``height``,
    ``loading="lazy"`` and ``decoding="async"``.
    """

    def __init__(self, urls: Urls, outputs: Mapping[str, str], photos: Mapping[str, Photo]):
        self._urls, self._outputs, self.photos = urls, outputs, photos

    def __call__(self, rel: str) -> str:
        rel = rel.lstrip("/")
        return self._urls.path(self._outputs.get(rel, rel))

    def image(self, rel: str, alt: str, sizes: str = PROSE_SIZES, attributes: Mapping[str, str] | None = None,
              eager: bool = False) -> str:
        """``<img>`` or ``<picture>`` markup (values escaped); ``attributes``: more of the <img>'s (title, class…)."""
        photo = self.photos.get(rel.lstrip("/"))
        extra = "".join(f' {name}="{escape(value)}"' for name, value in sorted((attributes or {}).items())
                        if name not in ("src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"))
        loading = "" if eager else ' loading="lazy"'
        if photo is None:
            return f'<img src="{escape(self(rel))}" alt="{escape(alt)}"{extra}{loading} decoding="async">'
        srcset = ", ".join(f"{self._urls.path(v.path)} {v.width}w" for v in photo.variants)
        fallback = photo.fallback
        return (f'<picture><source type="image/webp" srcset="{escape(srcset)}" sizes="{escape(sizes)}">'
                f'<img src="{escape(self._urls.path(fallback.path))}" alt="{escape(alt)}" width="{fallback.width}" '
                f'height="{fallback.height}"{extra}{loading} decoding="async"></picture>')
