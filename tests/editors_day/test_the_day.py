"""The editor's day itself: ``check`` and ``build`` pass on the edited copy, and every test of tests/real_site/ that
depends on the content has its module here, so none of them is left out of the day."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from real_site.served_site import build_lock

from .day import GUIDE_SLUG, Day, build_py

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent
REAL_SITE = HERE.parent / "real_site"


def test_the_day_passes_check_and_builds(day: Day, tmp_path: Path) -> None:
    checked = build_py(day.source, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with build_lock(day.source):  # the copy's .cache/ is written by one build at a time
        built = build_py(day.source, "build", "--out", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    for lang in ("", "en/"):
        assert (tmp_path / "site" / f"{lang}cohorts/{day.cohort}/{GUIDE_SLUG}/index.html").is_file()


def _tests(module: str) -> set[str]:
    """The test functions of a module that are not gate checks."""
    loaded = importlib.import_module(module)
    return {name for name, obj in vars(loaded).items() if name.startswith("test_") and inspect.isfunction(obj)
            and not any(mark.name == "gate_check" for mark in getattr(obj, "pytestmark", ()))}


def test_every_real_site_test_of_the_content_runs_on_the_day() -> None:
    """A test module added to tests/real_site/ needs its one-line counterpart here (``from real_site.X import *``)."""
    missing = []
    for path in sorted(REAL_SITE.glob("test_*.py")):
        wanted = _tests(f"real_site.{path.stem}")
        if wanted and not (HERE / path.name).is_file():
            missing.append(f"tests/editors_day/{path.name} (for {sorted(wanted)})")
        elif wanted:
            assert wanted <= _tests(f"editors_day.{path.stem}"), path.name
    assert not missing, "tests of the content that the editor's day does not run:\n  " + "\n  ".join(missing)


def test_a_push_of_content_only_does_not_run_the_day() -> None:
    """The content-only set (.github/workflows/test.yml: the real-site tests and the hosting tests, ≤ 2 min) judges
    the content pushed; the day's copy is the engine's test (a template or a check that would refuse an editor's
    valid change), run with the whole suite."""
    workflow = (HERE.parents[1] / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    folders = re.findall(r"REAL_SITE_TESTS: (\S+)", workflow)
    command = re.findall(r'python -m pytest "\$REAL_SITE_TESTS"(.*)', workflow)
    assert folders == ["tests/real_site"] and command, "the workflow's content-only set is not where this test looks"
    paths = [HERE.parents[1] / p for p in [*folders, *command[0].split()]]
    assert paths and all(p.exists() and not HERE.is_relative_to(p) for p in paths), paths
