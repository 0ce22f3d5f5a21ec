"""``python build.py fidelity``: where each line of the programme's source text is on the site.

A report for editors, not a gate: it never fails a build. The site may rightly say a line in
another arrangement (a sentence split into a checklist, a caption into name, role and
organisation), and editors may rightly change the site; the report shows, line by line, what
they would want to look at.

For each line of the source text (``docs/source/programme.he.txt``; lines that are only digits
are scraping noise and skipped) the text of the site's pages in the text's language (the default one) is
searched — each page's ``<main>`` only, so a line counts as written where a page says it, not where the menu or
the footer names a page:

- **on**: the line, as the site writes it (a list's bullet or number, a trailing colon or full stop and the
  outer quotation marks of a quote aside), is on these pages — whole, or "in N parts" when every part of it is
  on one page (a caption the site shows as name and role, a sentence it shows as a checklist);
- **in parts**: the line is not on a page whole nor with all its parts, but some of its parts are (split at commas, colons,
  semicolons, dashes, parentheses; a part not found whole is split again before each word glued to ו, ב or ל
  — "ואיריס", "ולמידת" — and found when all its pieces are, the glued letter aside) — "3 of 4 parts";
- **not found**.

Then the texts the site says about the programme outside its pages' bodies: each page's ``<title>``, description,
Open Graph texts and the JSON-LD's names and descriptions (pages about the site itself — the accessibility statement,
search, not found — aside). A text is **supported** when each of its parts is in the source text, or else each of
its Hebrew words is (a prefix letter ו/ב/ל/ה/מ/ש/כ and a plural or construct ending aside, so "מחזורים" is
"מחזור"); the report lists the texts that are not.

Then the English pages against the glossary (``docs/source/glossary.md``, beside the source text): for each term
whose Hebrew is on the Hebrew pages, whether its English rendering is on the English pages.

A last section lists text in the default language's script on the pages of the other
languages outside an element marked with that language (``lang="he"``): a screen reader would
read it with the wrong voice (WCAG 2.2, 3.1.2 "Language of Parts").
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.model.site import Site

"""The programme's source text, in the site's default language, kept in the repository."""

_NOISE = re.compile(r"^\s*\d*\s*$")
_GLUED = re.compile(r"\s(?=[ובל][\u05d0-\u05ea]{2,})")
_WORD = re.compile(r"[\u05d0-\u05ea][\u05d0-\u05ea\"'׳״-]*[\u05d0-\u05ea]")
_PREFIXES = "ובלהמשכ"
SITE_LAYOUTS = ("accessibility", "search", "404", "untranslated")
"""Pages about the site itself rather than the programme: their head texts are the site's own words."""
_JSON_LD_TEXTS = ("name", "alternateName", "description", "headline", "text", "jobTitle")
_SPLIT = re.compile(r"\s*(?:[,;:()]|\s[-–—]\s|\.\s)\s*")
_HEBREW = re.compile(r"[\u0590-\u05ff]{2,}(?:[\s\"'׳״-]+[\u0590-\u05ff]{2,})*")


@dataclass
class LineReport:
    number: int
    text: str
    status: str
    """"on", "in parts" or "not found"."""
    pages: list[str] = field(default_factory=list)
    """Addresses of the pages where the line (or its parts) is."""
    parts_found: int = 0
    parts: int = 0


@dataclass
class Report:
    source_text: str
    lang: str
    lines: list[LineReport]
    unmarked: list[tuple[str, str]]
    """(page address, text) for text in the default language's script outside lang= on other languages' pages."""
    unsupported: list[tuple[str, str, str]] = field(default_factory=list)
    """(page address, where — title, description, og:…, JSON-LD Type.key — text) the source text does not support."""
    head_texts: int = 0
    """How many head and JSON-LD texts were compared."""
    glossary: list[tuple[str, str, bool]] = field(default_factory=list)
    """(Hebrew term, English rendering, whether the English pages use it) for each term on the Hebrew pages."""

    def format(self) -> str:
        on = sum(1 for line in self.lines if line.status == "on")
        parts = sum(1 for line in self.lines if line.status == "in parts")
        rows = [f"Fidelity to {self.source_text} ({self.lang}): {on} of {len(self.lines)} lines are on the site as written, "
                f"{parts} in parts, {len(self.lines) - on - parts} not found.", ""]
        for line in self.lines:
            where = ", ".join(line.pages)
            if line.status == "on":
                status = f"on {where}" + (f" (in {line.parts} parts)" if line.parts > 1 else " (in pieces)" if line.parts else "")
            elif line.status == "in parts":
                status = f"in parts ({line.parts_found} of {line.parts}) on {where}"
            else:
                status = "NOT FOUND"
            rows.append(f"  line {line.number:>3}: {status}")
            rows.append(f"            {_short(line.text)}")
        rows.append("")
        rows.append(f"Titles, descriptions, Open Graph and JSON-LD ({self.lang}): {self.head_texts - len(self.unsupported)} of "
                    f"{self.head_texts} texts are supported by the source text" + (":" if self.unsupported else "."))
        rows += [f"  NOT SUPPORTED {page} {where}: {_short(text)}" for page, where, text in self.unsupported]
        rows.append("")
        if self.glossary:
            used = sum(1 for _, _, ok in self.glossary if ok)
            rows.append(f"English against the glossary: {used} of {len(self.glossary)} terms on the Hebrew pages have their "
                        "English rendering on the English pages" + (":" if used < len(self.glossary) else "."))
            rows += [f"  MISSING \"{english}\" (for {hebrew})" for hebrew, english, ok in self.glossary if not ok]
            rows.append("")
        if self.unmarked:
            rows.append(f"Text in '{self.lang}' on other languages' pages without lang=\"{self.lang}\" (WCAG 3.1.2): {len(self.unmarked)}")
            rows += [f"  {page}: {_short(text)}" for page, text in self.unmarked]
        else:
            rows.append(f"Text in '{self.lang}' on other languages' pages: every piece is marked lang=\"{self.lang}\".")
        return "\n".join(rows) + "\n"


def fidelity_report(site: Site, files: dict[str, bytes], source_text: Path, shown_path: str) -> Report:
    default = site.config.default.code
    published = [p for p in site.pages if p.available and not p.draft and p.output in files]
    markup = {p.url: files[p.output].decode("utf-8") for p in published}
    pages = {p.url: _visible_text(_main_of(markup[p.url])) for p in published if p.lang == default}
    source = source_text.read_text(encoding="utf-8")
    lines = []
    for number, raw in enumerate(source.splitlines(), 1):
        if _NOISE.match(raw):
            continue
        text = _expected(raw)
        found = [url for url, page in pages.items() if text in page]
        if found:
            lines.append(LineReport(number, raw.strip(), "on", found))
            continue
        parts = _parts(text)
        hits = {part: _pages_with(part, pages) for part in parts}
        where = sorted({url for urls in hits.values() for url in urls})
        count = sum(1 for urls in hits.values() if urls)
        together = [url for url in where if all(url in urls for urls in hits.values())]
        if parts and together:  # every part on one page: written, in the site's arrangement (a caption, a checklist)
            lines.append(LineReport(number, raw.strip(), "on", together, count, len(parts)))
            continue
        status = "in parts" if count else "not found"
        lines.append(LineReport(number, raw.strip(), status, where, count, len(parts)))
    flat = " ".join(_expected(line) for line in source.splitlines())
    words = {_stem(w) for w in _WORD.findall(flat)}
    head = [(p.url, where, text) for p in published if p.lang == default and p.layout not in SITE_LAYOUTS
            for where, text in _head_texts(markup[p.url])]
    unsupported = [(url, where, text) for url, where, text in head if not _supported(text, flat, words)]
    glossary = _glossary(source_text.parent / "glossary.md", published, markup, pages, default)
    unmarked = []
    for page in site.pages:
        if page.lang == default or page.output not in files or not page.available:
            continue
        for text in _unmarked_text(files[page.output].decode("utf-8"), default):
            unmarked.append((page.url, text))
    return Report(shown_path, default, lines, unmarked, unsupported, len(head), glossary)


def _parts(text: str) -> list[str]:
    return [p for p in (_expected(x) for x in _SPLIT.split(text)) if len(p) > 2]


def _pages_with(part: str, pages: dict[str, str]) -> list[str]:
    """The pages that have ``part`` whole, or else all its pieces split before each word glued to ו/ב/ל (the letter aside)."""
    whole = [url for url, page in pages.items() if part in page]
    if whole:
        return whole
    pieces = [piece for piece in _GLUED.split(part) if piece]
    if len(pieces) < 2:
        return []
    pieces = [pieces[0]] + [piece[1:] for piece in pieces[1:]]
    return [url for url, page in pages.items() if all(piece in page for piece in pieces)]


def _main_of(markup: str) -> str:
    """A page's <main> (its own text: not the header's menu, nor the footer)."""
    found = re.search(r"<main\b.*?</main>", markup, re.S)
    return found.group() if found else markup


def _stem(word: str) -> str:
    """A Hebrew word without a prefix letter and a plural or construct ending (a rough stem, for 'supported')."""
    word = word.replace('"', "").replace("״", "")
    if len(word) > 3 and word[0] in _PREFIXES:
        word = word[1:]
    for ending in ("ים", "ות", "י"):
        if len(word) > 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _supported(text: str, source: str, words: set[str]) -> bool:
    """Each part of ``text`` is in the source text (a glued ו/ב/ל split off), or else each of its Hebrew words is."""
    for part in _parts(_expected(text)) or [text]:
        if not _WORD.search(part) or _pages_with(part, {"": source}):
            continue
        if not all(_stem(w) in words for w in _WORD.findall(part)):
            return False
    return True


def _head_texts(markup: str) -> list[tuple[str, str]]:
    """(where, text) of a page's title, description, Open Graph texts and JSON-LD names and descriptions; the
    site's name after a title's " | " aside."""
    head = markup.split("</head>", 1)[0]
    found: list[tuple[str, str]] = []
    title = re.search(r"<title>(.*?)</title>", head, re.S)
    if title:
        found.append(("title", html.unescape(title.group(1)).rsplit(" | ", 1)[0]))
    for name, content in re.findall(r'<meta (?:name|property)="(description|og:title|og:description|og:image:alt)" content="([^"]*)"',
                                    head):
        found.append((name, html.unescape(content)))
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', markup, re.S):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        found += _json_ld_texts(data, data.get("@type", "") if isinstance(data, dict) else "")
    return [(where, " ".join(text.split())) for where, text in found if text.strip()]


def _json_ld_texts(value: Any, kind: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        kind = value.get("@type", kind)
        for key, item in value.items():
            if key in _JSON_LD_TEXTS and isinstance(item, str):
                found.append((f"JSON-LD {kind}.{key}", item))
            elif isinstance(item, (dict, list)):
                found += _json_ld_texts(item, kind)
    elif isinstance(value, list):
        for item in value:
            found += _json_ld_texts(item, kind)
    return found


def _glossary(path: Path, published: list[Any], markup: dict[str, str], pages: dict[str, str],
              default: str) -> list[tuple[str, str, bool]]:
    """(Hebrew, English, used) for each glossary term (a table row | Hebrew | English |) whose Hebrew is on the
    default language's pages: used when each of its English renderings (before a parenthesis or ';', each item of
    a list written with commas, the first of alternatives written with ' / ') is on the other languages' pages."""
    if not path.is_file():
        return []
    other = " ".join(_visible_text(markup[p.url]) for p in published if p.lang != default).lower()
    other += " " + " ".join(text for p in published if p.lang != default for _, text in _head_texts(markup[p.url])).lower()
    hebrew_text = " ".join(pages.values())
    found = []
    for hebrew, english in re.findall(r"^\|\s*([^|]*[\u05d0-\u05ea][^|]*?)\s*\|\s*([^|]+?)\s*\|\s*$", path.read_text(encoding="utf-8"), re.M):
        first = hebrew.split(" / ")[0].split(",")[0].strip()
        if first not in hebrew_text:
            continue
        rendering = re.split(r"\s*[(;]", english)[0].split(" / ")[0].strip()
        terms = [re.sub(r"^(?:an?|the)\s+", "", t.strip(), flags=re.I) for t in rendering.split(",") if t.strip()]
        found.append((first, rendering, all(t.lower() in other for t in terms)))
    return found


def _expected(line: str) -> str:
    """A line as the site would write it: bullets, numbering, a trailing colon and a quote's outer marks aside."""
    text = " ".join(line.replace("\u00a0", " ").split())
    text = re.sub(r"^(?:•|\*|-|\d+\.)\s*", "", text).removesuffix(":").strip()
    if not text.startswith('"'):
        text = text.removesuffix(".").strip()  # a full stop ends a line or a card as well as a sentence
    if text.startswith('"') and (text.endswith('"') or text.endswith('".')):
        text = text[1:].removesuffix('"') if text.endswith('"') else text[1:-2] + "."
    return text


def _visible_text(markup: str) -> str:
    markup = re.sub(r"<(head|script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _unmarked_text(markup: str, lang: str) -> list[str]:
    """Runs of ``lang``'s script (Hebrew) in the body that no element marked lang=… encloses."""
    body = markup.split("<body", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    found: list[str] = []
    depth_marked: list[bool] = []
    for token in re.split(r"(<[^>]+>)", body):
        if token.startswith("</"):
            if depth_marked:
                depth_marked.pop()
        elif token.startswith("<"):
            name = re.match(r"<([a-zA-Z0-9]+)", token)
            if name and name.group(1).lower() not in _VOID and not token.endswith("/>"):
                depth_marked.append(bool(re.search(r'\slang="[^"]+"', token)))
        elif not any(depth_marked):
            found += [m.group() for m in _HEBREW.finditer(html.unescape(token))] if lang == "he" else []
    return found


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
