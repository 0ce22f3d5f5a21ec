"""A build reuses what the last one made where its inputs are the same, and gives the bytes a cold build gives.

A generated site with every kind of page (content pages, cohorts, projects with their texts, listings by ministry
and topic over several pages, stand-ins, feeds, the search index, 404s) is edited the ways an editor or a
developer edits it, one after the other. After each edit a build with the cache (.cache/pages.pickle:
incremental/inputs.py decides which pages to render again) must give exactly the files of a cold build without the
cache; a build in which nothing changed renders nothing, indexes nothing and leaves the output folder as it is;
an edited project's text renders its page only; files whose bytes did not change are linked from the previous
output folder, never written again, and a file changed by hand in the output folder is written again.

The edits here are those a catalogue's listings of several pages make a difference to; every other kind of change
(a page's text, pages added and removed, UI strings, static files, photos, settings, the base URL, a new engine) is
in tests/test_every_change.py, for the build and the preview alike, on a smaller site.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_SITE, REPO

pytestmark = pytest.mark.slow

import sys  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402

BASE = "https://merhav.example/sub/"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_project_text(root: Path) -> Path:
    return sorted((root / "content" / "projects").glob("*.en.md"))[0]


def _edit_cohort(root: Path, change: Callable[[dict], None]) -> None:
    """Change the last cohort with projects (data/cohorts.yaml: a small generated site keeps them all there)."""
    path = root / "data" / "cohorts.yaml"
    cohorts = yaml.safe_load(path.read_text(encoding="utf-8"))
    change([cohort for cohort in cohorts if cohort.get("projects")][-1])
    path.write_text(yaml.dump(cohorts, Dumper=_Plain, allow_unicode=True, sort_keys=False), encoding="utf-8")


class _Plain(yaml.SafeDumper):
    """Values written out in full: the engine refuses YAML's anchors and aliases (an editor's file has none)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _remove_last_project(root: Path) -> None:
    removed: list[str] = []
    _edit_cohort(root, lambda data: removed.append(data["projects"].pop()["slug"]))
    for path in (root / "content" / "projects").glob(f"{removed[0]}.*.md"):
        path.unlink()


def _add_project(root: Path) -> None:
    def add(data: dict) -> None:
        copy = dict(data["projects"][0], slug="a-new-shared-project")
        copy["title"] = {"he": "מיזם חדש", "en": "A new project"}
        data["projects"].append(copy)
    _edit_cohort(root, add)


def _rename_project(root: Path) -> None:
    def rename(data: dict) -> None:
        data["projects"][0]["title"]["en"] = data["projects"][0]["title"]["en"] + " (renamed)"
    _edit_cohort(root, rename)


def _add_section(root: Path) -> None:
    for lang, title in (("he", "אודות"), ("en", "About")):
        (root / "content" / "about").mkdir(exist_ok=True)
        (root / "content" / "about" / f"index.{lang}.md").write_text(f"---\ntitle: {title}\n---\nText.\n", encoding="utf-8")
        (root / "content" / "about" / f"team.{lang}.md").write_text(f"---\ntitle: {title} 2\n---\nText.\n", encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a section of two pages, not in the menu": _add_section,
    "the section's title (above its page)": lambda root: _replace(root / "content" / "about" / "index.en.md", "title: About",
                                                                  "title: About us"),
    "a project's title": _rename_project,
    "a project added": _add_project,
    "a project removed": _remove_last_project,
    "a ministry's name": lambda root: _replace(root / "data" / "ministries.yaml", "Ministry of Health", "Ministry of Health and Care"),
    "the cohorts page's title (above every cohort)": lambda root: _replace(root / "content" / "cohorts" / "index.en.md",
                                                                           "title: ", "title: All "),
    "a page's title in the menu": lambda root: _replace(root / "content" / "programme.en.md", "title: ", "title: The "),
    "a quote": lambda root: _replace(root / "data" / "testimonials" / "bonnie-goldberg.yaml", "Partnership is", "A partnership is"),
    "a template of one layout": lambda root: _append(root / "templates" / "project.html", "{# a comment #}\n"),
    "the base template": lambda root: _replace(root / "templates" / "base.html", "</footer>", "<!-- f --></footer>"),
    "the listings' page size": lambda root: _replace(root / "data" / "site.yaml", "projects_per_page: 5", "projects_per_page: 7"),
}


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    generate.generate(30, source, cohorts=3, content_from=FIXTURE_SITE)
    settings = source / "data" / "site.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "projects_per_page" not in text
    settings.write_text(text + "projects_per_page: 5\n", encoding="utf-8")  # listings of many pages
    return source


def test_every_edit_builds_what_a_cold_build_builds(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen import pipeline
    from sitegen.cli import main
    from sitegen.output import search

    rendered: list[int] = []
    real_render = pipeline.render_pages

    def counting(site_: object, *args: object, only: list | None = None, **kwargs: object) -> object:
        rendered.append(len(only) if only is not None else len(site_.pages))  # type: ignore[attr-defined]
        return real_render(site_, *args, only=only, **kwargs)  # type: ignore[arg-type]

    indexed: list[int] = []
    real_index = search.run_pagefind

    def counting_index(*args: object, **kwargs: object) -> object:
        indexed.append(1)
        return real_index(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render_pages", counting)
    monkeypatch.setattr(search, "run_pagefind", counting_index)
    out = tmp_path / "site"

    def built(folder: Path, *more: str) -> dict[str, str]:
        rendered.clear()
        indexed.clear()
        assert main(["build", "--source", str(site), "--base-url", BASE, "--out", str(folder), "-j", "1", *more]) == 0, \
            capsys.readouterr().err
        return tree(folder)

    first = built(out)
    pages = rendered[0]
    assert pages > 150 and len(indexed) == 2, "one index a language"
    before = inodes(out)
    folder = out.stat().st_ino

    assert built(out) == first
    assert rendered == [0] and indexed == [], "nothing changed: no page rendered, no index made"
    assert out.stat().st_ino == folder and inodes(out) == before, "nothing changed: the output folder left as it was"

    text = _first_project_text(site)
    _append(text, "\nOne more sentence about the project.\n")
    after_text = built(out)
    assert rendered == [1], "an edited project text renders its own page only"
    assert len(indexed) == 1, "its page is indexed: the English part of the index is made again, the Hebrew part kept"
    changed = {rel for rel in first if after_text.get(rel) != first[rel]}
    assert any(rel.endswith(".html") for rel in changed) and len(changed) < len(first) // 4
    now = inodes(out)
    assert all(now[rel] == before[rel] for rel in first if rel not in changed and rel in now), "unchanged files linked, not written"
    assert all(now[rel] != before[rel] for rel in changed if rel in now), "changed files written anew"
    assert after_text == built(tmp_path / "cold", "--no-cache")

    page = out / "index.html"  # changed by hand in the output folder: written again
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<!-- by hand --></body>"))
    (out / "robots.txt").unlink()  # removed by hand: written again
    assert built(out) == after_text and page.read_bytes() == original

    for what, edit in EDITS.items():
        edit(site)
        cached = built(out)
        count = rendered[0]
        assert cached == built(tmp_path / f"cold {len(os.listdir(tmp_path))}", "--no-cache"), f"after {what}"
        assert count <= rendered[0], f"after {what}: the cached build rendered more than a cold one"
