"""Stale translations found from real commits in a temporary git repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sitegen.tools.staleness import Git, stale_pages, stale_texts, value_lines

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="git is not installed")


def git(repo: Path, *args: str, date: str = "2026-01-01T10:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.invalid",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.invalid"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, files: dict[str, str], message: str, date: str) -> None:
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 1\n",
                      "content/about.en.md": "---\ntitle: About\n---\nversion 1\n"}, "both", "2026-01-01T10:00:00+00:00")
    return tmp_path


ORDER = ["he", "en"]
PAIRS = {"about": {"he": "content/about.he.md", "en": "content/about.en.md"}}


def test_translations_changed_together_are_not_stale(repo: Path) -> None:
    assert stale_pages(Git(repo), PAIRS, ORDER) == []


def test_hebrew_changed_after_english_makes_english_stale(repo: Path) -> None:
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 2\n"}, "he update", "2026-02-03T10:00:00+00:00")
    [stale] = stale_pages(Git(repo), PAIRS, ORDER)
    assert (stale.path, stale.lang, stale.source_lang) == ("content/about.en.md", "en", "he")
    assert stale.source_change.date.startswith("2026-02-03")
    message = str(stale)
    assert message.startswith("content/about.en.md: this page in 'en' may be out of date — the 'he' version (content/about.he.md) changed on 2026-02-03 (")
    assert "after this one (2026-01-01" in message and "'Translation: not needed'" in message


def test_an_english_change_does_not_make_the_hebrew_source_stale(repo: Path) -> None:
    commit(repo, {"content/about.en.md": "---\ntitle: About\n---\nversion 2\n"}, "en update", "2026-03-01T10:00:00+00:00")
    assert stale_pages(Git(repo), PAIRS, ORDER) == []


def test_the_reverse_when_english_is_the_source(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, {"content/news.en.md": "---\ntitle: News\n---\nv1\n"}, "written in English", "2026-01-01T10:00:00+00:00")
    commit(tmp_path, {"content/news.he.md": "---\ntitle: חדשות\n---\nv1\n"}, "translated", "2026-01-02T10:00:00+00:00")
    pairs = {"news": {"he": "content/news.he.md", "en": "content/news.en.md"}}
    assert stale_pages(Git(tmp_path), pairs, ORDER) == []
    commit(tmp_path, {"content/news.en.md": "---\ntitle: News\n---\nv2\n"}, "en update", "2026-03-01T10:00:00+00:00")
    [stale] = stale_pages(Git(tmp_path), pairs, ORDER)
    assert (stale.path, stale.lang, stale.source_lang) == ("content/news.he.md", "he", "en")


def test_updating_the_translation_clears_it(repo: Path) -> None:
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 2\n"}, "he update", "2026-02-03T10:00:00+00:00")
    commit(repo, {"content/about.en.md": "---\ntitle: About\n---\nversion 2\n"}, "en update", "2026-02-04T10:00:00+00:00")
    assert stale_pages(Git(repo), PAIRS, ORDER) == []


def test_a_commit_marked_not_needed_does_not_make_stale(repo: Path) -> None:
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 1.\n"},
           "Fix punctuation\n\nTranslation: not needed", "2026-02-03T10:00:00+00:00")
    assert stale_pages(Git(repo), PAIRS, ORDER) == []


def test_uncommitted_change_counts_as_now(repo: Path) -> None:
    (repo / "content/about.he.md").write_text("---\ntitle: אודות\n---\nטיוטה\n", encoding="utf-8")
    [stale] = stale_pages(Git(repo), PAIRS, ORDER)
    assert stale.path == "content/about.en.md" and "not yet committed" in str(stale)


DATA_V1 = """\
- id: x
  quote:
    he: >-
      ציטוט ראשון
      בשתי שורות
    en: >-
      First quote
      on two lines
"""


def test_data_texts_compare_the_lines_of_each_language(repo: Path) -> None:
    commit(repo, {"data/t.yaml": DATA_V1}, "data", "2026-01-05T10:00:00+00:00")
    texts = [{"he": 3, "en": 6}]
    assert stale_texts(Git(repo), repo, "data/t.yaml", texts, "he") == []
    commit(repo, {"data/t.yaml": DATA_V1.replace("בשתי שורות", "בשתי שורות, מתוקן")}, "he fix", "2026-02-05T10:00:00+00:00")
    [stale] = stale_texts(Git(repo), repo, "data/t.yaml", texts, "he")
    assert (stale.path, stale.line, stale.lang, stale.source_lang) == ("data/t.yaml", 6, "en", "he")
    assert str(stale).startswith("data/t.yaml:6: the text in 'en' may be out of date")
    commit(repo, {"data/t.yaml": DATA_V1.replace("בשתי שורות", "בשתי שורות, מתוקן").replace("on two lines", "on two lines, fixed")},
           "en fix", "2026-02-06T10:00:00+00:00")
    assert stale_texts(Git(repo), repo, "data/t.yaml", texts, "he") == []


def test_value_lines_cover_block_scalars() -> None:
    lines = DATA_V1.splitlines()
    assert list(value_lines(lines, 3)) == [3, 4, 5]
    assert list(value_lines(lines, 6)) == [6, 7, 8]


def test_outside_a_repository_nothing_is_stale(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    g = Git(tmp_path)
    assert not g.available
    assert stale_pages(g, {"a": {"he": "content/a.he.md", "en": "content/a.en.md"}}, ORDER) == []


def test_the_preloaded_history_answers_as_the_file_by_file_one(repo: Path) -> None:
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 2\n"}, "he update", "2026-02-03T10:00:00+00:00")
    commit(repo, {"content/about.en.md": "---\ntitle: About\n---\nv1.\n"}, "typo\n\nTranslation: not needed", "2026-02-04T10:00:00+00:00")
    preloaded = Git(repo)
    preloaded.preload("content")
    assert stale_pages(preloaded, PAIRS, ORDER) == stale_pages(Git(repo), PAIRS, ORDER) != []
    (repo / "content/about.en.md").write_text("---\ntitle: About\n---\nv2\n", encoding="utf-8")  # not committed
    preloaded = Git(repo)
    preloaded.preload("content")
    assert stale_pages(preloaded, PAIRS, ORDER) == stale_pages(Git(repo), PAIRS, ORDER) == []
