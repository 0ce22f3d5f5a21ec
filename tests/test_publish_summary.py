"""The publish's outcome in the run's summary (issue 21): sitegen/publishsummary.py, and the workflow's calls.

The script is run as the workflow runs it — ``python -m sitegen.publishsummary`` with $GITHUB_STEP_SUMMARY
pointing at a temporary file and the run's GITHUB_* variables — on a good and on a bad commit of a copy of the fixture
site: on the good one, after a build, the summary gives the address and the pages count; on the bad one, each problem
with its file and line (linked to that line of the commit) and check's message, in Hebrew first, then English. The
workflow calls it ``if: always()`` in the check job and after the build (tests/test_workflow_cache.py's way: the
workflow read as YAML).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, copy_fixture_site

from sitegen.messages import msg

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
BROKEN = "---\ntitle: שבור\n---\n\nראו [כאן](nowhere.he.md).\n"


def summarize(source: Path, summary: Path, *args: str, sha: str = "") -> str:
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_REPOSITORY": "example/site", "GITHUB_SHA": sha,
           "PYTHONPATH": str(REPO)}  # the engine, run from the site's folder as in the workflow (--source: '.')
    done = subprocess.run([sys.executable, "-m", "sitegen.publishsummary", *args], cwd=source, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr  # informative: never fails the run
    return summary.read_text(encoding="utf-8") if summary.exists() else ""


def commit(repo: Path, message: str) -> str:
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", message], cwd=repo, check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


def test_a_good_commit_summarizes_the_address_and_pages_a_bad_one_each_problem_in_hebrew_then_english(tmp_path: Path) -> None:
    repo = copy_fixture_site(tmp_path / "repo")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    good = commit(repo, "good")
    (repo / "content" / "broken.he.md").write_text(BROKEN, encoding="utf-8")
    bad = commit(repo, "bad")

    # the good commit: built, then summarized as the build job does
    subprocess.run(["git", "checkout", "-q", good], cwd=repo, check=True)
    out = tmp_path / "_site"
    built = subprocess.run([sys.executable, str(REPO / "build.py"), "--source", str(repo), "--out", str(out), "--base-url",
                            "https://example.org/merhav/"], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    assert summarize(repo, tmp_path / "none.md", sha=good) == "", "check job, no problem: nothing to say"
    text = summarize(repo, tmp_path / "good.md", "--out", str(out), "--address", "https://example.org/merhav/",
                     "--outcome", "success", sha=good)
    pages = sum(1 for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "admin")
    assert pages > 3
    hebrew, english = text.split('<div dir="ltr" lang="en">')
    assert hebrew.startswith('<div dir="rtl" lang="he">') and "## האתר נבנה ונשלח לפרסום" in hebrew
    assert "כתובת: https://example.org/merhav/" in hebrew and f"עמודים: {pages}" in hebrew
    assert "## The site was built and sent to be published" in english and f"Pages: {pages}" in english

    # the bad commit: check's problems, as the check job (and a failed build) says them
    subprocess.run(["git", "checkout", "-q", bad], cwd=repo, check=True)
    text = summarize(repo, tmp_path / "bad.md", sha=bad)
    assert text == summarize(repo, tmp_path / "bad-build.md", "--out", str(tmp_path / "nothing"), "--outcome", "failure", sha=bad)
    hebrew, english = text.split('<div dir="ltr" lang="en">')
    link = f"[`content/broken.he.md:5`](https://github.com/example/site/blob/{bad}/content/broken.he.md#L5)"
    said = msg("link to a page that does not exist: {path} — write the path of the target's .md file relative to "
               "this file (e.g. ../programme.{lang}.md)", path="content/nowhere.he.md", lang="he")
    assert "## האתר לא פורסם: יש בעיות בתוכן" in hebrew and f"- {link} — {said.localized('he')}" in hebrew
    assert "## The site was not published: the content has problems" in english and f"- {link} — {said.localized('en')}" in english


def test_a_build_that_failed_with_no_content_problem_says_so(tmp_path: Path) -> None:
    repo = copy_fixture_site(tmp_path / "repo")
    text = summarize(repo, tmp_path / "failed.md", "--out", str(tmp_path / "_site"), "--outcome", "failure")
    assert "## האתר לא פורסם: הבנייה נכשלה" in text and "## The site was not published: the build failed" in text


def test_the_workflow_writes_the_summary_always_after_check_and_after_the_build() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    for job, after in (("check", "python build.py check"), ("build", "build.py --out")):
        steps = jobs[job]["steps"]
        runs = [str(s.get("run", "")) for s in steps]
        (index,) = [i for i, run in enumerate(runs) if "python -m sitegen.publishsummary" in run]
        assert steps[index]["if"] == "always()", job
        assert any(after in run for run in runs[:index]), f"{job}: the summary comes after '{after}'"
    build = next(s for s in jobs["build"]["steps"] if "sitegen.publishsummary" in str(s.get("run", "")))
    assert "--out _site" in build["run"] and build["env"]["OUTCOME"] == "${{ steps.build.outcome }}"
    assert next(s for s in jobs["build"]["steps"] if "build.py --out" in str(s.get("run", "")))["id"] == "build"
