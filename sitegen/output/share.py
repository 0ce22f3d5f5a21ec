"""The share image of each language: what WhatsApp, LinkedIn, Facebook or X show with a link to the site.

1200×630 PNG (the size those services crop to), drawn at build time with Pillow from data/site.yaml — the site's
mark (static/mark.svg's two overlapping circles, drawn here), its name once (the full title alone when it holds the
title, as "Merhav: promoting …" does), and who runs the programme (owner:, when given) — in the site's own font
(static/fonts/, Heebo). Hebrew is laid out
right-to-left and shaped by Pillow's raqm layout (FriBiDi, HarfBuzz, in its wheels). Heebo comes as two subsets,
Hebrew letters and Latin (punctuation, digits, Latin letters): each run of a line is drawn with the subset that has its
glyphs, the runs in the line's visual order.

Any title draws in bounded time and size: only its first MAX_CHARACTERS are laid out, a letter keeps at most MAX_MARKS
combining marks, a word wider than the image is cut between letters, and wrapping stops at the last line allowed.

The image's name carries a hash of what it is drawn from (texts, fonts' published names, this module's VERSION), so
a page can name it before it is drawn, and it changes when any of those does.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import BuildFailed, ContentError
from sitegen.messages import msg
from sitegen.model.site import Site
from sitegen.sources.config import localize

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
VERSION = "5"
"""Changes when the drawing or its encoding changes (the images' names change with it)."""
FONTS = {"hebrew": "fonts/heebo-hebrew-wght-normal.woff2", "latin": "fonts/heebo-latin-wght-normal.woff2"}
"""Files under static/ (OFL-Heebo.txt)."""
BACKGROUND, TEXT, SOFT = "#0f4c5c", "#ffffff", "#d7ebee"
MARK = ("#8fd3e2", "#f6c66b", "#ffffff")
"""static/mark.svg's colours: the first circle, the second, the space they share."""
MARGIN = 80
_HEBREW = re.compile(r"[\u0590-\u05ff\ufb1d-\ufb4f]")
_STRONG_LTR = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
_MIRROR = str.maketrans("()[]{}<>", ")(][}{><")


def share_texts(site: Site, code: str) -> dict[str, str]:
    """What the image of language ``code`` says, from data/site.yaml."""
    config = site.config
    settings = localize(config.settings_dump(), code, config.default.code, config.codes)
    owner = settings.get("owner") or {}
    return {"title": settings["title"], "full_title": settings.get("full_title") or "",
            "owner": owner.get("name") or "" if isinstance(owner, dict) else ""}


def share_image_path(site: Site, code: str) -> str:
    """The image's path in the output (``assets/share-he-<hash>.png``), known before it is drawn."""
    language = site.config.language(code)
    inputs = {"texts": share_texts(site, code), "dir": language.dir, "version": VERSION,
              "fonts": [site.assets.output(rel) for rel in FONTS.values()]}
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:10]
    return f"assets/share-{code}.{digest}.png"


def share_images(site: Site, static_dir: Path, drawn: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """{output path: PNG} for every language, when the site has its fonts. ``drawn``: images an earlier build drew
    (incremental/pagecache.py), by output path; the path is a digest of everything an image is drawn from, so one found
    there is taken as it is (the same bytes: tests/test_share.py), the others are drawn."""
    if not all((static_dir / rel).is_file() for rel in FONTS.values()):
        return {}
    fonts: tuple[bytes, bytes] | None = None
    images = {}
    for language in site.config.languages:
        path = share_image_path(site, language.code)
        if drawn is not None and path in drawn:
            images[path] = drawn[path]
            continue
        if fonts is None:
            fonts = ((static_dir / FONTS["hebrew"]).read_bytes(), (static_dir / FONTS["latin"]).read_bytes())
        texts = share_texts(site, language.code)
        try:
            images[path] = draw(texts["title"], texts["full_title"], texts["owner"], language.dir == "rtl", fonts)
        except (OSError, ValueError, MemoryError) as exc:  # a text no rule above foresaw: its file, never a traceback
            raise BuildFailed([ContentError("data/site.yaml", 0, msg(
                "the share image of '{code}' cannot be drawn from title, full_title and the owner's name ({error}) — shorten them, "
                "or remove unusual characters", code=language.code, error=f"{type(exc).__name__}: {str(exc)[:100]}"))]) from None
    return images


def share_paths(site: Site) -> list[str]:
    """The output paths of the share images, one a language (whether or not the site has the fonts to draw them)."""
    return [share_image_path(site, language.code) for language in site.config.languages]


def has_share_images(site: Site) -> bool:
    return all(site.assets.has(rel) for rel in FONTS.values())


@lru_cache(maxsize=8)
def draw(title: str, full_title: str, owner: str, rtl: bool, fonts: tuple[bytes, bytes]) -> bytes:
    """The PNG (deterministic: the same texts and fonts give the same bytes)."""
    from PIL import Image, ImageDraw  # only when a share image is drawn: most builds take them from the cache

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    _mark(image, WIDTH - MARGIN - MARK_WIDTH if rtl else MARGIN, MARGIN)
    y = MARGIN + MARK_HEIGHT + 36
    if full_title and _plain(tame(title)) in _plain(tame(full_title)):  # the name once: the full title says it
        _paragraph(pen, full_title, y, 64, "Bold", TEXT, rtl, fonts, max_lines=4)
    else:
        y = _paragraph(pen, title, y, 110, "Bold", TEXT, rtl, fonts, max_lines=1) + 16
        _paragraph(pen, full_title, y, 52, "SemiBold", SOFT, rtl, fonts, max_lines=3)
    if owner:
        _paragraph(pen, owner, HEIGHT - MARGIN - 44, 38, "Regular", TEXT, rtl, fonts, max_lines=1)
    out = io.BytesIO()
    # zlib's default level: optimize=True (level 9) took twice the time (56 against 27 ms an image, measured) for a file
    # 6 % smaller (22.5 against 23.9 kB), which only a link preview's crawler fetches, once
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


MARK_WIDTH, MARK_HEIGHT = 150, 100
"""The mark's place (static/mark.svg's 48×32 drawing, scaled)."""


def _mark(image: Image.Image, x: int, y: int) -> None:
    """Two overlapping circles and the lens they share, drawn four times larger and scaled down (smooth edges)."""
    from PIL import Image, ImageDraw

    scale = 4
    unit = MARK_HEIGHT * scale / 32  # mark.svg's units
    layer = Image.new("RGBA", (MARK_WIDTH * scale, MARK_HEIGHT * scale), (0, 0, 0, 0))
    first, second, shared = (Image.new("L", layer.size, 0) for _ in range(3))
    for mask, cx in ((first, 16), (second, 32)):
        ImageDraw.Draw(mask).ellipse(((cx - 14) * unit, 2 * unit, (cx + 14) * unit, 30 * unit), fill=255)
    shared.paste(first, mask=second)
    for mask, colour in zip((first, second, shared), MARK, strict=True):
        layer.paste(colour, mask=mask)
    layer = layer.resize((MARK_WIDTH, MARK_HEIGHT), Image.Resampling.LANCZOS)
    image.paste(layer, (x, y), layer)


def _plain(text: str) -> str:
    """A text to compare: letters and digits only, lower case."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@lru_cache(maxsize=32)
def _font(data: bytes, size: int, weight: str) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.truetype(io.BytesIO(data), size, layout_engine=ImageFont.Layout.RAQM)
    font.set_variation_by_name(weight)
    return font


def _runs(text: str) -> list[tuple[str, str]]:
    """(kind, text) runs in logical order: "hebrew" letters, "ltr" (Latin letters, digits) and "neutral" (punctuation,
    spaces). Spaces alone go with the run before them; punctuation between two left-to-right runs (9-10) joins them."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        kind = "hebrew" if _HEBREW.match(ch) else "ltr" if _STRONG_LTR.match(ch) else "neutral"
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + ch)
        else:
            runs.append((kind, ch))
    merged: list[tuple[str, str]] = []
    for n, (kind, part) in enumerate(runs):
        between_ltr = 0 < n < len(runs) - 1 and runs[n - 1][0] == runs[n + 1][0] == "ltr"
        if merged and kind == "neutral" and (not part.strip() or between_ltr):
            merged[-1] = (merged[-1][0], merged[-1][1] + part)
        elif merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + part)
        else:
            merged.append((kind, part))
    return merged


def _visual(text: str, rtl: bool) -> list[tuple[str, str, str]]:
    """(font subset, text, direction) in left-to-right visual order. In a right-to-left line the runs go right to left,
    a run of punctuation alone reads right to left too (mirrored), a Latin or digit run keeps its own order."""
    runs = _runs(text)
    order = reversed(runs) if rtl else iter(runs)
    out = []
    for kind, part in order:
        if kind == "hebrew":
            out.append(("hebrew", part, "rtl"))
        elif kind == "neutral" and rtl:
            out.append(("latin", part[::-1].translate(_MIRROR), "ltr"))
        else:
            out.append(("latin", part, "ltr"))
    return out


def _width(text: str, size: int, weight: str, rtl: bool, fonts: tuple[bytes, bytes]) -> float:
    return sum(_font(fonts[subset == "latin"], size, weight).getlength(part, direction=direction)
               for subset, part, direction in _visual(text, rtl))


MAX_CHARACTERS = 600
"""What of a text is laid out: four lines of the full title hold about 200 characters (a 100,000-word title took 23 s)."""
MAX_MARKS = 3
"""Combining marks kept on one letter (Hebrew's vowel and cantillation marks are at most three): a letter with 1,000
of them is a glyph taller than any image Pillow will draw."""


def tame(text: str) -> str:
    """``text`` as the image may draw it: its first MAX_CHARACTERS, at most MAX_MARKS combining marks on a letter."""
    out: list[str] = []
    marks = 0
    for ch in text[: MAX_CHARACTERS * 2]:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        out.append(ch)
    return "".join(out)[:MAX_CHARACTERS]


def _clusters(word: str) -> list[str]:
    """The letters of ``word``, each with its combining marks (a word is never cut between them)."""
    clusters: list[str] = []
    for ch in word:
        if clusters and (unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me")):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _pieces(word: str, size: int, weight: str, rtl: bool, fonts: tuple[bytes, bytes], room: int) -> list[str]:
    """``word`` cut into pieces that each fit ``room`` (a 20,000-letter word was drawn as one line, past any image)."""
    if _width(word, size, weight, rtl, fonts) <= room:
        return [word]
    letters, pieces = _clusters(word), []
    while letters:
        low, high = 1, len(letters)  # the most letters that fit, found by halving
        while low < high:
            middle = (low + high + 1) // 2
            if _width("".join(letters[:middle]), size, weight, rtl, fonts) <= room:
                low = middle
            else:
                high = middle - 1
        pieces.append("".join(letters[:low]))
        letters = letters[low:]
    return pieces


def _lines(text: str, size: int, weight: str, rtl: bool, fonts: tuple[bytes, bytes], max_lines: int) -> list[str]:
    room = WIDTH - 2 * MARGIN
    lines: list[str] = []
    for word in tame(text).split():
        for piece in _pieces(word, size, weight, rtl, fonts, room):
            if lines and _width(f"{lines[-1]} {piece}", size, weight, rtl, fonts) <= room:
                lines[-1] = f"{lines[-1]} {piece}"
            else:
                lines.append(piece)
        if len(lines) > max_lines:
            break
    if len(lines) > max_lines or len(text) > MAX_CHARACTERS:
        lines = lines[:max_lines]
        while len(lines[-1]) > 1 and _width(lines[-1] + " …", size, weight, rtl, fonts) > room:
            lines[-1] = lines[-1][: -max(1, len(lines[-1]) // 8)].rstrip()
        lines[-1] += " …"
    return lines


def _paragraph(pen: ImageDraw.ImageDraw, text: str, y: int, size: int, weight: str, colour: str, rtl: bool,
               fonts: tuple[bytes, bytes], max_lines: int) -> int:
    """Draw ``text`` wrapped from ``y``, aligned to the line's start (right in a right-to-left line); the next y."""
    step = round(size * 1.3)
    for line in _lines(text, size, weight, rtl, fonts, max_lines):
        x = WIDTH - MARGIN - _width(line, size, weight, rtl, fonts) if rtl else MARGIN
        for subset, part, direction in _visual(line, rtl):
            font = _font(fonts[subset == "latin"], size, weight)
            pen.text((x, y), part, font=font, fill=colour, direction=direction)
            x += font.getlength(part, direction=direction)
        y += step
    return y
