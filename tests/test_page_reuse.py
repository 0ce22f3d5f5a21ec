"""A build reuses what the last one made where its inputs are the same.

On the generated catalogue (sitefactory.generated_catalogue: every kind of page, listings over several pages): a
build in which nothing changed renders nothing, indexes nothing and leaves the output folder as it is; an edited
project's text renders its page only and indexes its language only; files whose bytes did not change are linked
from the previous output folder, never written again; a file changed or removed by hand in the output folder is
written again; and each gives the bytes of a cold build.

That every other kind of change (pages, sections, projects, cohorts, quotes, data files, UI strings, templates,
static files, photos, settings and the listings' page size, the base URL, a new engine) builds what a cold build
builds, and renders no more pages than it, is tests/test_every_change.py, for the build and the preview alike.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sitefactory import generated_catalogue

pytestmark = pytest.mark.slow

BASE = "https://merhav.example/sub/"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _first_project_text(root: Path) -> Path:
    return sorted((root / "content" / "projects").glob("*.en.md"))[0]


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return generated_catalogue(tmp_path / "src")


def test_a_build_renders_indexes_and_writes_only_what_changed(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
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
    search.made_in_process.forget()  # the parts an earlier test of this process made (the same generated pages)
    out = tmp_path / "site"

    def built(folder: Path, *more: str) -> dict[str, str]:
        rendered.clear()
        indexed.clear()
        assert main(["build", "--source", str(site), "--base-url", BASE, "--out", str(folder), "-j", "1", *more]) == 0, \
            capsys.readouterr().err
        return tree(folder)

    first = built(out)
    pages = rendered[0]
    assert pages > 100 and len(indexed) == 2, "one index a language"
    before = inodes(out)
    folder = out.stat().st_ino

    assert built(out) == first
    # ("up to date" renders nothing at all: no render_pages; a build whose stamps are too recent to trust renders 0 pages)
    assert sum(rendered) == 0 and indexed == [], "nothing changed: no page rendered, no index made"
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
