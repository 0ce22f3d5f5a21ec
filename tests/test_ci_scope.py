""".ci/scope.sh: which pushes publish after the real-site tests only ("content") and which run the
whole suite ("everything"), in a real git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.invalid",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.invalid"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo: Path, files: dict[str, str | None]) -> str:
    """Write (None: delete) the files, commit them, return the commit's hash."""
    for rel, text in files.items():
        if text is None:
            (repo / rel).unlink()
        else:
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "change")
    return git(repo, "rev-parse", "HEAD")


def scope(repo: Path, before: str) -> str:
    done = subprocess.run(["bash", ".ci/scope.sh", before], cwd=repo, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("scope: "), done.stderr
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / ".ci").mkdir()
    shutil.copy(REPO / ".ci" / "scope.sh", tmp_path / ".ci" / "scope.sh")
    commit(tmp_path, {"content/about.he.md": "א\n", "data/cohorts.yaml": "[]\n", "data/strings/he.yaml": "a: א\n",
                      "templates/page.html": "x\n", "static/style.css": "a{}\n", "static/images/a.png": "png\n"})
    return tmp_path


@pytest.mark.parametrize("files", [
    {"content/about.he.md": "ב\n"},
    {"content/new/index.en.md": "new\n", "data/cohorts.yaml": "- id: a\n", "static/images/b.png": "png\n", "docs/editing.md": "x\n"},
    {"static/images/a.png": None},
    {},
])
def test_a_content_change_runs_the_real_site_tests(repo: Path, files: dict[str, str | None]) -> None:
    before = git(repo, "rev-parse", "HEAD")
    commit(repo, files)
    assert scope(repo, before) == "content"


@pytest.mark.parametrize("files", [
    {"templates/page.html": "y\n"},
    {"static/style.css": "b{}\n"},
    {"data/strings/he.yaml": "a: ב\n"},
    {"content/about.he.md": "ב\n", "sitegen/x.py": "\n"},
    {".github/workflows/pages.yml": "on: push\n"},
    {"templates/page.html": None, "content/page.html": "x\n"},  # a move out of templates/ counts at both paths
])
def test_any_other_change_runs_everything(repo: Path, files: dict[str, str | None]) -> None:
    before = git(repo, "rev-parse", "HEAD")
    commit(repo, files)
    assert scope(repo, before) == "everything"


def test_a_push_of_several_commits_is_judged_as_a_whole(repo: Path) -> None:
    before = git(repo, "rev-parse", "HEAD")
    commit(repo, {"templates/page.html": "y\n"})
    commit(repo, {"content/about.he.md": "ב\n"})
    assert scope(repo, before) == "everything"
    assert scope(repo, git(repo, "rev-parse", "HEAD~1")) == "content"


@pytest.mark.parametrize("before", ["", "0" * 40, "1234567890abcdef1234567890abcdef12345678"])
def test_without_a_known_previous_commit_everything_runs(repo: Path, before: str) -> None:
    commit(repo, {"content/about.he.md": "ב\n"})
    assert scope(repo, before) == "everything"
