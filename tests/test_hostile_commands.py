"""Tracebacks instead of messages, in the commands: a template that includes itself, one that is not UTF-8,
an output folder whose name is too long, and `new` with a page path the build would refuse (too long, too deep,
inside a language's folder, the 404 page's name), a project slug kept for the lists' pages, or a cohorts file
that is not UTF-8. Each is one message, and `new` writes nothing then."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitefactory import COHORTS_YAML, built_site, make_site, run, snapshot


def test_a_template_that_includes_itself_is_one_message_per_page_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    before = built_site(capsys, source)
    base = source / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("{% block main %}{% endblock %}",
                                                             "{% block main %}{% endblock %}{% include '_loop.html' %}", 1),
                    encoding="utf-8")
    (source / "templates/_loop.html").write_text("{% include '_loop.html' %}\n", encoding="utf-8")
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 1
    assert "Traceback" not in result.err and "RecursionError" not in result.err
    assert result.problems and all(
        line.startswith("templates/_loop.html:1: the template includes or extends itself, directly or through other templates, "
                        "without end — remove the loop (while rendering /") for line in result.problems), result.problems
    assert ("templates/_loop.html:1: the template includes or extends itself, directly or through other templates, without end — "
            "remove the loop (while rendering /)") in result.problems
    assert snapshot(source / "site") == before


def test_a_template_that_is_not_utf8_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    before = built_site(capsys, source)
    base = source / "templates/base.html"
    good = base.read_bytes()
    base.write_bytes(good + b"\n{# caf\xe9 #}\n")
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 1
    line = good.count(b"\n") + 2
    assert result.problems == [f"templates/base.html:{line}: the file is not UTF-8 text — save it again with the encoding UTF-8"]
    assert snapshot(source / "site") == before


def test_an_output_folder_whose_name_is_too_long_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    built_site(capsys, source)
    out = tmp_path / ("x" * 300)
    result = run(capsys, "build", "--source", str(source), "--out", str(out))
    assert result.code == 2
    assert result.err == f"build.py: error: cannot use the output folder {out} (File name too long) — choose another, e.g. {source / 'site'}\n"


@pytest.mark.parametrize("argv, message", [
    (["page", "a" * 300], "build.py new page: error: the name 'aaaaaaaaaaaaaaaaaaaa…' is 300 characters long; at most 80 — choose a shorter name"),
    (["page", "/".join(["a"] * 2000)], "build.py new page: error: the path has 2000 levels of folders; at most 8 — choose a shorter path, "
                                       "e.g. about/history"),
    (["page", "en/x"], "build.py new page: error: 'en' holds the pages of the language 'en' — write the path without it: new page x makes "
                       "the page in every language"),
    (["page", "404"], "build.py new page: error: the name '404' is kept for the page-not-found page, which the build makes itself — "
                      "choose another name"),
    (["project", "--cohort", "a", "page"], "build.py new project: error: the slug 'page' is kept for the pages of long lists (…/page/2/) — "
                                           "choose another slug"),
], ids=["long name", "deep path", "language folder", "404", "reserved slug"])
def test_new_refuses_what_the_build_would_refuse(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    source = tmp_path / "src"
    make_site(source, {"data/cohorts.yaml": COHORTS_YAML})
    before = snapshot(source)
    result = run(capsys, "new", *argv, "--source", str(source))
    assert result.code == 1
    assert result.err.strip() == message
    assert snapshot(source) == before


def test_new_project_on_a_cohorts_file_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src"
    make_site(source, {"data/cohorts.yaml": "- id: a\n  name: caf\xe9\n".encode("latin-1")})
    before = snapshot(source)
    result = run(capsys, "new", "project", "--cohort", "a", "shared-clinics", "--source", str(source))
    assert result.code == 1
    assert result.err.strip() == ("build.py new project: error: data/cohorts.yaml:2: the file is not UTF-8 text — save it again with the "
                                  "encoding UTF-8 — fix the file first (python build.py check lists every problem)")
    assert snapshot(source) == before
