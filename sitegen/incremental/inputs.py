"""Which pages must be rendered again, judged from digests of what each page was rendered from.

A page's HTML is made from (output/render.py's ``page_context``):

- what every page reads: the engine and the converters (incremental/fingerprint.py), the settings and
  base URL, the UI strings, the published names of static files and photos (``common``);
- the templates its layout extends, includes or imports (incremental/deps.py reads them: ``template:<name>``);
- the data files its layout reads (``data:<name>``; ``data:*`` when it cannot tell), and the ones the engine
  reads for it (``ENGINE_READS``: the structured data of a cohort's or the testimonials' page);
- its own record (title, text, params…);
- the *outline* of other pages — their records without their text: the menu shows the menu's pages,
  listings show the pages of their language (``pages``, ``page:<key>``), the language switcher and
  ``hreflang`` show the page's translations, the structured data name the pages above it (the
  breadcrumb trail) and the programme page.

``RenderInputs.of(site, …)`` takes a digest of each of these; ``pages_to_render(site, now, before, reads)``
returns the pages whose inputs differ from the last build's, on the safe side: a page may be rendered
without need, never reused stale. ``build`` and the preview (preview/update.py) both ask it; the tests
(tests/test_page_reuse.py, tests/test_incremental.py, tests/test_every_change.py) edit a generated site in every way
an editor or a developer can and compare each incremental result with a cold build, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.incremental.fingerprint import engine_fingerprint
from sitegen.model.site import Page, Site
from sitegen.output.year import build_year
from sitegen.sources.menu import menu_items

ENGINE_READS = {"testimonials": frozenset({"data:testimonials"}), "cohort": frozenset({"data:cohorts"})}
"""Data the engine reads for a layout, outside its templates (output/structured.py)."""
PROGRAMME_LAYOUT = "programme"
"""Every page's structured data names the programme page of its language (output/structured.py)."""

PageKey = tuple[str, str]
"""(key, language)."""


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return repr(value)


def digest_of(value: Any) -> str:
    """A digest of plain values (dicts, lists, strings, numbers, dates, dataclasses, mappings)."""
    text = json.dumps(value, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_OUTLINE = tuple(f.name for f in dataclasses.fields(Page) if f.name not in ("content", "params"))


def page_digests(page: Page) -> tuple[str, str]:
    """(its outline: every field but the text, its whole record).

    Pickled rather than written as JSON: three times faster on listings' params (thousands of values). The
    pickler's memo is off (``fast``), so equal values give equal bytes whether or not they are the same objects;
    a set, whose order may differ from one process to the next, can only make a page look changed, never the
    reverse."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(([getattr(page, name) for name in _OUTLINE], dict(page.params)))
    outline = hashlib.sha256(buffer.getvalue()).hexdigest()
    record = hashlib.sha256(outline.encode() + b"\0" + page.content.encode("utf-8", "surrogatepass")).hexdigest()
    return outline, record


@dataclass(frozen=True)
class RenderInputs:
    common: str
    templates: Mapping[str, str]
    """Template file (relative to templates/) → digest of its bytes."""
    data: Mapping[str, str]
    """Data name (site.data's key) → digest."""
    pages: Mapping[PageKey, tuple[str, str, str]]
    """(key, language) → (outline digest, record digest, layout)."""

    @classmethod
    def of(cls, site: Site, templates: Path) -> RenderInputs:
        common = digest_of({
            "engine": engine_fingerprint(),
            "settings": site.config.settings_dump("json"),
            "menu": menu_items(site.data, site.config.settings),  # every page shows it (data/menu.yaml)
            "base_url": site.config.base_url,
            "strings": site.strings,
            "static": list(site.static_files),
            "assets": site.assets,  # published names of static files; photos' variants, sizes and digests
            "year": build_year(),  # the footer's
        })
        return cls(
            common=common,
            templates=template_digests(templates),
            data={name: digest_of(value) for name, value in site.data.items()},
            pages={(p.key, p.lang): (*page_digests(p), p.layout) for p in site.pages},
        )

    def with_pages(self, pages: Iterable[Page]) -> RenderInputs:
        """The same inputs, these pages' records replaced (the live preview's one-page updates)."""
        return dataclasses.replace(self, pages={**self.pages, **{(p.key, p.lang): (*page_digests(p), p.layout) for p in pages}})

    def with_templates(self, templates: Path) -> RenderInputs:
        return dataclasses.replace(self, templates=template_digests(templates))

    def to_plain(self) -> dict[str, Any]:
        """Strings, dicts and lists only (the page cache's unpickler admits no class)."""
        return {"common": self.common, "templates": dict(self.templates), "data": dict(self.data),
                "pages": [[key, lang, *digests] for (key, lang), digests in self.pages.items()]}

    @classmethod
    def from_plain(cls, plain: Any) -> RenderInputs | None:
        """The inputs written by ``to_plain``, or None for anything else."""
        try:
            pages = {(key, lang): (outline, record, layout) for key, lang, outline, record, layout in plain["pages"]}
            inputs = cls(common=plain["common"], templates=dict(plain["templates"]), data=dict(plain["data"]), pages=pages)
        except (KeyError, TypeError, ValueError):
            return None
        strings = [inputs.common, *inputs.templates, *inputs.templates.values(), *inputs.data, *inputs.data.values(),
                   *(s for key, value in pages.items() for s in (*key, *value))]
        return inputs if all(isinstance(s, str) for s in strings) else None


def template_digests(templates: Path) -> dict[str, str]:
    """Each file under templates/ → a digest of its bytes."""
    files = sorted(p for p in templates.rglob("*") if p.is_file()) if templates.is_dir() else []
    return {p.relative_to(templates).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _changed(now: Mapping[str, str], before: Mapping[str, str], prefix: str) -> set[str]:
    return {f"{prefix}{name}" for name in set(now) | set(before) if now.get(name) != before.get(name)}


def trail(key: str) -> set[str]:
    """The keys of the pages above a page: home, then each folder (cohorts, cohorts/a, …)."""
    if not key:
        return set()
    parts = key.split("/")
    return {""} | {"/".join(parts[:n]) for n in range(1, len(parts))}


def pages_to_render(site: Site, now: RenderInputs, before: RenderInputs | None,
                    reads: Callable[[str], Iterable[str]], only: Iterable[PageKey] | None = None) -> list[Page]:
    """The pages of ``site`` whose inputs are not those of the last build (``before``); all of them without one.

    ``reads(layout)``: what the layout's templates read (deps.py's tokens). ``only``: the pages whose records may
    differ, when the caller knows (the preview, which replaced them): the others' digests are not compared, so
    that a one-page edit costs the same at any size. The rule is the same either way."""
    if before is None or now.common != before.common:
        return list(site.pages)
    tokens = _changed(now.templates, before.templates, "template:") | _changed(now.data, before.data, "data:")
    moved: dict[str, set[str]] = {}       # language → keys whose outline changed, or that came or went
    programme_moved: set[str] = set()     # languages whose programme page changed
    records: set[PageKey] = set()         # pages whose own record changed, or that are new
    for page_key in (set(now.pages) | set(before.pages)) if only is None else set(only):
        old, new = before.pages.get(page_key), now.pages.get(page_key)
        if old is None or new is None or old[0] != new[0]:
            key, lang = page_key
            moved.setdefault(lang, set()).add(key)
            if PROGRAMME_LAYOUT in ((old or ("", "", ""))[2], (new or ("", "", ""))[2]):
                programme_moved.add(lang)
        if new is not None and (old is None or old[1] != new[1]):
            records.add(page_key)
    if not tokens and not moved:  # no template, data file or other page changed: only records matter
        found = (site.page(*page_key) for page_key in sorted(records))
        return [page for page in found if page is not None]
    nav = {item["page"] for item in menu_items(site.data, site.config.settings)}
    languages = [language.code for language in site.config.languages]
    chosen = []
    for page in site.pages:
        if (page.key, page.lang) in records:
            chosen.append(page)  # its own record
            continue
        read = set(reads(page.layout)) | ENGINE_READS.get(page.layout, frozenset())
        keys = moved.get(page.lang, set())
        if (read & tokens
                or "template:*" in read and any(t.startswith("template:") for t in tokens)
                or "data:*" in read and any(t.startswith("data:") for t in tokens)
                or keys and ("pages" in read or any(f"page:{key}" in read for key in keys))
                or keys & nav                                    # the menu
                or keys & trail(page.key)                         # the breadcrumb trail
                or page.lang in programme_moved
                or any(page.key in moved.get(lang, ()) for lang in languages if lang != page.lang)):  # its translations
            chosen.append(page)
    return chosen
