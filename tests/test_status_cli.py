"""``build.py status`` and ``check --strict`` on a copy of the real site in a real git repository."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO, copy_fixture_site  # noqa: E402

from sitegen.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "e@example.invalid", "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.invalid"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def cli(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python build.py ARGS --source src``, run in-process (the command line's own code, without a Python started for
    each call); the tests that change the environment (no git, GitHub Actions, the messages' language) start one."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--source", str(src)])
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


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


def test_a_shallow_clone_warns_that_staleness_cannot_be_judged(repo: Path, tmp_path: Path) -> None:
    """In a clone made with --depth 1 every file seems written in its one commit: nothing would look stale.
    status and check --strict say so, and how to fix it; after `git fetch --unshallow` the stale page shows."""
    page = repo / "content/faculty.he.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nמשפט חדש.\n", encoding="utf-8")
    git(repo, "commit", "-qam", "faculty: a new sentence", date="2026-02-01T10:00:00+00:00")
    git(repo, "commit", "-q", "--allow-empty", "-m", "another commit", date="2026-02-02T10:00:00+00:00")
    stale = "content/faculty.en.md: this page in 'en' may be out of date"
    assert stale in cli(repo, "status").stdout  # the full history shows it

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone), date="2026-02-03T10:00:00+00:00")
    assert subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=clone, capture_output=True, text=True).stdout.strip() == "true"
    status = cli(clone, "status")
    assert status.returncode == 0
    assert stale not in status.stdout
    assert "no translation is out of date" not in status.stdout
    for advice in ("the git history is shallow", "stale translations cannot be judged", "git fetch --unshallow", "fetch-depth: 0"):
        assert advice in status.stdout, advice
    strict = cli(clone, "check", "--strict")
    assert "warning: the git history is shallow" in strict.stderr and "fetch-depth: 0" in strict.stderr
    assert "::warning" not in strict.stderr  # only under GITHUB_ACTIONS=true
    actions = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--strict", "--source", str(clone)],
                             capture_output=True, text=True, timeout=120, env={**os.environ, "GITHUB_ACTIONS": "true"})
    assert "::warning title=Shallow git history::the git history is shallow" in actions.stderr

    git(clone, "fetch", "-q", "--unshallow", date="2026-02-03T10:00:00+00:00")
    after = cli(clone, "status")
    assert stale in after.stdout and "shallow" not in after.stdout
    assert "shallow" not in cli(clone, "check", "--strict").stderr


def test_without_git_status_says_so_and_check_strict_does_not_pass(repo: Path, tmp_path: Path) -> None:
    nothing = tmp_path / "no-git"
    nothing.mkdir()
    env = {**os.environ, "PATH": str(nothing)}
    status = subprocess.run([sys.executable, str(REPO / "build.py"), "status", "--source", str(repo)], capture_output=True, text=True,
                            timeout=120, env=env)
    assert status.returncode == 0
    assert "warning: git is not installed, so stale translations cannot be judged — install git" in status.stdout
    assert "no translation is out of date" not in status.stdout
    strict = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--strict", "--source", str(repo)], capture_output=True,
                            text=True, timeout=120, env=env)
    assert strict.returncode == 1
    assert "content: git is not installed, so stale translations cannot be judged" in strict.stderr


def test_status_speaks_hebrew_on_a_hebrew_site(repo: Path) -> None:
    page = repo / "content/faculty.he.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nמשפט חדש.\n", encoding="utf-8")
    git(repo, "commit", "-qam", "faculty: a new sentence", date="2026-02-01T10:00:00+00:00")
    env = {k: v for k, v in os.environ.items() if k != "MERHAV_MESSAGES"}
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "status", "--source", str(repo)], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.stdout.startswith("מצב התרגום:\n")
    assert "content/faculty.en.md: ייתכן שהעמוד הזה ב־'en' לא מעודכן — הגרסה ב־'he' (content/faculty.he.md) השתנתה ב־2026-02-01" in result.stdout


def test_a_reformatted_data_file_makes_nothing_stale(repo: Path) -> None:
    """A save through the forms may re-quote and re-wrap a whole file: no value changed, nothing is stale."""
    data = repo / "data/curriculum.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text("\n".join(line.rstrip() for line in text.splitlines() if not line.lstrip().startswith("#")) + "\n", encoding="utf-8")
    git(repo, "commit", "-qam", "comments out", date="2026-02-01T10:00:00+00:00")
    result = cli(repo, "status")
    assert "no translation is out of date" in result.stdout, result.stdout
