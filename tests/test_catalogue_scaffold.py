"""``build.py new project`` and ``build.py new page``: a complete entry with TODO markers that
``check`` reports at their lines, the file's comments kept, refusals with a clear message."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
from catalogue_fixture import FIXTURE_SITE, VOCABULARIES, cohort_entry, project_entry
from sitefactory import make_site, run

from sitegen.sources.yamlfile import parse_yaml
from sitegen.tools.scaffold import entry_text, insert_project

TODAY = datetime.date.today().isoformat()


def todo_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines(), 1) if line.strip() == "TODO" or line.endswith(": TODO")]


def real_data_site(root: Path) -> Path:
    """A site with the fixture's copy of the programme's data files (their comments included)."""
    make_site(root)
    for name in ("ministries", "topics"):
        shutil.copy(FIXTURE_SITE / "data" / f"{name}.yaml", root / "data" / f"{name}.yaml")
    (root / "data" / "testimonials.yaml").unlink()
    for folder in ("cohorts", "testimonials"):  # a file per cohort, per quote
        shutil.copytree(FIXTURE_SITE / "data" / folder, root / "data" / folder)
    return root


def test_new_project_then_check_then_fill_then_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = real_data_site(tmp_path)
    before = (root / "data" / "cohorts" / "a.yaml").read_text(encoding="utf-8")
    result = run(capsys, "new", "project", "--cohort", "a", "shared-clinics", "--source", str(root))
    assert result.code == 0, result.err
    assert result.out.startswith("Added the project 'shared-clinics' to cohort 'a' at the end of its projects in data/cohorts/a.yaml.")
    after = (root / "data" / "cohorts" / "a.yaml").read_text(encoding="utf-8")
    # text insertion: every line of the file is still there, the cohort's first project after them
    assert before.splitlines() == after.splitlines()[: len(before.splitlines())]
    assert "\nprojects:\n  - slug: shared-clinics\n" in after
    assert f"    date: {TODAY}" in after

    check = run(capsys, "check", "--source", str(root))
    assert check.code == 1
    assert len(todo_lines(after)) == 6
    reported = re.findall(r"^data/cohorts/a\.yaml:(\d+): '(\w+)' still says TODO — (.*)$", check.err, re.M)
    assert len(reported) == 6
    assert {f: h for _, f, h in reported} == {"title": "write the project's title",
                                               "summary": "write a short summary (one or two sentences)",
                                               "body": "write the project's text, or delete 'body' (it is optional)"}
    assert "6 problems." in check.err

    filled = after.replace("he: TODO", "he: מרפאות משותפות").replace("en: TODO", "en: Shared clinics")
    filled = re.sub(r"(he: \|\n +)TODO", r"\1טקסט.", filled)
    filled = re.sub(r"(en: \|\n +)TODO", r"\1Text.", filled)
    (root / "data" / "cohorts" / "a.yaml").write_text(filled, encoding="utf-8")
    built = run(capsys, "build", "--source", str(root))
    assert built.code == 0, built.err
    page = (root / "site" / "en" / "cohorts" / "a" / "shared-clinics" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Shared clinics</h1>" in page and "<p>Text.</p>" in page
    assert 'class="status status-planned">Planned<' in page


def test_the_todo_markers_are_reported_at_their_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = real_data_site(tmp_path)
    run(capsys, "new", "project", "--cohort", "a", "shared-clinics", "--source", str(root))
    text = (root / "data" / "cohorts" / "a.yaml").read_text(encoding="utf-8").splitlines()
    at = {line.strip(): i for i, line in enumerate(text, 1) if "slug: shared-clinics" in line}
    start = at["- slug: shared-clinics"]
    check = run(capsys, "check", "--source", str(root))
    assert check.err.splitlines()[:6] == [
        f"data/cohorts/a.yaml:{start + 3}: 'title' still says TODO — write the project's title",
        f"data/cohorts/a.yaml:{start + 4}: 'title' still says TODO — write the project's title",
        f"data/cohorts/a.yaml:{start + 6}: 'summary' still says TODO — write a short summary (one or two sentences)",
        f"data/cohorts/a.yaml:{start + 7}: 'summary' still says TODO — write a short summary (one or two sentences)",
        f"data/cohorts/a.yaml:{start + 10}: 'body' still says TODO — write the project's text, or delete 'body' (it is optional)",
        f"data/cohorts/a.yaml:{start + 12}: 'body' still says TODO — write the project's text, or delete 'body' (it is optional)",
    ]
    assert text[start + 2] == "      he: TODO" and text[start + 9] == "      he: |"  # a cohort of its own file: at column 0


def test_new_project_appends_after_the_last_project_before_the_next_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohorts = (cohort_entry("a", [project_entry("first")]).rstrip("\n") + "\n  # the video, when there is one\n  video: \"\"\n"
               + cohort_entry("b", []))
    make_site(tmp_path, {**VOCABULARIES, "data/cohorts.yaml": cohorts})
    assert run(capsys, "new", "project", "--cohort", "a", "second", "--source", str(tmp_path)).code == 0
    text = (tmp_path / "data" / "cohorts.yaml").read_text(encoding="utf-8")
    assert text.index("- slug: first") < text.index("- slug: second") < text.index("# the video") < text.index("- id: b")
    assert text.count("      status: planned   # planned, active or completed") == 1
    raw, problems = parse_yaml(text, "data/cohorts.yaml")
    assert problems == [] and [p["slug"] for p in raw[0]["projects"]] == ["first", "second"] and raw[0]["video"] == ""


def test_new_project_in_a_cohort_of_its_own_file_and_without_projects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {**VOCABULARIES, "data/cohorts.yaml": "- id: a\n  name: A\n",
                         "data/cohorts/b.yaml": "# Cohort B\nid: b\nname: B\nvideo: \"\"\n"})
    assert run(capsys, "new", "project", "--cohort", "b", "one", "--source", str(tmp_path)).code == 0
    assert run(capsys, "new", "project", "--cohort", "a", "two", "--source", str(tmp_path)).code == 0  # a: no projects key yet
    b = (tmp_path / "data" / "cohorts" / "b.yaml").read_text(encoding="utf-8")
    assert b.startswith("# Cohort B\nid: b\nname: B\nvideo: \"\"\nprojects:\n  - slug: one\n")
    a = (tmp_path / "data" / "cohorts.yaml").read_text(encoding="utf-8")
    assert "  projects:\n    - slug: two\n" in a
    check = run(capsys, "check", "--source", str(tmp_path))
    assert check.code == 1 and check.err.count("still says TODO") == 12


@pytest.mark.parametrize("args, message", [
    (["--cohort", "z", "x"], "build.py new project: error: no cohort 'z' in data/cohorts.yaml or data/cohorts/ (known: a) "
                             "— add the cohort first, or use one of these ids"),
    (["--cohort", "a", "taken"], "build.py new project: error: the slug 'taken' is taken (cohort 'a', data/cohorts.yaml) — choose another slug"),
    (["--cohort", "a", "מרפאה"], "build.py new project: error: 'מרפאה' is not a safe slug — the slug is the project's web address "
                                 "(/cohorts/<cohort>/<slug>/): choose a short name in lowercase Latin letters, digits and single "
                                 "hyphens, even for a Hebrew title (e.g. 'shared-clinics')"),
    (["--cohort", "a", "orphan"], "build.py new project: error: content/projects/orphan.he.md exists already, and would be this new "
                                  "project's text — choose another slug, or delete the file"),
])
def test_new_project_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    make_site(tmp_path, {**VOCABULARIES, "data/cohorts.yaml": cohort_entry("a", [project_entry("taken")]),
                         "content/projects/orphan.he.md": "טקסט.\n"})
    before = (tmp_path / "data" / "cohorts.yaml").read_bytes()
    result = run(capsys, "new", "project", *args, "--source", str(tmp_path))
    assert (result.code, result.err) == (1, message + "\n")
    assert (tmp_path / "data" / "cohorts.yaml").read_bytes() == before


def test_new_project_refuses_a_one_line_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"data/cohorts.yaml": "- id: a\n  name: A\n  projects: [{slug: x}]\n"})
    result = run(capsys, "new", "project", "--cohort", "a", "y", "--source", str(tmp_path))
    assert result.code == 1
    assert "line 3: 'projects:' is written on one line — write its projects as a list" in result.err


def test_new_page_creates_both_languages_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path)
    result = run(capsys, "new", "page", "about/history", "--source", str(tmp_path))
    assert result.code == 0
    assert result.out.startswith("Created content/about/history.he.md and content/about/history.en.md.")
    for lang in ("he", "en"):
        assert (tmp_path / "content" / "about" / f"history.{lang}.md").read_text(encoding="utf-8") == \
            "---\ntitle: TODO\ndescription: TODO\n---\nTODO\n"
    again = run(capsys, "new", "page", "about/history", "--source", str(tmp_path))
    assert (again.code, again.err) == (1, "build.py new page: error: content/about/history.he.md exists already — "
                                          "choose another path, or edit that file\n")
    check = run(capsys, "check", "--source", str(tmp_path))
    assert "content/about/history.en.md:2: 'title' still says TODO — write the page's title" in check.err
    assert ("content/about/history.en.md:3: 'description' still says TODO — write the page's description "
            "(a sentence for search engines and link previews)") in check.err
    assert "content/about/history.he.md:5: the text still says TODO — write the page's text" in check.err
    bad = run(capsys, "new", "page", "about/היסטוריה", "--source", str(tmp_path))
    assert (bad.code, bad.err) == (1, "build.py new page: error: 'היסטוריה' cannot be part of a web address — name pages with "
                                      "lowercase Latin letters, digits and hyphens, e.g. about/history\n")


def test_new_without_a_kind_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path)
    assert run(capsys, "new", "--source", str(tmp_path)).code == 2


def test_a_todo_in_a_project_text_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {**VOCABULARIES, "data/cohorts.yaml": cohort_entry("a", [project_entry("x")]),
                         "content/projects/x.en.md": "Text.\n\nTODO: the results.\n"})
    check = run(capsys, "check", "--source", str(tmp_path))
    assert ("content/projects/x.en.md:3: the text still says TODO — write the project's text (or delete the file: the text "
            "is optional)") in check.err


def test_the_entry_uses_the_configured_languages() -> None:
    lines = entry_text("x", ["he", "en", "ar"], datetime.date(2026, 11, 29))
    assert "    ar: TODO" in lines and "  date: 2026-11-29   # YYYY-MM-DD: orders the lists and the feed, newest first" in lines
    raw, _ = parse_yaml("- id: a\n  name: A\n  projects: []   # none yet\n", "x.yaml")
    text = insert_project("- id: a\n  name: A\n  projects: []   # none yet\n", raw[0], ["- slug: x"])
    assert text == "- id: a\n  name: A\n  projects: # none yet\n    - slug: x\n"


def test_new_page_says_when_its_folder_has_no_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path)  # content/about.<lang>.md exist: /about/ is a page
    assert "note:" not in run(capsys, "new", "page", "about/history", "--source", str(tmp_path)).out
    result = run(capsys, "new", "page", "people/team/board", "--source", str(tmp_path))
    assert result.code == 0
    assert result.out.splitlines()[2:] == [
        "note: the folder people has no page of its own, so its address shows the page-not-found page — "
        "to give it one: python build.py new page people",
        "note: the folder people/team has no page of its own, so its address shows the page-not-found page — "
        "to give it one: python build.py new page people/team",
    ]
