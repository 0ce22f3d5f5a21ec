"""The project installs like a Python project: pyproject.toml declares the engine and its dependencies,
uv.lock pins every version (transitive ones too, with hashes), the requirements files are that lock's
export for pip, the wheel holds the engine only, and its ``merhav-site`` command builds a site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from browser_support import require
from conftest import REPO, copy_fixture_site

from sitegen import __version__

pytestmark = pytest.mark.slow
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
EXPORTS = {
    "requirements.txt": ["--no-dev"],
    "requirements-dev.txt": ["--group", "dev"],
}


def _name(requirement: str) -> str:
    return re.split(r"[\s;=<>!~\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_the_lock_was_made_from_this_pyproject() -> None:
    """uv.lock records the project's requirements as it resolved them: the same names and versions as pyproject.toml."""
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    project = next(p for p in lock["package"] if p["name"] == PYPROJECT["project"]["name"])
    locked = {r["name"]: r.get("specifier", "") for r in project["metadata"]["requires-dist"]}
    declared = {_name(r): r for r in PYPROJECT["project"]["dependencies"]}
    assert set(locked) == set(declared), "run `uv lock` after changing [project] dependencies"
    for name, spec in locked.items():
        assert spec.replace(" ", "") in declared[name].replace(" ", ""), (name, spec, declared[name])
    locked_dev = {r["name"]: r.get("specifier", "") for r in project["metadata"]["requires-dev"]["dev"]}
    declared_dev = {_name(r): r for r in PYPROJECT["dependency-groups"]["dev"]}
    assert set(locked_dev) == set(declared_dev), "run `uv lock` after changing the dev group"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_requirements_files_are_the_export_of_the_lock(name: str) -> None:
    uv = shutil.which("uv")
    require("uv (pip install -r requirements-dev.txt)", uv)
    done = subprocess.run([str(uv), "export", "--frozen", "--no-emit-project", *EXPORTS[name]],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    exported = [line for line in done.stdout.splitlines() if not line.startswith("#")]
    written = [line for line in (REPO / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert written == exported, f"{name} is not the export of uv.lock: uv export --frozen --no-emit-project {' '.join(EXPORTS[name])} -o {name}"
    lines = done.stdout.splitlines()
    pins = [i for i, line in enumerate(lines) if re.match(r"^[A-Za-z0-9_.-]+==", line)]
    assert pins and all(lines[i + 1].strip().startswith("--hash=sha256:") for i in pins), "every pin carries its hashes"


def test_every_pinned_version_is_installed_here() -> None:
    """The tests run on the versions the lock names (a stale environment would test something else)."""
    from importlib.metadata import PackageNotFoundError, version

    wrong = []
    for line in (REPO / "requirements-dev.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)(?:\s*;\s*(.*?))?\s*\\?$", line)
        if not match:
            continue
        name, pinned, marker = match.groups()
        if marker and not _marker_applies(marker):
            continue
        try:
            found = version(name)
        except PackageNotFoundError:
            found = "not installed"
        if found != pinned:
            wrong.append(f"{name}: {found}, the lock says {pinned}")
    assert not wrong, "run: python -m pip install -r requirements-dev.txt\n  " + "\n  ".join(wrong)


def _marker_applies(marker: str) -> bool:
    from packaging.markers import Marker

    return bool(Marker(marker).evaluate())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    project = out / "project"  # a copy: setuptools writes build/ and *.egg-info beside pyproject.toml
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, project / name)
    shutil.copytree(REPO / "sitegen", project / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(project)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_wheel_holds_the_engine_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    info = f"merhav_site-{__version__}.dist-info/"
    assert wheel.name.startswith(f"merhav_site-{__version__}-py3-none-any")
    assert not [n for n in names if not n.startswith(("sitegen/", info))], "only sitegen/ is packaged"
    engine = {p.relative_to(REPO).as_posix() for p in (REPO / "sitegen").rglob("*.py")}
    assert engine <= set(names), engine - set(names)
    assert "sitegen/messages/he.po" in names, "the Hebrew messages are part of the engine"
    entry_points = zipfile.ZipFile(wheel).read(info + "entry_points.txt").decode()
    assert "merhav-site = sitegen.cli:console" in entry_points
    metadata = zipfile.ZipFile(wheel).read(info + "METADATA").decode()
    required = {_name(line.split(":", 1)[1]) for line in metadata.splitlines() if line.startswith("Requires-Dist:")}
    assert required == {_name(r) for r in PYPROJECT["project"]["dependencies"]}


def test_the_installed_command_builds_a_site(wheel: Path, tmp_path: Path) -> None:
    """Installed into a fresh virtual environment (its dependencies from this one), ``merhav-site`` builds
    the fixture site from the folder it is run in, and ``python -m sitegen`` answers too. The environment is made
    without a pip of its own (ensurepip was ~7 s of CPU, most of the test): this one's pip, run by the environment's
    python, installs into the environment."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    site = copy_fixture_site(tmp_path / "src")
    where = subprocess.run([str(python), "-c", "import sitegen; print(sitegen.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert where.stdout.startswith(str(venv)), f"the installed engine is used, not the repository's: {where.stdout}"
    built = subprocess.run([str(venv / "bin" / "merhav-site"), "build"], cwd=site, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built site:") and (site / "site" / "en" / "index.html").is_file()
    checked = subprocess.run([str(python), "-m", "sitegen", "check", "--source", str(site)], cwd=tmp_path,
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0 and checked.stdout.startswith("No problems found."), checked.stderr
    hebrew = subprocess.run([str(python), "-m", "sitegen", "check", "--source", str(site)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300, env={k: v for k, v in os.environ.items() if k != "MERHAV_MESSAGES"})
    assert hebrew.returncode == 0 and hebrew.stdout.startswith("לא נמצאו בעיות."), "the installed engine speaks the site's language"
