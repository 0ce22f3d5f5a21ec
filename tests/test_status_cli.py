"""``build.py status`` and ``check --strict`` on a copy of the real site in a real git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO, copy_fixture_site  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "e@example.invalid", "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.invalid"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def cli(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args, "--source", str(src)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    src = copy_fixture_site(tmp_path / "src")
    git(src, "init", "-q", "-b", "main", date="2026-01-01T10:00:00+00:00")
    git(src, "add", "-A", date="2026-01-01T10:00:00+00:00")
    git(src, "commit", "-q", "-m", "the site", date="2026-01-01T10:00:00+00:00")
    return src


def test_nothing_to_report_on_the_real_content(repo: Path) -> None:
    result = cli(repo, "status")
    assert result.returncode == 0
    assert "every page and text exists in every language, and no translation is out of date" in result.stdout


def test_a_hebrew_change_makes_the_english_page_stale_until_translated(repo: Path) -> None:
    page = repo / "content/faculty.he.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nמשפט חדש.\n", encoding="utf-8")
    git(repo, "commit", "-qam", "faculty: a new sentence", date="2026-02-01T10:00:00+00:00")
    result = cli(repo, "status")
    assert result.returncode == 0
    assert "  content:\n    content/faculty.en.md: this page in 'en' may be out of date — the 'he' version " \
           "(content/faculty.he.md) changed on 2026-02-01" in result.stdout
    strict = cli(repo, "check", "--strict")
    assert strict.returncode == 1
    assert "content/faculty.en.md: this page in 'en' may be out of date" in strict.stderr

    english = repo / "content/faculty.en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    git(repo, "commit", "-qam", "faculty: translated", date="2026-02-02T10:00:00+00:00")
    assert cli(repo, "check", "--strict").returncode == 0


def test_a_change_marked_not_needed_is_not_stale(repo: Path) -> None:
    data = repo / "data/curriculum.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("מטרת העל של התכנית", "מטרת־העל של התכנית", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "maqaf\n\nTranslation: not needed", date="2026-02-01T10:00:00+00:00")
    assert cli(repo, "check", "--strict").returncode == 0
    data.write_text(data.read_text(encoding="utf-8").replace("מטרת־העל של התכנית", "מטרת העל של התכנית", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "back", date="2026-02-03T10:00:00+00:00")
    result = cli(repo, "status")
    assert "data/curriculum.yaml:" in result.stdout and "the text in 'en' may be out of date" in result.stdout


def test_a_project_text_in_one_language_is_listed(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    src = tmp_path / "gen"
    generate.generate(4, src, cohorts=1, content_from=FIXTURE_SITE)
    english = sorted((src / "content/projects").glob("*.en.md"))
    assert english, "the generator writes text files"
    english[0].unlink()
    slug = english[0].name.removesuffix(".en.md")
    if not (src / f"content/projects/{slug}.he.md").exists():
        pytest.skip("the generated project had its Hebrew text inline")
    result = cli(src, "status")
    assert f"content/projects/{slug}.he.md: no 'en' text of this project — add content/projects/{slug}.en.md" in result.stdout
