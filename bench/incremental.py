#!/usr/bin/env python3
"""The live preview's rebuild after one change, on a generated tree (default 5,000 projects).

Called as ``serve`` calls it: ``IncrementalBuild.update({changed path})`` after the file was
saved, including reading it, rendering, link checks and writing the changed bytes. The
target (issue "Editors' workflow"): under 100 ms median for one project file on this 2-core
machine. The full build of the same tree is timed in the same run, so the ratio holds on a
noisy machine.

    python bench/incremental.py                 # generate 5000 projects into a temp folder
    python bench/incremental.py --source DIR    # an existing tree from bench/generate.py

``--command [--vs REV]``: the whole ``python build.py build`` command instead, after one line appended to
content/faculty.en.md of a copy of the real site (issue 26's "one page edited on the real site", target ≤ 0.5 s),
and after no change ("Up to date"). With ``--vs REV`` the same on a copy of REV (``git archive``), A and B in turn,
each copy with its own .cache/ and bytecode written (as on an editor's machine). Decap CMS is copied from this
checkout's node_modules/ (copied, as `npm ci` leaves files of their own: a hard link shares its file's change time with
every other link, which other checkouts' work on this machine changes), so the forms are built as on an editor's machine. Wall seconds, and CPU
seconds of the command (user + system, from the kernel's accounting of the finished child), medians; the load
average before and after, since the machine may be shared.

    python bench/incremental.py --command --vs main --runs 15
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from sitegen.incremental.uptodate import RACY_NS  # noqa: E402
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


def _copy_of(rev: str | None, folder: Path) -> Path:
    """The real site and its engine at ``rev`` (None: this checkout's files as they are) in ``folder``, with Decap CMS."""
    folder.mkdir(parents=True)
    if rev is None:
        files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                               capture_output=True, check=True).stdout.split(b"\0")
        for name in filter(None, files):
            source = ROOT / os.fsdecode(name)
            if source.is_file():
                (folder / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, folder / os.fsdecode(name))
    else:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    for package in ("decap-cms", "js-yaml"):
        shutil.copytree(ROOT / "node_modules" / package, folder / "node_modules" / package)
    return folder


def _run_build(source: Path, edit: bool) -> tuple[float, float]:
    """(wall, CPU) seconds of ``python build.py build`` in ``source``, after a line appended to a page when ``edit``."""
    if edit:
        with (source / "content" / "faculty.en.md").open("a", encoding="utf-8") as page:
            page.write("\nOne more line.\n")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "build.py", "build"], cwd=source, env=environment, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_command(vs: str | None, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copies = {"this checkout": _copy_of(None, Path(tmp) / "a")}
        if vs:
            copies[vs] = _copy_of(vs, Path(tmp) / "b")
        load_before = os.getloadavg()
        figures: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for source in copies.values():  # a first build of each: its .cache/ and bytecode
            _run_build(source, edit=False)
            _run_build(source, edit=True)
        for _ in range(runs):
            for name, source in copies.items():
                figures.setdefault((name, "one page edited"), []).append(_run_build(source, edit=True))
            # Stamps taken less than RACY_NS after a file was modified are not trusted (incremental/uptodate.py): the
            # builds that start within 2 s of the edit read everything again, however many. So wait those 2 s out,
            # build once (its stamps are trusted), then time "nothing changed": "Up to date" for every engine alike.
            time.sleep(RACY_NS / 1e9 + 0.1)
            for name, source in copies.items():
                _run_build(source, edit=False)
                figures.setdefault((name, "nothing changed"), []).append(_run_build(source, edit=False))
        load_after = os.getloadavg()
        print(f"load average (1, 5, 15 min) before {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}, "
              f"after {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f}")
        print("| engine | change | runs | wall s, median (min–max) | CPU s, median (min–max) |")
        print("|---|---|---:|---:|---:|")
        for (name, change), pairs in figures.items():
            walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
            print(f"| {name} | {change} | {len(pairs)} | {statistics.median(walls):.3f} ({min(walls):.3f}–{max(walls):.3f}) | "
                  f"{statistics.median(cpus):.3f} ({min(cpus):.3f}–{max(cpus):.3f}) |")
        if vs:  # each run of this checkout against the run of REV right after it (A and B alternate)
            for change in ("one page edited", "nothing changed"):
                matched = list(zip(figures[("this checkout", change)], figures[(vs, change)], strict=True))
                cpu = [a[1] / b[1] for a, b in matched]
                wall = [a[0] / b[0] for a, b in matched]
                print(f"{change}: this checkout / {vs}, median of the {len(matched)} pairs: CPU {statistics.median(cpu):.3f} "
                      f"({min(cpu):.3f}–{max(cpu):.3f}), wall {statistics.median(wall):.3f} ({min(wall):.3f}–{max(wall):.3f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", action="store_true", help="time the whole build command on a copy of the real site")
    parser.add_argument("--vs", help="with --command: also a copy of this git revision, in turn")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--cohorts", type=int, default=12)
    parser.add_argument("--source", type=Path, help="an existing generated tree")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    if args.command:
        whole_command(args.vs, args.runs)
        return 0
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
