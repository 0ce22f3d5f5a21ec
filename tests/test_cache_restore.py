"""A build from a restored cache is byte for byte a cold one: what the workflows rely on (tests/test_workflow_cache.py).

As on GitHub: a build of a repository's checkout (with a photo, so the photos' cache counts too), then a fresh
clone of it — new files, new times, new inodes — given the first one's .cache/ as actions/cache would (a copy
keeping the files' times), built with the same command; then a one-page content change built from that cache,
against a cold build of the same tree.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sitefactory import make_site, run, snapshot

from sitegen.output import images

BASE_URL = "https://user.example/repo/"
PAGE_WITH_PHOTO = "---\ntitle: אודות\n---\n## רקע\n\nעל התכנית.\n\n![הקבוצה בסיור שטח](images/group.jpg)\n"


def photo() -> bytes:
    noise = Image.effect_noise((40, 30), 60).resize((1600, 1200), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    Image.merge("RGB", [noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise]).save(out, "JPEG", quality=90)
    return out.getvalue()


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=cwd, check=True,
                   capture_output=True)


def publish(capsys: pytest.CaptureFixture[str], checkout: Path, *extra: str) -> dict[str, bytes]:
    """pages.yml's build step: ``python build.py --out _site --base-url …`` in the checkout."""
    result = run(capsys, "build", "--source", str(checkout), "--out", str(checkout / "_site"), "--base-url", BASE_URL, *extra)
    assert result.code == 0, result.err
    return snapshot(checkout / "_site")


def no_encoding(*args: object, **kwargs: object) -> list[bytes]:
    raise AssertionError("a photo was encoded again: the restored cache was not used")


def test_a_build_from_a_restored_cache_is_byte_for_byte_a_cold_one(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    first = make_site(tmp_path / "first", {"static/images/group.jpg": photo(), "content/about.he.md": PAGE_WITH_PHOTO})
    git("init", "-q", "-b", "main", cwd=first)
    git("add", "-A", cwd=first)
    git("commit", "-q", "-m", "content", cwd=first)
    cold = publish(capsys, first)
    assert any(rel.startswith("assets/images/group.") for rel in cold), "the photo's variants are published"
    assert (first / ".cache" / "photos").is_dir()

    later = tmp_path / "later"  # the next run: a fresh clone, and the cache as actions/cache restores it
    git("clone", "-q", str(first), str(later), cwd=tmp_path)
    assert not (later / ".cache").exists()
    shutil.copytree(first / ".cache", later / ".cache", copy_function=shutil.copy2)
    with monkeypatch.context() as patched:
        patched.setattr(images, "encode", no_encoding)
        assert publish(capsys, later) == cold

        # an editor's push: one sentence on one page, built from the restored cache
        page = later / "content" / "about.en.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by an editor.\n", encoding="utf-8")
        warm = publish(capsys, later)
    assert warm != cold
    fresh = tmp_path / "fresh"
    shutil.copytree(later, fresh, ignore=shutil.ignore_patterns(".cache", "_site"))
    assert publish(capsys, fresh, "--no-cache") == warm
