"""Content-hashed names for the stylesheets, scripts and fonts of static/, so hosts can cache them for a year.

``static/style.css`` is published as ``assets/style.<hash>.css``, ``static/fonts/x.woff2`` as
``assets/fonts/x.<hash>.woff2``: the hash is the first 10 hex digits of the SHA-256 of the
bytes published, so a changed file gets a new name and a visitor's browser never keeps a
stale copy. Everything fingerprinted lives under ``assets/``, one folder that a host's
rules (``/assets/*`` in ``_headers``, a ``location`` in nginx) can mark immutable.

Inside a stylesheet, ``url(…)`` and ``@import`` references to other files of static/ are
rewritten to the published names, as paths relative to the stylesheet itself — so they
work at a domain's root and under a sub-path alike. A stylesheet's hash is taken after the
rewriting, so a new font also gives the stylesheet that loads it a new name. Other static
files (images, documents, the icon) keep their names and addresses.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sitegen.errors import ContentError
from sitegen.messages import msg
from sitegen.model.photos import Photo

FINGERPRINTED = (".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf")
"""Kinds of static files whose published names carry their hash."""
ASSETS_DIR = "assets"
HASH_LENGTH = 10

_CSS_REFERENCE = re.compile(
    r"""(?P<url>url\(\s*(?P<q>["']?)(?P<u>[^"')]*?)(?P=q)\s*\))|(?P<import>@import\s+(?P<iq>["'])(?P<i>[^"']*)(?P=iq))""",
    re.IGNORECASE,
)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def is_fingerprinted(rel: str) -> bool:
    return rel.lower().endswith(FINGERPRINTED)


@dataclass(frozen=True)
class Assets:
    """What static/ becomes in the output: every file's published path, and the bytes of the fingerprinted ones."""

    outputs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """static-relative path → output-relative path, for every static file."""
    contents: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    """output path → bytes, for fingerprinted files (stylesheets rewritten)."""
    photos: Mapping[str, Photo] = field(default_factory=lambda: MappingProxyType({}))
    """static-relative path → its variants, for every photo (model/photos.py); its ``outputs`` entry is the fallback."""

    def output(self, rel: str) -> str:
        """The published path of ``static/<rel>`` (itself when it is not fingerprinted)."""
        rel = rel.lstrip("/")
        return self.outputs.get(rel, rel)

    def has(self, rel: str) -> bool:
        return rel.lstrip("/") in self.outputs


def fingerprint(static_files: list[str], read: Callable[[str], bytes]) -> tuple[Assets, list[ContentError]]:
    """Name every fingerprinted file by its content; ``read(rel)`` gives the bytes of static/<rel>."""
    outputs: dict[str, str] = {rel: rel for rel in static_files}
    contents: dict[str, bytes] = {}
    problems: list[ContentError] = []
    fingerprinted = [rel for rel in static_files if is_fingerprinted(rel)]
    for rel in fingerprinted:
        if not rel.lower().endswith(".css"):
            data = read(rel)
            outputs[rel] = _hashed(rel, data)
            contents[outputs[rel]] = data
    stylesheets = [rel for rel in fingerprinted if rel.lower().endswith(".css")]
    visiting: set[str] = set()

    def stylesheet(rel: str) -> None:
        """Rewrite one stylesheet (after those it imports, so their names are known)."""
        if outputs[rel] != rel or rel in visiting:
            return
        visiting.add(rel)
        text = read(rel).decode("utf-8", errors="replace")
        for target in _references(rel, text):
            if target in outputs and target.lower().endswith(".css"):
                stylesheet(target)
        data = _rewrite(rel, text, outputs, problems).encode("utf-8")
        outputs[rel] = _hashed(rel, data)
        contents[outputs[rel]] = data
        visiting.discard(rel)

    for rel in stylesheets:
        stylesheet(rel)
    return Assets(MappingProxyType(outputs), MappingProxyType(contents)), problems


def _hashed(rel: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    folder, name = posixpath.split(rel)
    stem, dot, ext = name.rpartition(".")
    return posixpath.join(ASSETS_DIR, folder, f"{stem}.{digest}.{ext}")


def _target(css_rel: str, reference: str) -> str | None:
    """The static-relative file a stylesheet's reference names (None for data:, https:, #…)."""
    reference = reference.strip().split("#", 1)[0].split("?", 1)[0]
    if not reference or _EXTERNAL.match(reference):
        return None
    if reference.startswith("/"):
        return posixpath.normpath(reference.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(css_rel), reference))


def _references(css_rel: str, text: str) -> list[str]:
    found = []
    for match in _CSS_REFERENCE.finditer(text):
        target = _target(css_rel, match["u"] if match["url"] else match["i"])
        if target is not None:
            found.append(target)
    return found


def _rewrite(css_rel: str, text: str, outputs: dict[str, str], problems: list[ContentError]) -> str:
    def replace(match: re.Match[str]) -> str:
        reference = match["u"] if match["url"] else match["i"]
        target = _target(css_rel, reference)
        if target is None:
            return match[0]
        if target not in outputs:
            line = text.count("\n", 0, match.start()) + 1
            problems.append(ContentError(f"static/{css_rel}", line, msg("the stylesheet refers to '{reference}', which is not in static/ — fix the path (relative to the "
                                                                        "stylesheet) or add the file", reference=reference)))
            return match[0]
        suffix = reference[len(reference.split("#", 1)[0].split("?", 1)[0]):]  # keep a #fragment or ?query
        new = posixpath.relpath(outputs[target], posixpath.dirname(_hashed(css_rel, b""))) + suffix
        return f'url("{new}")' if match["url"] else f'@import "{new}"'

    return _CSS_REFERENCE.sub(replace, text)
