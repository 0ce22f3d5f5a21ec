#!/usr/bin/env python3
"""The README's pictures: the first screen of the Hebrew and the English home page at 1280 px, as WebP.

Builds the real site into a temporary folder (or takes --site), serves it on 127.0.0.1 and photographs the home
page of every language with headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), light scheme,
into docs/images/home-<lang>.webp. Run it again after the look changes. Needs `bash .ci/setup.sh` (or chromium).

    python bench/readme_screenshots.py
    python bench/readme_screenshots.py --site site --out /tmp/pictures
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright
from screenshots import CHROMIUM_ARGS
from serving import build_real_site, chromium_path, free_port, languages, serve_folder

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1280, 800
QUALITY = 82  # WebP: text stays sharp, a page's first screen weighs well under 100 KB


def home_of(lang: str, default: str) -> str:
    return "/" if lang == default else f"/{lang}/"


def as_webp(png: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "WEBP", quality=QUALITY, method=6)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the real one into a temporary folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="where the pictures go (default: docs/images)")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        print("no Chromium: run `bash .ci/setup.sh` (or set CHROMIUM_PATH)", file=sys.stderr)
        return 1
    langs = languages()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="merhav-readme-") as tmp:
        site = args.site or build_real_site(Path(tmp) / "site", port)
        args.out.mkdir(parents=True, exist_ok=True)
        server = serve_folder(site, port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context(base_url=f"http://127.0.0.1:{port}", viewport={"width": WIDTH, "height": HEIGHT},
                                              color_scheme="light")
                page = context.new_page()
                for lang in langs:
                    page.goto(home_of(lang, langs[0]), wait_until="networkidle")
                    page.evaluate("document.fonts.ready.then(() => true)")
                    picture = as_webp(page.screenshot(animations="disabled", caret="hide"))
                    target = args.out / f"home-{lang}.webp"
                    target.write_bytes(picture)
                    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {len(picture) // 1024} KB")
                browser.close()
        finally:
            server.terminate()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
