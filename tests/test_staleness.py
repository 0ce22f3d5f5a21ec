"""Stale translations found from real commits in a temporary git repository."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from sitegen.tools.staleness import Git, stale_pages, stale_texts, text_lines, unjudged

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
    assert re.sub(r"\([0-9a-f]{7}\)", "(…)", str(stale)) == (
        "content/about.en.md: this page in 'en' may be out of date — the 'he' version (content/about.he.md) changed on 2026-02-03 (…), "
        "after this one (2026-01-01 (…)); update it, or mark the change with the commit trailer 'Translation: not needed'")


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


def test_data_texts_compare_the_values_of_each_language(repo: Path) -> None:
    commit(repo, {"data/t.yaml": DATA_V1}, "data", "2026-01-05T10:00:00+00:00")
    assert stale_texts(Git(repo), repo, "data/t.yaml", ORDER) == []
    commit(repo, {"data/t.yaml": DATA_V1.replace("בשתי שורות", "בשתי שורות, מתוקן")}, "he fix", "2026-02-05T10:00:00+00:00")
    [stale] = stale_texts(Git(repo), repo, "data/t.yaml", ORDER)
    assert (stale.path, stale.line, stale.lang, stale.source_lang) == ("data/t.yaml", 6, "en", "he")
    assert str(stale).startswith("data/t.yaml:6: the text in 'en' may be out of date")
    commit(repo, {"data/t.yaml": DATA_V1.replace("בשתי שורות", "בשתי שורות, מתוקן").replace("on two lines", "on two lines, fixed")},
           "en fix", "2026-02-06T10:00:00+00:00")
    assert stale_texts(Git(repo), repo, "data/t.yaml", ORDER) == []


def test_text_lines_find_each_language_of_each_text_by_the_entry_id() -> None:
    assert text_lines(DATA_V1, ORDER) == {("id=x", "quote"): {"he": 3, "en": 6}}


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


# --- by value: what is no change, and what is -------------------------------------------------------------

DATA_TWO = """\
- id: first
  quote:
    he: ציטוט ראשון
    en: First quote
- id: second
  quote:
    he: ציטוט שני
    en: Second quote
"""


def test_a_reformatted_page_is_no_change_and_one_word_is(repo: Path) -> None:
    commit(repo, {"content/about.he.md": "---\ntitle: \"אודות\"\n---\n\nגרסה\n1\n"}, "re-quoted and re-wrapped", "2026-02-01T10:00:00+00:00")
    assert stale_pages(Git(repo), PAIRS, ORDER) == [], "quotes, blank lines and line breaks are no change of value"
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\nweight: 3\n---\nגרסה 1\n"}, "weight", "2026-02-02T10:00:00+00:00")
    assert stale_pages(Git(repo), PAIRS, ORDER) == [], "a number (the menu's order) is nothing to translate"
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\nweight: 3\n---\nגרסה 2\n"}, "one word", "2026-02-03T10:00:00+00:00")
    [stale] = stale_pages(Git(repo), PAIRS, ORDER)
    assert stale.path == "content/about.en.md" and stale.source_change.date.startswith("2026-02-03")


def test_a_reordered_list_a_moved_entry_and_a_reformatted_file_are_no_change(repo: Path) -> None:
    commit(repo, {"data/t.yaml": DATA_TWO}, "quotes", "2026-01-05T10:00:00+00:00")
    first, second = DATA_TWO.split("- id: second\n")
    reordered = "# The quotes, in the order of the site.\n- id: second\n" + second + first.replace("ציטוט ראשון", "'ציטוט ראשון'")
    commit(repo, {"data/t.yaml": reordered}, "reordered, commented and re-quoted", "2026-02-01T10:00:00+00:00")
    assert stale_texts(Git(repo), repo, "data/t.yaml", ORDER) == []
    commit(repo, {"data/t.yaml": reordered.replace("ציטוט שני", "ציטוט שני, מתוקן")}, "a word", "2026-02-02T10:00:00+00:00")
    [stale] = stale_texts(Git(repo), repo, "data/t.yaml", ORDER)
    assert (stale.line, stale.lang) == (5, "en"), "the second entry's English text, at its line in the reordered file"


def test_commit_times_are_compared_as_instants_across_time_zones(repo: Path) -> None:
    """GitHub's API commits in UTC, an editor in Israel at +02:00: 08:00Z is after 09:00+02:00 (07:00Z)."""
    commit(repo, {"content/about.en.md": "---\ntitle: About\n---\nversion 2\n"}, "en, by an editor", "2026-02-01T09:00:00+02:00")
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 2\n"}, "he, through the forms", "2026-02-01T08:00:00+00:00")
    [stale] = stale_pages(Git(repo), PAIRS, ORDER)
    assert stale.path == "content/about.en.md", "the Hebrew change is an hour after the English one"
    commit(repo, {"content/about.en.md": "---\ntitle: About\n---\nversion 3\n"}, "en, through the forms", "2026-02-01T08:30:00+00:00")
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 3\n"}, "he, by an editor", "2026-02-01T10:15:00+02:00")
    assert stale_pages(Git(repo), PAIRS, ORDER) == [], "10:15+02:00 is 08:15Z, before the English 08:30Z"


def test_a_changed_translation_checked_counts_as_a_change_of_every_translation(repo: Path) -> None:
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 2.\n"}, "he", "2026-02-01T10:00:00+00:00")
    assert [s.path for s in stale_pages(Git(repo), PAIRS, ORDER)] == ["content/about.en.md"]
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\ntranslation_checked: 2026-02-02T10:00:00Z\n---\nגרסה 2.\n"},
           "the translation still matches", "2026-02-02T10:00:00+00:00")
    assert stale_pages(Git(repo), PAIRS, ORDER) == []
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\ntranslation_checked: 2026-02-02T10:00:00Z\n---\nגרסה 3\n"},
           "he again", "2026-02-03T10:00:00+00:00")
    assert [s.path for s in stale_pages(Git(repo), PAIRS, ORDER)] == ["content/about.en.md"]

    commit(repo, {"data/t.yaml": DATA_TWO}, "quotes", "2026-03-01T10:00:00+00:00")
    commit(repo, {"data/t.yaml": DATA_TWO.replace("ציטוט שני", "ציטוט שני!")}, "he", "2026-03-02T10:00:00+00:00")
    assert len(stale_texts(Git(repo), repo, "data/t.yaml", ORDER)) == 1
    checked = DATA_TWO.replace("ציטוט שני", "ציטוט שני!").replace("- id: second\n", "- id: second\n  translation_checked: 2026-03-03T10:00:00Z\n")
    commit(repo, {"data/t.yaml": checked}, "checked", "2026-03-03T10:00:00+00:00")
    assert stale_texts(Git(repo), repo, "data/t.yaml", ORDER) == []


def test_one_entity_a_file_is_judged_like_a_list(repo: Path) -> None:
    """The forms keep a testimonial or a cohort in a file of its own: its texts are judged the same way."""
    one = "id: first\nquote:\n  he: ציטוט ראשון\n  en: First quote\n"
    commit(repo, {"data/testimonials/first.yaml": one}, "a quote", "2026-01-05T10:00:00+00:00")
    commit(repo, {"data/testimonials/first.yaml": one.replace("ראשון", "ראשון ויחיד")}, "he", "2026-01-06T10:00:00+00:00")
    [stale] = stale_texts(Git(repo), repo, "data/testimonials/first.yaml", ORDER)
    assert (stale.line, stale.lang) == (4, "en")


def test_it_says_why_staleness_cannot_be_judged(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert unjudged(Git(repo)) == []
    commit(repo, {"content/about.he.md": "---\ntitle: אודות\n---\nגרסה 9\n"}, "from a computer whose clock is wrong", "2099-01-01T10:00:00+00:00")
    [future] = unjudged(Git(repo))
    assert future.startswith("the commit ") and "is dated in the future (2099-01-01T10:00:00+00:00)" in future

    outside = tmp_path.parent / f"{tmp_path.name}-outside"  # tmp_path is the repository
    outside.mkdir()
    assert [str(m) for m in unjudged(Git(outside))] == ["not a git repository: stale translations cannot be found"]
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert unjudged(Git(repo))[0].startswith("git is not installed, so stale translations cannot be judged")


def test_content_in_a_submodule_is_said(repo: Path, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    git(inner, "init", "-q", "-b", "main")
    commit(inner, {"a.he.md": "---\ntitle: א\n---\n"}, "inner", "2026-01-01T10:00:00+00:00")
    top = tmp_path / "top"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    git(top, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "content")
    git(top, "commit", "-q", "-m", "content in a submodule")
    [said] = unjudged(Git(top))
    assert said.startswith("content is a git submodule: its history is in another repository")
