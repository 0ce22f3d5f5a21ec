"""The translation dashboard: per section, what exists in one language only, which texts
are empty in one language, and which translations are stale (see staleness.py).

Shown by ``python build.py status`` and at ``/_status/`` in ``serve`` (never in a build);
``check --strict`` turns every entry into an error.
"""

from __future__ import annotations

import html
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.checks.references import translation_gaps
from sitegen.errors import ContentError, relative
from sitegen.messages import Message, languages, msg
from sitegen.sources.gather import STRINGS_DIR, Sources
from sitegen.sources.tree import walk
from sitegen.tools.staleness import SHALLOW_WARNING, Git, Stale, stale_pages, stale_texts, unjudged


@dataclass
class StatusReport:
    gaps: list[ContentError] = field(default_factory=list)
    """Pages and data texts that exist in one language only, or are empty in one."""
    stale: list[Stale] = field(default_factory=list)
    unjudged: list[Message] = field(default_factory=list)
    """Why stale translations cannot be judged here (no git, not a repository, a shallow clone…): [] when they can."""

    def entries(self) -> list[ContentError]:
        return sorted(self.gaps + [ContentError(s.path, s.line, s.message(), "warning") for s in self.stale])

    def by_section(self) -> dict[str, list[ContentError]]:
        sections: dict[str, list[ContentError]] = defaultdict(list)
        for entry in self.entries():
            sections[section_of(entry.path)].append(entry)
        return dict(sorted(sections.items()))


def section_of(path: str) -> str:
    """content/cohorts/x.he.md → 'content/cohorts'; content/faculty.he.md → 'content'; data/x.yaml → 'data/x.yaml'."""
    if path.startswith("data/"):
        return path
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def translation_status(sources: Sources) -> StatusReport:
    report = StatusReport(gaps=list(translation_gaps(sources)))
    git = Git(sources.root)
    report.unjudged = unjudged(git)
    if git.available:
        report.stale = _stale(git, sources)
    return report


def stale_translations(sources: Sources) -> tuple[list[Stale], list[Message]]:
    """(pages, project texts and data texts whose source changed after them, why that cannot be judged).

    ``check --strict`` and ``build --strict`` ask this; each reason is also printed on stderr as a warning (and as a
    GitHub Actions warning under GITHUB_ACTIONS=true), since the list may then be missing stale translations."""
    git = Git(sources.root)
    stale = _stale(git, sources) if git.available else []
    reasons = unjudged(git)
    for reason in reasons:
        print(f"{msg('warning').localized()}: {reason.localized()}", file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            title = "Shallow git history" if reason is SHALLOW_WARNING else "Stale translations not judged"
            print(f"::warning title={title}::{reason.localized()}", file=sys.stderr)
    return stale, reasons


def _stale(git: Git, sources: Sources) -> list[Stale]:
    codes = sources.config.codes
    git.preload("content", "data")
    pairs: dict[str, dict[str, str]] = defaultdict(dict)
    for page in sources.pages:
        pairs[page.key][page.lang] = page.path
    projects = sources.root / "content" / "projects"
    if projects.is_dir():  # a project's text files: content/projects/<slug>.<lang>.md
        for text in sorted(projects.glob("*.md")):
            slug, _, lang = text.name.removesuffix(".md").rpartition(".")
            if slug and lang in codes and slug != "index":
                pairs[f"projects/{slug}#text"][lang] = f"content/projects/{text.name}"
    stale = stale_pages(git, dict(pairs), codes)
    for data in data_files(sources.root):
        stale += stale_texts(git, sources.root, data, codes)
    return stale


def data_files(root: Path) -> list[str]:
    """Every data file that may hold texts in several languages, whatever the layout (data/x.yaml, data/cohorts/a.yaml…):
    data/**/*.yaml but the interface texts (data/strings/, one file a language)."""
    folder = root / "data"
    if not folder.is_dir():
        return []
    found = walk(folder, root, lambda name: name.endswith((".yaml", ".yml")))
    return sorted(relative(p, root) for p in found.files if not relative(p, root).startswith(f"{STRINGS_DIR}/"))


def format_text(report: StatusReport) -> str:
    lines = []
    for reason in report.unjudged:
        lines.append(f"  {msg('warning').localized()}: {reason.localized()}")
    sections = report.by_section()
    if not sections and report.unjudged:
        lines.append("  " + msg("every page and text exists in every language; whether a translation is out of date is unknown "
                                "(see the warning).").localized())
    elif not sections:
        lines.append("  " + msg("every page and text exists in every language, and no translation is out of date.").localized())
    for section, entries in sections.items():
        lines.append(f"  {section}:")
        lines += [f"    {entry.path}{':' + str(entry.line) if entry.line else ''}: {entry.message.localized()}" for entry in entries]
    return "\n".join(lines)


STATUS_TEXTS = {
    "he": {"title": "מצב התרגום", "none": "כל העמודים והטקסטים קיימים בכל השפות, ואין תרגום שהתיישן.", "dir": "rtl"},
    "en": {"title": "Translation status", "none": "Every page and text exists in every language, and no translation is out of date.",
           "dir": "ltr"},
}


def format_html(report: StatusReport, lang: str) -> bytes:
    texts = STATUS_TEXTS.get(lang, STATUS_TEXTS["en"])
    parts = [f"<h1>{texts['title']}</h1>"]
    said = lang if lang in languages() else "en"
    for reason in report.unjudged:
        parts.append(f"<p dir='{texts['dir']}'><strong>⚠</strong> {reason.localized(said, markup=True)}</p>")
    sections = report.by_section()
    if not sections and not report.unjudged:
        parts.append(f"<p>{texts['none']}</p>")
    for section, entries in sections.items():
        items = "".join(
            f"<li><code dir='ltr'>{html.escape(e.path)}{':' + str(e.line) if e.line else ''}</code> "
            f"<span dir='auto'>{e.message.localized(lang, markup=True)}</span></li>" for e in entries
        )
        parts.append(f"<section><h2 dir='ltr'>{html.escape(section)}</h2><ul>{items}</ul></section>")
    body = "".join(parts)
    return (
        f"<!DOCTYPE html><html lang='{lang}' dir='{texts['dir']}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{texts['title']}</title>"
        "<link rel='icon' href='data:,'><meta name='robots' content='noindex'><style>"
        "body{margin:0;font:1.05rem/1.6 system-ui,'Noto Sans Hebrew',Arial,sans-serif;background:#fbfaf7;color:#1d2327}"
        "main{max-inline-size:64rem;margin-inline:auto;padding:2rem 1rem}h1{color:#0f4c5c}"
        "section{background:#fff;border:1px solid #dcd8cf;border-radius:.5rem;padding:.5rem 1.25rem;margin-block:1rem}"
        "h2{font-size:1.1rem}li{margin-block:.4rem}code{font-size:.9rem;color:#0a3642}"
        f"</style></head><body><main>{body}</main></body></html>"
    ).encode()
