"""Text that would take for ever: runs of brackets that make Python-Markdown's inline parser read the rest of the
paragraph for each one (20 KB of '[' took 93 s), and pages with tens of thousands of links or emphasis marks.
The guard (sitegen/model/markup.py) counts the work before Markdown runs and refuses it at the paragraph's line;
its figures (the slowest page it accepts) are in bench/RESULTS.md (bench/markdown_guard.py), never asserted here.

Why hypothesis here: the guard computes in one pass what the parser does in many (a bracket costs the distance
to the one that closes it, or to the end of its paragraph); a naive model that scans like the parser must agree
on any run of brackets, words and blank lines, and shrinking gives the smallest text where they differ.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefactory import broken, built_site, run, snapshot

from sitegen.model import markup
from sitegen.model.markup import MAX_BRACKET_WORK, MAX_MARKS, TOO_MANY_BRACKETS, MarkdownRenderer, bracket_work

BRACKETS_MESSAGE = ("content/about.he.md:6: too many brackets ('[', '(' or '<') are left open, or close very far away, from this "
                    "paragraph on — Markdown would take minutes to read them; close them, or write a bracket meant as text as \\[, "
                    "\\( or &lt;")
MARKS_MESSAGE = ("content/about.he.md:4: the text holds 25,000 Markdown signs ([ ] ( ) < > * _ ` & \\, in links, emphasis, tags…); "
                 "the limit is 20,000, which Markdown reads in about a second — split the text into several pages")


class NoMarkdown(MarkdownRenderer):
    """A renderer whose Markdown must never run: the guard has to refuse the text before."""

    def __init__(self) -> None:
        super().__init__()

        def convert(text: str) -> str:
            raise AssertionError("Markdown ran on a text the guard should have refused")

        self._md.convert = convert  # type: ignore[method-assign]


SLOW = {
    "20 KB of [": "[" * 20_000,
    "[word x 5,000": "[word " * 5_000,
    "<http:// x 20,000": "<http://" * 20_000,
    "![ x 10,000": "![" * 10_000,
    "<a x 5,000": "<a " * 5_000,
    "[a]( x 5,000": "[a](" * 5_000,
    "nested [ then ]": "[" * 2_000 + "x" + "]" * 2_000,
    "spread over paragraphs": "\n\n".join(["[" * 200] * 200),
    "100,000 links": "[link](x.md) " * 100_000,
    "emphasis x 30,000": "*a* " * 30_000,
}


@pytest.mark.parametrize("text", SLOW.values(), ids=SLOW.keys())
def test_slow_text_is_refused_before_markdown_runs(text: str) -> None:
    result = NoMarkdown().render("intro\n\n" + text + "\n", "", 10)
    assert len(result.problems) == 1
    line, message = result.problems[0]
    assert line in (10, 12)
    assert message.startswith(("too many brackets", "the text holds"))
    assert result.html == ""


def test_a_site_with_slow_text_is_one_message_at_its_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    result = broken(capsys, tmp_path, {"content/about.he.md": "---\ntitle: אודות\n---\nפתיחה.\n\n" + "[" * 20_000 + "\n"})
    assert result.problems == [BRACKETS_MESSAGE]


def test_a_page_with_too_many_signs_is_one_message(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    result = broken(capsys, tmp_path, {"content/about.he.md": "---\ntitle: אודות\n---\n" + "*a* " * 12_500 + "\n"})
    assert result.problems == [MARKS_MESSAGE]


def test_slow_text_leaves_the_previous_site_as_it_was(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "src"
    before = built_site(capsys, source)
    about = source / "content/about.en.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n" + "<http://" * 20_000 + "\n", encoding="utf-8")
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 1
    assert [p.split(": ", 1)[1] for p in result.problems] == [TOO_MANY_BRACKETS]
    assert snapshot(source / "site") == before


def naive_work(body: str) -> int:
    """What the parser scans, computed as it does: from each bracket on to the one that closes it (counting nested
    ones of its kind), or to the end of its paragraph. Quadratic; only for short texts."""
    total = 0
    for paragraph in _paragraphs(body):
        for opener, closer in ("[]", "()", "<>"):
            for start, char in enumerate(paragraph):
                if char != opener or _escaped(paragraph, start):
                    continue
                depth, end = 0, len(paragraph)
                for position in range(start, len(paragraph)):
                    if _escaped(paragraph, position):
                        continue
                    depth += {opener: 1, closer: -1}.get(paragraph[position], 0)
                    if depth == 0:
                        end = position
                        break
                total += end - start
    return total


def _escaped(text: str, position: int) -> bool:
    count = 0
    while position - count - 1 >= 0 and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _paragraphs(body: str) -> list[str]:
    found, current = [], []
    for line in body.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            found.append("\n".join(current))
            current = []
    if current:
        found.append("\n".join(current))
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "(", ")", "<", ">", "![", "\\[", "\\", "word", " ", "\n", "\n\n", "[x](y)"]), max_size=80))
def test_the_guard_counts_what_the_parser_scans(parts: list[str]) -> None:
    body = "".join(parts)
    assert bracket_work(body)[0] == naive_work(body)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text(st.characters(categories=["L", "Zs"]), min_size=1, max_size=40),
                          st.sampled_from(["[{0}](page.md)", "**{0}**", "*{0}*", "`{0}`", "<bdi>{0}</bdi>", "({0})", "{0}", "| {0} | [a](b.md) |"])),
                max_size=200))
def test_ordinary_text_is_never_refused(words: list[tuple[str, str]]) -> None:
    """Pages as editors write them (links, emphasis, code, tags, parentheses, table rows), up to 200 of each, pass."""
    body = "\n".join(pattern.format(text) for text, pattern in words)
    assert bracket_work(body)[0] <= MAX_BRACKET_WORK
    assert len(markup._MARKS.findall(body)) <= MAX_MARKS


def test_fenced_code_is_not_counted() -> None:
    assert bracket_work("```\n" + "[" * 5_000 + "\n```\n")[0] == 0
    assert bracket_work("~~~~\n```\n" + "[" * 10 + "\n~~~~\n")[0] == 0
