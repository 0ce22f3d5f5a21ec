"""The search index (sitegen/output/search.py): made by Pagefind in memory before anything is written, of the
indexable pages only, one index per language, Hebrew words with their particles findable by their stem,
deterministic; the search pages alone may run WebAssembly."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_fixture_site
from hypothesis import given, settings
from hypothesis import strategies as st
from sitefactory import all_html, build_good, make_site, run, snapshot

from sitegen.output import search
from sitegen.output.search import particle_splits, split_particles
from sitegen.output.security import content_security_policy, meta_policy


def test_particles_are_split_only_before_a_word_of_the_site() -> None:
    text = "שותפות הינה מהלך. והשותפות חשובה, ובשותפות עם המגזר. משרד הבריאות. בקהילה ולקהילה"
    splits = particle_splits([text], "ובכלמשה")
    assert splits["והשותפות"] == "ו_ה_שותפות"
    assert splits["ובשותפות"] == "ו_ב_שותפות"
    assert splits["בקהילה"] == "ב_קהילה" and splits["ולקהילה"] == "ו_ל_קהילה"  # two particles ending apart: קהילה is a word
    for whole in ("משרד", "מהלך", "הבריאות", "המגזר", "הינה", "שותפות"):
        assert whole not in splits, whole  # שרד, הלך, בריאות, מגזר, ינה: not words of this text


def test_only_the_text_of_main_is_split_never_tags_or_attributes() -> None:
    html = '<html><head><title>והשותפות</title></head><body><main data-pagefind-body><p title="והשותפות">והשותפות</p></main>' \
           '<footer>והשותפות</footer></body></html>'
    assert split_particles(html, {"והשותפות": "ו_ה_שותפות"}) == html.replace(">והשותפות</p>", ">ו_ה_שותפות</p>")


def _split_word_by_word(html: str, splits: dict[str, str]) -> str:
    """The first version of ``split_particles``: the main text cut at its tags, each Hebrew word looked up."""
    found = re.search(r"(<main\b[^>]*>)(.*)(</main>)", html, re.S)
    if not found or not splits:
        return html
    parts = re.split(r"(<[^>]*>)", found[2])
    body = "".join(part if part.startswith("<") else re.sub("[\u05d0-\u05ea]+", lambda m: splits.get(m[0], m[0]), part)
                   for part in parts)
    return html[:found.start(2)] + body + html[found.end(2):]


_BODY_PIECES = ["שותפות", "והשותפות", "בשותפות", "ובשותפות", "קהילה", "בקהילה", "ולקהילה", "לקהילה", "משרד", "מהלך", "ו",
                "וה", "שו", "ש", "ב", " ", ".", "-", "a", "1", "_", "&amp;", "&#34;", "\n", "<p>", "</p>", "<br>", "<b>", "</b>",
                '<a href="/he/">', "</a>", '<a title="והשותפות">', '<img alt="בקהילה ולקהילה">', "<!-- ובשותפות -->",
                '<span data-x="בשותפות">']
_SPLITS = {"והשותפות": "ו_ה_שותפות", "בשותפות": "ב_שותפות", "ובשותפות": "ו_ב_שותפות", "בקהילה": "ב_קהילה",
           "ולקהילה": "ו_ל_קהילה", "לקהילה": "ל_קהילה"}


@given(st.lists(st.sampled_from(_BODY_PIECES), max_size=40), st.sets(st.sampled_from(sorted(_SPLITS))))
@settings(max_examples=400, deadline=None)
def test_particles_are_split_as_the_first_version_split_them(pieces: list[str], words: set[str]) -> None:
    """``split_particles`` looks up only the words to split, with one pattern for all of them (a trie: 0.53 s → 0.23 s
    at 1,000 projects); the text between tags, and nothing else, must change as it did word by word."""
    splits = {word: _SPLITS[word] for word in words}
    html = f'<html><head><title>והשותפות</title></head><body><main data-pagefind-body>{"".join(pieces)}</main>' \
           '<footer>בקהילה</footer></body></html>'
    assert split_particles(html, splits) == _split_word_by_word(html, splits)


def test_no_word_to_split_matches_nothing() -> None:
    from sitegen.output.search import words_pattern

    for words in ([], [""], iter([])):
        assert words_pattern(words).search("שותפות <p>word</p>") is None


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    root = copy_fixture_site(tmp_path_factory.mktemp("search"))
    (root / "content" / "secret.he.md").write_text("---\ntitle: טיוטה\ndraft: true\n---\nמילהסודיתמאוד.\n", encoding="utf-8")
    (root / "content" / "only-he.he.md").write_text("---\ntitle: רק בעברית\n---\nעמוד בעברית בלבד.\n", encoding="utf-8")
    from sitegen.pipeline import Options, build

    build(Options(source=root, out=root / "site", base_url="https://merhav.example/merhav/"))
    return root, snapshot(root / "site")


def test_each_language_has_an_index_of_its_indexable_pages(fixture_build: tuple[Path, dict[str, bytes]]) -> None:
    root, files = fixture_build
    from sitegen.pipeline import Options
    from sitegen.pipeline import make_site as model

    site = model(Options(source=root, out=root / "x", base_url="https://merhav.example/merhav/")).site
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    for lang in ("he", "en"):
        expected = [p for p in site.pages if p.lang == lang and not p.noindex and p.layout != "search"]
        assert entry["languages"][lang]["page_count"] == len(expected), lang
        assert not any(p.key == "only-he" for p in expected) or lang == "he"  # the English stand-in is not indexed
    assert {"pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/pagefind.js"} <= set(files)


def test_the_index_made_a_language_at_a_time_is_the_one_pagefind_makes_of_all_pages(
        fixture_build: tuple[Path, dict[str, bytes]]) -> None:
    """output/search.py runs Pagefind once a language (so that an edit in one language indexes that one only) and
    joins the parts: the bundle must be, file for file, the one Pagefind makes of every page at once."""
    root, files = fixture_build
    from sitegen.output.search import _copies, indexed_pages, run_pagefind
    from sitegen.pipeline import Options
    from sitegen.pipeline import make_site as model

    site = model(Options(source=root, out=root / "x", base_url="https://merhav.example/merhav/")).site
    at_once = run_pagefind(_copies([p for p in indexed_pages(site) if p.output in files], files, True))
    entry = "pagefind/pagefind-entry.json"
    assert json.loads(at_once.pop(entry)) == json.loads(files[entry])
    published = {k: v for k, v in files.items() if k.startswith("pagefind/") and not k.endswith("/") and k != entry}
    assert sorted(published) == sorted(at_once)
    assert [k for k in at_once if at_once[k] != published[k]] == []


def test_the_published_pages_are_not_the_indexed_copies(fixture_build: tuple[Path, dict[str, bytes]]) -> None:
    _, files = fixture_build
    html = all_html(files)
    assert "המגזר" in html and "במגזר" in html  # words the index splits (מגזר is a word of the site)
    assert not re.search("[\u05d0-\u05ea]_[\u05d0-\u05ea]", html)


def test_the_index_is_the_same_whatever_the_file_system_of_the_temporary_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind numbers the pages in the order it is given them. From a folder (``pagefind --site``) that was the order
    the file system lists it in — a hash on ext4, here the reverse of the writes on tmpfs — and the real site built with its
    temporary folder on disk and in /dev/shm got two different indexes. The service (output/pagefind_service.py) is
    given the pages in the site's order, and writes no file."""
    import tempfile

    disk = Path("/var/tmp")
    if not disk.is_dir() or disk.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system to compare with")
    root = copy_fixture_site(tmp_path / "site")
    bundles = []
    for folder in (tmp_path / "memory", Path(tempfile.mkdtemp(dir=disk, prefix="merhav-test-"))):
        folder.mkdir(exist_ok=True)
        monkeypatch.setenv("TMPDIR", str(folder))
        monkeypatch.setattr(tempfile, "tempdir", None)
        try:
            from sitegen.pipeline import Options
            from sitegen.pipeline import make_site as model

            files = model(Options(source=root, out=tmp_path / "out", base_url="https://merhav.example/", cache=False)).files
            bundles.append({path: data for path, data in files.items() if path.startswith("pagefind/")})
        finally:
            if folder.is_relative_to(disk):
                shutil.rmtree(folder)
    assert bundles[0] and bundles[0] == bundles[1]


def test_only_the_search_pages_carry_the_policy_that_allows_webassembly(fixture_build: tuple[Path, dict[str, bytes]]) -> None:
    _, files = fixture_build
    search_pages = {"search/index.html", "en/search/index.html"}
    assert search_pages <= set(files)
    for rel, data in files.items():
        if rel.endswith(".html"):
            policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', data.decode())
            assert policy, rel
            expected = meta_policy(search=rel in search_pages)["csp"]
            assert policy[1].replace("&#39;", "'") == expected, rel
    assert "'wasm-unsafe-eval'" in content_security_policy(search=True) and "wasm" not in content_security_policy()
    headers = files["_headers"].decode()
    assert "/merhav/search/*\n  ! Content-Security-Policy\n  Content-Security-Policy: " + content_security_policy(search=True) in headers
    assert "/merhav/en/search/*\n" in headers and "/merhav/pagefind/*\n" in headers


def test_every_page_links_to_its_languages_search_page(fixture_build: tuple[Path, dict[str, bytes]]) -> None:
    _, files = fixture_build
    for rel, data in files.items():
        if rel.endswith(".html"):
            target = "/merhav/en/search/" if rel.startswith("en/") else "/merhav/search/"
            assert re.search(rf'<header class="site-header">.*<a class="search-link" href="{target}"', data.decode(), re.S), rel


def test_the_index_is_deterministic(tmp_path: Path, fixture_build: tuple[Path, dict[str, bytes]]) -> None:
    root, files = fixture_build
    from sitegen.pipeline import Options, build

    build(Options(source=root, out=tmp_path / "again", base_url="https://merhav.example/merhav/"))
    again = snapshot(tmp_path / "again")
    assert {k: v for k, v in again.items() if k.startswith("pagefind/")} == {k: v for k, v in files.items() if k.startswith("pagefind/")}


def test_a_failed_index_fails_the_build_and_leaves_the_site_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path)
    (root / "templates" / "search.html").write_text((Path(search.__file__).parents[2] / "templates" / "search.html")
                                                   .read_text(encoding="utf-8"), encoding="utf-8")
    before = build_good(capsys, root)
    assert "pagefind/pagefind-entry.json" in before
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # (pagefind's own way to name the binary)
    result = run(capsys, "build", "--source", str(root), "--no-cache")  # (unchanged pages would reuse the last index)
    assert result.code == 1
    assert "templates/search.html: the search index could not be made (exit status 1) — install the dependencies again" in result.err
    assert snapshot(root / "site") == before


def test_a_pagefind_asked_to_stop_is_killed_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview stopping (SIGTERM, Ctrl-C) stops the index under way: Pagefind killed, not waited for, nothing
    left in the temporary folder. A Pagefind that never answers stands in for a big site's."""
    import tempfile
    import threading
    import time

    endless = tmp_path / "pagefind"
    endless.write_text("#!/bin/sh\necho $$ > \"$TMPDIR/pid.new\"\nmv \"$TMPDIR/pid.new\" \"$TMPDIR/pid\"\nexec sleep 60\n",
                       encoding="utf-8")  # (renamed: never read half written)
    endless.chmod(0o755)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(endless))
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    stop = threading.Event()
    outcome: list[object] = []

    def index() -> None:
        try:
            outcome.append(search.run_pagefind([("en/index.html", "<html lang=\"en\"><main>Word</main></html>")], stop))
        except search.SearchFailed as failed:
            outcome.append(failed)

    thread = threading.Thread(target=index)
    thread.start()
    deadline = time.monotonic() + 30
    while not (temporary / "pid").is_file() and time.monotonic() < deadline:
        time.sleep(0.01)
    pid = int((temporary / "pid").read_text())
    (temporary / "pid").unlink()
    asked = time.monotonic()
    stop.set()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - asked < 5
    assert [str(o) for o in outcome] == ["stopped"]
    assert list(temporary.iterdir()) == [], "nothing left behind"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed, and waited for (no zombie either)


def test_the_same_pages_built_again_in_the_process_are_not_indexed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part of the index this process made is taken by the next build of the same pages (output/search.py,
    MadeInProcess), in another folder and with no .cache/ to take it from: the same bytes, no Pagefind. A build
    without the cache makes its index afresh; a page edited in one language makes that language's part again."""
    import hashlib

    from sitegen.output.write import Output
    from sitegen.pipeline import Options
    from sitegen.pipeline import make_site as make

    runs: list[int] = []
    real = search.run_pagefind

    def counting(*args: object, **kwargs: object) -> dict[str, bytes]:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    def built(source: Path, cache: bool = True) -> dict[str, str]:
        runs.clear()
        files: dict[str, Output] = make(Options(source=source, out=source.parent / "out", base_url="https://merhav.example/sub/",
                                                jobs=1, cache=cache)).files
        return {path: hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data.digest for path, data in files.items()}

    search.made_in_process.forget()
    monkeypatch.setattr(search, "run_pagefind", counting)
    try:
        one, other = copy_fixture_site(tmp_path / "one"), copy_fixture_site(tmp_path / "other")
        first = built(one)
        assert len(runs) == 2 and any(path.startswith("pagefind/") for path in first), "one part a language"
        assert built(other) == first and runs == [], "the same pages in another folder: the parts this process made"
        assert built(other, cache=False) == first and len(runs) == 2, "--no-cache: made afresh, the same bytes"
        page = other / "content" / "programme.en.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        edited = built(other)
        assert len(runs) == 1, "the English part alone is made again"
        assert built(other, cache=False) == edited
    finally:
        search.made_in_process.forget()
