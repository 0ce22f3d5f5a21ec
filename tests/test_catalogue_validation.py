"""Every reference of the catalogue is checked, each problem reported once at its path:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from catalogue_fixture import GRADUATES, VOCABULARIES, cohort_entry, project_entry
from sitefactory import make_site, run


def problems(capsys: pytest.CaptureFixture[str], root: Path, files: dict[str, str | None]) -> list[str]:
    make_site(root, {**VOCABULARIES, **files})
    result = run(capsys, "check", "--source", str(root))
    return [line for line in result.err.splitlines() if line and not line.endswith("problem.") and not line.endswith("problems.")]


def one_cohort(*projects: str, graduates: str = GRADUATES) -> dict[str, str | None]:
    return {"data/cohorts.yaml": cohort_entry("a", list(projects), graduates)}


CASES = {
    "unknown ministry, with a suggestion": (
        one_cohort(project_entry("x", ministries="[helth]")),
        ["data/cohorts.yaml:20: unknown ministry or authority 'helth' — use an id from data/ministries.yaml "
         "(known: health, jerusalem); did you mean 'health'?"],
    ),
    "unknown topic": (
        one_cohort(project_entry("x", topics="[housing, transport]")),
        ["data/cohorts.yaml:21: unknown topic 'transport' — use an id from data/topics.yaml (known: housing)"],
    ),
    "a ministry listed twice": (
        one_cohort(project_entry("x", ministries="[health, health]")),
        ["data/cohorts.yaml:20: the ministry or authority 'health' is listed twice — remove one"],
    ),
    "a team member who is not a graduate": (
        one_cohort(project_entry("x", team="[dana-levy]")),
        ["data/cohorts.yaml:22: 'dana-levy' is not a graduate of cohort 'a' — add the person to the cohort's graduates "
         "(id, name, role) and use that id (known: dana-levi); did you mean 'dana-levi'?"],
    ),
    "a team member of another cohort": (
        {"data/cohorts.yaml": cohort_entry("a", [project_entry("x", team="[dana-levi]")], graduates="")
         + cohort_entry("b", [], graduates=GRADUATES)},
        ["data/cohorts.yaml:17: 'dana-levi' is a graduate of cohort 'b', not of cohort 'a' — a project's team comes from "
         "its own cohort's graduates"],
    ),
    "a graduate id used twice": (
        one_cohort(graduates=GRADUATES + GRADUATES.replace("  graduates:\n", "")),
        ["data/cohorts.yaml:10: the graduate id 'dana-levi' is used twice in cohort 'a' (first at line 6) — each graduate "
         "needs their own id"],
    ),
    "a slug used twice in one file": (
        one_cohort(project_entry("x"), project_entry("x")),
        ["data/cohorts.yaml:23: the project slug 'x' is used twice (first at line 11, cohort 'a') — each must be unique: "
         "the slug is the project's web address"],
    ),
    "a slug used twice across files": (
        {**one_cohort(project_entry("x")),
         "data/cohorts/b.yaml": cohort_entry("b", [project_entry("x")]).replace("- id", "id").replace("\n  ", "\n")},
        # both places named, each pointing at the other: the order files are read in does not say which is the newer
        ["data/cohorts.yaml:11: the project slug 'x' is also used in data/cohorts/b.yaml:6 (cohort 'b') — each project needs "
         "a slug of its own, its web address: change the slug of the one added last",
         "data/cohorts/b.yaml:6: the project slug 'x' is also used in data/cohorts.yaml:11 (cohort 'a') — each project needs "
         "a slug of its own, its web address: change the slug of the one added last"],
    ),
    "a cohort id used twice across files": (
        {**one_cohort(), "data/cohorts/a.yaml": "id: a\nname: A\n"},
        ["data/cohorts/a.yaml:1: the cohort id 'a' is used twice (first at data/cohorts.yaml:1) — each must be unique"],
    ),
    "a cohort file named after another id": (
        {**one_cohort(), "data/cohorts/b.yaml": "id: c\nname: C\n"},
        ["data/cohorts/b.yaml:1: the cohort id 'c' differs from the file's name — rename the file to data/cohorts/c.yaml, "
         "or change the id to 'b'"],
    ),
    "a cohort file holding a list": (
        {**one_cohort(), "data/cohorts/b.yaml": "- id: b\n  name: B\n"},
        ["data/cohorts/b.yaml:1: one cohort per file: write its fields (id: …, name: …) at the top level, not as a list item ('- ')"],
    ),
    "a Hebrew slug": (
        one_cohort(project_entry("מרפאות")),
        ["data/cohorts.yaml:11: 'slug': 'מרפאות' is not a safe slug — the slug is the project's web address "
         "(/cohorts/<cohort>/<slug>/): choose a short name in lowercase Latin letters, digits and single hyphens, even for a "
         "Hebrew title (e.g. 'shared-clinics')"],
    ),
    "a percent-encoded slug": (
        one_cohort(project_entry("x%D7%90")),
        ["data/cohorts.yaml:11: 'slug': 'x%D7%90' is not a safe slug — the slug is the project's web address "
         "(/cohorts/<cohort>/<slug>/): choose a short name in lowercase Latin letters, digits and single hyphens, even for a "
         "Hebrew title (e.g. 'shared-clinics')"],
    ),
    "the reserved slug page": (
        one_cohort(project_entry("page")),
        ["data/cohorts.yaml:11: the slug 'page' is kept for the pages of long lists (…/page/2/) — choose another slug"],
    ),
    "a missing date": (
        one_cohort(project_entry("x").replace("      date: 2025-01-01\n", "")),
        ["data/cohorts.yaml:11: required field 'date' is missing — add `date: …`"],
    ),
    "a date that is not a date": (
        one_cohort(project_entry("x", date="soon")),
        ["data/cohorts.yaml:18: 'date' must be a date written as YYYY-MM-DD, not 'soon'"],
    ),
    "an unknown status": (
        one_cohort(project_entry("x").replace("status: active", "status: done")),
        ["data/cohorts.yaml:19: 'status' must be 'planned', 'active' or 'completed', not 'done' — write one of these"],
    ),
    "a link without an address": (
        one_cohort(project_entry("x", extra="      links:\n        - label: site\n          url: \"\"\n")),
        ["data/cohorts.yaml:25: 'url': the link has no address — write it in full, starting with https://"],
    ),
    "an empty title": (
        one_cohort(project_entry("x").replace("he: פרוייקט x", "he: \"\"")),
        ["data/cohorts.yaml:13: 'title' (he) is empty — write the project's title"],
    ),
    "an image that is not in static/": (
        one_cohort(project_entry("x", extra="      image: images/x.jpg\n      image_alt: A picture\n")),
        ["data/cohorts.yaml:23: the image 'images/x.jpg' is not in static/ — put the file at static/images/x.jpg"],
    ),
    "an image without alt text": (
        one_cohort(project_entry("x", extra="      image: images/photo.png\n")),
        ["data/cohorts.yaml:23: an image needs image_alt: a short description of the picture in each language"],
    ),
    "a text inline and in a file": (
        {**one_cohort(project_entry("x", extra="      body:\n        he: |\n          טקסט.\n")),
         "content/projects/x.he.md": "טקסט.\n"},
        ["data/cohorts.yaml:23: the project 'x' has a 'body' here and a text file content/projects/x.he.md — keep one of them"],
    ),
    "a text file of no project": (
        {**one_cohort(project_entry("x")), "content/projects/y.en.md": "Text.\n"},
        ["content/projects/y.en.md: no project with the slug 'y' — rename the file after a project's slug "
         "(content/projects/<slug>.en.md), or add the project to data/cohorts.yaml"],
    ),
    "a text file with front matter": (
        {**one_cohort(project_entry("x")), "content/projects/x.en.md": "---\ntitle: X\n---\nText.\n"},
        ["content/projects/x.en.md:1: a project's text file has no front matter: its title and other fields are in "
         "data/cohorts.yaml — delete the lines from the first '---' to the second"],
    ),
    "a text file in an unknown language": (
        {**one_cohort(project_entry("x")), "content/projects/x.fr.md": "Texte.\n"},
        ["content/projects/x.fr.md: a project's text file is named content/projects/<slug>.<language>.md (.he.md, .en.md) "
         "— rename the file"],
    ),
    "a link in a project's text to a project that does not exist": (
        {**one_cohort(project_entry("x")), "content/projects/x.en.md": "Text.\n\nSee [y](y.en.md).\n"},
        ["content/projects/x.en.md:3: link to a page that does not exist: content/projects/y.en.md — write the path of the "
         "target's .md file relative to this file (e.g. ../programme.en.md)"],
    ),
    "a link in an inline text, at its line": (
        one_cohort(project_entry("x", extra="      body:\n        en: |\n          Text.\n\n          See [y](y.en.md).\n")),
        ["data/cohorts.yaml:27: link to a page that does not exist: content/projects/y.en.md — write the path of the "
         "target's .md file relative to this file (e.g. ../programme.en.md)"],
    ),
    "a vocabulary id used twice": (
        {**one_cohort(), "data/topics.yaml": VOCABULARIES["data/topics.yaml"] * 2},
        ["data/topics.yaml:5: the id 'housing' is used twice (first at line 1) — each term needs its own id"],
    ),
    "a ministry of an unknown kind": (
        {**one_cohort(), "data/ministries.yaml": "- id: x\n  name: X\n  kind: office\n"},
        ["data/ministries.yaml:3: 'kind' must be 'ministry' or 'authority', not 'office' — write one of these"],
    ),
    "a testimonial of a cohort from its own file is fine, of an unknown one is not": (
        {"data/cohorts.yaml": "[]\n", "data/cohorts/a.yaml": "id: a\nname: A\n",
         "data/testimonials.yaml": "- id: t\n  cohort: b\n  name: n\n  role: r\n  organisation: o\n  quote: q\n"},
        ["data/testimonials.yaml:2: unknown cohort 'b' — use the id of a cohort in data/cohorts/ (a), or leave it empty"],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_catalogue_problems_are_reported_at_their_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        files: dict[str, str | None], expected: list[str]) -> None:
    assert problems(capsys, tmp_path, files) == expected


def test_a_valid_catalogue_has_no_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = one_cohort(project_entry("x", ministries="[health, jerusalem]", topics="[housing]", team="[dana-levi]",
                                     extra="      partners:\n        - he: עמותה\n          en: An association\n"))
    assert problems(capsys, tmp_path, files) == []
    assert run(capsys, "build", "--source", str(tmp_path)).code == 0
    assert (tmp_path / "site" / "cohorts" / "a" / "x" / "index.html").is_file()
    assert (tmp_path / "site" / "en" / "ministries" / "jerusalem" / "index.html").is_file()
