"""Markdown body → safe HTML, with links to source files turned into page URLs.

- Extensions editors need: tables, attr_list, heading ids that keep Hebrew letters.
  No "smarty": quotation marks, gershayim (מנכ"ל) and geresh (צ'רקסי) come out as typed.
- Links are written to source files (``[x](programme.he.md)``, ``../cohorts/index.en.md#id``)
  and become the target page's URL; a link to a page, anchor or image that does not exist
  is an error at the line where it is written.
- Raw HTML policy: editors may write a few tags Markdown lacks (``<bdi>``, ``<span lang="en">``,
  ``<abbr>``, ``<sub>``…). Everything is passed through nh3 (the Rust ammonia sanitiser) with an
  allow-list, so ``<script>``, ``on*`` handlers, ``style`` and ``javascript:``/``data:`` URLs never
  reach the site; ``dir`` and ``lang`` are kept. A link to a forbidden address
  (``[x](javascript:…)``) keeps its text and loses its address. Errors at their line instead,
  since the page would show nothing or a broken picture: an image from an address that is not
  a file in static/ or https://, a link or image path out of content/ or static/, and a raw
  ``<img>`` (write images in Markdown, so their file and alt text are checked).
"""

from __future__ import annotations

import bisect
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape as html_escape
from html import unescape as html_unescape
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from sitegen.messages import Message, msg

ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"dir", "lang", "id", "class", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start", "reversed"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
IMAGE_SCHEMES = {"http", "https"}
RAW_IMG = re.compile(r"<img\b", re.IGNORECASE)


@dataclass(frozen=True)
class LinkRef:
    """A link or image found in a body, to be checked once every page is known."""

    kind: str  # "page" or "image"
    target: str
    """For pages, the source path relative to content/ (e.g. cohorts/index.en.md); for images, the path under static/."""
    anchor: str
    line: int


@dataclass
class Rendered:
    html: str
    links: list[LinkRef] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    problems: list[tuple[int, Message]] = field(default_factory=list)
    """(line, message) for problems found while rendering, e.g. an image without alt text."""


class _LinkCollector(Treeprocessor):
    """Rewrites links to .md files into placeholders and records them for checking."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.source_dir = ""
        self.body = ""
        self.first_line = 1
        self.cursor = 0
        self.newlines: list[int] = []
        self.newlines_of: str | None = None
        """The body ``newlines`` was made for (they are made anew for each text)."""
        self.result: Rendered = Rendered("")

    def line_of(self, text: str) -> int:
        """The line of ``text``, searched from the last one found (elements come in document order)."""
        index = self.body.find(text, self.cursor)
        if index < 0:
            index = self.body.find(text)
        if index < 0:
            return self.first_line
        self.cursor = index + 1
        if self.newlines_of is not self.body:  # where each line starts, once a text: each line then costs a bisection
            self.newlines = [m.start() for m in re.finditer("\n", self.body)]
            self.newlines_of = self.body
        return self.first_line + bisect.bisect_left(self.newlines, index)

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag == "a" and el.get("href"):
                self._link(el)
            elif el.tag == "img":
                self._image(el)
            elif el.tag == "h1":
                line = self.line_of("# " + "".join(el.itertext()))
                self.result.problems.append((line, msg("a first-level heading ('# …') in the body — the page title is the page's only h1; use '## …' for "
                                                       "sections")))

    def _link(self, el: etree.Element) -> None:
        href = el.get("href", "")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("/", "#")):
            return
        path = parts.path
        if not path.endswith(".md"):
            return
        target = posixpath.normpath(posixpath.join(self.source_dir, path))
        line = self.line_of(f"({href}")
        if target.startswith("../") or target == "..":
            self.result.problems.append((line, msg("the link '{href}' leads out of content/ — write the path of a page's .md file relative to this file", href=href)))
            return
        self.result.links.append(LinkRef("page", target, parts.fragment, line))
        el.set("href", f"sitegen-link:{target}#{parts.fragment}")

    def _image(self, el: etree.Element) -> None:
        src = el.get("src", "")
        line = self.line_of(f"({src}")
        if not (el.get("alt") or "").strip():
            self.result.problems.append((line, msg("the image '{src}' has no alt text — describe it between the brackets: ![what it shows]({src})", src=src)))
        parts = urlsplit(src)
        if parts.scheme and parts.scheme.lower() not in IMAGE_SCHEMES:
            self.result.problems.append((line, msg("the image address '{short}' is not allowed — put the image in static/ and write its path (e.g. "
                                                   "images/photo.jpg), or an https:// address", short=_short(src))))
            return
        if parts.scheme or parts.netloc:
            return
        # Images live under static/ and are written from there: "/images/x.jpg" or "images/x.jpg".
        path = posixpath.normpath(src.lstrip("/"))
        if path.startswith("../") or path in ("..", "."):
            self.result.problems.append((line, msg("the image path '{src}' leads out of static/ — write the image's path under static/, e.g. "
                                                   "images/photo.jpg", src=src)))
            return
        self.result.links.append(LinkRef("image", path, "", line))
        el.set("src", f"sitegen-static:{path}")  # its address is known once the base URL is (resolve_links)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


class _HeadingsApart(Preprocessor):
    """A blank line after every heading line ('# …') that has none: the same HTML, in linear time.

    Python-Markdown splits a block at each heading and hands the rest back as a new block, which every block
    processor (the tables' first) splits into lines again: a page of 15,000 '# ' lines without blank lines
    (a pasted script's comments) took 60 s. A heading ends its block anyway, so a blank line after it
    changes nothing, except after a table row (a line with '|' before it stays as it is). Runs after the
    fenced code blocks are set aside, so no '#' of code is touched."""

    HEADING = re.compile(r"#{1,6}(?!#)")

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for i, line in enumerate(lines):
            out.append(line)
            if (self.HEADING.match(line) and i + 1 < len(lines) and lines[i + 1].strip()
                    and "|" not in line and not (i > 0 and "|" in lines[i - 1])):
                out.append("")
        return out


class _SourceLinks(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_LinkCollector(md), "sitegen_links", 1)
        md.preprocessors.register(_HeadingsApart(md), "sitegen_headings_apart", 15)


MAX_BRACKET_WORK = 500_000
"""The most characters Python-Markdown may have to scan for the brackets of one page (see bracket_work)."""
MAX_MARKS = 20_000
"""The most Markdown signs ([ ] ( ) < > * _ ` & \\) one page may hold: each costs Python-Markdown's inline parser
about 0.1 ms, and more as the paragraph grows (100,000 links in one paragraph take 150 s); the longest page of
the site holds fewer than 100."""
_MARKS = re.compile(r"[\[\]()<>*_`&\\]")
_BRACKETS = re.compile(r"\\.|[\[\]()<>]", re.DOTALL)
_CLOSES = {"]": "[", ")": "(", ">": "<"}
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def bracket_work(body: str) -> tuple[int, int]:
    """(work, line): how many characters Python-Markdown's inline parser scans to match the brackets of ``body``,
    and the body's line (from 0) where the costliest paragraph starts.

    Python-Markdown looks for the end of each '[' (a link or an image), '(' after it (the address) and '<' (an
    automatic link or raw HTML) by reading on through the rest of the paragraph: one left open costs the length of
    what follows it, so a paragraph of 20,000 '[' costs 200 million steps (93 s), and 50 KB about nine minutes. The
    work is counted here in one pass per paragraph (a bracket and the one that closes it cost their distance, one
    never closed costs the rest of the paragraph), before Markdown runs; fenced code and escaped brackets cost nothing.
    """
    total, worst, worst_line = 0, -1, 0
    lines = body.split("\n")
    start, fence = 0, ""
    paragraph: list[str] = []

    def close(at: int) -> None:
        nonlocal total, worst, worst_line
        text = "\n".join(paragraph)
        paragraph.clear()
        open_at: dict[str, list[int]] = {"[": [], "(": [], "<": []}
        work = 0
        for match in _BRACKETS.finditer(text):
            char = match.group()
            if char in open_at:
                open_at[char].append(match.start())
            elif char in _CLOSES and open_at[_CLOSES[char]]:
                work += match.start() - open_at[_CLOSES[char]].pop()
        work += sum(len(text) - position for positions in open_at.values() for position in positions)
        total += work
        if work > worst:
            worst, worst_line = work, at

    for number, line in enumerate(lines):
        fenced = _FENCE.match(line)
        if fence:
            if fenced and fenced.group(1)[0] == fence[0] and len(fenced.group(1)) >= len(fence):
                fence = ""
            continue
        if fenced:
            if paragraph:
                close(start)
            fence = fenced.group(1)
            continue
        if not line.strip():
            if paragraph:
                close(start)
            continue
        if not paragraph:
            start = number
        paragraph.append(line)
    if paragraph:
        close(start)
    return total, worst_line


def too_many_marks(count: int) -> Message:
    return msg("the text holds {count:,} Markdown signs ([ ] ( ) < > * _ ` & \\, in links, emphasis, tags…); the limit is "
               "{limit:,}, which Markdown reads in about a second — split the text into several pages", count=count, limit=MAX_MARKS)
TOO_MANY_BRACKETS = (msg("too many brackets ('[', '(' or '<') are left open, or close very far away, from this paragraph on — "
                         "Markdown would take minutes to read them; close them, or write a bracket meant as text as \\[, \\( or "
                         "&lt;"))


PLACEHOLDER_SCHEME = re.compile(r"sitegen-(?:link|static)\s*:", re.I)
def placeholder_written(found: str) -> Message:
    return msg("'{found}' is the build's own mark for addresses it fills in — write a page's .md path, an image's path under "
               "static/, or an https:// address instead", found=found)


class MarkdownRenderer:
    """One reusable Markdown converter (building one costs more than converting a page)."""

    def __init__(self) -> None:
        # the extensions' classes, not their names: a name makes Markdown list every installed package's entry points
        self._md = markdown.Markdown(
            extensions=[TableExtension(), AttrListExtension(), SaneListExtension(),
                        TocExtension(slugify=slugify_unicode, permalink=False), _SourceLinks()],
            output_format="html",
        )
        self._collector: _LinkCollector = self._md.treeprocessors["sitegen_links"]  # type: ignore[assignment]

    def prefetch(self, jobs: Sequence[tuple[str, str, int]]) -> None:
        """Texts about to be rendered, as (body, source_dir, first_line): model/batch.py's BatchRenderer converts
        them all at once (from its cache, on every core); this one converts each when asked."""

    def render(self, body: str, source_dir: str, first_line: int) -> Rendered:
        """``source_dir``: the page's folder relative to content/ ('' at the top)."""
        result = Rendered("")
        marks = len(_MARKS.findall(body))  # refused before Markdown runs: no page takes more than about a second
        if marks > MAX_MARKS:
            result.problems.append((first_line + len(body) - len(body.lstrip("\n")), too_many_marks(marks)))
            return result
        borrowed = PLACEHOLDER_SCHEME.search(body)
        if borrowed:  # the build's own placeholders, which resolve_links would fill in as if it had written them
            result.problems.append((first_line + body.count("\n", 0, borrowed.start()), placeholder_written(borrowed[0])))
            return result
        work, line = bracket_work(body)
        if work > MAX_BRACKET_WORK:
            result.problems.append((first_line + line, TOO_MANY_BRACKETS))
            return result
        self._collector.source_dir = source_dir
        self._collector.body = body
        self._collector.first_line = first_line
        self._collector.cursor = 0
        self._collector.result = result
        self._md.reset()
        try:
            html = self._md.convert(body)
        except RecursionError:
            result.problems.append((first_line, msg("lists or quotes are nested too deeply to turn into a page — flatten them")))
            return result
        except Exception as exc:  # noqa: BLE001 - a Markdown failure is this page's problem, never a traceback
            result.problems.append((first_line, msg("cannot turn this text into HTML ({name}: {exc}) — simplify the text around the problem, and report "
                                                    "this message to the site's developers", name=type(exc).__name__, exc=exc)))
            return result
        for raw in self._md.htmlStash.rawHtmlBlocks:
            if RAW_IMG.search(str(raw)):
                result.problems.append((self._collector.line_of(str(raw)[:40]), msg("an image written as HTML (<img>) — write it in Markdown, ![what it shows](images/photo.jpg), so "
                                                                                    "that its file and description are checked")))
        result.html = sanitise(html)
        result.ids = set(re.findall(r'\sid="([^"]+)"', result.html))
        return result


def sanitise(html: str) -> str:
    """``html`` with only the allowed tags, attributes and address schemes (nh3). Also applied to every text
    taken from the cache (incremental/texts.py): a cache file is not trusted to hold what this function made."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES | {"sitegen-link", "sitegen-static"},
        link_rel=None,
        strip_comments=True,
    )


PLACEHOLDER = re.compile(r'href="sitegen-link:([^"#]*)#([^"]*)"')
STATIC_PLACEHOLDER = re.compile(r'src="sitegen-static:([^"]*)"')
IMAGE_PLACEHOLDER = re.compile(r'<img\b([^>]*)\ssrc="sitegen-static:([^"]*)"([^>]*)>')
_ATTRIBUTE = re.compile(r'([a-zA-Z][a-zA-Z0-9-]*)="([^"]*)"')


def resolve_links(html: str, url_of: dict[str, str], static_url: Callable[[str], str]) -> str:
    """Replace placeholders by addresses: links (``url_of`` maps content-relative source paths to
    URLs) and images (``static_url`` gives the published address of a file under static/; when it
    can also write a picture's markup, model/photos.StaticUrls, a photo becomes a <picture> with its variants)."""

    def link(match: re.Match[str]) -> str:
        url = html_escape(url_of.get(match[1], "#"))
        return f'href="{url}#{match[2]}"' if match[2] else f'href="{url}"'

    def picture(match: re.Match[str]) -> str:  # the sanitiser's output: attributes in double quotes, escaped
        attributes = {name: html_unescape(value) for name, value in _ATTRIBUTE.findall(match[1] + match[3])}
        alt = attributes.pop("alt", "")
        return str(image_markup(html_unescape(match[2]), alt, attributes=attributes))  # type: ignore[misc]

    def image(match: re.Match[str]) -> str:
        return f'src="{html_escape(static_url(html_unescape(match[1])))}"'

    html = PLACEHOLDER.sub(link, html)
    image_markup = getattr(static_url, "image", None)
    if image_markup is not None:
        html = IMAGE_PLACEHOLDER.sub(picture, html)
    return STATIC_PLACEHOLDER.sub(image, html)
