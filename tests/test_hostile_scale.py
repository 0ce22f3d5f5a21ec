"""Hostile input, third round (issue 24, point 7): no page makes the build super-linear, no file floods the terminal.

A page of '# ' lines (a pasted script) took 15 s at 300 KB and over 150 s at 1.2 MB: Python-Markdown hands the rest
of a block back after each heading and the tables extension splits it into lines again (model/markup.py now puts a
blank line after each heading, which changes no HTML), and ``line_of`` counted newlines from the top for every
problem (now a bisection). One file prints at most 50 problems, then how many more it has.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sitefactory import make_site, run

from sitegen.errors import PER_FILE
from sitegen.model.markup import MarkdownRenderer

AS_PRINTED = {  # word for word (docs/errors.md shows it)
    "more": "content/about.he.md: and 49,950 more problems in this file, not shown — fix the ones above, then check again",
}


def _without_the_fix() -> MarkdownRenderer:
    renderer = MarkdownRenderer()
    renderer._md.preprocessors.deregister("sitegen_headings_apart")
    return renderer


@pytest.mark.parametrize("text", [
    "# a\ntext\n# b\n## c\nmore",
    "para\n# h\nafter",
    "```\n# code\nx\n```\n# real\nz",
    "| a | b |\n|---|---|\n# x | y\nq",
    "| a | b |\n|---|---|\n| 1 | 2 |\n# h\nafter",
    "> quote\n# h\nz",
    "- item\n# h\n- item2",
    "1. one\n## two {: #custom }\n3. three",
    "#tag\nfoo",
    "    # code\n# h\nx",
    "<div>\n# not markdown\n</div>\n# h\nx",
    "# only",
    "### h ###\n* a\n* b",
])
def test_a_blank_line_after_each_heading_changes_no_html(text: str) -> None:
    assert MarkdownRenderer().render(text, "", 1).html == _without_the_fix().render(text, "", 1).html


def test_the_lines_of_problems_are_still_right() -> None:
    body = "".join(f"# step {i}\n" if i % 3 == 0 else f"line {i}\n" for i in range(300))
    lines = [line for line, message in MarkdownRenderer().render(body, "", 10).problems if "first-level heading" in message]
    assert lines == [10 + i for i in range(0, 300, 3)]


def _seconds(renderer: MarkdownRenderer, lines: int) -> float:
    body = "".join(f"# echo step {i} done\n" for i in range(lines))
    started = time.process_time()
    renderer.render(body, "", 1)
    return time.process_time() - started


def test_a_page_of_heading_lines_takes_linear_time() -> None:
    """CPU time, so that other work on the machine counts little: four times the lines, at most about four times the time
    (before the fix: sixteen times; 15,000 lines took 60 s)."""
    renderer = MarkdownRenderer()
    _seconds(renderer, 200)  # warm up
    small, large = min(_seconds(renderer, 2000) for _ in range(2)), min(_seconds(renderer, 8000) for _ in range(2))
    assert large < 7 * small, (small, large)


def test_one_file_prints_at_most_fifty_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The campaign's 50,000 unknown front-matter keys printed 100,000 lines."""
    keys = "".join(f"key{i}: x\n" for i in range(50000))
    root = make_site(tmp_path, {"content/about.he.md": f"---\ntitle: אודות\n{keys}---\nטקסט.\n"})
    result = run(capsys, "check", "--source", str(root))
    assert result.code == 1 and "Traceback" not in result.err
    mine = [line for line in result.problems if line.startswith("content/about.he.md")]
    assert len(mine) == PER_FILE + 1 and mine[-1] == AS_PRINTED["more"], mine[-3:]
    assert "\n50000 problems." in result.err, result.err[-300:]
