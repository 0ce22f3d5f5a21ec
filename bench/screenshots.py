#!/usr/bin/env python3
"""Screenshots of the site's pages in every language, at 375 and 1280 px, light and dark, for review by eye.

Builds the real site into a temporary folder (or takes --site), serves it on 127.0.0.1 and saves
full-page PNGs with headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) into
bench/out/screenshots/ (git-ignored), with an index.html to look through them side by side.
Nothing is compared pixel by pixel: this is for people. Needs `bash .ci/setup.sh` (or chromium).

    python bench/screenshots.py                          # every page (the 404 pages too)
    python bench/screenshots.py --pages / /programme/    # these pages, in every language
    python bench/screenshots.py --site site --out /tmp/shots
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from serving import free_port, languages, serve_folder

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {375: 812, 1280: 800}  # width: height of the first screen (the shot is the full page)
SCHEMES = ("light", "dark")
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]






def page_paths(site: Path) -> list[str]:
    """URL paths of the built pages: /, /programme/, /en/programme/, /404.html..."""
    paths = []
    for file in sorted({*site.rglob("index.html"), *site.rglob("404.html")} - {site / "admin" / "index.html"}):
        rel = file.relative_to(site).as_posix()
        paths.append("/" + (rel[: -len("index.html")] if file.name == "index.html" else rel))
    return paths


def in_language(rest: str, lang: str, default: str) -> str:
    return rest if lang == default else f"/{lang}{rest}"


def name_of(path: str, langs: list[str]) -> tuple[str, str]:
    """('en', 'cohorts-a') for /en/cohorts/a/; ('he', 'home') for /."""
    parts = [p for p in path.strip("/").split("/") if p]
    lang = langs[0]
    if parts and parts[0] in langs[1:]:
        lang, parts = parts[0], parts[1:]
    slug = "-".join(parts).removesuffix(".html") or "home"
    return lang, slug




def contact_sheet(out: Path, rows: list[tuple[str, list[str]]]) -> None:
    cells = []
    for path, files in rows:
        imgs = "".join(
            f'<figure><a href="{html.escape(f)}"><img src="{html.escape(f)}" alt="" loading="lazy"></a><figcaption>{html.escape(f)}</figcaption></figure>'
            for f in files
        )
        cells.append(f"<section><h2>{html.escape(path)}</h2><div class=row>{imgs}</div></section>")
    (out / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Merhav screenshots</title><style>'
        "body{font:14px system-ui,sans-serif;margin:1rem}.row{display:flex;gap:1rem;align-items:flex-start;overflow-x:auto}"
        "figure{margin:0}img{width:240px;border:1px solid #999}figcaption{font-size:12px}</style></head><body>"
        f"<h1>Merhav screenshots</h1><p>{time.strftime('%Y-%m-%d %H:%M')}, widths {', '.join(map(str, WIDTHS))} px, light and dark.</p>"
        + "".join(cells)
        + "</body></html>",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the real one into a temporary folder)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "out" / "screenshots", help="where the PNGs go (default: bench/out/screenshots)"
    )
    parser.add_argument(
        "--pages", nargs="*", metavar="PATH", help="URL paths in the default language, e.g. / /programme/ (default: every page)"
    )
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print(f"no Chromium at {chromium}: run `bash .ci/setup.sh`", file=sys.stderr)
        return 1
    langs = languages()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="merhav-shots-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run(
                [sys.executable, str(ROOT / "build.py"), "--out", str(site), "--base-url", f"http://127.0.0.1:{port}"], check=True
            )
        paths = page_paths(site)
        if args.pages:
            wanted = {in_language(p, lang, langs[0]) for p in args.pages for lang in langs}
            missing = sorted(wanted - set(paths))
            if missing:
                print(f"not built: {' '.join(missing)}", file=sys.stderr)
                return 1
            paths = [p for p in paths if p in wanted]
        args.out.mkdir(parents=True, exist_ok=True)
        server = serve_folder(site, port)
        rows: dict[str, list[str]] = {p: [] for p in paths}
        t0 = time.perf_counter()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                for width, height in WIDTHS.items():
                    for scheme in SCHEMES:
                        context = browser.new_context(
                            base_url=f"http://127.0.0.1:{port}",
                            viewport={"width": width, "height": height},
                            color_scheme=scheme,  # type: ignore[arg-type]
                            is_mobile=width < 600,
                            has_touch=width < 600,
                        )
                        page = context.new_page()
                        for path in paths:
                            page.goto(path, wait_until="networkidle")
                            page.evaluate("document.fonts.ready.then(() => true)")
                            lang, slug = name_of(path, langs)
                            file = f"{lang}_{slug}_{width}_{scheme}.png"
                            page.screenshot(path=str(args.out / file), full_page=True, animations="disabled", caret="hide")
                            rows[path].append(file)
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()
    contact_sheet(args.out, list(rows.items()))
    count = sum(len(files) for files in rows.values())
    print(f"{count} screenshots of {len(paths)} pages in {time.perf_counter() - t0:.1f} s: {args.out}/ (open index.html there)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
