"""``python build.py fidelity``: where each line of the programme's source text is on the site.

A report for editors, not a gate: it never fails a build. The site may rightly say a line in
another arrangement (a sentence split into a checklist, a caption into name, role and
organisation), and editors may rightly change the site; the report shows, line by line, what
they would want to look at.

For each line of the source text (``docs/source/programme.he.txt``; lines that are only digits
are scraping noise and skipped) the site's pages in the text's language (the default one) are
searched:

- **on**: the line, as the site writes it (a list's bullet or number, a trailing colon and the
  outer quotation marks of a quote aside), is on these pages;
- **in parts**: the line is not there whole, but some of its parts are (split at commas, colons,
  semicolons, dashes, parentheses and before a word glued to ב/ו/ל) — "3 of 4 parts";
- **not found**.

A second section lists text in the default language's script on the pages of the other
languages outside an element marked with that language (``lang="he"``): a screen reader would
read it with the wrong voice (WCAG 2.2, 3.1.2 "Language of Parts").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.model.site import Site

"""The programme's source text, in the site's default language, kept in the repository."""

_NOISE = re.compile(r"^\s*\d*\s*$")
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

    def format(self) -> str:
        on = sum(1 for line in self.lines if line.status == "on")
        parts = sum(1 for line in self.lines if line.status == "in parts")
        rows = [f"Fidelity to {self.source_text} ({self.lang}): {on} of {len(self.lines)} lines are on the site as written, "
                f"{parts} in parts, {len(self.lines) - on - parts} not found.", ""]
        for line in self.lines:
            where = ", ".join(line.pages)
            if line.status == "on":
                status = f"on {where}"
            elif line.status == "in parts":
                status = f"in parts ({line.parts_found} of {line.parts}) on {where}"
            else:
                status = "NOT FOUND"
            rows.append(f"  line {line.number:>3}: {status}")
            rows.append(f"            {_short(line.text)}")
        rows.append("")
        if self.unmarked:
            rows.append(f"Text in '{self.lang}' on other languages' pages without lang=\"{self.lang}\" (WCAG 3.1.2): {len(self.unmarked)}")
            rows += [f"  {page}: {_short(text)}" for page, text in self.unmarked]
        else:
            rows.append(f"Text in '{self.lang}' on other languages' pages: every piece is marked lang=\"{self.lang}\".")
        return "\n".join(rows) + "\n"


def fidelity_report(site: Site, files: dict[str, bytes], source_text: Path, shown_path: str) -> Report:
    default = site.config.default.code
    pages = {p.url: _visible_text(files[p.output].decode("utf-8")) for p in site.pages
             if p.lang == default and p.available and not p.draft and p.output in files}
    lines = []
    for number, raw in enumerate(source_text.read_text(encoding="utf-8").splitlines(), 1):
        if _NOISE.match(raw):
            continue
        text = _expected(raw)
        found = [url for url, page in pages.items() if text in page]
        if found:
            lines.append(LineReport(number, raw.strip(), "on", found))
            continue
        parts = [p for p in (_expected(x) for x in _SPLIT.split(text)) if len(p) > 2]
        hits = {part: [url for url, page in pages.items() if part in page] for part in parts}
        where = sorted({url for urls in hits.values() for url in urls})
        count = sum(1 for urls in hits.values() if urls)
        status = "in parts" if count else "not found"
        lines.append(LineReport(number, raw.strip(), status, where, count, len(parts)))
    unmarked = []
    for page in site.pages:
        if page.lang == default or page.output not in files or not page.available:
            continue
        for text in _unmarked_text(files[page.output].decode("utf-8"), default):
            unmarked.append((page.url, text))
    return Report(shown_path, default, lines, unmarked)


def _expected(line: str) -> str:
    """A line as the site would write it: bullets, numbering, a trailing colon and a quote's outer marks aside."""
    text = " ".join(line.replace("\u00a0", " ").split())
    text = re.sub(r"^(?:•|\*|-|\d+\.)\s*", "", text).removesuffix(":").strip()
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
