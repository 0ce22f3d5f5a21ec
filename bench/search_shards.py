#!/usr/bin/env python3
"""What the search index in shards would cost a visitor (issue 26): requests, bytes and results of real searches.

Pagefind has no incremental mode: one changed page re-indexes its whole language (23 s at 5,000 projects). Cut in k
shards, each a bundle of its own merged in the browser (Pagefind's ``mergeIndex``), an edit would re-index one shard.
This measures the other side, before anything is landed: a site of N generated projects is built once; then, for
each k, every language's indexed pages (the same copies the build indexes, Hebrew particles split over the whole
language: sitegen/output/search.py) are cut into k shards in the order of their addresses (so by section, then by
project; ``--cut order``) or by a stable hash of each page's address (``--cut hash``: every shard a random sample
of the language, so that its word statistics approximate the whole's), each shard indexed by the project's Pagefind; shard 1 is served at pagefind/ and the others at
pagefind-<i>/, and a copy of the search page's script is given ``mergeIndex`` for them (this copy only: nothing of
the site's own files changes). Each query is searched as a visitor does, in headless Chromium (/usr/bin/chromium,
Playwright): the search page opened with ``?q=``, in a new browser context (nothing cached), until Pagefind's UI
shows its results; the requests to the bundles and the bytes sent for them are counted by the server (Pagefind
fetches its index from a web worker, whose requests the page's own network events do not show; the server is
Python's http.server, which sends files as they are: the index's own files are gzip-compressed by Pagefind, its
scripts are not, as a host that compresses would), and the addresses of the results shown are compared with
k = 1's, in order. Then the ranking itself, past the five results the UI shows: in another new context, the
site's own Pagefind module (pagefind/pagefind.js, the shards merged with ``mergeIndex``) is asked the same
query through its API, and the addresses of its first 20 results are compared with k = 1's: the same set in the
first 5 and in the first 10 (asked from the language's home page, whose <html lang> chooses the index and
where no UI shares the module), the same order in the first 10, and Kendall's tau between the two rankings of k = 1's
first 10 (a page the shards rank below 20th counted as 21st).

    python bench/search_shards.py --projects 1000 --shards 1 2 4                # prints Markdown tables
    python bench/search_shards.py --projects 1000 --shards 1 2 4 8 --cut hash
    python bench/search_shards.py --projects 5000 --shards 1 8 --cut hash --work DIR   # DIR/source: a tree built before
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright
from serving import free_port

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from sitegen.output.search import (  # noqa: E402
    PARTICLE_LANGUAGES,
    SearchIndex,
    _main_text,
    indexed_pages,
    particle_splits,
    run_pagefind,
    split_particles,
)
from sitegen.output.write import in_memory  # noqa: E402
from sitegen.pipeline import Options, build  # noqa: E402

WORD = re.compile(r"[\u05d0-\u05eaA-Za-z]{5,}")
RESULTS = ".pagefind-ui__result-link"
DONE = """() => { const m = document.querySelector('.pagefind-ui__message');
                 return m !== null && m.textContent.trim() !== '' && !m.textContent.trim().endsWith('…'); }"""


def queries(site: object, files: dict[str, bytes], lang: str, count: int) -> list[str]:
    """Words of the language's indexed text: the most frequent, and as many rarer ones (ranks 50, 100, …)."""
    words = Counter(w.lower() for p in indexed_pages(site) if p.lang == lang  # type: ignore[arg-type]
                    for w in WORD.findall(_main_text(files[p.output].decode("utf-8"))))
    ranked = [w for w, _ in sorted(words.items(), key=lambda item: (-item[1], item[0]))]
    common = ranked[: count // 2]
    rare = [ranked[i] for i in range(50, len(ranked), 50)][: count - len(common)]
    return common + rare


def shard_of(output: str, k: int) -> int:
    """The shard of a page by a stable hash of its address: the same page, the same shard, in every build."""
    return int.from_bytes(hashlib.sha256(output.encode("utf-8")).digest()[:8], "big") % k


def shard_bundles(site: object, files: dict[str, bytes], k: int, cut: str = "order") -> list[dict[str, bytes]]:
    """k bundles, each holding the i-th shard of every language (``cut``: "order" of the addresses, or "hash")."""
    parts: list[dict[str, tuple[str, dict[str, bytes]]]] = [{} for _ in range(k)]
    for lang in sorted({p.lang for p in indexed_pages(site)}):  # type: ignore[arg-type]
        pages = sorted((p for p in indexed_pages(site) if p.lang == lang and p.output in files), key=lambda p: p.output)  # type: ignore[arg-type]
        html = {p.output: files[p.output].decode("utf-8") for p in pages}
        if lang in PARTICLE_LANGUAGES:  # the splits of the whole language, as the build makes them
            splits = particle_splits((_main_text(text) for text in html.values()), PARTICLE_LANGUAGES[lang])
            html = {rel: split_particles(text, splits) for rel, text in html.items()}
        size = -(-len(pages) // k)
        for i in range(k):
            chunk = pages[i * size:(i + 1) * size] if cut == "order" else [p for p in pages if shard_of(p.output, k) == i]
            if chunk:
                parts[i][lang] = ("", run_pagefind((p.output, html[p.output]) for p in chunk))
    return [SearchIndex(parts=part).bundle() for part in parts]


def with_merged(script: str, k: int) -> str:
    merged = ", ".join(f'{{bundlePath: "/pagefind-{i}/"}}' for i in range(2, k + 1))
    assert "processResult: cleanResult" in script
    return script.replace("processResult: cleanResult", f"processResult: cleanResult, mergeIndex: [{merged}]")


SENT: list[tuple[str, int]] = []
"""(path, bytes of the body) of every answer the server sent."""


class Counting(http.server.SimpleHTTPRequestHandler):
    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        data = source.read()
        SENT.append((self.path, len(data)))
        outputfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def serve(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Counting, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def search(browser: object, url: str) -> tuple[int, int, list[str]]:
    """(requests to the bundles, bytes sent for them, addresses of the results shown)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    SENT.clear()
    page.goto(url)
    page.wait_for_function(DONE, timeout=120000)  # the message that follows a search: "N results for …", "No results …"
    page.wait_for_load_state("networkidle")
    time.sleep(1.0)  # the excerpts' fragments come after the first results
    found = page.eval_on_selector_all(RESULTS, "links => links.map(a => a.getAttribute('href'))")
    context.close()
    bundle = [(path, size) for path, size in SENT if path.startswith("/pagefind")]
    return len(bundle), sum(size for _, size in bundle), found


RANKED = """async ([query, k]) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.options({});
  for (let i = 2; i <= k; i++) { await pagefind.mergeIndex(`/pagefind-${i}/`); }
  const found = await pagefind.search(query);
  const first = await Promise.all(found.results.slice(0, 20).map(r => r.data()));
  return first.map(d => d.url);
}"""


def ranked(browser: object, url: str, query: str, k: int) -> list[str]:
    """The addresses of the first 20 results of Pagefind's API on the search page, the k shards merged."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url)
    found = page.evaluate(RANKED, [query, k])
    context.close()
    return found


def kendall_tau(base: list[str], other: list[str]) -> float:
    """Kendall's tau between base's order of its pages and other's (a page missing from other: after all of it)."""
    position = {url: i for i, url in enumerate(other)}
    ranks = [position.get(url, len(other)) for url in base]
    pairs = [(i, j) for i in range(len(ranks)) for j in range(i + 1, len(ranks))]
    if not pairs:
        return 1.0
    score = sum(1 if ranks[i] < ranks[j] else -1 if ranks[i] > ranks[j] else 0 for i, j in pairs)
    return score / len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--shards", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--cut", choices=("order", "hash"), default="order",
                        help="shards by the order of the addresses, or by a stable hash of each address")
    parser.add_argument("--queries", type=int, default=8, help="words a language (half frequent, half rarer)")
    parser.add_argument("--work", type=Path, help="where the site goes (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    work = args.work or Path(tempfile.mkdtemp(prefix="search-shards-"))
    port = free_port()
    try:
        source = work / "source"
        if not source.exists():
            generate.generate(args.projects, source, cohorts=max(5, -(-args.projects // 400)))
        # no base URL: every address starts with "/", as served here; and a tree built before (its .cache/) is reused
        result = build(Options(source=source, out=work / "site"))
        site, files = result.site, in_memory(result.files)  # pages and assets (static files are by reference)
        words = {lang.code: queries(site, files, lang.code, args.queries) for lang in site.config.languages}
        script_rel = next(rel for rel in files if re.match(r"assets/search\.[0-9a-f]+\.js$", rel) or rel == "search.js")
        rows: dict[int, dict[tuple[str, str], tuple[int, int, list[str]]]] = {}
        rankings: dict[int, dict[tuple[str, str], list[str]]] = {}
        for k in args.shards:
            served = work / f"site-{k}"
            shutil.rmtree(served, ignore_errors=True)
            shutil.copytree(work / "site", served, copy_function=os.link)  # linked: what changes is replaced, below
            if k > 1:
                shutil.rmtree(served / "pagefind")
                for i, bundle in enumerate(shard_bundles(site, files, k, args.cut), start=1):
                    for rel, data in bundle.items():
                        target = served / (rel if i == 1 else rel.replace("pagefind/", f"pagefind-{i}/", 1))
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(data)
                (served / script_rel).unlink()  # a link to the build's own file
                (served / script_rel).write_text(with_merged(files[script_rel].decode("utf-8"), k), encoding="utf-8")
            server = serve(served, port)
            try:
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(executable_path=chromium)
                    page_of = {lang: f"http://127.0.0.1:{port}/{'' if lang == site.config.languages[0].code else lang + '/'}search/"
                               for lang in words}
                    rows[k] = {(lang, w): search(browser, f"{page_of[lang]}?q={quote(w)}") for lang, ws in words.items() for w in ws}
                    rankings[k] = {(lang, w): ranked(browser, page_of[lang].removesuffix("search/"), w, k) for lang, ws in words.items() for w in ws}
                    browser.close()
            finally:
                server.shutdown()
                server.server_close()
        base = rows[args.shards[0]]
        print(f"N = {args.projects} projects, {sum(1 for p in indexed_pages(site) if p.output in files)} pages indexed; "
              f"{len(base)} searches (a new browser context each); load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
        print("| shards a language | requests to the index, median (max) | × k = 1 | bytes sent, median (max) | × k = 1 "
              "| searches whose results are k = 1's, in order | same pages, another order | other pages |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for k, found in rows.items():
            requests = [found[q][0] for q in base]
            sizes = [found[q][1] for q in base]
            same = sum(1 for q in base if found[q][2] == base[q][2])
            reordered = sum(1 for q in base if found[q][2] != base[q][2] and sorted(found[q][2]) == sorted(base[q][2]))
            r1, b1 = statistics.median(v[0] for v in base.values()), statistics.median(v[1] for v in base.values())
            print(f"| {k} | {statistics.median(requests):g} ({max(requests)}) | {statistics.median(requests) / r1:.2f} "
                  f"| {statistics.median(sizes):,.0f} ({max(sizes):,}) | {statistics.median(sizes) / b1:.2f} "
                  f"| {same}/{len(base)} | {reordered} | {len(base) - same - reordered} |")
        print(f"\nThe ranking (Pagefind's API, first 20 results), against k = {args.shards[0]}'s; cut by {args.cut}:\n")
        print("| shards a language | same set in the first 5 | same set in the first 10 | same order in the first 10 "
              "| Kendall's tau of the first 10, median (min) | pages a shard (first language) |")
        print("|---:|---:|---:|---:|---:|---:|")
        first = rankings[args.shards[0]]
        counted = sum(1 for p in indexed_pages(site) if p.output in files and p.lang == site.config.languages[0].code)
        for k, found in rankings.items():
            top5 = sum(1 for q in first if set(found[q][:5]) == set(first[q][:5]))
            top10 = sum(1 for q in first if set(found[q][:10]) == set(first[q][:10]))
            order = sum(1 for q in first if found[q][:10] == first[q][:10])
            taus = [kendall_tau(first[q][:10], found[q]) for q in first]
            print(f"| {k} | {top5}/{len(first)} | {top10}/{len(first)} | {order}/{len(first)} "
                  f"| {statistics.median(taus):.2f} ({min(taus):.2f}) | ~{counted // k} |")
        print("\nQueries: " + "; ".join(f"{lang}: {', '.join(ws)}" for lang, ws in words.items()))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
