"""``python build.py launch``: the facts the programme must still supply before the site goes live, each at its file
and line with its field, in the editor's language (the site's first language, Hebrew; English with --messages en); exit 0 whatever it
lists. The publishing workflow prints it as its summary and never fails on it: the step's own script is run here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from catalogue_fixture import VOCABULARIES, cohort_entry, project_entry
from conftest import REPO, SITE_YAML, copy_fixture_site
from sitefactory import make_site, run

from sitegen.checks.launch import footer, heading, nothing_missing

PARTNER_URL_LINE = SITE_YAML.splitlines().index("    url: https://example.org/") + 1

COMPLETE = SITE_YAML.replace("institute:\n", """\
owner:
  name:
    he: הגוף המפעיל
    en: The Running Body
  address:
    he: רחוב הדוגמה 1
    en: 1 Example Street
cms:
  repo: merhav-org/merhav-site
  auth_url: https://auth.example.org/auth
institute:
  newsletter_url: https://example.org/news
""") + """\
accessibility:
  coordinator:
    name: Dana Levi
    phone: 02-555 0101
    email: access@example.org
  updated: 2026-12-01
"""


def _lines(out: str) -> list[tuple[str, str]]:
    """(path:line, field) of every fact listed."""
    return re.findall(r"^  (\S+:\d+)  (.+?) — ", out, re.M)


def _at(text: str, line: str) -> int:
    """The line number of ``line`` in ``text``."""
    return text.splitlines().index(line) + 1


def test_everything_missing_is_listed_at_its_line_in_hebrew(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site_yaml = SITE_YAML.replace("    url: https://example.org/\n", '    url: ""\n').replace("institute:\n", """\
owner:
  name: ""
institute:
  newsletter_url: ""
""") + "accessibility:\n  coordinator:\n    name: ''\n    phone: ''\n    email: ''\n"
    cohorts = cohort_entry("a", []) + '  video: ""\n  projects_url: ""\n' + cohort_entry("b", [project_entry("p01")]) + \
        "  video: https://example.org/v\n"
    make_site(tmp_path, {"data/site.yaml": site_yaml, "data/cohorts.yaml": cohorts, **VOCABULARIES})
    result = run(capsys, "launch", "--source", str(tmp_path), "--messages", "he")
    assert result.code == 0 and result.err == ""
    assert _lines(result.out) == [
        (f"data/site.yaml:{_at(site_yaml, '    url: ' + chr(34) * 2)}", "partners[1].url"),
        (f"data/site.yaml:{_at(site_yaml, '  name: ' + chr(34) * 2)}", "owner.name, owner.address"),
        (f"data/site.yaml:{_at(site_yaml, '  newsletter_url: ' + chr(34) * 2)}", "institute.newsletter_url"),
        (f"data/site.yaml:{_at(site_yaml, 'accessibility:')}", "accessibility.updated"),  # not written: its section's line
        (f"data/site.yaml:{_at(site_yaml, '    name: ' + chr(39) * 2)}", "accessibility.coordinator.name"),
        (f"data/site.yaml:{_at(site_yaml, '    phone: ' + chr(39) * 2)}", "accessibility.coordinator.phone"),
        (f"data/site.yaml:{_at(site_yaml, '    email: ' + chr(39) * 2)}", "accessibility.coordinator.email"),
        (f"data/site.yaml:{len(site_yaml.splitlines()) + 1}", "cms.repo"),  # no cms: key: where it goes, the end
        (f"data/cohorts.yaml:{_at(cohorts, '  video: ' + chr(34) * 2)}", "video"),
        (f"data/cohorts.yaml:{_at(cohorts, '  projects_url: ' + chr(34) * 2)}", "projects_url"),
    ]  # cohort b has a project and a video: nothing to ask
    assert result.out.startswith(heading(10).localized("he") + "\n")
    assert "partners[1].url — כתובת האתר של שותף\n" in result.out
    assert "video — הכתובת של הסרטון המסכם את מחזור a\n" in result.out
    assert result.out.endswith(footer().localized("he") + "\n")


def test_in_english_and_with_keys_absent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A field whose key is not written yet is listed at its parent's line (a cohort: its first line)."""
    cohorts = cohort_entry("a", [])
    make_site(tmp_path, {"data/cohorts.yaml": cohorts, **VOCABULARIES})
    result = run(capsys, "launch", "--source", str(tmp_path), "--messages", "en")
    assert result.code == 0
    listed = dict((field, place) for place, field in _lines(result.out))
    assert listed["projects_url"] == listed["video"] == "data/cohorts.yaml:1"
    assert "partners[1].url" not in listed  # the partner has its address
    assert listed["accessibility.updated"] == f"data/site.yaml:{len(SITE_YAML.splitlines()) + 1}"  # no accessibility: key
    assert "accessibility.updated — the date the accessibility statement was last updated, as YYYY-MM-DD\n" in result.out
    assert "video — the address of the video summing up Cohort A\n" in result.out
    assert result.out.startswith(heading(len(listed)).localized("en"))


def test_nothing_missing_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohorts = cohort_entry("a", [project_entry("p01")]) + "  video: https://example.org/v\n"
    make_site(tmp_path, {"data/site.yaml": COMPLETE, "data/cohorts.yaml": cohorts, **VOCABULARIES})
    for lang in ("he", "en"):
        result = run(capsys, "launch", "--source", str(tmp_path), "--messages", lang)
        assert (result.code, result.out, result.err) == (0, nothing_missing().localized(lang) + "\n", "")


def test_a_repository_without_a_sign_in_service_is_listed_at_its_cms_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without auth_url Decap sends editors to Netlify's sign-in, which fails on any other host: the list asks for it."""
    site_yaml = COMPLETE.replace("  auth_url: https://auth.example.org/auth\n", "")
    cohorts = cohort_entry("a", [project_entry("p01")]) + "  video: https://example.org/v\n"
    make_site(tmp_path, {"data/site.yaml": site_yaml, "data/cohorts.yaml": cohorts, **VOCABULARIES})
    result = run(capsys, "launch", "--source", str(tmp_path), "--messages", "en")
    assert _lines(result.out) == [(f"data/site.yaml:{_at(site_yaml, 'cms:')}", "cms.auth_url")]
    assert "nobody can sign in to the editing forms on the published site" in result.out


def test_content_that_cannot_be_read_is_reported_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"data/site.yaml": SITE_YAML + "owner:\n  url: owner.example.org\n"})
    result = run(capsys, "launch", "--source", str(tmp_path))
    assert result.code == 1 and result.out == ""
    assert "is not a web address" in result.err and result.err.startswith("data/site.yaml:")


def _workflow_step() -> str:
    """The run: script of pages.yml's launch step."""
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job.get("steps", []) if "build.py launch" in s.get("run", "")]
    assert len(steps) == 1, "pages.yml runs `python build.py launch` in one step"
    assert steps[0].get("if") == "${{ !cancelled() }}" and not steps[0].get("continue-on-error")
    return steps[0]["run"]


def _run_step(folder: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    """The step's script in ``folder`` (holding build.py and a site), as GitHub's runner does: bash -e."""
    shutil.copy(REPO / "build.py", folder / "build.py")
    bin_dir = folder / ".bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO),
           "GITHUB_STEP_SUMMARY": str(summary)}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("MERHAV_MESSAGES", None)  # as on GitHub: the list in the site's first language
    return subprocess.run(["bash", "-e", "-c", _workflow_step()], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_workflow_step_writes_the_list_as_the_summary(tmp_path: Path) -> None:
    site = copy_fixture_site(tmp_path / "site")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps' summary\n", encoding="utf-8")
    done = _run_step(site, summary)
    assert done.returncode == 0, done.stderr
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier steps' summary\n### " + heading(0).localized("he").split("(")[0])
    items = re.findall(r"^- `(data/[^`:]+):(\d+)` `([^`]+)` — ", written, re.M)
    assert items and ("data/site.yaml", "accessibility.coordinator.name") in {(p, f) for p, _, f in items}
    for path, line, _ in items:  # every place exists
        assert 1 <= int(line) <= len((site / path).read_text(encoding="utf-8").splitlines()) + 1, (path, line)
    assert done.stdout.strip() == written.removeprefix("earlier steps' summary\n").strip()  # in the log too


def test_the_workflow_step_never_fails_on_content_errors(tmp_path: Path) -> None:
    site = copy_fixture_site(tmp_path / "site")
    (site / "data/cohorts.yaml").write_text("- id: a\n  name: [\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    done = _run_step(site, summary)
    assert done.returncode == 0, done.stderr
    assert summary.read_text(encoding="utf-8").startswith("The list could not be made: the content has errors")
    assert "data/cohorts.yaml:" in done.stderr
