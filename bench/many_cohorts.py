#!/usr/bin/env python3
"""A cold build with N cohorts, each with a quote of its own: ``python bench/many_cohorts.py [N …]``.

Issue 24 (hostile input, class 7): 3,000 cohorts took 73 s, because every cohort's page looked for its cohort among
all cohorts and for its quotes among all quotes (quadratic in the number of cohorts). The source tree is the
repository's templates, static files, content and data, plus N generated cohorts (data/cohorts/bench-NNNN.yaml:
a name and years, so each gets a page) and one quote for each (data/testimonials/bench-NNNN.yaml). Prints, for
each N, the build's wall and user + sys CPU time (a fresh process, no .cache/: a cold build) and a digest of the
whole output (two versions of the engine that build the same site print the same digest). Nothing is kept.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def write_cohorts(root: Path, count: int) -> None:
    """The repository's site with ``count`` more cohorts, each quoted once."""
    for folder in ("templates", "static", "content", "data"):
        shutil.copytree(REPO / folder, root / folder)
    cohorts, quotes = root / "data" / "cohorts", root / "data" / "testimonials"
    cohorts.mkdir(exist_ok=True)
    quotes.mkdir(exist_ok=True)
    for n in range(1, count + 1):
        ident = f"bench-{n:04d}"
        (cohorts / f"{ident}.yaml").write_text(
            f"id: {ident}\nname:\n  he: מחזור {n}\n  en: Cohort {n}\nyears: \"{2000 + n % 30}\"\n", encoding="utf-8")
        (quotes / f"{ident}.yaml").write_text(
            f"id: {ident}\ncohort: {ident}\nname:\n  he: בוגרת {n}\n  en: Graduate {n}\n"
            f"caption:\n  he: מנהלת\n  en: A director\nquote:\n  he: התכנית שינתה את דרכי ({n}).\n  en: The programme changed my way ({n}).\nweight: {n}\n",
            encoding="utf-8")


def timed_build(root: Path) -> tuple[float, float]:
    """(wall, user + sys of the child) seconds of ``build.py build`` on ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source", str(root), "--out", str(root / "site")],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"the build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes, in order: the same output, the same digest."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", type=int, nargs="*", default=[300, 1000, 3000], help="numbers of cohorts (default 300 1000 3000)")
    args = parser.parse_args()
    print("| cohorts | pages | cold build: wall | user + sys | output digest |")
    print("|---:|---:|---:|---:|---|")
    for count in args.counts:
        with tempfile.TemporaryDirectory(prefix="merhav-cohorts-") as folder:
            root = Path(folder) / "src"
            write_cohorts(root, count)
            wall, cpu = timed_build(root)
            pages = sum(1 for _ in (root / "site").rglob("index.html"))
            print(f"| {count:,} | {pages:,} | {wall:.1f} s | {cpu:.1f} s | {digest(root / 'site')} |", flush=True)


if __name__ == "__main__":
    main()
