"""Hostile input, third round (issue 24, point 6): ``.cache/`` is not trusted to be what the build wrote.

CI restores the folder between runs, and anyone who can write the project can write it: a named pipe in it
must not hang the build, a truncated photo variant must not be published, a cache file with a good checksum
must not smuggle HTML past the sanitiser, and a change behind an allowed link must not be "Up to date".
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from sitefactory import make_site, run, snapshot, tiny_png
from test_uptodate import age

from sitegen.incremental import sealed
from sitegen.incremental.pagecache import _MAGIC as PAGES_MAGIC
from sitegen.incremental.pagecache import CACHE_NAME as PAGES_CACHE
from sitegen.incremental.texts import _MAGIC as MARKDOWN_MAGIC
from sitegen.incremental.texts import CACHE_NAME as MARKDOWN_CACHE
from sitegen.incremental.uptodate import CACHE_NAME as UPTODATE_CACHE
from sitegen.model.markup import Rendered
from sitegen.output.images import CACHE_DIR


def build(capsys: pytest.CaptureFixture[str], root: Path) -> str:
    result = run(capsys, "build", "--source", str(root))
    assert result.code == 0 and "Traceback" not in result.err, result.err
    return result.out


def build_in_a_process(root: Path) -> subprocess.CompletedProcess[str]:
    """A build that may hang is run where it can be stopped."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source", str(root)],
                          capture_output=True, text=True, timeout=120, cwd=root)


@pytest.mark.parametrize("name", [MARKDOWN_CACHE, PAGES_CACHE, UPTODATE_CACHE, "photo"])
def test_a_named_pipe_in_the_cache_is_ignored_not_waited_for(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    root = make_site(tmp_path / "src")
    reference = snapshot(root / "site") if build(capsys, root) else {}
    shutil.rmtree(root / "site")
    if name == "photo":  # every variant the cache keeps becomes a pipe
        pipes = sorted((root / CACHE_DIR).iterdir())
        assert pipes
    else:
        pipes = [root / ".cache" / name]
    for pipe in pipes:
        pipe.unlink(missing_ok=True)
        os.mkfifo(pipe)
    done = build_in_a_process(root)  # before the fix: waits for ever in open()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert snapshot(root / "site") == reference


def test_a_truncated_or_damaged_photo_variant_in_the_cache_is_made_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(tmp_path / "src", {"static/images/photo.png": tiny_png(40, 30)})
    build(capsys, root)
    reference = snapshot(root / "site")
    kept = sorted((root / CACHE_DIR).iterdir())
    assert kept
    for number, path in enumerate(kept):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if number % 2 == 0 else data[:-1] + bytes([data[-1] ^ 1]))
    shutil.rmtree(root / "site")
    build(capsys, root)
    assert snapshot(root / "site") == reference, "a damaged variant was published"
    build(capsys, root)  # and the cache holds good ones again
    for path in kept:
        assert path.read_bytes() != b""


@pytest.mark.parametrize("forged_with", ["a checksum (SHA-256)", "another machine's key"])
def test_a_cache_file_with_a_good_checksum_cannot_bring_a_script(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 forged_with: str) -> None:
    """Converted texts from the cache are not sanitised again (they were when converted): a file sealed without the
    key is not used at all."""
    root = make_site(tmp_path / "src")
    build(capsys, root)
    reference = snapshot(root / "site")
    path = root / ".cache" / MARKDOWN_CACHE
    good = path.read_bytes()
    entries = pickle.loads(good.partition(b"\n\n")[2])
    assert entries and all(isinstance(v, Rendered) for v in entries.values())
    for rendered in entries.values():
        rendered.html += '<script>alert(document.domain)</script><p><a href="javascript:alert(1)" onclick="alert(2)">x</a></p>'
    payload = pickle.dumps(entries)
    header = (hashlib.sha256(payload).hexdigest().encode() if forged_with == "a checksum (SHA-256)"
              else hmac.new(os.urandom(32), payload, hashlib.sha256).hexdigest().encode())
    path.write_bytes(MARKDOWN_MAGIC + header + b"\n\n" + payload)
    for other in (PAGES_CACHE, UPTODATE_CACHE):
        (root / ".cache" / other).unlink(missing_ok=True)
    shutil.rmtree(root / "site")
    build(capsys, root)
    after = snapshot(root / "site")
    pages = b"".join(data for rel, data in after.items() if rel.endswith(".html"))
    for bad in (b"alert(document.domain)", b"javascript:alert", b'onclick="alert'):
        assert bad not in pages
    assert after == reference


SCRIPT = b"<script>alert(document.domain)</script>"


@pytest.mark.parametrize("forged_with", ["a checksum (SHA-256)", "another machine's key"])
def test_a_page_cache_with_a_matching_checksum_is_not_published(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                forged_with: str) -> None:
    """pages.pickle holds whole pages (their scripts included), so they cannot be sanitised again on load: the seal
    is keyed with a secret outside .cache/, and a file whose seal was made without it is never used. Before the
    keyed seal, the checksum case published the script (its SHA-256 was all a build checked)."""
    root = make_site(tmp_path / "src")
    build(capsys, root)
    reference = snapshot(root / "site")
    path = root / ".cache" / PAGES_CACHE
    stored = pickle.loads(path.read_bytes().partition(b"\n\n")[2])
    assert stored["pages"], "the cache holds the pages"
    stored["pages"] = {rel: html.replace(b"</main>", SCRIPT + b"</main>") for rel, html in stored["pages"].items()}
    payload = pickle.dumps(stored)
    if forged_with == "a checksum (SHA-256)":
        header = hashlib.sha256(payload).hexdigest().encode()
    else:
        header = hmac.new(os.urandom(32), payload, hashlib.sha256).hexdigest().encode()
    path.write_bytes(PAGES_MAGIC + header + b"\n\n" + payload)
    (root / ".cache" / UPTODATE_CACHE).unlink(missing_ok=True)
    shutil.rmtree(root / "site")
    build(capsys, root)
    after = snapshot(root / "site")
    assert not [rel for rel, data in after.items() if SCRIPT in data], "a forged page was published"
    assert after == reference, "the pages were rendered again, byte for byte"


def test_a_cache_sealed_with_another_key_is_not_used_and_the_output_is_the_same(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """CI without the key (or a cache copied from another machine): every cache is made again, the output unchanged."""
    root = make_site(tmp_path / "src")
    monkeypatch.setenv(sealed.KEY_VARIABLE, "the first key")
    sealed.seal_key.cache_clear()
    try:
        build(capsys, root)
        reference = snapshot(root / "site")
        first = {name: (root / ".cache" / name).read_bytes() for name in (MARKDOWN_CACHE, PAGES_CACHE)}
        monkeypatch.setenv(sealed.KEY_VARIABLE, "another key")
        sealed.seal_key.cache_clear()
        from sitegen.incremental.pagecache import PageCache
        assert PageCache(root / ".cache").load() is None, "a file sealed with another key is refused"
        shutil.rmtree(root / "site")
        build(capsys, root)
        assert snapshot(root / "site") == reference
        for name, data in first.items():
            assert (root / ".cache" / name).read_bytes() != data, f"{name} was sealed again with the build's key"
        assert PageCache(root / ".cache").load() is not None
    finally:
        sealed.seal_key.cache_clear()


def test_the_key_is_made_once_outside_the_cache_and_kept_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sealed.KEY_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    sealed.seal_key.cache_clear()
    try:
        first = sealed.seal_key()
        path = tmp_path / "config" / sealed.KEY_FILE
        assert path.is_file() and (path.stat().st_mode & 0o077) == 0, "readable by the user only"
        sealed.seal_key.cache_clear()
        assert sealed.seal_key() == first, "the next build reads the same key"
        path.unlink()
        path.symlink_to(tmp_path / "elsewhere")  # a link is not followed: this process gets a key of its own
        sealed.seal_key.cache_clear()
        assert sealed.seal_key() != first
        monkeypatch.setenv(sealed.KEY_VARIABLE, "from CI")
        sealed.seal_key.cache_clear()
        assert sealed.seal_key() not in (first, b"from CI")
    finally:
        sealed.seal_key.cache_clear()


@pytest.mark.parametrize("how", ["edited in place", "replaced by another file"])
def test_a_change_behind_an_allowed_link_is_built(tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    root = make_site(tmp_path / "src")
    shared = root / "shared" / "about.he.md"
    shared.parent.mkdir()
    shared.write_text("---\ntitle: אודות\n---\nהנוסח הישן.\n", encoding="utf-8")
    link = root / "content" / "about.he.md"
    link.unlink()
    link.symlink_to(os.path.relpath(shared, link.parent))
    age(root)
    assert build(capsys, root).startswith("Built ")
    assert build(capsys, root).startswith("Up to date "), "the shortcut itself still works"
    size = shared.stat().st_size
    new_text = "---\ntitle: אודות\n---\nהנוסח החדש.\n"
    assert len(new_text.encode()) == size, "the same size: only the contents tell"
    if how == "edited in place":
        shared.write_text(new_text, encoding="utf-8")
    else:
        replacement = shared.with_name("about.new")
        replacement.write_text(new_text, encoding="utf-8")
        replacement.replace(shared)
    old = time.time() - 60
    os.utime(shared, (old, old))  # only the file behind the link: nothing under content/ changes
    said = build(capsys, root)
    assert said.startswith("Built "), said
    assert "הנוסח החדש" in (root / "site" / "about" / "index.html").read_text(encoding="utf-8")
