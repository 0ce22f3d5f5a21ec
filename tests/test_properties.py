"""Property-based tests: whatever an editor (or a paste) puts in front matter, data values or
whole files, the build either succeeds or reports content problems — never a traceback.

Why hypothesis: the example tests pin the mistakes we thought of; these generate the ones we
did not (odd unicode, control characters, YAML that reads as dates or numbers, wrong types
nested anywhere, huge strings, random bytes) and shrink any failure to a minimal file.
Kept fast: about 50 examples per property, no deadline, one tiny site per test module, and
``check`` (everything but writing) for each example.
"""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefactory import BASE_FILES, make_site

from sitegen.cli import main
from sitegen.incremental import reuse
from sitegen.incremental.deps import LayoutDependencies
from sitegen.output import render
from sitegen.output.render import make_environment

FAST = settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PROBLEM = re.compile(r"^(?P<path>(content|data|static|templates)(/[^:\n]*)?)(:(?P<line>\d+))?: (?P<message>\S.*)$")
"""A reported problem: `path:line: message` or `path: message`, path under the source root."""

SELF_EXPLAINING = re.compile(r"must be (a whole number|a date written as YYYY-MM-DD), not ")
"""Messages whose requirement is the fix ('weight' must be a whole number, not 'two')."""

FIELDS = ["title", "description", "weight", "draft", "layout"]

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.dates() | st.datetimes()
    | st.text(max_size=30) | st.sampled_from(["yes", "no", "on", "null", "~", "2026-11-29", "1e3", "0x1F", ".nan", "<script>alert(1)</script>"])
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8) | st.integers(), children, max_size=3),
    max_leaves=8,
)
"""Anything YAML can hold, nested."""

texts = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\u2028\u2029\ufffe\uffff"),
    min_size=1, max_size=80,
)
"""Text an editor can type: any printable character of any script."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One tiny site for all examples of a test; its templates are compiled, and what each reads analysed, once (they
    do not change here, and compiling and analysing them is most of the time of a tiny build)."""
    root = tmp_path_factory.mktemp("props")
    make_site(root)
    environments: dict[Path, Any] = {}
    dependencies: dict[int, LayoutDependencies] = {}

    def cached(templates: Path, bytecode_cache: Any = None) -> Any:  # compiled once here: no cache of compiled code needed
        if templates not in environments:
            environments[templates] = make_environment(templates)
        return environments[templates]

    def cached_dependencies(env: Any) -> LayoutDependencies:
        if id(env) not in dependencies:
            dependencies[id(env)] = LayoutDependencies(env)
        return dependencies[id(env)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "make_environment", cached)
        patch.setattr(reuse, "make_environment", cached)
        patch.setattr(reuse, "LayoutDependencies", cached_dependencies)
        assert check(root)[0] == 0
        yield root


def check(root: Path, *extra: str) -> tuple[int, str, str]:
    """``python build.py check --source root`` in-process, as on an editor's machine."""
    out, err = io.StringIO(), io.StringIO()
    saved = {name: os.environ.pop(name) for name in ("GITHUB_ACTIONS", "CI") if name in os.environ}
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["check", "--source", str(root), *extra])
    finally:
        os.environ.update(saved)
    return code, out.getvalue(), err.getvalue()


def with_file(root: Path, rel: str, data: str | bytes, *extra: str) -> tuple[int, str, str]:
    """Run check with ``rel`` replaced by ``data``, then put the file back."""
    path = root / rel
    original = path.read_bytes() if path.exists() else None
    try:
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        return check(root, *extra)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


def assert_reported(code: int, err: str) -> list[str]:
    """Success, or content problems each on one well-formed line that says how to fix it."""
    assert code in (0, 1), err
    assert "Traceback" not in err
    if code == 0:
        return []
    lines = err.splitlines()
    problems = lines[: lines.index("")] if "" in lines else lines
    assert problems, err
    for line in problems:
        match = PROBLEM.match(line)
        assert match, f"not a 'path:line: message' line: {line!r}"
        assert " — " in match["message"] or SELF_EXPLAINING.search(match["message"]), f"the message does not say how to fix it: {line!r}"
    return problems


def front_matter(fields: dict[Any, Any]) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\nטקסט.\n"


@FAST
@given(fields=st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=12) | st.integers(), values, max_size=6))
def test_any_front_matter_is_built_or_reported(site: Path, fields: dict[Any, Any]) -> None:
    assert_reported(*with_file(site, "content/about.he.md", front_matter(fields))[::2])


@FAST
@given(raw=st.text(max_size=60), field=st.sampled_from(FIELDS))
def test_any_text_typed_after_a_colon_is_built_or_reported(site: Path, raw: str, field: str) -> None:
    """Typed as is, unquoted: quotes, colons, #, tabs, control characters, other scripts."""
    page = f"---\ntitle: אודות\n{field}: {raw}\n---\n" if field != "title" else f"---\ntitle: {raw}\n---\n"
    assert_reported(*with_file(site, "content/about.he.md", page)[::2])


@FAST
@given(title=texts, description=texts)
def test_any_printable_title_renders_exactly_as_written(site: Path, title: str, description: str) -> None:
    path, out = site / "content/about.he.md", site.parent / f"{site.name}-out"
    original = path.read_bytes()
    try:
        path.write_text(front_matter({"title": title, "description": description}), encoding="utf-8")
        stdout, stderr = io.StringIO(), io.StringIO()
        with redirect_stdout(stdout), redirect_stderr(stderr):
            code = main(["build", "--source", str(site), "--out", str(out)])
    finally:
        path.write_bytes(original)
    assert_reported(code, stderr.getvalue())
    if code != 0:  # a content rule refused it (e.g. a description that says TODO): reported, fine
        return
    page = html.unescape((out / "about/index.html").read_text(encoding="utf-8"))
    assert title in page
    assert description in page


@FAST
@given(entry=st.fixed_dictionaries(
    {"id": st.sampled_from(["a-b", "A", "../x", ""]) | values, "name": values, "role": values},
    optional={"bio": values, "photo": values, "photo_alt": values, "extra": values},
))
def test_any_data_values_are_built_or_reported(site: Path, entry: dict[str, Any]) -> None:
    assert_reported(*with_file(site, "data/faculty.yaml", yaml.safe_dump([entry], allow_unicode=True))[::2])


@FAST
@given(name=values, description=values, url=values)
def test_any_values_in_site_yaml_are_built_or_reported(site: Path, name: Any, description: Any, url: Any) -> None:
    base = BASE_FILES["data/site.yaml"]
    partners = base[base.index("partners:") : base.index("institute:")]
    text = base.replace(partners, yaml.safe_dump({"partners": [{"name": name, "description": description, "url": url}]}, allow_unicode=True))
    assert_reported(*with_file(site, "data/site.yaml", text)[::2])


@FAST
@given(data=st.binary(max_size=400), rel=st.sampled_from(["content/about.he.md", "data/cohorts.yaml", "data/strings/en.yaml", "data/site.yaml"]))
def test_any_bytes_in_any_file_are_built_or_reported(site: Path, data: bytes, rel: str) -> None:
    assert_reported(*with_file(site, rel, data)[::2])


@settings(FAST, max_examples=6)
@given(size=st.integers(10_000, 600_000), char=st.sampled_from(["א", "x", "\"", "'", ":", "#", " ", "-", "ְ", "\u200f"]),
       where=st.sampled_from(["title", "body", "data"]))
def test_huge_strings_are_built_or_reported(site: Path, size: int, char: str, where: str) -> None:
    value = char * size
    if where == "data":
        code, _, err = with_file(site, "data/extra.yaml", yaml.safe_dump({"text": value}, allow_unicode=True))
    elif where == "title":
        code, _, err = with_file(site, "content/about.he.md", front_matter({"title": value}))
    else:
        code, _, err = with_file(site, "content/about.he.md", "---\ntitle: אודות\n---\n" + value + "\n")
    assert_reported(code, err)


def test_the_reported_line_format_is_what_the_properties_check() -> None:
    assert PROBLEM.match("content/about.he.md:3: unknown field 'x' — did you mean 'title'?")
    assert PROBLEM.match("data/cohorts.yaml: the file is empty — restore its text (git keeps every version), or write [] for an empty list")
    assert not PROBLEM.match("Traceback (most recent call last):")
