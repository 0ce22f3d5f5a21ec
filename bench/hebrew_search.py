#!/usr/bin/env python3
"""Hebrew search with and without the particle split (sitegen/output/search.py), measured on twenty words of the
programme's text (docs/source/programme.he.txt).

Builds the real site in memory, writes it with two Pagefind bundles — the published one (particles split in the
indexed copy) and one made from the same pages without the split — serves it on 127.0.0.1 and searches each word
with Pagefind's own API in headless Chromium (/usr/bin/chromium, Playwright), as the search page does.

The twenty words: the most frequent words of the programme's text (three letters or more) that some Hebrew page of
the site writes with particles before them (ו ה ב ל מ ש כ, as in והשותפות). For each word, the pages that should
be found are the Hebrew pages whose indexed text (<main>) has the word, bare or after particles; a page found that
has it in neither form is counted apart ("other").

    python bench/hebrew_search.py             # prints a Markdown table and the totals
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright
from serving import free_port, serve_folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.output.search import PARTICLE_LANGUAGES, _main_text, indexed_pages, search_index  # noqa: E402
from sitegen.output.write import in_memory, put  # noqa: E402
from sitegen.pipeline import Options, make_site  # noqa: E402

WORDS = 20
MIN_LETTERS = 3
HEBREW = re.compile(r"[\u05d0-\u05ea]+")
SEARCH = """async ([bundle, word]) => {
    const pf = await import(bundle + 'pagefind.js');
    await pf.options({basePath: bundle, baseUrl: '/'});  // results as addresses of the site, whichever bundle
    const found = await pf.search(word);
    return Promise.all(found.results.map(r => r.data().then(d => d.url)));
}"""


def forms(word: str, token: str, letters: str) -> str | None:
    """'bare' when token is the word, 'particle' when it is the word after 1-3 particles, else None."""
    if token == word:
        return "bare"
    k = len(token) - len(word)
    if 1 <= k <= 3 and token.endswith(word) and all(c in letters for c in token[:k]):
        return "particle"
    return None


def main() -> int:
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    letters = PARTICLE_LANGUAGES["he"]
    port = free_port()
    result = make_site(Options(source=ROOT, out=ROOT / "site", base_url=f"http://127.0.0.1:{port}/"))
    pages = [p for p in indexed_pages(result.site) if p.lang == "he"]
    tokens = {p.url: HEBREW.findall(_main_text(result.files[p.output].decode("utf-8"))) for p in pages}
    site_tokens = {t for ts in tokens.values() for t in ts}

    counts = Counter(w for w in HEBREW.findall((ROOT / "docs/source/programme.he.txt").read_text(encoding="utf-8"))
                     if len(w) >= MIN_LETTERS)
    words = [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
             if any(forms(w, t, letters) == "particle" for t in site_tokens)][:WORDS]

    plain, _ = search_index(result.site, in_memory(result.files), particles=False)
    with tempfile.TemporaryDirectory(prefix="merhav-hebrew-search-") as tmp:
        site = Path(tmp)
        for rel, data in {**result.files, **{f"plain/{k}": v for k, v in plain.items()}}.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            put(site / rel, data)  # bytes, or a static file's source copied
        server = serve_folder(site, port)
        rows = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/search/")
                for word in words:
                    expected = {url for url, ts in tokens.items() if any(forms(word, t, letters) for t in ts)}
                    only_particles = {url for url in expected if "bare" not in {forms(word, t, letters) for t in tokens[url]}}
                    found = {name: set(page.evaluate(SEARCH, [bundle, word]))
                             for name, bundle in (("plain", "/plain/pagefind/"), ("split", "/pagefind/"))}
                    rows.append((word, expected, only_particles, found))
                browser.close()
        finally:
            server.terminate()
            server.wait()

    print(f"{len(pages)} Hebrew pages indexed; {len(words)} words.\n")
    print("| word | pages with it | of which only after particles | found without the split | found with the split | other pages found (split) |")
    print("|---|---:|---:|---:|---:|---:|")
    totals = Counter()
    for word, expected, only_particles, found in rows:
        plain_hits, split_hits = len(found["plain"] & expected), len(found["split"] & expected)
        other = len(found["split"] - expected)
        totals.update(expected=len(expected), particles=len(only_particles), plain=plain_hits, split=split_hits, other=other,
                      plain_words=plain_hits == len(expected), split_words=split_hits == len(expected))
        print(f"| {word} | {len(expected)} | {len(only_particles)} | {plain_hits} | {split_hits} | {other} |")
    print(f"| **total** | {totals['expected']} | {totals['particles']} | {totals['plain']} | {totals['split']} | {totals['other']} |")
    print(f"\nPages found: {totals['plain']}/{totals['expected']} ({100 * totals['plain'] / totals['expected']:.0f} %) without the split, "
          f"{totals['split']}/{totals['expected']} ({100 * totals['split'] / totals['expected']:.0f} %) with it. "
          f"Words whose every page is found: {totals['plain_words']}/{len(rows)} without, {totals['split_words']}/{len(rows)} with.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
