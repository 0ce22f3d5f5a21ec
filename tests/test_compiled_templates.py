"""Templates compiled once per process (sitegen/output/compiled.py): the next build in the same process compiles only
what it has not compiled from the same source (in whichever folder), builds the same bytes, and its compiled code
names its own files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from types import CodeType

import jinja2
import pytest
from conftest import REPO, copy_fixture_site

from sitegen.errors import BuildFailed
from sitegen.output import compiled
from sitegen.output.render import make_environment
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


def codes_in(code: CodeType) -> Iterator[CodeType]:
    """``code`` and every function compiled in it."""
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from codes_in(const)


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


def test_the_same_template_at_another_path_is_not_compiled_again_and_names_its_own_file(tmp_path: Path, compiles: list[str]) -> None:
    """Another folder's copy of the same templates: nothing compiled again, the same bytes, and the code names the
    other folder's files (a template's runtime error points there, as Template.filename does)."""
    one, other = copy_fixture_site(tmp_path / "one"), copy_fixture_site(tmp_path / "other")
    first = build(one)
    used = sorted({Path(filename).name for filename in compiles})
    assert "base.html" in used, used
    compiles.clear()
    assert build(other) == first
    assert compiles == []
    environment = make_environment(other / "templates")
    for name in used:
        template = environment.get_template(name)
        assert template.filename == str(other / "templates" / name)
        assert {code.co_filename for code in codes_in(template.root_render_func.__code__)} == {template.filename}
    assert compiles == []


def test_a_runtime_error_names_the_file_and_line_of_the_build_that_read_it(tmp_path: Path, compiles: list[str]) -> None:
    """The same broken template in two folders: the second build compiles nothing, and its problem still names its own
    templates/base.html and the line (found from the compiled code's file: were it the first folder's, the problem
    would name no line)."""
    for folder in ("one", "other"):
        source = copy_fixture_site(tmp_path / folder)
        base = source / "templates" / "base.html"
        base.write_text("{{ page.no_such_field }}\n" + base.read_text(encoding="utf-8"), encoding="utf-8")
        compiles.clear()
        with pytest.raises(BuildFailed) as failed:
            build(source)
        problems = [problem for problem in failed.value.errors if "no_such_field" in str(problem)]
        assert problems and {(problem.path, problem.line) for problem in problems} == {("templates/base.html", 1)}, problems
    assert compiles == []


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


def test_jinjas_python_for_a_template_does_not_name_its_path(tmp_path: Path) -> None:
    """What keeping code across folders rests on: for every template of the repository, the Python Jinja generates
    from the same source at two paths is the same text (only the compiled code names its file: ``at_path``)."""
    environment = make_environment(tmp_path)
    templates = sorted((REPO / "templates").rglob("*.html"))
    assert templates
    for template in templates:
        source = template.read_text(encoding="utf-8")
        name = template.relative_to(REPO / "templates").as_posix()
        one = environment.compile(source, name, str(tmp_path / "one" / name), raw=True)
        other = environment.compile(source, name, str(tmp_path / "other" / "templates" / name), raw=True)
        assert one == other, name
