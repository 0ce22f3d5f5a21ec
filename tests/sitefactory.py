"""Tiny bilingual sites built from dicts of strings, for tests of bad and hostile input.

A site is the real ``templates/``, ``static/`` and ``data/strings/`` (copied, so the tests follow their
redesign) plus a few small content and data files written here. A test overrides or removes
(value ``None``) any of them, builds in-process through ``sitegen.cli.main`` and looks at
the exit status, stderr and the output folder.
"""

from __future__ import annotations

import html
import os
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURE_STRINGS, REPO, SITE_YAML
from shared_build import key, shared

from sitegen.cli import main

COHORTS_YAML = """\
- id: a
  name:
    he: "מחזור א'"
    en: Cohort A
  video: ""
"""

TESTIMONIALS_YAML = """\
- id: first-last
  cohort: a
  name:
    he: פלונית אלמונית
    en: Jane Doe
  role:
    he: מנהלת
    en: Director
  organisation:
    he: עירייה
    en: Municipality
  quote:
    he: >-
      ציטוט קצר.
    en: >-
      A short quote.
"""

def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A real PNG (grey): pictures of static/ are read and resized (sitegen/model/photos.py)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


BASE_FILES: dict[str, str | bytes] = {
    "data/site.yaml": SITE_YAML,
    "data/cohorts.yaml": "[]\n",  # no cohorts: their pages' templates are being redesigned
    "data/testimonials.yaml": "[]\n",
    "data/faculty.yaml": "[]\n",
    "content/index.he.md": "---\ntitle: בית\n---\nשלום.\n",
    "content/index.en.md": "---\ntitle: Home\n---\nHello.\n",
    "content/about.he.md": "---\ntitle: אודות\n---\n## רקע\n\nעל התכנית.\n",
    "content/about.en.md": "---\ntitle: About\n---\n## Background\n\nAbout the programme.\n",
    "static/images/photo.png": tiny_png(),
}


def all_html(files: dict[str, bytes]) -> str:
    """Every built page, one after the other, with character references resolved: to find a
    text wherever the templates put it."""
    return "\n".join(html.unescape(data.decode()) for rel, data in sorted(files.items()) if rel.endswith(".html"))


def make_site(root: Path, files: dict[str, str | bytes | None] | None = None) -> Path:
    """Write a tiny site into ``root``: the base files, then ``files`` (None removes one)."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")  # the stylesheet, fonts and icon the templates ask for
    shutil.copytree(FIXTURE_STRINGS, root / "data" / "strings")
    write_files(root, {**BASE_FILES, **(files or {})})
    return root


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def problems(self) -> list[str]:
        """The problems (and warnings) printed on stderr: every line before the summary."""
        lines = self.err.splitlines()
        return lines[: lines.index("")] if "" in lines else [line for line in lines if not line.startswith("note: ")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """``python build.py *argv`` in-process, as on an editor's machine (not in CI, so no
    GitHub annotations); returns exit status and captured output."""
    saved = {name: os.environ.pop(name) for name in ("GITHUB_ACTIONS", "CI") if name in os.environ}
    try:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
    finally:
        os.environ.update(saved)
    return Run(code, captured.out, captured.err)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes), folders included as empty entries."""
    found: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames:
            found[os.path.relpath(os.path.join(dirpath, name), folder) + "/"] = b""
        for name in filenames:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = f.read()
    return found


def leftovers(parent: Path, out_name: str = "site") -> list[str]:
    """Temporary folders the writer may have left beside the output folder."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{out_name}."))


def build_good(capsys: pytest.CaptureFixture[str], root: Path) -> dict[str, bytes]:
    """Build the site as it is into root/site (it must succeed); return the output's snapshot."""
    result = run(capsys, "build", "--source", str(root))
    assert result.code == 0, result.err
    return snapshot(root / "site")


def built_site(capsys: pytest.CaptureFixture[str], root: Path) -> dict[str, bytes]:
    """The tiny site with its site/ already built (once per test run, shared by its processes: shared_build.py),
    copied into ``root``; returns the snapshot of site/."""
    def make(folder: Path) -> None:
        make_site(folder / "src")
        build_good(capsys, folder / "src")

    built = shared("sitefactory-built", make) / "src"
    shutil.copytree(built, root, symlinks=True, dirs_exist_ok=True)
    return snapshot(root / "site")


def refused(capsys: pytest.CaptureFixture[str], root: Path, files: dict[str, str | bytes | None], command: str) -> Run:
    """``files`` refused by ``command``: ``build`` as ``broken`` (a good site broken, site/ left as it was), ``check`` on a
    site made with them (exit status 1); neither with a traceback."""
    if command == "build":
        result = broken(capsys, root, files)
    else:
        result = run(capsys, "check", "--source", str(make_site(root, files)))
        assert result.code == 1, (result.code, result.err)
    assert "Traceback" not in result.err
    return result


def broken(capsys: pytest.CaptureFixture[str], root: Path, files: dict[str, str | bytes | None], *extra: str) -> Run:
    """Take a good built site, break it with ``files``, build again: the build must fail with
    exit status 1, leave site/ byte-for-byte as it was, and leave no temporary folder."""
    before = built_site(capsys, root)
    write_files(root, files)
    result = run(capsys, "build", "--source", str(root), *extra)
    assert result.code == 1, (result.code, result.err)
    assert "Traceback" not in result.err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []
    return result


GENERATED_PROJECTS, GENERATED_COHORTS, GENERATED_PER_PAGE = 12, 4, 3


def generated_catalogue(dest: Path) -> Path:
    """A generated catalogue copied into ``dest`` (made once per run: shared_build.py): bench/generate.py over the
    fixture site, 12 projects in 4 cohorts (the fourth in a file of its own, data/cohorts/d.yaml), projects with and
    without text files, quotes, and 3 cards a listing page, so the listings by cohort, ministry and topic run over
    several pages. tests/test_every_change.py and tests/test_page_reuse.py edit their copies of it."""
    import sys

    from conftest import FIXTURE_SITE

    sys.path.insert(0, str(REPO / "bench"))
    import generate

    def make(folder: Path) -> None:
        generate.generate(GENERATED_PROJECTS, folder / "src", cohorts=GENERATED_COHORTS, content_from=FIXTURE_SITE)
        settings = folder / "src" / "data" / "site.yaml"
        text = settings.read_text(encoding="utf-8")
        assert "projects_per_page" not in text
        settings.write_text(text + f"projects_per_page: {GENERATED_PER_PAGE}\n", encoding="utf-8")

    name = "generated-catalogue-" + key(FIXTURE_SITE, GENERATED_PROJECTS, GENERATED_COHORTS, GENERATED_PER_PAGE)
    shutil.copytree(shared(name, make) / "src", dest)
    return dest
