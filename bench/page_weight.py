#!/usr/bin/env python3
"""Page weight of every built page: its HTML plus the CSS and JS it loads, uncompressed, no images.

Budget (issue "The Merhav website"): under 50 KB a page. Sizes are bytes on disk, so the
figure is exact and the same on every machine; it is kept here with the other targets
rather than in the unit tests.

    python bench/page_weight.py            # build into a temp folder, print a table, exit 1 over budget
    python bench/page_weight.py --site site
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 50 * 1024


def assets_of(html: str) -> list[str]:
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    return [u for u in links + scripts if u.startswith("/")]


def weigh(site: Path) -> list[tuple[str, int, int]]:
    rows = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] == "admin":  # the editors' forms (Decap CMS): not a public page
            continue
        html = page.read_text(encoding="utf-8")
        extra = sum((site / url.lstrip("/")).stat().st_size for url in assets_of(html))
        rows.append((page.relative_to(site).as_posix(), page.stat().st_size, extra))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(site)], check=True, capture_output=True)
        rows = weigh(site)
    print(f"| page | HTML | CSS+JS | total (budget {BUDGET // 1024} KB) |")
    print("|---|---:|---:|---:|")
    worst = 0
    for name, html, extra in rows:
        total = html + extra
        worst = max(worst, total)
        flag = " **over**" if total > BUDGET else ""
        print(f"| {name} | {html / 1024:.1f} KB | {extra / 1024:.1f} KB | {total / 1024:.1f} KB{flag} |")
    print(f"\nheaviest page: {worst / 1024:.1f} KB of {BUDGET // 1024} KB")
    return 1 if worst > BUDGET else 0


if __name__ == "__main__":
    sys.exit(main())
