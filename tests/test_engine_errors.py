"""Problems: all of them in one run, sorted, as ``path:line: message``; usage errors exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TinySite

from sitegen.cli import main

THREE_PROBLEMS = {
    "content/about.en.md": "---\ntitle: About\nlayuot: page\n---\n",
    "content/index.he.md": "---\ntitle: בית\n---\nראו [חסר](missing.he.md).\n",
    "data/strings/en.yaml": None,  # removed: the English interface texts are missing
}
EXPECTED = [
    "content/about.en.md:3: unknown field 'layuot' — did you mean 'layout'?",
    "content/index.he.md:4: link to a page that does not exist: content/missing.he.md — "
    "write the path of the target's .md file relative to this file (e.g. ../programme.he.md)",
    "data/strings/en.yaml: missing — the interface texts for 'en' (copy data/strings/he.yaml and translate it)",
]


def test_every_problem_of_every_file_is_reported_once_sorted(tiny: TinySite) -> None:
    tiny.write(THREE_PROBLEMS)
    code, out, err = tiny.run()
    assert code == 1
    assert out == ""
    assert err.splitlines() == [*EXPECTED, "", "Build failed: 3 problems; nothing was written, src/site is unchanged."]


def test_check_reports_the_same_problems(tiny: TinySite) -> None:
    tiny.write(THREE_PROBLEMS)
    code, out, err = tiny.run("check")
    assert code == 1
    assert err.splitlines() == [*EXPECTED, "", "3 problems."]


def test_github_actions_get_annotations_too(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tiny.write(THREE_PROBLEMS)
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[:6] == [
        EXPECTED[0],
        "::error file=content/about.en.md,line=3::unknown field 'layuot' — did you mean 'layout'?",
        EXPECTED[1],
        "::error file=content/index.he.md,line=4::" + EXPECTED[1].split(":4: ", 1)[1],
        EXPECTED[2],
        "::error file=data/strings/en.yaml::missing — the interface texts for 'en' (copy data/strings/he.yaml and translate it)",
    ]


def test_an_error_in_site_yaml_names_its_line(tiny: TinySite) -> None:
    site = (tiny.root / "data/site.yaml").read_text(encoding="utf-8")
    tiny.write({"data/site.yaml": site.replace("locale: en_GB", "locale: english").replace("page: about", "page: abuot")})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[:2] == [
        "data/site.yaml:18: unknown locale 'english' — write a locale such as he_IL or en_GB",
        "data/site.yaml:20: the menu points to page 'abuot', which does not exist — did you mean 'about'? "
        "(write the path of a file under content/ without language and .md)",
    ]


def test_a_template_typo_is_an_error_at_the_template_line(tiny: TinySite) -> None:
    page = (tiny.root / "templates/page.html").read_text(encoding="utf-8")
    tiny.write({"templates/page.html": page.replace("{{ content }}", "{{ content }}\n<p>{{ page.titel }}</p>")})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == "templates/page.html:4: UndefinedError: 'sitegen.model.site.Page object' has no attribute 'titel' (while rendering /)"


def test_a_template_syntax_error_is_an_error_at_the_template_line(tiny: TinySite) -> None:
    base = (tiny.root / "templates/base.html").read_text(encoding="utf-8")
    tiny.write({"templates/base.html": base.replace("{% endfor %}</nav>", "{% endfro %}</nav>")})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0].startswith("templates/base.html:15: template syntax error: Encountered unknown tag 'endfro'.")
    assert len([line for line in err.splitlines() if line.startswith("templates/")]) == 1


def test_a_missing_parent_template_is_an_error_at_the_extends_line(tiny: TinySite) -> None:
    page = (tiny.root / "templates/page.html").read_text(encoding="utf-8")
    tiny.write({"templates/page.html": page.replace('"base.html"', '"bsae.html"')})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == "templates/page.html:1: the template 'bsae.html' does not exist (while rendering /)"


def test_an_unknown_layout_is_an_error_at_the_layout_field(tiny: TinySite) -> None:
    tiny.write({"content/about.he.md": "---\ntitle: אודות\nlayout: gallery\n---\n"})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == "content/about.he.md:3: no template templates/gallery.html for layout 'gallery' — use one of: dated, listing, page"


def test_a_page_under_a_language_prefix_is_refused(tiny: TinySite) -> None:
    tiny.write({"content/en/news.he.md": "---\ntitle: חדשות\n---\n", "content/404.en.md": "---\ntitle: Lost\n---\n"})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/404.en.md: the name '404' is kept for the page-not-found page — rename the file",
        "content/en/news.he.md: the folder 'en' holds the pages of the language 'en' — rename the folder",
    ]


def test_a_static_file_that_would_overwrite_a_page_is_refused(tiny: TinySite) -> None:
    tiny.write({"static/about/index.html": "<p>old</p>", "static/robots.txt": "User-agent: *\n"})
    code, out, err = tiny.run()
    assert code == 1
    lines = err.splitlines()  # (a web page in static/ is also refused unless data/site.yaml lists it: issue 24)
    assert "static/about/index.html: would overwrite the page made from content/about.he.md — rename or remove the file" in lines
    assert "static/robots.txt: would overwrite the robots.txt the build makes — rename or remove the file" in lines


@pytest.mark.parametrize("args, message", [
    (["--bogus"], "build.py: error: unrecognized arguments: --bogus"),
    (["build", "--base-url", "merhav.example"], "build.py build: error: argument --base-url: 'merhav.example' is not an absolute address — write it as https://host/path/"),
    (["publish"], "build.py: error: argument command: invalid choice: 'publish' (choose from 'build', 'check')"),
])
def test_usage_errors_exit_2(tiny: TinySite, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code = main([*args, "--source", str(tiny.root)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines()[-1].startswith(message.removesuffix(")"))  # a new command may join the list
    assert not tiny.out.exists()


def test_a_source_that_is_not_a_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == f"build.py: error: --source {tmp_path / 'nowhere'} is not a folder\n"


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--help"]) == 0
    assert "--base-url" in capsys.readouterr().out


def test_files_a_syntax_error_stopped_reading_are_counted(tiny: TinySite) -> None:
    tiny.write({"data/things.yaml": "- a: [1\n", "content/about.en.md": "---\ntitle: [About\n---\nText.\n"})
    code, _, err = tiny.run("check")
    assert code == 1
    assert err.splitlines()[-1] == (
        "note: 2 files could not be read past their first mistake (content/about.en.md, data/things.yaml): a YAML syntax "
        "error stops the reading of its file — fix it and check again, more problems may show there")
    code, _, err = tiny.run()
    assert code == 1 and err.splitlines()[-1].startswith("note: 2 files could not be read past their first mistake")
