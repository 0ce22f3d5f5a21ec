"""libyaml (PyYAML's C parser) reads our YAML exactly as the pure-Python loader does: the same values, the
same line of every key and item, the same problems. It is only faster (issue "Speed at scale").

Each document is read twice, once with the fast path and once with it switched off (``FAST``), and the
two readings are compared, lines included. Hypothesis writes documents with the mistakes editors make
(duplicate keys, anchors and aliases, `no:` keys, impossible dates, escapes, bad indentation).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_SITE, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.sources import yamlparse
from sitegen.sources.yamlfile import LineDict, LineList, parse_yaml

sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402


def shape(value: Any) -> Any:
    """A value with the lines it was read with, comparable with ==."""
    if isinstance(value, LineDict):
        return ("map", value.line, [(key, value.key_lines[key], shape(item)) for key, item in value.items()])
    if isinstance(value, LineList):
        return ("seq", value.line, [(line, shape(item)) for line, item in zip(value.item_lines, value, strict=True)])
    return (type(value).__name__, value)


def both_ways(text: str, monkeypatch: pytest.MonkeyPatch, line_offset: int = 0) -> tuple[Any, Any]:
    fast_value, fast_problems = parse_yaml(text, "data/x.yaml", line_offset)
    with monkeypatch.context() as m:
        m.setattr(yamlparse, "FAST", False)
        slow_value, slow_problems = parse_yaml(text, "data/x.yaml", line_offset)
    return (shape(fast_value), fast_problems), (shape(slow_value), slow_problems)


def yaml_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    generated = tmp_path_factory.mktemp("generated")
    generate.generate(60, generated / "src", cohorts=5, content_from=FIXTURE_SITE)
    return sorted([*REPO.glob("data/**/*.yaml"), *FIXTURE_SITE.glob("data/**/*.yaml"), *(generated / "src").glob("data/**/*.yaml")])


def test_every_yaml_file_we_have_reads_the_same_both_ways(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    files = yaml_files(tmp_path_factory)
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, slow = both_ways(text, monkeypatch)
        assert fast == slow, path
        assert fast[0] != ("NoneType", None) or not text.strip(), path


def test_the_fast_path_reads_a_clean_file_without_the_pure_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (FIXTURE_SITE / "data" / "cohorts" / "a.yaml").read_text(encoding="utf-8") + "\n# *bold* & more in a comment\n"

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the pure-Python loader read a clean file")

    monkeypatch.setattr(yamlparse._Loader, "__init__", refuse)
    value, problems = parse_yaml(text, "data/cohorts/a.yaml")
    assert value is not None and problems == []


KEYS = st.sampled_from(["id", "name", "he", "en", "no", "yes", "1", "2025-01-01", "on", "null", "~", "a b", "x"])
SCALARS = st.sampled_from([
    "text", '"quoted"', "'single ''quoted'''", "מנכ\"ל", "2025-13-01", "2025-01-31", "12", "1.5", "yes", "null",
    "&anchor value", "*alias", '"\\x07 escaped"', '"\\t tab"', "[a, b]", "{a: 1}", "!!binary aGk=", "|\n  block", ">-\n  folded",
    "a: b", "- item", "'unclosed", "value # comment", "**bold** text", "R&D",
])


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 1, 3]))
        form = draw(st.sampled_from(["key", "item", "item-key", "nested"]))
        key, value = draw(KEYS), draw(SCALARS)
        if form == "key":
            lines.append(f"{indent}{key}: {value}")
        elif form == "item":
            lines.append(f"{indent}- {value}")
        elif form == "item-key":
            lines.append(f"{indent}- {key}: {value}")
        else:
            lines.append(f"{indent}{key}:")
            lines.append(f"{indent}  {draw(KEYS)}: {value}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents(), offset=st.sampled_from([0, 3]))
def test_any_document_reads_the_same_both_ways(text: str, offset: int, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both_ways(text, monkeypatch, offset)
    assert fast == slow


PAGES = ["---\ntitle: A\n---\nText.\n", "----  \ntitle: A\n-----\n\nBody\n---\nmore\n", "---\ntitle: A\n", "\n---\ntitle: A\n---\n",
         "no front matter\n", "---\n---\n", "--- \r\ntitle: x\r\n---\r\nbody", "---\n# c\ntitle: a---\n---\n---\n"]


@pytest.mark.parametrize("text", PAGES)
def test_a_page_is_split_as_python_frontmatter_splits_it(text: str) -> None:
    """files.py splits a page at python-frontmatter's boundary without importing it (it imports PyYAML): the same
    detection and the same parts."""
    import frontmatter

    from sitegen.sources.files import FRONT_MATTER_BOUNDARY

    handler = frontmatter.YAMLHandler()
    assert bool(FRONT_MATTER_BOUNDARY.match(text)) == handler.detect(text)
    try:
        expected: object = handler.split(text)
    except ValueError:
        expected = ValueError
    try:
        _, meta, body = FRONT_MATTER_BOUNDARY.split(text, 2)
        found: object = (meta, body)
    except ValueError:
        found = ValueError
    assert found == expected
