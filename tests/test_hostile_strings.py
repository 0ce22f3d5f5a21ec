"""Braces in the interface strings (data/strings/<code>.yaml): editors' text is never given to str.format.
Each key takes a fixed set of placeholders (sources/strings.py); anything else is a path:line message.

Why hypothesis here: any text an editor may type, braces, colons and format specifications included, must
end in the string shown (placeholders filled, doubled braces single) or one message at its line, never a
traceback or a huge page; shrinking gives the smallest text that does otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefactory import built_site, run, snapshot

from sitegen.sources.strings import PLACEHOLDERS, fill, placeholder_problem

CASES = {
    "a year in braces": ("projects_count_other", "Projects {2025}",
                         "data/strings/en.yaml:LINE: '{2025}' is not a placeholder of 'projects_count_other', which takes {count} "
                         "— write one of these, or double the braces ('{{2025}}') to show them as text"),
    "a lone brace": ("page_x_of_y", "Page { of {pages}",
                     "data/strings/en.yaml:LINE: a lone '{' in 'page_x_of_y' — remove it, or write it twice ('{{') to show it as text "
                     "(braces mark the numbers the site fills in)"),
    "a wrong name": ("quotes_count_other", "Quotes from {cuont} graduates",
                     "data/strings/en.yaml:LINE: '{cuont}' is not a placeholder of 'quotes_count_other', which takes {count} "
                     "— write one of these, or double the braces ('{{cuont}}') to show them as text"),
    "a format specification": ("projects_count_other", "{count:>200000000} projects",
                               "data/strings/en.yaml:LINE: '{count:>200000000}' is not a placeholder of 'projects_count_other', which "
                               "takes {count} — write one of these, or double the braces ('{{count:>200000000}}') to show them as text"),
    "an attribute": ("projects_count_other", "{count.__class__} projects",
                     "data/strings/en.yaml:LINE: '{count.__class__}' is not a placeholder of 'projects_count_other', which takes {count} "
                     "— write one of these, or double the braces ('{{count.__class__}}') to show them as text"),
    "a string without placeholders": ("menu_label", "Menu {x}",
                                      "data/strings/en.yaml:LINE: '{x}' is not a placeholder: 'menu_label' takes none — remove the "
                                      "braces, or double them ('{{x}}') to show them as text"),
}


def _replace(text: str, key: str, value: str) -> tuple[str, int]:
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[number] = f"{key}: '{value}'"
    return "\n".join(lines), number + 1


@pytest.mark.parametrize("key, value, expected", CASES.values(), ids=CASES.keys())
def test_braces_that_are_not_placeholders_are_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          key: str, value: str, expected: str) -> None:
    source = tmp_path / "src"
    before = built_site(capsys, source)
    strings = source / "data/strings/en.yaml"
    if not re.search(rf"^{key}:", strings.read_text(encoding="utf-8"), re.MULTILINE):
        pytest.fail(f"{key} is not a string of data/strings/en.yaml")
    text, line = _replace(strings.read_text(encoding="utf-8"), key, value)
    strings.write_text(text, encoding="utf-8")
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 1
    assert result.problems == [expected.replace("LINE", str(line))]
    assert snapshot(source / "site") == before


def test_placeholders_and_doubled_braces_are_filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert fill("{{{count}}} projects, {{not}} {count}", count=3) == "{3} projects, {not} 3"
    assert fill("Page {page} of {pages}", page=2, pages=5) == "Page 2 of 5"


def test_the_real_strings_use_only_their_placeholders() -> None:
    import yaml

    for path in sorted((REPO / "data/strings").glob("*.yaml")):
        for key, text in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            assert placeholder_problem(key, text) is None, (path, key)
    assert set(PLACEHOLDERS) <= set(yaml.safe_load((REPO / "data/strings/en.yaml").read_text(encoding="utf-8")))


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from([*PLACEHOLDERS, "menu_label"]),
       text=st.lists(st.sampled_from(["{", "}", "{{", "}}", "{count}", "{page}", "{pages}", "{count:>9}", "{0}", "{}", "{count!r}",
                                      "x", " ", ":", "{count.real}", "{count[0]}"]), max_size=12).map("".join))
def test_any_braces_are_filled_or_refused_never_formatted(key: str, text: str) -> None:
    problem = placeholder_problem(key, text)
    filled = fill(text, count=7, page=1, pages=2)
    if problem is None and "{{" not in text and "}}" not in text:
        assert "{" not in filled and "}" not in filled  # every brace was a placeholder, now filled
    if problem is not None:
        assert " — " in problem
    assert len(filled) <= len(text) + 4 * text.count("{")  # never padded, whatever the specification says

