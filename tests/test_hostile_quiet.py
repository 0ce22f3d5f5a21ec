"""Quiet acceptance that is now an error: YAML's !!binary, !!set, !!omap and !!pairs (tags are refused), a title of
spaces only, 'weight: true', a direction override (U+202E) never closed, a heading whose id the template uses
(## main and <main id="main">); and a file name with a comma, which added fields to GitHub's annotations.

Why hypothesis here: for any run of letters and direction controls, the check must refuse exactly the texts
whose embeddings, overrides or isolates are left open at the end of a line (the part of the title or text after
them would be turned around); shrinking gives the smallest text it misjudges.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefactory import broken

from sitegen.errors import ContentError
from sitegen.messages import Message
from sitegen.sources.yamlfile import open_direction

ABOUT = "content/about.en.md"

CASES = {
    "binary": ("---\ntitle: !!binary aGVsbG8=\n---\nText.\n",
               "content/about.en.md:2: the tag '!!binary' is not allowed here — remove it (or, if the text begins with '!', write the whole "
               "text as a block: put `>-` after the colon and the text on the next line, indented by two more spaces)"),
    "set": ("---\ntitle: About\ndescription: !!set {a: null}\n---\nText.\n",
            "content/about.en.md:3: the tag '!!set' is not allowed here — remove it (or, if the text begins with '!', write the whole "
            "text as a block: put `>-` after the colon and the text on the next line, indented by two more spaces)"),
    "omap": ("---\ntitle: !!omap [a: 1]\n---\nText.\n",
             "content/about.en.md:2: the tag '!!omap' is not allowed here — remove it (or, if the text begins with '!', write the whole "
             "text as a block: put `>-` after the colon and the text on the next line, indented by two more spaces)"),
    "pairs": ("---\ntitle: !!pairs [a: 1]\n---\nText.\n",
              "content/about.en.md:2: the tag '!!pairs' is not allowed here — remove it (or, if the text begins with '!', write the whole "
              "text as a block: put `>-` after the colon and the text on the next line, indented by two more spaces)"),
    "spaces": ("---\ntitle: '   '\n---\nText.\n", "content/about.en.md:2: 'title': only spaces — write the text after the colon"),
    "weight true": ("---\ntitle: About\nweight: true\n---\nText.\n",
                    "content/about.en.md:3: 'weight' must be a whole number, not a yes/no value (true)"),
    "override": ("---\ntitle: About \u202eus\n---\nText.\n",
                 "content/about.en.md:2: an invisible character, U+202E (right-to-left override), at column 14, turns the direction of "
                 "the text after it and is never closed — delete it (such characters come with text pasted from other programs)"),
    "escaped override": ('---\ntitle: "About \\u202eus"\n---\nText.\n',
                         "content/about.en.md:2: this text holds an invisible character, U+202E (right-to-left override), written as an "
                         "escape with '\\', that turns the direction of the text after it and is never closed — remove the escape"),
    "heading main": ("---\ntitle: About\n---\nIntro.\n\n## main\n\nText.\n",
                     "content/about.en.md:6: the heading makes the id 'main', which the page's template uses too, so links to #main would "
                     "lead to the wrong place — rename the heading, or give it an id of its own: ## … {#main-text}"),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_quiet_acceptance_is_now_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str) -> None:
    result = broken(capsys, tmp_path, {ABOUT: text})
    assert result.problems == [expected]


def test_a_closed_override_and_direction_marks_are_fine() -> None:
    assert open_direction("a \u202eb\u202c c \u2067d\u2069 \u200f e \u200e") is None
    assert open_direction("first line \u202e\nsecond") == (1, 12, "U+202E (right-to-left override)")


EMBEDDINGS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
ISOLATES = {"\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "\u200f", *EMBEDDINGS, "\u202c", *ISOLATES, "\u2069"]), max_size=20).map("".join))
def test_open_direction_finds_exactly_what_is_left_open(text: str) -> None:
    assert (open_direction(text) is None) == all(_closed(line) for line in text.split("\n"))


def _closed(line: str) -> bool:
    """Unicode's bidi algorithm (rules X1-X8), as a stack: PDF closes the last embedding or override when no isolate
    is open above it; PDI closes the last isolate and whatever was opened after it; a line's end closes everything."""
    stack: list[str] = []
    for char in line:
        if char in EMBEDDINGS or char in ISOLATES:
            stack.append(char)
        elif char == "\u202c" and stack and stack[-1] in EMBEDDINGS:
            stack.pop()
        elif char == "\u2069" and any(c in ISOLATES for c in stack):
            while stack.pop() not in ISOLATES:
                pass
    return not stack


def test_a_file_name_with_a_comma_adds_no_field_to_an_annotation() -> None:
    problem = ContentError("content/a,line=1,title=x:y.he.md", 3, Message("a message: with, commas"))
    assert problem.github_annotation() == "::error file=content/a%2Cline=1%2Ctitle=x%3Ay.he.md,line=3::a message: with, commas"
