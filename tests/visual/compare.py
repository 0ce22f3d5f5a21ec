"""Compare a photograph with its reference: a tolerance that absorbs font anti-aliasing, not a moved block.

Pillow (already a dependency of the engine) does it: ``ImageChops.difference`` gives each pixel's difference per
channel; a pixel differs when one channel differs by more than ``PIXEL_THRESHOLD`` (low: a background turned from
white to a light tint moves 14–22 levels, and must be seen), and the photograph passes when no more than
``MAX_RATIO`` of its pixels differ: font anti-aliasing that varies touches a few glyph edges, a changed box or
colour whole areas. A different size (a page grown or shrunk by one line) never passes. pixelmatch
would add a dependency for an anti-aliasing detector we do not need: the same Chromium on the same fonts
renders the same pixels, and the threshold covers the rest.

On failure ``write_failure`` writes ``<name>.actual.png`` and ``<name>.diff.png`` (the reference dimmed, the
differing pixels in red) into the failures folder, for the developer to look at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

PIXEL_THRESHOLD = 8
"""Largest difference in one channel (0–255) that still counts as the same pixel."""
MAX_RATIO = 0.001
"""Largest share of differing pixels (0.1 %) that still counts as the same photograph."""


@dataclass(frozen=True)
class Verdict:
    same: bool
    reason: str
    mask: Image.Image | None = None
    """The differing pixels (white on black), when the sizes agree."""


def compare(actual: Image.Image, reference: Image.Image) -> Verdict:
    actual, reference = actual.convert("RGB"), reference.convert("RGB")
    if actual.size != reference.size:
        return Verdict(False, f"size {actual.width}×{actual.height}, reference {reference.width}×{reference.height}")
    if actual.tobytes() == reference.tobytes():  # the usual case, and the quickest
        return Verdict(True, "identical")
    difference = ImageChops.difference(actual, reference)
    # The largest channel difference of each pixel, then 255 where it passes the threshold.
    largest = ImageChops.lighter(ImageChops.lighter(*difference.split()[:2]), difference.split()[2])
    mask = largest.point(lambda level: 255 if level > PIXEL_THRESHOLD else 0)
    differing = mask.histogram()[255]
    ratio = differing / (actual.width * actual.height)
    reason = f"{differing} pixels differ ({ratio:.4%}; at most {MAX_RATIO:.2%} allowed)"
    return Verdict(ratio <= MAX_RATIO, reason, mask)


def diff_image(reference: Image.Image, mask: Image.Image) -> Image.Image:
    """The reference in pale grey, the differing pixels in red."""
    pale = Image.blend(reference.convert("L").convert("RGB"), Image.new("RGB", reference.size, "white"), 0.7)
    return Image.composite(Image.new("RGB", reference.size, (230, 0, 0)), pale, mask)


def write_failure(folder: Path, name: str, actual: Image.Image, reference: Image.Image | None, verdict: Verdict) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / f"{name}.actual.png"]
    actual.save(written[0])
    if reference is not None and verdict.mask is not None:
        written.append(folder / f"{name}.diff.png")
        diff_image(reference, verdict.mask).save(written[1])
    return written
