"""bench/generate.py: a complete source tree with N projects that builds, the same every time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from catalogue_fixture import FIXTURE_SITE, REPO, generate
from sitefactory import run


def test_fifty_generated_projects_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary = generate.generate(50, tmp_path / "src", content_from=FIXTURE_SITE)
    assert (summary.projects, summary.cohorts) == (50, 5)
    src = tmp_path / "src"
    assert (src / "data" / "cohorts" / "d.yaml").is_file() and (src / "data" / "cohorts" / "e.yaml").is_file()
    assert summary.body_files == len(list((src / "content" / "projects").glob("*.md"))) > 0
    result = run(capsys, "build", "--source", str(src), "--out", str(tmp_path / "site"))
    assert result.code == 0, result.err
    pages = list((tmp_path / "site" / "cohorts").glob("*/*/index.html"))
    assert len(pages) == 50
    words = [len(p.read_text(encoding="utf-8").split()) for p in pages[:5]]
    assert all(w > 400 for w in words), words


def test_the_same_seed_gives_the_same_tree(tmp_path: Path) -> None:
    for name in ("one", "two"):
        generate.generate(12, tmp_path / name, cohorts=3, content_from=FIXTURE_SITE)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_the_command_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "3", str(tmp_path / "out"), "--cohorts", "2", "--content-from", str(FIXTURE_SITE)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote {tmp_path / 'out'}: 3 projects in 2 cohorts, 18 ministries and authorities, 10 topics")
    again = subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "3", str(tmp_path / "out"), "--content-from", str(FIXTURE_SITE)],
                           capture_output=True, text=True, check=False)
    assert (again.returncode, again.stderr) == (2, f"bench/generate.py: error: {tmp_path / 'out'} is not empty — choose a new folder\n")


def test_a_large_tree_keeps_every_data_file_under_the_engines_limit(tmp_path: Path) -> None:
    from sitegen.sources.files import MAX_FILE_BYTES

    generate.generate(1000, tmp_path / "src", content_from=FIXTURE_SITE)
    sizes = {p.name: p.stat().st_size for p in (tmp_path / "src" / "data").rglob("*.yaml")}
    assert sizes["cohorts.yaml"] <= generate.MAIN_FILE_BYTES
    assert max(sizes.values()) < MAX_FILE_BYTES, sizes
