"""Photos under static/ become resized variants; the original is never published.

An editor adds a photo by its file (``static/images/faculty/dana.jpg``, a project's ``image``, a
cohort's ``image``, or ``![what it shows](images/x.jpg)`` in Markdown). The build publishes, for
each picture of static/ — decided by its content, not its name: JPEG (also .jfif, .jpe), PNG, WebP, GIF, TIFF, BMP:

- WebP variants at most WIDTHS wide (never wider than the original), for ``srcset``;
- one fallback at most FALLBACK_WIDTH wide, a JPEG (a PNG when the picture has transparency),
  for ``src`` (browsers without WebP, feed readers, link previews);

all under ``assets/`` with the first digits of the original's SHA-256 in their names, so hosts may
cache them for a year. Here only their names and sizes are decided (from the file's header: the
model needs ``width``/``height`` for the pages); output/images.py makes the bytes, without the
metadata phones write into photos (GPS position, camera serial number), and keeps them in
``.cache/`` so that a rebuild does not encode them again. An icon (.ico) or an animation (GIF, WebP, PNG of
several frames) is published at its own address, encoded afresh too (every frame kept, no metadata); any other
picture format (HEIC, PSD, EPS…) is a problem, as is a picture larger than MAX_PIXELS (refused from its header,
before anything is decoded) or one that is cut short or damaged.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any, BinaryIO

from sitegen.errors import ContentError
from sitegen.messages import Message, msg
from sitegen.urls import Urls

RASTER_TYPES = (".jpg", ".jpeg", ".jpe", ".jfif", ".pjpeg", ".pjp", ".png", ".apng", ".webp", ".gif", ".tif", ".tiff",
                ".bmp", ".dib", ".heic", ".heif", ".avif", ".jxl", ".jp2", ".j2k", ".jpx", ".psd", ".tga", ".pcx", ".ppm",
                ".pgm", ".pbm", ".pnm", ".dds", ".eps", ".qoi", ".sgi", ".icns", ".xbm", ".xpm", ".ico", ".cur")
"""Names that promise a picture: such a file is a picture, or a problem. Whatever the name, a file whose content
Pillow recognises as a picture is one too (Windows saves JPEGs as .jfif; a photo may have lost its extension)."""
RESIZED = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF", "BMP", "DIB"})
"""Formats (Pillow's names) published as resized variants, every one encoded afresh: no GPS position, camera serial,
XMP or comment of the original's is published."""
ICONS = frozenset({"ICO"})
"""Published at their own address (browsers ask for /favicon.ico), encoded afresh too."""
MAX_PIXELS = 50_000_000
"""A picture larger than this (a 144-megapixel scan needs 2 GB to resize) is refused before it is decoded."""
WEBP_MAX = 16383
"""WebP's largest width or height: a variant of a very tall screenshot is made narrower to fit."""
JPEG_MAX = 65500
"""JPEG's largest height (65535), less a margin."""
WIDTHS = (480, 960, 1600)
"""Widths of the WebP variants: a phone's column, a tablet's or a phone at 2x, a wide screen at 2x."""
FALLBACK_WIDTH = 960
DIGEST_LENGTH = 10
PROSE_SIZES = "(min-width: 52rem) 46rem, calc(100vw - 2rem)"
"""What ``sizes`` says for a picture in a column of text (the stylesheet's .prose is at most ~46rem wide)."""

_ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture by 90°: its width and height swap once it is upright."""
def _save_again() -> Message:
    return msg("save it again as JPEG or PNG, or remove it")


def is_photo(rel: str) -> bool:
    """Whether the name promises a picture (the content decides in the end: ``picture_format``)."""
    return rel.lower().endswith(RASTER_TYPES)


def picture_format(data: bytes | BinaryIO) -> str | None:
    """Pillow's name of the picture format of ``data`` (from its first bytes, nothing decoded), or None. ``data``: the
    bytes, or the file open for reading (Pillow reads its header only)."""
    from PIL import Image

    try:
        with _no_bomb_check(), Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as image:
            return str(image.format)
    except Exception:  # noqa: BLE001 - whatever Pillow cannot open is no picture
        return None


def read_if_picture(rel: str, file: BinaryIO, remembered: Callable[[Callable[[], bool]], bool] | None = None) -> bytes | None:
    """The bytes of ``file`` (static/<rel>, open for reading) when it may be a picture: its name promises one, or its
    first bytes are one's (Pillow reads the header only); None otherwise, and the rest of it is never read (a file of
    1.5 GB is published as it is, without being held in memory). ``remembered(sniff)``: ``sniff()``, or what it gave
    for this file as it is now (a build keeps it by the file's status: incremental/stamped.py)."""
    if not is_photo(rel):
        sniff = partial(_is_picture, file)
        if not (remembered(sniff) if remembered is not None else sniff()):
            return None
    file.seek(0)
    return file.read()


def _is_picture(file: BinaryIO) -> bool:
    return picture_format(file) is not None


class _no_bomb_check:
    """Pillow's own decompression-bomb check off (MAX_PIXELS is checked instead, with a message), then on again."""

    def __enter__(self) -> None:
        from PIL import Image

        self.saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None

    def __exit__(self, *exc: object) -> None:
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = self.saved


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


@dataclass
class Planned:
    photos: dict[str, Photo]
    """static-relative path → its variants."""
    encoded: dict[str, bytes]
    """static-relative path → the bytes published at its own address (icons, animations), encoded afresh."""
    problems: list[ContentError]


@dataclass(frozen=True)
class Look:
    """What a file of static/ is, from its bytes alone: a photo with its variants, a picture to encode afresh at its own
    address (``encode``), not a picture (neither), or a problem."""

    photo: Photo | None = None
    encode: bool = False
    problems: tuple[ContentError, ...] = ()


Remember = Callable[[tuple[str, ...], str, bytes, Callable[[], Look]], Look]
"""``remember(kind, rel, data, look)``: ``look()``, or what it gave for the same ``data`` before (a build keeps it:
sitegen/incremental/sources.py), so that an unchanged file is not opened by Pillow again."""


def plan_photos(static_files: list[str], read: Callable[[str], bytes | None], skip: Callable[[str], bool] = lambda rel: False,
                remember: Remember | None = None) -> Planned:
    """Every picture of static/ (by name or by content; ``skip``: files handled elsewhere, never pictures): its
    variants, or its bytes encoded afresh, or a problem at its path. ``read(rel)``: the bytes of a picture, None for
    a file that is none (read_if_picture)."""
    planned = Planned({}, {}, [])
    for rel in static_files:
        if skip(rel):
            continue
        data = read(rel)
        if data is None:
            continue
        look = remember(("picture",), f"static/{rel}", data, partial(_look, rel, data)) if remember is not None else _look(rel, data)
        planned.problems += look.problems
        if look.photo is not None:
            planned.photos[rel] = look.photo
        elif look.encode:
            try:
                planned.encoded[rel] = encode_whole(data)
            except Exception as exc:  # noqa: BLE001 - as in _look
                planned.problems.append(ContentError(f"static/{rel}", 0, msg("this picture cannot be read ({name}) — {fix}",
                                                                            name=type(exc).__name__, fix=_save_again())))
    return planned


def _look(rel: str, data: bytes) -> Look:
    """What Pillow makes of ``data`` (the file static/``rel``), from its header: nothing is decoded."""
    from PIL import Image

    where = f"static/{rel}"
    try:
        with _no_bomb_check(), Image.open(io.BytesIO(data)) as image:
            kind = str(image.format)
            width, height = image.size
            if width * height > MAX_PIXELS:
                return Look(problems=(ContentError(where, 0, msg(
                    "this picture is {width}×{height} pixels ({megapixels:.0f} megapixels); at most {limit} megapixels are "
                    "published — make it smaller (a web page needs at most 3000 pixels across)",
                    width=width, height=height, megapixels=width * height / 1e6, limit=MAX_PIXELS // 1_000_000)),))
            frames = int(getattr(image, "n_frames", 1) or 1)
            # a PNG's orientation is read only when it comes before the pixels (else Pillow decodes them all to find it)
            orientation = _orientation(image) if kind != "PNG" or "exif" in image.info else 1
            alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
            if kind in RESIZED and frames == 1:
                damage = _damage(image, data)
                if damage:
                    return Look(problems=(ContentError(where, 0, msg("this picture is damaged ({damage}) — {fix}", damage=damage,
                                                                     fix=_save_again())),))
    except Exception as exc:  # noqa: BLE001 - Pillow's errors for a bad file are many: each is this file's problem
        if is_photo(rel):
            return Look(problems=(ContentError(where, 0, msg("this picture cannot be read ({name}) — {fix}", name=type(exc).__name__,
                                                             fix=_save_again())),))
        return Look()
    if kind in RESIZED and frames == 1:
        if orientation in _ROTATED:
            width, height = height, width
        return Look(photo=_plan(rel, hashlib.sha256(data).hexdigest(), width, height, alpha))
    if kind in ICONS or (kind in RESIZED and frames > 1):
        return Look(encode=True)
    return Look(problems=(ContentError(where, 0, msg(
        "a {kind} picture cannot be published (only JPEG, PNG, WebP, GIF, TIFF and BMP can be cleaned of the camera's "
        "metadata) — {fix}", kind=kind, fix=_save_again())),))


def _orientation(image: Any) -> int:
    """The EXIF orientation (1 when there is none, or the EXIF cannot be read: it is dropped anyway)."""
    try:
        value = image.getexif().get(0x0112, 1)
        return value if isinstance(value, int) else 1
    except Exception:  # noqa: BLE001 - a damaged EXIF block does not make the pixels unreadable
        return 1


def _damage(image: Any, data: bytes) -> str | Message:
    """Why a picture whose header was read is damaged ('' when nothing is known to be wrong), without decoding it."""
    if image.format in ("JPEG", "MPO") and b"\xff\xd9" not in data[-(1 << 16):]:
        return msg("it is cut short: its end is missing")
    if image.format == "PNG":
        from PIL import Image

        try:
            with _no_bomb_check(), Image.open(io.BytesIO(data)) as again:
                again.verify()  # every chunk's checksum, without decoding the pixels
        except Exception as exc:  # noqa: BLE001 - any failure means damaged
            return f"{type(exc).__name__}: {exc}"[:120]
    return ""


def encode_whole(data: bytes) -> bytes:
    """An icon or an animation encoded afresh in its own format, every frame kept, no metadata (EXIF, XMP, comments)."""
    from PIL import Image, ImageSequence

    out = io.BytesIO()
    with _no_bomb_check(), Image.open(io.BytesIO(data)) as image:
        kind = image.format
        if kind == "ICO":
            sizes = sorted(image.info.get("sizes") or {image.size})
            largest = image.copy()
            largest.info = {}
            largest.save(out, "ICO", sizes=sizes)
            return out.getvalue()
        frames, durations = [], []
        for frame in ImageSequence.Iterator(image):
            durations.append(int(frame.info.get("duration", 100) or 100))
            copy = frame.convert("RGBA")
            copy.info = {}
            frames.append(copy)
        loop = int(image.info.get("loop", 0) or 0)
    first = frames[0]
    if kind == "GIF":
        first.save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=loop, disposal=2)
    elif kind == "PNG":
        first.save(out, "PNG", save_all=True, append_images=frames[1:], duration=durations, loop=loop)
    else:
        first.save(out, "WEBP", save_all=True, append_images=frames[1:], duration=durations, loop=loop, quality=80,
                   exif=b"", xmp=b"")
    return out.getvalue()


def _plan(rel: str, digest: str, width: int, height: int, alpha: bool) -> Photo:
    folder, name = posixpath.split(rel)
    stem = name.rsplit(".", 1)[0]

    def variant(w: int, fmt: str, ext: str) -> Variant:
        h = max(1, round(height * w / width))
        return Variant(posixpath.join("assets", folder, f"{stem}.{digest[:DIGEST_LENGTH]}-{w}.{ext}"), w, h, fmt)

    fits = max(1, WEBP_MAX * width // height)  # the widest variant WebP can hold (a 800×17000 screenshot: 770)
    widths = sorted({min(w, width, fits) for w in WIDTHS})
    fallback_width = min(FALLBACK_WIDTH, width, max(1, JPEG_MAX * width // height))
    fallback = variant(fallback_width, "PNG", "png") if alpha else variant(fallback_width, "JPEG", "jpg")
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
