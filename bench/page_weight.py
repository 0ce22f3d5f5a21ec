#!/usr/bin/env python3
"""Page weight of every built page: its HTML plus the CSS and JS it loads, uncompressed; and the photos a phone
downloads for it.

Budget (issue "The Merhav website"): under 50 KB a page of HTML, CSS and JS. Sizes are bytes on disk, so the
figure is exact and the same on every machine; it is kept here with the other targets
rather than in the unit tests. The images column (issue "Found and shared") is what a 375 px phone with a 2x
screen downloads once it has scrolled the whole page: for each <picture>, the WebP variant the browser picks from
``srcset`` for the slot ``sizes`` gives at 375 px (the narrowest variant at least slot × 2 wide); for any other
<img>, its file. Fonts are not counted (they are the same for every page).

The search pages load Pagefind's UI (pagefind/pagefind-ui.js and .css, then its WebAssembly and index parts as a
visitor types), on those pages only: they are listed with their weight but outside the budget.

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


PHONE_WIDTH, PHONE_DPR, REM = 375, 2, 16


def slot_width(sizes: str, viewport: int = PHONE_WIDTH) -> float:
    """The width ``sizes`` gives a picture at ``viewport`` CSS px: the first entry whose (min-width)/(max-width)
    holds, in px, rem, vw or calc() of those."""
    for entry in (e.strip() for e in sizes.split(",")):
        condition = re.match(r"\((min|max)-width:\s*([\d.]+)(rem|px)\)\s*(.*)", entry)
        if condition:
            limit = float(condition[2]) * (REM if condition[3] == "rem" else 1)
            if (viewport >= limit) if condition[1] == "min" else (viewport <= limit):
                return _length(condition[4], viewport)
            continue
        return _length(entry, viewport)
    return viewport


def _length(text: str, viewport: int) -> float:
    unit = {"px": 1.0, "rem": REM, "vw": viewport / 100}
    total, sign = 0.0, 1
    for token in re.findall(r"[\d.]+(?:px|rem|vw)|[+-]", text.replace("calc(", "").replace(")", "")):
        if token in "+-":
            sign = 1 if token == "+" else -1
        else:
            number = re.match(r"[\d.]+", token)
            assert number
            total += sign * float(number[0]) * unit[token[len(number[0]):]]
    return total


def phone_images(html: str) -> list[str]:
    """The addresses of the images a 375 px, 2x phone downloads for this page (see the module's docstring)."""
    chosen = []
    for picture in re.findall(r"<picture>(.*?)</picture>", html, re.S):
        source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', picture)
        if not source:
            continue
        candidates = sorted((int(w), url) for url, w in re.findall(r"(\S+) (\d+)w", source[1]))
        need = slot_width(source[2]) * PHONE_DPR
        chosen.append(next((url for w, url in candidates if w >= need), candidates[-1][1]))
    outside = re.sub(r"<picture>.*?</picture>", "", html, flags=re.S)
    chosen += [url for url in re.findall(r'<img [^>]*src="([^"]+)"', outside) if url.startswith("/")]
    return chosen


def weigh(site: Path) -> list[tuple[str, int, int, int, bool]]:
    rows = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] == "admin":  # the editors' forms (Decap CMS): not a public page
            continue
        html = page.read_text(encoding="utf-8")
        extra = sum((site / url.lstrip("/")).stat().st_size for url in assets_of(html))
        images = sum((site / url.lstrip("/")).stat().st_size for url in set(phone_images(html)))
        search = "pagefind/pagefind-ui" in html
        rows.append((page.relative_to(site).as_posix(), page.stat().st_size, extra, images, search))
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
    print(f"| page | HTML | CSS+JS | total (budget {BUDGET // 1024} KB) | photos, 375 px phone | with photos |")
    print("|---|---:|---:|---:|---:|---:|")
    worst = heaviest = 0
    heaviest_page = ""
    for name, html, extra, images, search_page in rows:
        total = html + extra
        if not search_page:
            worst = max(worst, total)
        if total + images > heaviest:
            heaviest, heaviest_page = total + images, name
        flag = " (search: outside the budget)" if search_page else " **over**" if total > BUDGET else ""
        print(f"| {name} | {html / 1024:.1f} KB | {extra / 1024:.1f} KB | {total / 1024:.1f} KB{flag} | {images / 1024:.1f} KB "
              f"| {(total + images) / 1024:.1f} KB |")
    print(f"\nheaviest page: {worst / 1024:.1f} KB of {BUDGET // 1024} KB; with the photos a 375 px phone downloads: "
          f"{heaviest_page}, {heaviest / 1024:.1f} KB")
    return 1 if worst > BUDGET else 0


if __name__ == "__main__":
    sys.exit(main())
