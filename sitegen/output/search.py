"""The search index: Pagefind (pagefind[bin] from PyPI) over the rendered pages, in memory, before anything is written.

``search_index(site, files)`` sends the indexable pages (no stand-in, 404, draft or search page) to Pagefind's
service one after the other (output/pagefind_service.py: no file written, the pages numbered in their order whatever
the machine), and returns its bundle as ``{pagefind/…: bytes}`` for the one writer (output/write.py): a failed index
fails the build, and ``site/`` stays as it was.
Pagefind keeps one index per language (``<html lang>``), so a search page finds pages of its own
language only; only the ``<main data-pagefind-body>`` of a page is indexed.

**Hebrew particles.** Hebrew writes the particles ו ה ב ל מ ש כ ("and", "the", "in", "to", "from",
"that", "as") as part of the next word: ``והשותפות`` is "and the partnership". Pagefind has no
Hebrew stemmer, so a search for ``שותפות`` would not find ``והשותפות``. In the copy that is indexed
(never in the published page), a Hebrew word that starts with up to three particle letters is written
``ו_ה_שותפות`` when what follows them is itself a word: it appears alone somewhere on the site, or
after particles that end in two different letters (``בשותפות`` and ``והשותפות``). Pagefind indexes
such a word whole and in its parts, so ``שותפות``, ``השותפות`` and ``והשותפות`` all find it; the
search page's script removes the ``_`` from the excerpts it shows (static/search.js). Words such as
``משרד`` stay whole: ``שרד`` is not a word of the site. ``bench/hebrew_search.py`` measures it.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import shutil
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import ContentError
from sitegen.incremental.fingerprint import library_version
from sitegen.messages import msg
from sitegen.model.site import Page, Site
from sitegen.output.pagefind_service import ServiceFailed, index_pages

BUNDLE = "pagefind"
"""The index's folder in the output (Pagefind's default name)."""
SEARCH_LAYOUT = "search"
PARTICLE_LANGUAGES = {"he": "ובכלמשה"}
"""Languages whose particles are written as part of the next word, and those particles."""
MAX_PARTICLES = 3
MIN_STEM = 3
JOIN = "_"
"""Written between particles and word in the indexed copy; Pagefind splits words there."""

_HEBREW = "\u05d0-\u05ea"
_HEBREW_WORD = re.compile(f"[{_HEBREW}]+")
_TAG = re.compile(r"(<[^>]*>)")
_MAIN = re.compile(r"(<main\b[^>]*>)(.*)(</main>)", re.S)


class SearchFailed(Exception):
    """Pagefind could not index the pages."""


def indexed_pages(site: Site) -> list[Page]:
    """The pages a search can find: published, in their own language, not the search pages, and of a listing in pages
    (model/catalogue.py) its first only.

    A listing's later pages hold its heading again and project cards, each card the title and summary its project's
    own page holds: indexed, each word of a project was found on its page and again on a page "n of m" of its cohort,
    ministry, topic and of all projects, results that lead to the same project by a detour; at 1,000 generated projects
    they were 48 % of the words indexed (bench/RESULTS.md). The first page keeps its heading (a ministry's or topic's
    name finds its listing); the cards are marked ``data-pagefind-ignore`` by the templates."""
    return [p for p in site.pages if not p.noindex and p.layout != SEARCH_LAYOUT and not _later_page_of_a_listing(p)]


def _later_page_of_a_listing(page: Page) -> bool:
    pagination = page.params.get("pagination")  # None, or model/catalogue.py's dict when a listing has pages
    return pagination is not None and pagination["number"] > 1


def has_search(site: Site) -> bool:
    return any(p.layout == SEARCH_LAYOUT for p in site.pages)


Bundle = dict[str, bytes]
"""Files of a Pagefind bundle: {pagefind/…: bytes}."""
ENTRY = f"{BUNDLE}/pagefind-entry.json"


def language_keys(site: Site, files: dict[str, bytes], particles: bool = True) -> dict[str, str]:
    """Language → a digest of everything its index is made from: its indexed pages' paths and bytes, Pagefind's
    version and the particle rule. The same key, the same part of the bundle (incremental/pagecache.py keeps them)."""
    if not has_search(site):
        return {}
    digests: dict[str, Any] = {}
    for page in sorted(indexed_pages(site), key=lambda p: p.output):
        html = files.get(page.output)
        if html is None:
            continue
        if page.lang not in digests:
            digests[page.lang] = hashlib.sha256(f"pagefind={_pagefind_version()}\0particles={particles}\0".encode())
        digests[page.lang].update(f"{page.output}\0{len(html)}\0".encode() + html)
    return {lang: digest.hexdigest() for lang, digest in sorted(digests.items())}


def _pagefind_version() -> str:
    version = library_version("pagefind")  # (not importlib.metadata: importing it costs more than the index of a page)
    return "" if version == "-" else version


@dataclass
class SearchIndex:
    """Pagefind's bundle, made one language at a time (each language's pages are searched apart anyway, by
    ``<html lang>``): an edit in one language indexes that language again, the other's part is kept."""

    parts: dict[str, tuple[str, Bundle]] = field(default_factory=dict)
    """Language → (its key, the bundle Pagefind made of that language's pages alone)."""
    made: list[str] = field(default_factory=list)
    """The languages indexed now (the others were reused)."""

    def bundle(self) -> Bundle:
        """The parts as one bundle: their files (named by their content, or the same in every part), and one
        pagefind-entry.json listing every language — the bundle Pagefind makes of all the pages at once."""
        files: Bundle = {}
        entry: dict[str, Any] = {}
        for _lang, (_key, part) in sorted(self.parts.items()):
            files.update(part)
            if ENTRY in part:
                found = json.loads(part[ENTRY])
                languages = {**entry.get("languages", {}), **found.get("languages", {})}
                entry = {**found, "languages": languages}
        if entry:  # Pagefind lists the languages in no fixed order: the same index must give the same bytes
            files[ENTRY] = json.dumps(entry, sort_keys=True, separators=(",", ":")).encode("utf-8")
        return files


class MadeInProcess:
    """The parts of the index this process made, by their key (``language_keys``: every input of a part, Pagefind's
    version among them), so that a process that builds the same pages again does not run Pagefind again for them.

    The test suite builds the same fixture sites in many temporary folders, with no ``.cache/`` to take the index
    from: Pagefind ran 720 times in a whole run (33 s of CPU). A part is the same bytes whoever made it (the cache's
    rule, incremental/pagecache.py). At most MOST_BYTES are kept, the least recently used going first; a build
    without the cache (``--no-cache``) neither takes nor gives (its index is made afresh, the reference the tests
    compare the others with)."""

    MOST_BYTES = 64 << 20

    def __init__(self) -> None:
        self._parts: OrderedDict[str, Bundle] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the preview indexes in a thread of its own

    def get(self, key: str) -> Bundle | None:
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
            return part

    def keep(self, key: str, part: Bundle) -> None:
        size = sum(len(data) for data in part.values())
        if not key or size > self.MOST_BYTES:
            return
        with self._lock:
            if key in self._parts:
                return
            self._parts[key] = part
            self._bytes += size
            while self._bytes > self.MOST_BYTES:
                _key, gone = self._parts.popitem(last=False)
                self._bytes -= sum(len(data) for data in gone.values())

    def forget(self) -> None:
        with self._lock:
            self._parts.clear()
            self._bytes = 0


made_in_process = MadeInProcess()


def index_languages(site: Site, files: dict[str, bytes], particles: bool = True,
                    last: Mapping[str, tuple[str, Bundle]] | None = None, make: bool = True,
                    stop: threading.Event | None = None, in_process: bool = False) -> tuple[SearchIndex | None, list[ContentError]]:
    """The index of the rendered ``files``: each language's part taken from ``last`` when its key is the same,
    else (``in_process``) from the parts this process made, else made by Pagefind (the languages side by side).
    ``make=False``: None when a part would have to be made. ``stop``: set by another thread (the preview stopping),
    Pagefind is stopped and the index not made."""
    keys = language_keys(site, files, particles)
    if not has_search(site):
        return SearchIndex(), []
    index = SearchIndex(parts={lang: last[lang] for lang, key in keys.items() if last and lang in last and last[lang][0] == key})
    if in_process:
        for lang, key in keys.items():
            if lang not in index.parts and (part := made_in_process.get(key)) is not None:
                index.parts[lang] = (key, part)
    missing = [lang for lang in keys if lang not in index.parts] or ([] if keys else [""])  # no page at all: Pagefind says so
    if not missing:
        return index, []
    if not make:
        return None, []
    pages = [p for p in indexed_pages(site) if p.output in files]
    stop = stop if stop is not None else threading.Event()
    try:
        with ThreadPoolExecutor(max_workers=len(missing)) as pool:  # each waits for its own Pagefind process
            try:
                bundles = list(pool.map(lambda lang: run_pagefind(_copies([p for p in pages if p.lang == lang or not lang], files,
                                                                              particles), stop), missing))
            except BaseException:  # Ctrl-C, SIGTERM (cli.Interrupted): Pagefind stopped now, not waited for
                stop.set()
                raise
    except SearchFailed as exc:
        return None, [ContentError("templates/search.html", 0, msg("the search index could not be made ({exc}) — install the dependencies again (python -m pip install "
                                                                   "-r requirements.txt), then build again", exc=exc))]
    index.parts.update({lang: (keys.get(lang, ""), bundle) for lang, bundle in zip(missing, bundles, strict=True)})
    index.made = missing
    if in_process:
        for lang, bundle in zip(missing, bundles, strict=True):
            made_in_process.keep(keys.get(lang, ""), bundle)
    return index, []


def _copies(pages: list[Page], files: dict[str, bytes], particles: bool) -> Iterator[tuple[str, str]]:
    """(output path, HTML) of each page as Pagefind indexes it (Hebrew particles apart, see above), one at a time:
    the copies of a big site's pages never all stay in memory."""
    splits: dict[str, dict[str, str]] = {}
    if particles:
        for code, letters in PARTICLE_LANGUAGES.items():
            texts = (_main_text(files[p.output].decode("utf-8")) for p in pages if p.lang == code)
            splits[code] = particle_splits(texts, letters)
    patterns = {code: words_pattern(words) for code, words in splits.items()}
    for page in pages:
        html = files[page.output].decode("utf-8")
        yield page.output, split_particles(html, splits[page.lang], patterns[page.lang]) if page.lang in splits else html


def search_index(site: Site, files: dict[str, bytes], particles: bool = True,
                 stop: threading.Event | None = None) -> tuple[Bundle, list[ContentError]]:
    """The Pagefind bundle for the rendered ``files`` ({pagefind/…: bytes}), and the problem when it cannot be made
    (``stop``: as index_languages)."""
    index, problems = index_languages(site, files, particles, stop=stop)
    return (index.bundle() if index is not None else {}), problems


def run_pagefind(pages: Iterable[tuple[str, str]], stop: threading.Event | None = None) -> dict[str, bytes]:
    """(output path, HTML) of each page → the Pagefind bundle, made by the binary of pagefind[bin] (its service: output/
    pagefind_service.py), the pages numbered in the order given. ``stop`` set meanwhile: Pagefind is stopped and
    SearchFailed raised.

    Results carry paths inside the site (/en/programme/); the UI puts the base URL's path before them, the
    path its bundle is loaded from (/merhav/pagefind/ → /merhav/)."""
    binary = pagefind_binary()
    if binary is None:
        raise SearchFailed("the pagefind binary is not installed")
    try:
        files = index_pages(binary, pages, stop)
    except ServiceFailed as failed:
        raise SearchFailed(str(failed)) from None
    return {f"{BUNDLE}/{path}": data for path, data in sorted(files.items())}


def pagefind_binary() -> Path | None:
    """The binary ``pagefind.service.get_executable`` finds, found as it does (``$PAGEFIND_BINARY_PATH``, then the
    binary of pagefind_bin_extended or of pagefind_bin, then one on the PATH) without importing ``pagefind.service``,
    which imports asyncio: ~0.05 s of CPU in every build that indexes a language (tests/test_search_binary.py)."""
    given = os.getenv("PAGEFIND_BINARY_PATH")
    if given is not None:
        return Path(given)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        return Path(module.get_executable())
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found is not None else None


def _main_text(html: str) -> str:
    found = _MAIN.search(html)
    return " ".join(part for part in _TAG.split(found[2] if found else "") if not part.startswith("<"))


def particle_splits(texts: Iterable[str], letters: str) -> dict[str, str]:
    """{word: the word with JOIN after each of its particles}, for the words whose rest is a word of ``texts``."""
    words: set[str] = set()
    for text in texts:
        words.update(_HEBREW_WORD.findall(text))
    endings: dict[str, set[str]] = defaultdict(set)  # a possible stem → the last letters of the particles before it
    for word in words:
        for k in _particle_lengths(word, letters):
            endings[word[k:]].add(word[k - 1])
    known = words | {stem for stem, last in endings.items() if len(last) > 1}
    splits = {}
    for word in words:
        for k in sorted(_particle_lengths(word, letters), reverse=True):  # the most particles first
            if word[k:] in known:
                splits[word] = JOIN.join(word[:k]) + JOIN + word[k:]
                break
    return splits


def _particle_lengths(word: str, letters: str) -> list[int]:
    return [k for k in range(1, MAX_PARTICLES + 1) if len(word) - k >= MIN_STEM and all(c in letters for c in word[:k])]


def split_particles(html: str, splits: dict[str, str], pattern: re.Pattern[str] | None = None) -> str:
    """The page with its main text's words split as ``splits`` says (tags and attributes untouched); ``pattern``:
    ``words_pattern(splits)``, made once for all the pages of a language."""
    found = _MAIN.search(html)
    if not found or not splits:
        return html
    pattern = pattern or words_pattern(splits)
    return html[:found.start(2)] + pattern.sub(lambda m: splits[m[0]], found[2]) + html[found.end(2):]


def words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words`` standing whole (no Hebrew letter either side) in the text between tags.

    The words as a trie (``ו(?:ה(?:שותפות|...)|...)``), so that a page is scanned once whatever their number, and the
    replacement called for the words to split only: calling it for every Hebrew word of 1,043 pages took 0.53 s of the
    index's 2.2 s at 1,000 projects, this 0.23 s (bench/RESULTS.md, issue 26, eleventh session). "Between tags": the
    next of '<' and '>' after the word is '<' (or the end) — in a tag it is the tag's '>'. The rendered HTML escapes
    '<' and '>' in text (Jinja, Python-Markdown, nh3's serializer), so the two cannot be confused there."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}
    if not any(trie):  # no word (or only ""): nothing matches; an empty pattern would match everywhere
        return re.compile(r"(?!)")
    return re.compile(f"(?<![{_HEBREW}])(?:{_alternatives(trie)})(?![{_HEBREW}])(?=[^<>]*(?:<|\\Z))")


def _alternatives(node: dict[str, Any]) -> str:
    branches = [re.escape(letter) + _alternatives(child) for letter, child in sorted(node.items()) if letter]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
    return group + "?" if "" in node else group
