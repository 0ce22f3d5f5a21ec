"""Read every source file once: data/site.yaml, pages, data files, UI strings, static files.

Each file's own problems are collected; nothing stops at the first one. Only a broken
data/site.yaml ends the run early, since without its languages no page can be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from sitegen.errors import BuildFailed, ContentError, relative
from sitegen.messages import msg
from sitegen.sources.cohorts import Origin, entry_origins, is_project_body, load_cohort_files, load_entry_files
from sitegen.sources.config import Config, make_config
from sitegen.sources.files import (
    KeptFiles,
    ParseMemo,
    Reader,
    SourcePage,
    data_files,
    load_page,
    load_yaml_file,
    page_files,
    read_text,
    string_files,
)
from sitegen.sources.strings import placeholder_problems
from sitegen.sources.tree import folder_problem, walk
from sitegen.sources.validated import DATA_FILES, Record, record_of
from sitegen.sources.yamlfile import LineDict, line_at, parse_yaml

SITE_FILE = "data/site.yaml"
STRINGS_DIR = "data/strings"
SOURCE_FOLDERS = ("content", "data", "templates", "static")
"""The folders of the source root the engine reads; each must be a folder of the project (sources/tree.py)."""


@dataclass
class Sources:
    root: Path
    config: Config
    pages: list[SourcePage] = field(default_factory=list)
    page_paths: set[str] = field(default_factory=set)
    """Every page file found under content/ (relative to the root), readable or not: a link to
    a file that has problems of its own is not reported again as a link to nowhere."""
    raw_site: Any = None
    """data/site.yaml as read (LineDict), to find a setting's line."""
    data: dict[str, Any] = field(default_factory=dict)
    """Validated data files as plain values (texts still per-language mappings)."""
    raw_data: dict[str, Any] = field(default_factory=dict)
    """The same files as read (LineDict/LineList), to find a value's line."""
    strings: dict[str, dict[str, str]] = field(default_factory=dict)
    raw_strings: dict[str, Any] = field(default_factory=dict)
    static_files: list[str] = field(default_factory=list)
    problems: list[ContentError] = field(default_factory=list)
    memo: ParseMemo | None = None
    """The live preview's memory of parsed files (None for a build from the command line)."""
    origins: dict[str, list[Origin]] = field(default_factory=dict)
    """Where each entry of data[name] was read, in data[name]'s order, for data kept one entry a file (testimonials)."""
    kept: KeptFiles | None = None
    """What the last build read, reused for a file whose content is the same (a build's; None in the preview)."""


def read_config(root: Path, base_url: str | None, kept: KeptFiles | None = None) -> tuple[Config, Any, list[ContentError]]:
    """data/site.yaml → (Config, the file as read, problems that still let the pages be read).

    Raises BuildFailed when the file cannot give the languages: nothing else can be read then.
    """
    path = root / SITE_FILE
    bad_folder = folder_problem(root / "data", root)
    if bad_folder is not None:
        raise BuildFailed([bad_folder])
    if not path.exists() and not path.is_symlink():
        raise BuildFailed([ContentError(SITE_FILE, 0, msg("missing — every site needs data/site.yaml with its title and languages"))])
    read = (lambda compute: kept.get(("settings",), path, root, compute)) if kept is not None else (lambda compute: compute(read_text))
    raw, settings, problems, dumped = read(lambda reader: _settings(path, root, reader))  # kept: no pydantic model built
    if problems or settings is None:
        raise BuildFailed(problems)
    seen: dict[str, int] = {}
    for i, language in enumerate(settings.languages):
        if language.code in seen:
            raise BuildFailed([ContentError(SITE_FILE, raw["languages"].item_lines[i], msg("language '{code}' is configured twice", code=language.code))])
        seen[language.code] = i
    soft: list[ContentError] = []
    for i, language in enumerate(settings.languages):
        try:
            Locale.parse(language.locale)
        except (ValueError, UnknownLocaleError):
            line = line_at(raw, ("languages", i, "locale"), 0)
            soft.append(ContentError(SITE_FILE, line, msg("unknown locale '{locale}' — write a locale such as he_IL or en_GB", locale=language.locale)))
    return make_config(settings, base_url, dumped), raw, soft


def _settings(path: Path, root: Path, read: Reader) -> tuple[Any, Record | None, list[ContentError], dict[str, Any] | None]:
    """data/site.yaml read and validated: (as read, the settings' values, problems that stop the build, the settings
    dumped as the templates, the feeds and the pages' digests read them: ``Config.settings_dump``)."""
    from sitegen.sources.schema import SiteConfig, validate  # pydantic: only when the file is read

    text, problems = read(path, root)
    if text is None:
        return None, None, problems, None
    raw, problems = parse_yaml(text, SITE_FILE)
    if problems:
        return raw, None, problems, None
    entries = raw.get("languages", []) if isinstance(raw, dict) else []
    codes = [entry.get("code") for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []
    settings, problems = validate(SiteConfig, raw, SITE_FILE, [c for c in codes if isinstance(c, str)])
    if settings is None:
        return raw, None, problems, None
    return raw, record_of(settings), problems, {"python": settings.model_dump(), "json": settings.model_dump(mode="json")}


def read_data_file(path: Path, root: Path, name: str, codes: list[str], read: Reader = read_text,
                   memo: ParseMemo | None = None) -> tuple[Any, list[ContentError], Any, bool]:
    """data/<name>.yaml read and, when the engine knows its shape (DATA_FILES), validated: (as read, problems,
    its value as plain data, whether it has one)."""
    raw, problems = load_yaml_file(path, root, memo, read=read)
    if raw is None and problems:
        return None, problems, None, False
    if name not in DATA_FILES:
        return raw, problems, raw, True
    from sitegen.sources.schema import DATA_SCHEMAS, adapter, validate  # only when a data file of a known shape is read

    schema = DATA_SCHEMAS[name]
    if raw is None:
        raw = [] if DATA_FILES[name] else LineDict()
    value, found = validate(schema, raw, relative(path, root), codes)
    if value is None:
        return raw, problems + found, None, False
    return raw, problems + found, adapter(schema).dump_python(value), True


def _by_weight(sources: Sources, name: str) -> None:
    """data[name] in the order it is shown: by weight, the lowest first, then as read (data/<name>/ by file name)."""
    entries = sources.data.get(name)
    places = entry_origins(sources, name)
    if not isinstance(entries, list) or len(places) != len(entries):
        sources.origins[name] = places
        return
    pairs = sorted(zip(entries, places, strict=True), key=lambda pair: pair[0].get("weight", 0))
    sources.data[name] = [entry for entry, _ in pairs]
    sources.origins[name] = [place for _, place in pairs]


def gather(root: Path, base_url: str | None = None, memo: ParseMemo | None = None, kept: KeptFiles | None = None) -> Sources:
    """Every source read. ``memo``: the preview's memory of parsed files (by their stamps); ``kept``: a build's, by
    their content (sitegen/incremental/sources.py). Either gives the same result as reading every file afresh."""
    kept = kept if memo is None else None
    config, raw_site, problems = read_config(root, base_url, kept)
    sources = Sources(root=root, config=config, raw_site=raw_site, problems=problems, memo=memo, kept=kept)
    codes = config.codes

    bad_folders = {name: folder_problem(root / name, root) for name in SOURCE_FOLDERS}
    sources.problems += [problem for problem in bad_folders.values() if problem is not None]

    content_dir = root / "content"
    if bad_folders["content"] is not None:
        pass
    elif not content_dir.is_dir():
        sources.problems.append(ContentError("content", 0, msg("the folder content/ is missing — it holds the pages")))
    else:
        found = page_files(content_dir, root)
        sources.problems += found.problems
        for path in found.files:
            sources.page_paths.add(relative(path, root))
            if is_project_body(path, content_dir):  # a project's text, read by sources/cohorts.py
                continue
            page, problems = load_page(path, root, codes, memo, kept)
            sources.problems.extend(problems)
            if page is not None:
                sources.pages.append(page)

    files, problems = data_files(root / "data", root)
    sources.problems += problems
    for name, path in files.items():
        if kept is not None:
            raw, problems, value, valid = kept.get(("data", name, *codes), path, root,
                                                   partial(read_data_file, path, root, name, codes))
        else:  # (the preview's memo keeps the file as read by its stamps; it is validated again)
            raw, problems, value, valid = read_data_file(path, root, name, codes, memo=memo)
        sources.problems.extend(problems)
        if valid:
            sources.data[name], sources.raw_data[name] = value, raw
    for name, is_list in DATA_FILES.items():
        if name not in sources.data and not any(p.path == f"data/{name}.yaml" for p in sources.problems):
            if (root / "data" / f"{name}.yaml").exists():
                continue
            sources.data[name] = [] if is_list else None
    sources.problems.extend(load_cohort_files(sources))                    # data/cohorts/<id>.yaml
    sources.problems.extend(load_entry_files(sources, "testimonials", "Testimonial", msg("testimonial")))  # data/testimonials/<id>.yaml
    _by_weight(sources, "testimonials")

    strings_problem = folder_problem(root / STRINGS_DIR, root)
    files, problems = string_files(root / STRINGS_DIR, root) if strings_problem is None else ({}, [strings_problem])
    sources.problems += problems
    for code, path in files.items():
        raw, problems = load_yaml_file(path, root, memo, kept)
        sources.problems.extend(problems)
        rel = relative(path, root)
        if code not in codes:
            sources.problems.append(ContentError(rel, 0, msg("strings for '{code}', a language not configured in data/site.yaml — rename or remove the file", code=code)))
            continue
        if raw is None:
            continue
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            bad = next((k for k, v in raw.items() if not isinstance(v, str)), None) if isinstance(raw, dict) else None
            line = raw.key_lines.get(bad, 1) if isinstance(raw, LineDict) and bad else 1
            sources.problems.append(ContentError(rel, line, msg("UI strings are lines of 'name: text' — every value must be text (put it in quotes)")))
            continue
        sources.strings[code] = dict(raw)
        sources.raw_strings[code] = raw
        sources.problems += placeholder_problems(dict(raw), getattr(raw, "key_lines", {}), rel)  # {count} and nothing else

    static_dir = root / "static"
    if bad_folders["static"] is None and static_dir.is_dir():
        found = walk(static_dir, root, lambda name: True, published=True,
                     folder_link=msg("a link to a folder — the files in it would not be published; copy the folder in instead"))
        sources.problems += found.problems
        sources.static_files = [relative(path, static_dir) for path in found.files]
    return sources
