"""The incremental engine's invariant, for every kind of change: a reused result is byte-identical to the one a
fresh build makes from the same sources (sitegen/incremental/__init__.py).

One generated site (sitefactory.generated_catalogue: content pages, four cohorts — the fourth in a file of its own —
projects with and without text files, quotes, listings by cohort, ministry and topic over several pages, feeds, the
search index, 404s), made once per run (tests/shared_build.py) and copied, is changed in every way an editor or a
developer can. The changes are in independent parts (PARTS), each a test of its own on its own copy; within a part
one change follows the other. After each change, three builds of the same sources:

- ``build`` with its cache (.cache/: the last build's texts, pages, share images, index parts, "up to date"), which
  must render no more pages than a cold build;
- the live preview's update (preview/update.py), told which files changed, as ``serve`` tells it;
- one cold build (no cache),

and the first two must give exactly the files of the third (the preview all but the search index, which ``serve``
makes in a thread of its own after each update: tests/test_serve.py). The base URL is the build's alone (``serve``
builds for its own address for its whole life); a new engine is shown to both by the caches an older one left.
tests/test_page_reuse.py checks what a build with the cache renders, indexes and writes; tests/test_incremental.py
what the preview renders.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from sitefactory import generated_catalogue

from sitegen.errors import BuildFailed
from sitegen.output.write import MANIFEST, Output
from sitegen.pipeline import Options, make_site
from sitegen.preview.update import IncrementalBuild

pytestmark = pytest.mark.slow

BASE = "https://merhav.example/sub/"
OTHER_BASE = "https://another.example/"
PHOTO = "static/images/faculty/dana.jpg"
STATIC_FILE = "static/files/guide.txt"
ADDED_PROJECT = "a-project-added-while-editing"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return generated_catalogue(tmp_path / "src")


# --- the changes: each makes its change under the source root and returns the paths it changed ---------------------

Change = Callable[[Path], set[str]]


def _replace(root: Path, rel: str, old: str, new: str) -> set[str]:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return {rel}


def _append(root: Path, rel: str, text: str) -> set[str]:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return {rel}


def _write(root: Path, rel: str, data: str | bytes) -> set[str]:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return {rel}


def _remove(root: Path, *rels: str) -> set[str]:
    for rel in rels:
        (root / rel).unlink()
    return set(rels)


def _jpeg(colour: str) -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(image, "JPEG")
    return image.getvalue()


class _Plain(yaml.SafeDumper):
    """Values written out in full: the engine refuses YAML's anchors and aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _edit_cohort_d(root: Path, change: Callable[[dict], None]) -> set[str]:
    path = root / "data" / "cohorts" / "d.yaml"
    cohort = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(cohort)
    path.write_text(yaml.dump(cohort, Dumper=_Plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"data/cohorts/d.yaml"}


def _add_project(root: Path) -> set[str]:
    def add(cohort: dict) -> None:
        copy = dict(cohort["projects"][0], slug=ADDED_PROJECT)
        copy["title"] = {"he": "מיזם שנוסף", "en": "A project added"}
        cohort["projects"].append(copy)
    return _edit_cohort_d(root, add)


def _remove_added_project(root: Path) -> set[str]:
    def remove(cohort: dict) -> None:
        assert cohort["projects"][-1]["slug"] == ADDED_PROJECT
        cohort["projects"].pop()
    return _edit_cohort_d(root, remove)


def _add_cohort(root: Path) -> set[str]:
    """Cohort e: cohort d's graduates and projects under other ids, the projects' text files with them."""
    text = (root / "data" / "cohorts" / "d.yaml").read_text(encoding="utf-8")
    cohort = yaml.safe_load(re.sub(r"-d(\d+)\b", r"-e\1", text))  # the graduates' ids, and the teams' references
    cohort.update(id="e", name={"he": "מחזור ה'", "en": "Cohort E"})
    added = set()
    for project in cohort["projects"]:
        for path in (root / "content" / "projects").glob(f"{project['slug']}.*.md"):
            added |= _write(root, f"content/projects/{project['slug']}-e.{path.name.split('.')[-2]}.md", path.read_text(encoding="utf-8"))
        project["slug"] += "-e"
    assert added, "cohort e has projects with text files of their own"
    return added | _write(root, "data/cohorts/e.yaml", yaml.dump(cohort, Dumper=_Plain, allow_unicode=True, sort_keys=False))


def _remove_cohort(root: Path) -> set[str]:
    """Cohort e, with its projects' text files."""
    return _remove(root, "data/cohorts/e.yaml", *(p.relative_to(root).as_posix() for p in (root / "content" / "projects").glob("*-e.*.md")))


def _faculty_with_photo(root: Path) -> set[str]:
    member = ("- id: dana-levi\n  name:\n    he: דנה לוי\n    en: Dana Levi\n  role:\n    he: מנחה\n    en: Facilitator\n"
              f"  photo: {PHOTO.removeprefix('static/')}\n  photo_alt:\n    he: דנה לוי\n    en: Dana Levi\n")
    return _write(root, PHOTO, _jpeg("teal")) | _replace(root, "data/faculty.yaml", "\n[]\n", "\n" + member)


def _add_quote(root: Path) -> set[str]:
    text = (root / "data" / "testimonials" / "ofra-havkin.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ofra-havkin", "id: noa-added").replace("Dr. Ofra Havkin", "Noa Added").replace("weight: 3", "weight: 9")
    return _write(root, "data/testimonials/noa-added.yaml", text)


def _edit_project_title(root: Path) -> set[str]:
    def rename(cohort: dict) -> None:
        cohort["projects"][0]["title"]["en"] += " (renamed)"
    return _edit_cohort_d(root, rename)


def _add_section(root: Path) -> set[str]:
    """A folder of two pages in each language, not in the menu (its index page is the title above the other)."""
    added = set()
    for lang, title in (("he", "אודות"), ("en", "About")):
        added |= _write(root, f"content/about/index.{lang}.md", f"---\ntitle: {title}\n---\nText.\n")
        added |= _write(root, f"content/about/team.{lang}.md", f"---\ntitle: {title} 2\n---\nText.\n")
    return added


# Every kind of change, in independent parts (each a test of its own, from its own copy of the pristine site: xdist
# runs them side by side); within a part the changes follow one another, and one may undo an earlier one.
PARTS: dict[str, dict[str, Change]] = {
    "pages": {
        "a page's body": lambda root: _append(root, "content/participants.en.md", "\nOne more sentence.\n"),
        "a page's front matter": lambda root: _replace(root, "content/graduates.en.md", "title: Graduates tell",
                                                       "title: The graduates tell"),
        "a page added": lambda root: _write(root, "content/news.en.md", "---\ntitle: News\n---\nA short text.\n"),
        "the opening words of a page without a description (its description)": lambda root: _replace(
            root, "content/news.en.md", "A short text.", "A shorter text."),
        "a page removed": lambda root: _remove(root, "content/news.en.md"),
        "a page of the menu removed in one language (a stand-in instead)": lambda root: _remove(root, "content/faculty.en.md"),
        "a section of two pages, not in the menu": _add_section,
        "the section's title (above its page)": lambda root: _replace(root, "content/about/index.en.md", "title: About",
                                                                      "title: About us"),
        "the cohorts page's title (above every cohort)": lambda root: _replace(root, "content/cohorts/index.en.md",
                                                                               "title: ", "title: All "),
    },
    "the catalogue": {
        "a project's text file": lambda root: _append(root, "content/projects/network-mental-health-2.en.md",
                                                      "\n## Added\n\nA new closing section.\n"),
        "a project added": _add_project,
        "a project's title": _edit_project_title,
        "a project removed": _remove_added_project,
        "a cohort added (with projects' text files)": _add_cohort,
        "a cohort removed (with them)": _remove_cohort,
        "a ministry's name (listings, projects)": lambda root: _replace(root, "data/ministries.yaml", '"Ministry of Health"',
                                                                        '"Ministry of Health and Care"'),
        "the listings' page size": lambda root: _replace(root, "data/site.yaml", "projects_per_page: 3", "projects_per_page: 4"),
    },
    "data files and photos": {
        "a quote added": _add_quote,
        "a quote removed": lambda root: _remove(root, "data/testimonials/ibrahim-habib.yaml"),
        "a quote's words": lambda root: _replace(root, "data/testimonials/bonnie-goldberg.yaml", "Partnership is",
                                                 "A partnership is"),
        "the curriculum (programme, participants, home)": lambda root: _replace(root, "data/curriculum.yaml", "en: Sub-goals",
                                                                               "en: Secondary goals"),
        "the faculty, with a photo added": _faculty_with_photo,
        "a photo replaced by another": lambda root: _write(root, PHOTO, _jpeg("orange")),
        "the menu": lambda root: _replace(root, "data/menu.yaml", "- page: graduates\n", ""),
        "a page's title in the menu": lambda root: _replace(root, "content/programme.en.md", "title: ", "title: The "),
        "a UI string": lambda root: _replace(root, "data/strings/he.yaml", "skip_link: דילוג לתוכן", "skip_link: דילוג אל התוכן"),
    },
    "templates, static files, settings": {
        "a template (a macro of the listings)": lambda root: _replace(root, "templates/_macros.html", "<p>{{ p.summary }}</p>",
                                                                      '<p class="summary">{{ p.summary }}</p>'),
        "a template of one layout": lambda root: _replace(root, "templates/project.html", "{% block main %}",
                                                          "{% block main %}<!-- one layout -->"),  # in the pages' output
        "the base template": lambda root: _replace(root, "templates/base.html", "</footer>", "<!-- f --></footer>"),
        "a static file added": lambda root: _write(root, STATIC_FILE, "A guide.\n"),
        "a static file edited": lambda root: _append(root, STATIC_FILE, "Edited.\n"),
        "the stylesheet (its hashed name on every page)": lambda root: _append(root, "static/style.css", "\n/* edited */\n"),
        "the settings (data/site.yaml)": lambda root: _replace(root, "data/site.yaml", "  en: Merhav\n", "  en: Merhav site\n"),
    },
}
LAST_PART = "templates, static files, settings"
"""The part that ends with another base URL and a new engine."""


# --- the comparison ---------------------------------------------------------------------------------------------------

def digests(files: Mapping[str, Output]) -> dict[str, str]:
    """Each file's SHA-256; a static file published by reference (sources/streamed.py) carries its own, of its bytes."""
    return {path: hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data.digest for path, data in files.items()}


def folder(out: Path) -> dict[str, str]:
    """An output folder's files but the writer's list of them (output/write.py MANIFEST), which make_site does not return."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != MANIFEST}


def cold(source: Path, base_url: str = BASE) -> dict[str, str]:
    try:
        made = make_site(Options(source=source, out=source.parent / "unused", base_url=base_url, jobs=1, cache=False))
    except BuildFailed as failed:
        pytest.fail("\n".join(map(str, failed.errors)))
    return digests(made.files)


def differences(got: dict[str, str], expected: dict[str, str]) -> list[str]:
    return sorted(set(got) ^ set(expected)) + sorted(p for p in set(got) & set(expected) if got[p] != expected[p])


@pytest.mark.parametrize("part", PARTS)
def test_every_change_gives_what_a_cold_build_gives(part: str, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen import pipeline
    from sitegen.cli import main

    rendered: list[int] = []  # the pages each build rendered (a build with the cache: only those whose inputs changed)
    real_render = pipeline.render_pages

    def counting(site_: Any, *args: Any, only: list | None = None, **kwargs: Any) -> Any:
        rendered.append(len(only) if only is not None else len(site_.pages))
        return real_render(site_, *args, only=only, **kwargs)

    monkeypatch.setattr(pipeline, "render_pages", counting)
    out, preview_out = tmp_path / "site", tmp_path / "preview"

    def build(base_url: str = BASE) -> dict[str, str]:
        rendered.clear()
        assert main(["build", "--source", str(site), "--base-url", base_url, "--out", str(out), "-j", "1"]) == 0, \
            capsys.readouterr().err
        return folder(out)

    def without_index(files: dict[str, str]) -> dict[str, str]:
        return {path: digest for path, digest in files.items() if not path.startswith("pagefind/")}

    build()
    preview = IncrementalBuild(Options(source=site, out=preview_out, base_url=BASE))
    assert preview.full().problems == []
    for what, change in PARTS[part].items():
        changed = change(site)
        built = build()
        with_cache = sum(rendered)
        rendered.clear()
        expected = cold(site)
        assert not differences(built, expected), f"build after {what}: {differences(built, expected)[:5]}"
        assert with_cache <= sum(rendered), f"after {what}: the build with its cache rendered more pages than a cold one"
        outcome = preview.update(changed)
        assert outcome.problems == [], (what, outcome.problems)
        got = folder(preview_out)
        assert not differences(got, without_index(expected)), f"preview after {what} ({outcome.path}): {differences(got, without_index(expected))[:5]}"
    if part != LAST_PART:
        return

    # The base URL (the build's alone: serve builds for its own address).
    assert not differences(build(OTHER_BASE), cold(site, OTHER_BASE)), "build after another base URL"

    # A new engine: what an older one left in .cache/ (its texts, pages, share images, index) is made again.
    from sitegen.incremental import inputs, texts, uptodate
    from sitegen.model import markup

    with monkeypatch.context() as older:
        for module in (inputs, texts, uptodate):
            older.setattr(module, "engine_fingerprint", lambda: "an older engine")
        real = markup.MarkdownRenderer.render

        def render_as_before(self: markup.MarkdownRenderer, *job: Any) -> markup.Rendered:  # its texts came out otherwise
            result = real(self, *job)
            return dataclasses.replace(result, html=result.html + "<p>older</p>")

        older.setattr(markup.MarkdownRenderer, "render", render_as_before)
        old = build()
        assert any("older" in (out / path).read_text(encoding="utf-8") for path in old if path.endswith(".html"))
    expected = cold(site)
    assert differences(old, expected), "the older engine's site differs from this one's"
    after = build()
    assert not differences(after, expected), f"build after a new engine: {differences(after, expected)[:5]}"
    fresh = IncrementalBuild(Options(source=site, out=tmp_path / "preview 2", base_url=BASE))  # on the same .cache/
    assert fresh.full().problems == []
    assert not differences(folder(tmp_path / "preview 2"), without_index(expected)), "preview after a new engine"


def test_the_parts_hold_every_kind_of_change_once() -> None:
    names = [what for changes in PARTS.values() for what in changes]
    assert len(names) == len(set(names)) == 33 and LAST_PART in PARTS
