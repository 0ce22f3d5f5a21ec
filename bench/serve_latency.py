#!/usr/bin/env python3
"""From saving a file to seeing the change in the browser, with ``build.py serve``.

Starts ``python build.py serve`` on a source tree (default: a copy of the real site; or
``--projects N`` generated projects), opens a project's (or the faculty) page in headless
Chromium (Debian's /usr/bin/chromium via Playwright), then saves an edit of that page's
text and waits until the page shows it: the file-system event, the incremental
rebuild, the reload message and the new page load are all inside the figure.
Target (issue "Editors' workflow"): within a second of saving.

    python bench/serve_latency.py                    # the real site
    python bench/serve_latency.py --projects 5000    # bench/generate.py 5000 (first build takes minutes)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from serving import free_port, wait_until_up  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=0)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        if args.projects:
            import generate

            generate.generate(args.projects, src, cohorts=max(5, args.projects // 400))
            text = sorted((src / "content/projects").glob("*.en.md"))[0]
            slug = text.name.removesuffix(".en.md")
            cohort = next(p for p in (src / "data").rglob("*.yaml") if f"slug: {slug}\n" in p.read_text(encoding="utf-8"))
            cohort_id = cohort.stem if cohort.parent.name == "cohorts" else None
            url_path = None if cohort_id is None else f"/en/cohorts/{cohort_id}/{slug}/"
        else:
            for folder in ("content", "data", "templates", "static"):
                shutil.copytree(ROOT / folder, src / folder)
            text, url_path = src / "content/faculty.en.md", "/en/faculty/"
        port = free_port()
        started = time.monotonic()
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--source", str(src), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/", server, seconds=1800)  # the first build of a big tree takes minutes
            print(f"serve ready after {time.monotonic() - started:.1f} s (first full build)")
            if url_path is None:  # the project's cohort is in data/cohorts.yaml: find its page from the listing
                url_path = next(line.split('href="')[1].split('"')[0] for line in
                                urllib.request.urlopen(base + "/en/projects/").read().decode().split("\n") if f"/{slug}/" in line)
            original = text.read_text(encoding="utf-8")
            seconds = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
                page = browser.new_page()
                page.goto(base + url_path)
                page.wait_for_function("() => !!document.querySelector('script[src*=\"/_preview/reload.js\"]')")
                time.sleep(0.5)  # the event stream connects
                for i in range(args.runs):
                    marker = f"Saved edit number {i}."
                    saved = time.monotonic()
                    text.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                    os.utime(text)
                    page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker, timeout=30000)
                    seconds.append(time.monotonic() - saved)
                    time.sleep(0.5)
                browser.close()
            text.write_text(original, encoding="utf-8")
        finally:
            server.terminate()
            server.wait(10)
    print(f"save → visible in the browser, {len(seconds)} edits: median {statistics.median(seconds):.2f} s, "
          f"min {min(seconds):.2f} s, max {max(seconds):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
