"""Facts about files kept by their status (sitegen/incremental/stamped.py): the digests of the files published as they
are (a file of static/, Decap's bundle for /admin/) and what Pillow sees in a file of static/ whose name promises no
picture.

A build that takes them from ``.cache/stamped.pickle`` gives exactly what a ``--no-cache`` build gives; an unchanged
file is not read again; a file rewritten with the same size and its modification time set back is seen (its change
time differs); a file modified less than ``RACY_NS`` before it was opened is not trusted.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from conftest import BASE_URL, copy_fixture_site, tree

from sitegen.cli import main
from sitegen.incremental import stamped, uptodate
from sitegen.incremental.stamped import KeptByStatus
from sitegen.model import photos
from sitegen.sources import streamed
from sitegen.tools.cmsfiles import CMS_DIST, CMS_SCRIPT, YAML_SCRIPT

pytestmark = pytest.mark.slow


def _status(path: Path) -> streamed.Stamp:
    return streamed.stamp_of(path.stat())


def _rewrite_same_size_and_time(path: Path, data: bytes) -> None:
    """``data`` into the file ``path`` in place (the same inode), at its size, its modification time set back."""
    before = path.stat()
    assert len(data) == before.st_size and data != path.read_bytes()
    with path.open("r+b") as file:
        file.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)


def test_a_fact_is_kept_by_the_files_status_and_only_when_it_can_be_trusted(tmp_path: Path) -> None:
    folder = tmp_path / ".cache"
    folder.mkdir()
    path = tmp_path / "notes.txt"
    path.write_bytes(b"first")
    computed: list[bytes] = []

    def fact(kept: KeptByStatus, taken: int | None = None) -> bytes:
        def compute() -> bytes:
            computed.append(path.read_bytes())
            return path.read_bytes()
        return kept.fact("bytes", "notes.txt", _status(path), taken if taken is not None else time.time_ns(), compute)

    kept = KeptByStatus(folder)  # modified just now: not trusted, not kept
    assert fact(kept) == b"first" and computed == [b"first"]
    kept.save()
    assert fact(KeptByStatus(folder)) == b"first" and len(computed) == 2

    later = time.time_ns() + uptodate.RACY_NS + 1  # as if read RACY_NS later: trusted, kept
    kept = KeptByStatus(folder)
    assert fact(kept, later) == b"first" and len(computed) == 3
    kept.save()
    again = KeptByStatus(folder)
    assert fact(again, later) == b"first" and len(computed) == 3 and again.reused == 1  # not read
    again.save()

    _rewrite_same_size_and_time(path, b"secnd")  # the change time differs
    assert fact(KeptByStatus(folder), time.time_ns() + uptodate.RACY_NS + 1) == b"secnd" and computed[-1] == b"secnd"
    with pytest.raises(ValueError):
        KeptByStatus(folder).fact("bytes", "notes.txt", (), later, lambda: b"")


def _png(size: int) -> bytes:
    """A PNG of exactly ``size`` bytes (padded after its end: Pillow reads the header)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "PNG")
    data = out.getvalue()
    assert len(data) <= size
    return data + b"\0" * (size - len(data))


def test_unchanged_files_are_not_read_again_and_a_change_of_the_same_size_and_time_is_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = copy_fixture_site(tmp_path / "src")
    (source / "static" / "notes.txt").write_bytes(b"plain text, no picture " * 40)  # sniffed by Pillow: no picture
    (source / "static" / "data.bin").write_bytes(bytes(range(256)) * 4)             # published as it is
    dist = source / CMS_DIST  # a small stand-in for Decap's bundle (its own files: rewritten in place below)
    dist.mkdir(parents=True)
    (dist / CMS_SCRIPT).write_bytes(b"/* decap */ window.CMS = {};\n" * 20)
    (dist / "1.decap-cms.js").write_bytes(b"/* a chunk */\n" * 20)
    (source / YAML_SCRIPT).parent.mkdir(parents=True)
    (source / YAML_SCRIPT).write_bytes(b"/* js-yaml */\n")
    monkeypatch.setattr(stamped, "RACY_NS", 0)  # every status trusted at once (else each file needs 2 s of age)
    monkeypatch.setattr(uptodate, "RACY_NS", 10**18)  # never "Up to date": every build below is a real one
    sniffed: list[int] = []
    digested: list[int] = []
    real_sniff, real_digest = photos._is_picture, streamed._digest
    monkeypatch.setattr(photos, "_is_picture", lambda file: sniffed.append(1) or real_sniff(file))
    monkeypatch.setattr(streamed, "_digest", lambda fd, status: digested.append(1) or real_digest(fd, status))

    def built(folder: Path, *more: str) -> dict[str, str]:
        sniffed.clear()
        digested.clear()
        assert main(["build", "--source", str(source), "--base-url", BASE_URL, "--out", str(folder), "-j", "1", *more]) == 0, \
            capsys.readouterr().err
        return tree(folder)

    out = tmp_path / "site"
    first = built(out)
    assert sniffed and digested and (source / ".cache" / stamped.CACHE_NAME).is_file()
    assert any(rel.endswith(f"/{CMS_SCRIPT}") and rel.startswith("assets/decap-cms.") for rel in first)
    assert built(out) == first and sniffed == [] and digested == [], "nothing read again"

    _rewrite_same_size_and_time(source / "static" / "notes.txt", _png((source / "static" / "notes.txt").stat().st_size))
    _rewrite_same_size_and_time(source / "static" / "data.bin", bytes(reversed(range(256))) * 4)
    _rewrite_same_size_and_time(dist / "1.decap-cms.js", b"/* a CHUNK */\n" * 20)
    changed = built(out)
    assert len(sniffed) == 2, "notes.txt and data.bin sniffed again (their names promise no picture), no other file"
    assert len(digested) == 2, "data.bin and the bundle's chunk digested again (notes.txt is a picture now), no other file"
    assert changed == built(tmp_path / "cold", "--no-cache")
    assert changed != first
    assert changed["data.bin"] != first["data.bin"]
    assert "notes.txt" in first and "notes.txt" not in changed  # a picture now: published as its variants
    assert not set(changed) & {rel for rel in first if rel.startswith("assets/decap-cms.")}  # the bundle's new folder
