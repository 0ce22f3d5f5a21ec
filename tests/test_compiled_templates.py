"""Templates compiled once per process (sitegen/output/compiled.py): the next build in the same process compiles only
what it has not compiled from the same source at the same path, and builds the same bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from conftest import copy_fixture_site

from sitegen.output import compiled
from sitegen.output.write import Output
from sitegen.pipeline import Options, make_site

BASE = "https://merhav.example/sub/"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The templates Jinja compiles from now on (by file), with nothing compiled before kept."""
    compiled.forget()
    seen: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: object, name: str | None = None, filename: str | None = None,
                 raw: bool = False, defer_init: bool = False) -> object:
        seen.append(filename or "")
        return real(self, source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    yield seen
    compiled.forget()


def digests(files: dict[str, Output]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data.digest for path, data in files.items()}


def build(source: Path, cache: bool = False) -> dict[str, str]:
    return digests(make_site(Options(source=source, out=source.parent / "out", base_url=BASE, jobs=1, cache=cache)).files)


def test_the_next_build_in_the_process_compiles_nothing_and_builds_the_same_bytes(tmp_path: Path, compiles: list[str]) -> None:
    source = copy_fixture_site(tmp_path / "src")
    first = build(source)
    assert compiles, "a first build compiles its templates"
    compiles.clear()
    assert build(source) == first
    assert compiles == []


def test_an_edited_template_is_compiled_again_and_its_edit_is_on_the_pages(tmp_path: Path, compiles: list[str]) -> None:
    source = copy_fixture_site(tmp_path / "src")
    build(source)
    base = source / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    assert "</footer>" in text
    base.write_text(text.replace("</footer>", "<p>an edit of the template</p></footer>", 1), encoding="utf-8")
    compiles.clear()
    edited = make_site(Options(source=source, out=tmp_path / "out", base_url=BASE, jobs=1, cache=False)).files
    assert compiles == [str(base)], "the edited template alone"
    home = edited["index.html"]
    assert isinstance(home, bytes) and b"<p>an edit of the template</p>" in home
    compiled.forget()  # the same edit compiled afresh: the same bytes
    assert digests(edited) == build(source)


def test_the_same_template_at_another_path_is_compiled_for_its_own_path(tmp_path: Path, compiles: list[str]) -> None:
    """Compiled code names its file (a template's runtime error points there): another folder's copy, the same bytes,
    is compiled again for its own path."""
    one, other = copy_fixture_site(tmp_path / "one"), copy_fixture_site(tmp_path / "other")
    build(one)
    compiles.clear()
    build(other)
    assert compiles and all(name.startswith(str(other / "templates")) for name in compiles), compiles


def test_the_disk_cache_still_gets_every_template_the_build_used(tmp_path: Path, compiles: list[str]) -> None:
    """A template found in the process is given to .cache/ too: the next process compiles nothing."""
    source = copy_fixture_site(tmp_path / "src")
    expected = build(source)  # without .cache/: the templates compiled in this process only
    compiles.clear()
    assert build(source, cache=True) == expected
    assert compiles == [] and (source / ".cache" / "templates.pickle").is_file()
    compiled.forget()  # as a new process: only .cache/ is left
    (source / ".cache" / "pages.pickle").unlink(missing_ok=True)  # (so the pages are rendered again, not reused)
    assert build(source, cache=True) == expected
    assert compiles == []
