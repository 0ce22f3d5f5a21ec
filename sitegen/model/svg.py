"""SVG files of static/ are published sanitised: only drawing, never script nor outside references.

An SVG opened by its address runs in the site's origin, where ``/admin/`` keeps the editors' GitHub token,
and GitHub Pages sends no Content-Security-Policy header: a ``<script>`` in a partner's logo would run
there. So every SVG is parsed (the standard library's expat, which neither fetches external entities nor
lets internal ones grow past its billion-laughs limits) and written again with an allow-list:

- elements: SVG's drawing, text, paint-server, clipping, filter and structure elements (``ELEMENTS``).
  Anything else — ``script``, ``foreignObject``, ``iframe``, HTML, editors' own namespaces (Inkscape,
  Illustrator), ``metadata`` — goes with its content;
- attributes: SVG's presentation and geometry attributes (``ATTRIBUTES``), so no ``on…`` handler;
- addresses (``href``, ``xlink:href``): only a reference inside the file (``#id``); an ``<a>`` may also
  lead to an ``https:``/``http:``/``mailto:`` page; a ``data:`` picture (PNG, JPEG, GIF, WebP) may be
  embedded by ``<image>``. Everything else (``javascript:``, another file, another site) is removed;
- CSS (``<style>``, ``style=``, ``fill="url(…)"``): ``@import`` is removed and every ``url(…)`` that is not
  ``url(#id)`` becomes ``none``; animation may not change an address or a handler (``attributeName``).

A valid SVG is never refused, only cleaned; one that is not XML at all is a problem at its path.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from sitegen.errors import ContentError
from sitegen.messages import Message, msg

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset("""
svg g defs symbol use title desc switch a view style
path rect circle ellipse line polyline polygon
text tspan textPath
linearGradient radialGradient stop pattern clipPath mask marker image
filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage
feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
animate animateMotion animateTransform set mpath
""".split())

ATTRIBUTES = frozenset("""
id class style lang tabindex role focusable transform viewBox preserveAspectRatio version baseProfile
x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength
dx dy rotate textLength lengthAdjust startOffset method spacing side
gradientUnits gradientTransform spreadMethod offset patternUnits patternContentUnits patternTransform
clipPathUnits maskUnits maskContentUnits markerUnits markerWidth markerHeight refX refY orient
filterUnits primitiveUnits in in2 result mode type values operator k1 k2 k3 k4 stdDeviation edgeMode
kernelMatrix kernelUnitLength order divisor bias targetX targetY preserveAlpha surfaceScale diffuseConstant
specularConstant specularExponent limitingConeAngle pointsAtX pointsAtY pointsAtZ azimuth elevation z
scale xChannelSelector yChannelSelector baseFrequency numOctaves seed stitchTiles radius tableValues
amplitude exponent slope intercept
attributeName attributeType begin dur end min max restart repeatCount repeatDur calcMode keyTimes keySplines
keyPoints from to by additive accumulate path
fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
stroke-dasharray stroke-dashoffset stroke-opacity opacity color color-interpolation color-interpolation-filters
color-rendering clip-path clip-rule mask filter flood-color flood-opacity lighting-color stop-color stop-opacity
marker-start marker-mid marker-end display visibility overflow shape-rendering text-rendering image-rendering
vector-effect paint-order mix-blend-mode isolation
font font-family font-size font-size-adjust font-stretch font-style font-variant font-weight
text-anchor text-decoration dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing
writing-mode direction unicode-bidi white-space href target
""".split())

ANIMATION = frozenset({"animate", "animateMotion", "animateTransform", "set"})
_ADDRESSES = frozenset({"href", f"{{{XLINK_NS}}}href"})
_PAGE_SCHEMES = re.compile(r"(https?|mailto):", re.I)
_DATA_PICTURE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)
_IMPORT = re.compile(r"@import[^;]*;?", re.I)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")

MAX_SVG_BYTES = 5_000_000
"""An SVG larger than this is refused (a drawing for a web page is a few kilobytes; a huge one is pasted data)."""


def _css(text: str) -> str:
    """CSS without ``@import`` and with every outside ``url(…)`` replaced by ``none``."""
    if "\\" in text:  # escapes can spell url( or @import past any pattern: keep no CSS that uses them
        return ""
    text = _IMPORT.sub("", text)
    return _URL.sub(lambda m: m[0] if m[2].strip().startswith("#") else "none", text)


def _address(value: str, element: str) -> str | None:
    """``value`` when it may stay as an address of ``element``, else None."""
    plain = _INVISIBLE.sub("", value)
    if plain.startswith("#"):
        return value
    if element == "a" and _PAGE_SCHEMES.match(plain):
        return value
    if element in ("image", "feImage") and _DATA_PICTURE.match(value.strip()):
        return value
    return None


def _local(name: str) -> tuple[str | None, str]:
    if name.startswith("{"):
        space, _, local = name[1:].partition("}")
        return space, local
    return None, name


def _clean(element: ET.Element) -> None:
    """Remove, in place, what is not on the allow-lists from ``element``'s attributes and children."""
    _space, tag = _local(element.tag)
    for name, value in list(element.attrib.items()):
        space, local = _local(name)
        keep: str | None = None
        if name in _ADDRESSES:
            keep = _address(value, tag)
        elif space == XML_NS and local in ("space", "lang"):
            keep = value
        elif space is None and local in ATTRIBUTES and not local.lower().startswith("on"):
            keep = _css(value) if local == "style" or "url(" in value.lower() else value
            if "javascript:" in _INVISIBLE.sub("", value).lower():
                keep = None
        del element.attrib[name]
        if keep is not None:
            element.set("href" if name in _ADDRESSES else name, keep)
    if tag == "style":
        element.text = _css("".join(element.itertext()))
        for child in list(element):
            element.remove(child)
        return
    for child in list(element):
        space, local = _local(child.tag) if isinstance(child.tag, str) else ("", "")
        if space not in (SVG_NS, None) or local not in ELEMENTS or _changes_an_address(child, local):
            tail = child.tail
            index = list(element).index(child)
            element.remove(child)
            if tail and tail.strip():  # the text after a removed element stays where it was
                if index == 0:
                    element.text = (element.text or "") + tail
                else:
                    previous = element[index - 1]
                    previous.tail = (previous.tail or "") + tail
            continue
        child.tag = local  # written in the default namespace, declared once on <svg>
        _clean(child)


def _changes_an_address(element: ET.Element, local: str) -> bool:
    """An animation that would set an address or a handler (``<set attributeName="href" to="javascript:…">``)."""
    if local not in ANIMATION:
        return False
    target = element.get("attributeName", "").strip().lower()
    return target.endswith("href") or target.startswith("on") or target == "style"


class NotSvg(ValueError):
    def __init__(self, why: str, line: int):
        super().__init__(why)
        self.line = line


def sanitise_svg(data: bytes) -> bytes:
    """The SVG ``data`` with only what the allow-lists admit; NotSvg (why, at which line) when it is not an SVG."""
    parser = ET.XMLParser()
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        raise NotSvg(f"it is not well-formed XML ({exc})", exc.position[0]) from None
    space, local = _local(root.tag)
    if local != "svg" or space not in (SVG_NS, None):
        raise NotSvg(f"its outermost element is <{local}>, not <svg>", 1)
    root.tag = "svg"
    _clean(root)
    root.attrib = {"xmlns": SVG_NS, **root.attrib}
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def svg_too_large(size: int) -> Message:
    """The problem of an SVG larger than MAX_SVG_BYTES (found from its size: the file is not read)."""
    return msg("this SVG is larger than {limit} MB — simplify the drawing, or save it as PNG", limit=MAX_SVG_BYTES // 1_000_000)


def sanitise_svgs(static_files: list[str], read: Callable[[str], bytes | None]) -> tuple[dict[str, bytes], list[ContentError]]:
    """static-relative path → the sanitised bytes of every SVG of static/; a file that is no SVG is a problem at its path.
    ``read(rel)``: the SVG's bytes, or None when it cannot be read or is larger than MAX_SVG_BYTES (the reader reports
    that, with svg_too_large: a huge file is refused from its size, never read whole)."""
    cleaned: dict[str, bytes] = {}
    problems: list[ContentError] = []
    for rel in static_files:
        if rel.lower().endswith(".svgz"):
            problems.append(ContentError(f"static/{rel}", 0, msg("a compressed SVG (.svgz) cannot be checked for scripts — save it as a plain "
                                                             ".svg (the host compresses it anyway)")))
            continue
        if not rel.lower().endswith(".svg"):
            continue
        data = read(rel)
        if data is None:  # its problem is reported (larger than MAX_SVG_BYTES: svg_too_large)
            continue
        try:
            cleaned[rel] = sanitise_svg(data)
        except NotSvg as exc:
            problems.append(ContentError(f"static/{rel}", exc.line, msg("this SVG cannot be read: {reason} — save it again from the drawing "
                                                                    "program (as plain SVG), or remove it", reason=str(exc))))
        except RecursionError:
            problems.append(ContentError(f"static/{rel}", 0, msg("this SVG's elements are nested too deeply to check — simplify the drawing "
                                                             "(ungroup), or save it as PNG")))
    return cleaned, problems
