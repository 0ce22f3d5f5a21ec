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
from typing import Any

from sitegen.checks.references import translation_gaps
from sitegen.errors import ContentError
from sitegen.messages import msg
from sitegen.sources.gather import Sources
from sitegen.tools.staleness import SHALLOW_WARNING, Git, Stale, stale_pages, stale_texts


@dataclass
class StatusReport:
    gaps: list[ContentError] = field(default_factory=list)
    """Pages and data texts that exist in one language only, or are empty in one."""
    stale: list[Stale] = field(default_factory=list)
    git: bool = True
    """False when the sources are not in a git repository (staleness unknown)."""
    shallow: bool = False
    """True in a shallow clone: the history is too short to judge staleness (see SHALLOW_WARNING)."""

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


def text_lines(raw: Any, codes: list[str]) -> list[dict[str, int]]:
    """Every bilingual text of a data file as {language: line of its key}."""
    found: list[dict[str, int]] = []
    if isinstance(raw, dict):
        if raw and all(k in codes for k in raw) and hasattr(raw, "key_lines"):
            found.append({k: raw.key_lines[k] for k in raw})
            return found
        for value in raw.values():
            found += text_lines(value, codes)
    elif isinstance(raw, list):
        for value in raw:
            found += text_lines(value, codes)
    return found


def translation_status(sources: Sources) -> StatusReport:
    report = StatusReport(gaps=list(translation_gaps(sources)))
    git = Git(sources.root)
    if not git.available:
        report.git = False
        return report
    report.shallow = git.shallow
    report.stale = _stale(git, sources)
    return report


def stale_translations(sources: Sources) -> list[Stale]:
    """Pages, project texts and data texts whose source language changed after them (git).

    ``check --strict`` and ``build --strict`` ask this; in a shallow clone it also prints
    SHALLOW_WARNING on stderr (and as a GitHub Actions warning under GITHUB_ACTIONS=true),
    since the list it returns may then be missing stale translations."""
    git = Git(sources.root)
    if not git.available:
        return []
    if git.shallow:
        print(f"{msg('warning').localized()}: {SHALLOW_WARNING.localized()}", file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print(f"::warning title=Shallow git history::{SHALLOW_WARNING.localized()}", file=sys.stderr)
    return _stale(git, sources)


def _stale(git: Git, sources: Sources) -> list[Stale]:
    git.preload("content")
    codes = sources.config.codes
    pairs: dict[str, dict[str, str]] = defaultdict(dict)
    for page in sources.pages:
        pairs[page.key][page.lang] = page.path
    projects = sources.root / "content" / "projects"
    if projects.is_dir():  # a project's text files: content/projects/<slug>.<lang>.md
        for path in sorted(projects.glob("*.md")):
            slug, _, lang = path.name.removesuffix(".md").rpartition(".")
            if slug and lang in codes and slug != "index":
                pairs[f"projects/{slug}#text"][lang] = f"content/projects/{path.name}"
    stale = stale_pages(git, dict(pairs), codes)
    for name, raw in sorted(sources.raw_data.items()):
        texts = text_lines(raw, codes)
        if texts:
            stale += stale_texts(git, sources.root, f"data/{name}.yaml", texts, codes[0])
    return stale


def format_text(report: StatusReport) -> str:
    lines = []
    if not report.git:
        lines.append(f"  ({msg('not a git repository: stale translations cannot be found').localized()})")
    if report.shallow:
        lines.append(f"  {msg('warning').localized()}: {SHALLOW_WARNING.localized()}")
    sections = report.by_section()
    if not sections and report.shallow:
        lines.append("  " + msg("every page and text exists in every language; whether a translation is out of date is unknown "
                                "(see the warning).").localized())
    elif not sections:
        lines.append("  " + msg("every page and text exists in every language, and no translation is out of date.").localized())
    for section, entries in sections.items():
        lines.append(f"  {section}:")
        lines += [f"    {entry.path}{':' + str(entry.line) if entry.line else ''}: {entry.message.localized()}" for entry in entries]
    return "\n".join(lines)


STATUS_TEXTS = {
    "he": {"title": "מצב התרגום", "none": "כל העמודים והטקסטים קיימים בכל השפות, ואין תרגום שהתיישן.",
           "nogit": "התיקייה אינה מאגר git: אי אפשר לזהות תרגומים שהתיישנו.",
           "shallow": "היסטוריית ה־git חלקית (שיבוט עם <code dir='ltr'>--depth</code>), ולכן אי אפשר לזהות תרגומים שהתיישנו — "
                      "יש להביא את ההיסטוריה המלאה: <code dir='ltr'>git fetch --unshallow</code>.", "dir": "rtl"},
    "en": {"title": "Translation status", "none": "Every page and text exists in every language, and no translation is out of date.",
           "nogit": "Not a git repository: stale translations cannot be found.",
           "shallow": "The git history is shallow (a clone made with <code>--depth</code>), so stale translations cannot be "
                      "judged — fetch the whole history: <code>git fetch --unshallow</code>.", "dir": "ltr"},
}


def format_html(report: StatusReport, lang: str) -> bytes:
    texts = STATUS_TEXTS.get(lang, STATUS_TEXTS["en"])
    parts = [f"<h1>{texts['title']}</h1>"]
    if not report.git:
        parts.append(f"<p>{texts['nogit']}</p>")
    if report.shallow:
        parts.append(f"<p><strong>⚠</strong> {texts['shallow']}</p>")
    sections = report.by_section()
    if not sections and not report.shallow:
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
