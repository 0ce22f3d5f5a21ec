"""Speed without a different site: workers and the cache give the bytes a cold single-process build gives.

The generated 5 × 40 catalogue (every kind of page: content pages, cohorts, projects with texts
inline and in files, listings by ministry and topic with several pages, stand-ins, feeds, 404s) is
built by the command line, as an editor runs it, in fresh processes: ``-j 1 --no-cache`` (the
reference), then with two workers and a cold cache, then again with the cache warm. A damaged
cache file is noticed and replaced, never used (on the fixture site, built with ``-j 1`` through the command line in
the test's own process: no worker is started, so another process would prove nothing more).
"""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from catalogue_fixture import COHORTS, PER_COHORT
from conftest import FIXTURE_SITE, REPO

from sitegen.incremental import texts
from sitegen.incremental.pagecache import CACHE_NAME as PAGES_CACHE
from sitegen.incremental.sealed import seal
from sitegen.incremental.texts import CACHE_NAME, MarkdownCache, job_key
from sitegen.model.markup import MarkdownRenderer

sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402

pytestmark = pytest.mark.slow

# Builds through the command line in a child process that counts the worker pools it starts.
COUNTING_BUILD = """
import multiprocessing, sys
from sitegen.cli import main
pools = []
real = multiprocessing.get_context
def counting(method=None):
    context = real(method)
    pools.append(method)
    return context
multiprocessing.get_context = counting
code = main(sys.argv[1:])
print("pools:", len(pools))
sys.exit(code)
"""


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def built_here(source: Path, out: Path, *args: str) -> None:
    """Build through the command line in this process (``-j 1``: no worker, so the process is not the subject)."""
    from sitegen.cli import main

    assert main(["build", "--source", str(source), "--out", str(out), "--base-url", "https://merhav.example/sub/", *args]) == 0


def build(source: Path, out: Path, *args: str) -> int:
    """Build; return how many worker pools the build started."""
    done = subprocess.run([sys.executable, "-c", COUNTING_BUILD, "build", "--source", str(source), "--out", str(out),
                           "--base-url", "https://merhav.example/sub/", *args],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.rsplit("pools:", 1)[1])


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("speed") / "src"
    generate.generate(COHORTS * PER_COHORT, source, cohorts=COHORTS, content_from=FIXTURE_SITE)
    return source


@pytest.fixture(scope="module")
def reference(catalogue: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The cold single-process build: no worker, no cache."""
    out = tmp_path_factory.mktemp("reference") / "site"
    assert build(catalogue, out, "-j", "1", "--no-cache") == 0
    assert not (catalogue / ".cache").exists(), "--no-cache wrote a cache"
    return tree(out)


def test_workers_and_the_cache_build_the_same_bytes(catalogue: Path, reference: dict[str, str], tmp_path: Path) -> None:
    assert len(reference) > 500

    assert build(catalogue, tmp_path / "cold", "-j", "2") == 2, "Markdown and templates each in a pool of workers"
    assert tree(tmp_path / "cold") == reference
    assert (catalogue / ".cache" / CACHE_NAME).is_file()

    assert build(catalogue, tmp_path / "warm", "-j", "2") == 0, "nothing changed: texts and pages from the cache"
    assert tree(tmp_path / "warm") == reference
    _append(catalogue / "templates" / "base.html", "{# a template changed, the same output #}\n")
    assert build(catalogue, tmp_path / "template", "-j", "2") == 1, "every text from the cache: only the templates' pool"
    assert tree(tmp_path / "template") == reference
    assert build(catalogue, tmp_path / "warm-serial", "-j", "1") == 0
    assert tree(tmp_path / "warm-serial") == reference


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The fixture site, and its cold build without cache."""
    from conftest import copy_fixture_site

    source = copy_fixture_site(tmp_path_factory.mktemp("small") / "src")
    out = source.parent / "reference"
    built_here(source, out, "-j", "1", "--no-cache")
    return source, tree(out)


@pytest.mark.parametrize("name", [CACHE_NAME, PAGES_CACHE])
@pytest.mark.parametrize("damage", ["truncated", "one byte changed", "empty", "not ours", "a foreign class"])
def test_a_damaged_cache_is_noticed_and_replaced(small_site: tuple[Path, dict[str, str]], tmp_path: Path, damage: str,
                                                name: str) -> None:
    catalogue, reference = small_site
    cache_file = catalogue / ".cache" / name
    magic = b"merhav-markdown-cache 1\n" if name == CACHE_NAME else b"merhav-pages-cache 3\n"
    built_here(catalogue, tmp_path / "first", "-j", "1")
    good = cache_file.read_bytes()
    assert good.startswith(magic)
    if damage == "truncated":
        cache_file.write_bytes(good[: len(good) // 2])
    elif damage == "one byte changed":
        middle = len(good) // 2
        cache_file.write_bytes(good[:middle] + bytes([good[middle] ^ 0x01]) + good[middle + 1:])
    elif damage == "empty":
        cache_file.write_bytes(b"")
    elif damage == "not ours":
        cache_file.write_bytes(b"PK\x03\x04 a zip file someone put here")
    else:  # a well-formed file whose checksum matches, naming a class the cache must never load
        payload = pickle.dumps({"key": ValueError("not a converted text"), "inputs": {}, "pages": {"index.html": ValueError()}})
        cache_file.write_bytes(magic + seal(payload) + b"\n\n" + payload)
    built_here(catalogue, tmp_path / "after", "-j", "1")
    assert tree(tmp_path / "after") == reference
    header, _, payload = cache_file.read_bytes().partition(b"\n\n")
    assert header == magic + seal(payload), "the damaged file was replaced by a good one"


def test_the_cache_keeps_only_what_the_last_build_used(tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path)
    renderer = MarkdownRenderer()
    for text in ("one", "two"):
        cache.put((text, "", 1), renderer.render(text, "", 1))
    cache.save()
    again = MarkdownCache(tmp_path)
    assert again.get(("two", "", 1)) is not None
    again.save()
    last = MarkdownCache(tmp_path)
    last.load()
    assert set(last.entries) == {job_key(("two", "", 1))}


def test_a_new_engine_does_not_reuse_old_results(monkeypatch: pytest.MonkeyPatch) -> None:
    before = job_key(("text", "", 1))
    assert job_key(("text", "", 2)) != before and job_key(("text", "projects", 1)) != before
    monkeypatch.setattr(texts, "engine_fingerprint", lambda: "another engine")
    assert job_key(("text", "", 1)) != before


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
