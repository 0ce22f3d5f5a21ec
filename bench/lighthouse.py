#!/usr/bin/env python3
"""Lighthouse 12.2.3 (npm) scores, mobile, for the home, programme, graduates and cohort pages in every language.

Builds the real site into a temporary folder with --base-url http://127.0.0.1:<port>, serves it
with python -m http.server on 127.0.0.1, and runs Lighthouse (node_modules, with Debian's
/usr/bin/chromium as CHROME_PATH) on each URL in turn: about 12 s a page on 2 cores. Not part of
pytest for that reason; scores under simulated throttling vary a little from run to run.

    python bench/lighthouse.py            # print a Markdown table
    python bench/lighthouse.py --write    # ... and put it, with this command, in bench/RESULTS.md

Needs `bash .ci/setup.sh` (chromium) and `npm ci` (node_modules/lighthouse: an optional package, which the
setup leaves out because no test needs it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving import free_port, languages, serve_folder

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- lighthouse:begin (written by bench/lighthouse.py --write) -->", "<!-- lighthouse:end -->"
PAGES = [("home", "/"), ("programme", "/programme/"), ("graduates", "/graduates/"), ("cohorts", "/cohorts/"), ("search", "/search/")]
"""The pages of every language measured, when the build has them (the content is the editors': a cohort page, say,
exists only once the cohort has more than a name); plus the first cohort's page, if any (pages_to_measure)."""


def pages_to_measure(site: Path) -> list[tuple[str, str]]:
    pages = [(name, rest) for name, rest in PAGES if (site / rest.strip("/") / "index.html").is_file()]
    cohorts = sorted(p.parent.name for p in (site / "cohorts").glob("*/index.html") if p.parent.name != "page")
    return pages + [(f"cohort {cohorts[0]}", f"/cohorts/{cohorts[0]}/")] if cohorts else pages
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage"
)






def lighthouse(url: str, chromium: str, out_dir: Path) -> dict:
    out = out_dir / "report.json"
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    subprocess.run(command, check=True, timeout=300, env={**os.environ, "CHROME_PATH": chromium})
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse failed on {url}: {report['runtimeError']}")
    return report


def lost_points(report: dict) -> list[str]:
    """The audits that cost points in a category: id (score), for the notes under the table."""
    lost = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                shown = f", {audit['displayValue']}" if audit.get("displayValue") else ""
                lost.append(
                    f"{category}: {ref['id']} (score {audit['score']:.2f}{shown}){shifted(report) if ref['id'] == 'cumulative-layout-shift' else ''}"
                )
    return lost


def shifted(report: dict) -> str:
    """What moved, from the layout-shifts audit: the elements and their share of the shift."""
    items = report["audits"].get("layout-shifts", {}).get("details", {}).get("items", [])
    moved = []
    for item in items[:3]:
        node = item.get("node", {})
        label = node.get("selector") or node.get("snippet") or "?"
        moved.append(f"`{label}` {item.get('score', 0):.3f}")
    return f": {', '.join(moved)}" if moved else ""


def console_errors(report: dict) -> list[str]:
    items = report["audits"].get("errors-in-console", {}).get("details", {}).get("items", [])
    return [
        f"{item.get('description', '')} {item.get('sourceLocation', {}).get('url', '') or item.get('url', '')}".strip() for item in items
    ]


def version_of(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except OSError:
        return "?"
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip() and ": [" not in line]
    return lines[-1].strip() if lines else "?"


def source_state() -> str:
    """The commit the site was built from, and whether the sources had uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "templates", "static", "content", "data", "sitegen", "build.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit"
    return f"commit {head}" + (" plus uncommitted changes to the sources" if dirty else "")


def write_section(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = f"{BEGIN}\n{section.rstrip()}\n{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="also write the table into bench/RESULTS.md (its Lighthouse section)")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists() or not LIGHTHOUSE.exists() or not shutil.which("node"):
        print("needs chromium, node and node_modules/lighthouse: run `bash .ci/setup.sh`, then `npm ci`", file=sys.stderr)
        return 1
    langs = languages()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rows, notes, remarks = [], [], []
    load = os.getloadavg()[0]
    state = source_state()
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="merhav-lighthouse-") as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(site), "--base-url", base], check=True)
        server = serve_folder(site, port)
        try:
            for lang in langs:
                for name, rest in pages_to_measure(site):
                    path = rest if lang == langs[0] else f"/{lang}{rest}"
                    t0 = time.perf_counter()
                    report = lighthouse(base + path, chromium, Path(tmp))
                    seconds = time.perf_counter() - t0
                    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                    rows.append((f"{name} ({lang})", path, scores, seconds))
                    print(f"{path}: {scores} in {seconds:.1f} s", file=sys.stderr)
                    for item in lost_points(report):
                        notes.append(f"`{path}` {item}")
                    for item in console_errors(report):
                        notes.append(f"`{path}` console error: {item}")
                    broken = report["audits"].get("layout-shifts", {})
                    if broken.get("scoreDisplayMode") == "error" and not remarks:
                        remarks.append(
                            "The informative audit layout-shifts (which elements moved; it scores nothing) could not run "
                            f"with this Chromium: {broken.get('errorMessage')}"
                        )
        finally:
            server.terminate()
            server.wait()
    lighthouse_version = version_of(["node", str(LIGHTHOUSE), "--version"])
    chromium_version = version_of([chromium, "--version"])
    table = [
        "| page | path | performance | accessibility | best practices | SEO | run |",
        "|---|---|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | `{path}` | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | {sec:.1f} s |"
            for name, path, s, sec in rows
        ),
    ]
    section = "\n".join(
        [
            "## Lighthouse (mobile)",
            "",
            f"Measured {time.strftime('%Y-%m-%d')}, site built from {state}, on a {os.cpu_count()}-core {platform.system()} machine (load average {load:.1f} at the start) "
            f"with Lighthouse {lighthouse_version} (npm) and {chromium_version}; mobile form factor, simulated throttling (Lighthouse's default). "
            "Scores out of 100; performance moves by several points between runs, more on a loaded machine.",
            "",
            "Command:",
            "",
            "```bash",
            "bash .ci/setup.sh && npm ci            # chromium; node_modules/lighthouse (optional: the setup leaves it out)",
            "python bench/lighthouse.py --write      # builds the site with --base-url http://127.0.0.1:<port>, serves it, audits",
            "```",
            "",
            *table,
            "",
            f"Total {time.perf_counter() - t_all:.0f} s.",
            "",
            "Audits that cost points: " + ("none." if not notes else ""),
            *(f"- {note}" for note in notes),
            *(["", *remarks] if remarks else []),
        ]
    )
    print(section)
    if args.write:
        write_section(section)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
