#!/usr/bin/env python3
"""The slowest text a page may hold: for each kind of run of brackets that makes Python-Markdown's inline
parser quadratic (issue 13), the longest run the guard (sitegen/model/markup.py, bracket_work) lets through,
and how long rendering it takes; and the run the guard refuses, which is reported before Markdown runs.

    python bench/markdown_guard.py

Timings are wall-clock on this machine (they move with its load); the guard itself counts work, not time,
so what it accepts is the same on every machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen.model.markup import _MARKS, MAX_BRACKET_WORK, MAX_MARKS, MarkdownRenderer, bracket_work  # noqa: E402

KINDS = {
    "[": "[",
    "![": "![",
    "[word ": "[word ",
    "<http://": "<http://",
    "<a ": "<a ",
    "[a](": "[a](",
    "[link](x.md) text ": "[link](x.md) text ",
    "**a** ": "**a** ",
    "_a_ ": "_a_ ",
    "<b>a</b> ": "<b>a</b> ",
}


def accepted(text: str) -> bool:
    return len(_MARKS.findall(text)) <= MAX_MARKS and bracket_work(text)[0] <= MAX_BRACKET_WORK


def longest_accepted(unit: str) -> int:
    low, high = 1, 1
    while accepted(unit * high) and high < 10_000_000 // len(unit):
        low, high = high, high * 2
    if accepted(unit * high):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if accepted(unit * middle) else (low, middle)
    return low


def main() -> int:
    renderer = MarkdownRenderer()
    print(f"guard: at most {MAX_MARKS:,} Markdown signs and {MAX_BRACKET_WORK:,} characters scanned for brackets per page\n")
    print("| run | longest accepted | its size | render | one more: refused in |")
    print("|---|---:|---:|---:|---:|")
    for name, unit in KINDS.items():
        count = min(longest_accepted(unit), 2 * 1024 * 1024 // len(unit))  # the file size limit
        text = unit * count
        start = time.perf_counter()
        result = renderer.render(text, "", 1)
        took = time.perf_counter() - start
        assert not result.problems, result.problems
        refused = unit * (count + 1)
        start = time.perf_counter()
        result = renderer.render(refused, "", 1)
        refusing = time.perf_counter() - start
        verdict = f"{refusing * 1000:.0f} ms" if result.problems else "accepted (file size limit)"
        print(f"| `{name}` × n | {count:,} | {len(text) / 1024:.1f} KB | {took:.2f} s | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
