#!/usr/bin/env python3
"""The live preview's rebuild after one change, on a generated tree (default 5,000 projects).

Called as ``serve`` calls it: ``IncrementalBuild.update({changed path})`` after the file was
saved, including reading it, rendering, link checks and writing the changed bytes. The
target (issue "Editors' workflow"): under 100 ms median for one project file on this 2-core
machine. The full build of the same tree is timed in the same run, so the ratio holds on a
noisy machine.

    python bench/incremental.py                 # generate 5000 projects into a temp folder
    python bench/incremental.py --source DIR    # an existing tree from bench/generate.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from sitegen.pipeline import Options  # noqa: E402
from sitegen.preview.update import IncrementalBuild  # noqa: E402


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time()
    os.utime(path, (stamp, stamp))


def timed_edits(build: IncrementalBuild, source: Path, rel: str, runs: int) -> list[float]:
    path = source / rel
    original = path.read_text(encoding="utf-8")
    seconds = []
    try:
        for i in range(runs):
            save(path, original + f"\n\nEdit number {i} while previewing.\n")
            started = time.perf_counter()
            outcome = build.update({rel})
            seconds.append(time.perf_counter() - started)
            assert not outcome.problems, outcome.problems
            assert outcome.path == "body", outcome.path
    finally:
        save(path, original)
        build.update({rel})
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--cohorts", type=int, default=12)
    parser.add_argument("--source", type=Path, help="an existing generated tree")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or Path(tmp) / "src"
        if args.source is None:
            generate.generate(args.projects, source, cohorts=args.cohorts)
        build = IncrementalBuild(Options(source=source, out=Path(tmp) / "preview", base_url="https://merhav.example", drafts=True))
        started = time.perf_counter()
        outcome = build.full()
        full = time.perf_counter() - started
        assert not outcome.problems, outcome.problems[:5]
        pages = len(build.state.site.pages) if build.state else 0
        project_text = sorted((source / "content/projects").glob("*.he.md"))[len(list((source / "content/projects").glob("*.he.md"))) // 2]
        cases = {
            "one project's text file (content/projects/*.he.md)": project_text.relative_to(source).as_posix(),
            "one page's body (content/faculty.en.md)": "content/faculty.en.md",
        }
        print(f"tree: {source} — {pages} pages; full build (first serve) {full:.1f} s")
        print("| change | runs | median | min | max | full build / median |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, rel in cases.items():
            seconds = timed_edits(build, source, rel, args.runs)
            median = statistics.median(seconds)
            print(f"| {label} | {len(seconds)} | {median * 1000:.1f} ms | {min(seconds) * 1000:.1f} ms | "
                  f"{max(seconds) * 1000:.1f} ms | {full / median:.0f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
