"""The workflows keep the build's cache (.cache/) between runs, with keys that change when what it depends on does.

Every cache file checks itself (the engine's fingerprint, its inputs' digests, a checksum: a stale one is never
used), so the keys decide only what is worth restoring:

- the build's cache (``.cache`` but the photos): restored only for the same engine (every file of sitegen/,
  which sitegen/incremental/fingerprint.py digests) and the same lock (requirements.txt pins the libraries the
  fingerprint names); after a change of templates, the same engine's last cache still serves (the page cache
  re-renders the layouts that changed);
- the photos' variants (``.cache/photos``): named by the original's digest and the encoding settings, but not by
  Pillow's version, so restored only for the same lock and the same encoding code;
- every run saves under a key of its own (``github.sha``: actions/cache never overwrites a key), and restores the
  newest of its prefix.

The keys are evaluated here the way Actions does (``hashFiles`` over the files its patterns match) on a small tree,
to show which change invalidates what. tests/test_cache_restore.py shows that a build from a restored cache is
byte for byte a cold one.
"""

from __future__ import annotations

import glob
import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen.incremental import fingerprint

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
ENGINE = Path(fingerprint.__file__).resolve().parents[1].name  # the package the fingerprint digests: sitegen
JOBS = [("pages.yml", "build", "build.py --out"), ("test.yml", "test", "pytest")]
"""(workflow, job, what its step that builds runs): the jobs that build the repository's content."""


def steps_of(workflow: str, job: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
    return data["jobs"][job]["steps"]  # type: ignore[no-any-return]


def cache_steps(workflow: str, job: str) -> list[dict[str, Any]]:
    return [s for s in steps_of(workflow, job) if str(s.get("uses", "")).startswith("actions/cache@")]


def paths(step: dict[str, Any]) -> list[str]:
    return [line.strip() for line in str(step["with"]["path"]).splitlines() if line.strip()]


def restore_keys(step: dict[str, Any]) -> list[str]:
    return [line.strip() for line in str(step["with"].get("restore-keys", "")).splitlines() if line.strip()]


def by_path(workflow: str, job: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the build's cache step, the photos' step)."""
    steps = cache_steps(workflow, job)
    photos = [s for s in steps if paths(s) == [".cache/photos"]]
    build = [s for s in steps if ".cache" in paths(s)]
    assert len(photos) == 1 and len(build) == 1, f"{workflow}: one actions/cache step for .cache/photos and one for .cache"
    return build[0], photos[0]


EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, root: Path, sha: str = "0" * 40) -> str:
    """A key as Actions makes it: ``hashFiles(patterns)`` over the files under ``root`` (a digest of their digests,
    empty when none matches), ``github.sha``, ``runner.os``."""
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression == "github.sha":
            return sha
        if expression == "runner.os":
            return "Linux"
        called = re.fullmatch(r"hashFiles\((.*)\)", expression)
        assert called, f"an expression this test does not know: {expression}"
        patterns = re.findall(r"'([^']*)'", called.group(1))
        files = sorted({f for p in patterns for f in glob.glob(p, root_dir=root, recursive=True) if (root / f).is_file()})
        if not files:
            return ""
        outer = hashlib.sha256()
        for f in files:
            outer.update(hashlib.sha256((root / f).read_bytes()).digest())
        return outer.hexdigest()
    return EXPRESSION.sub(value, text)


def restored(step: dict[str, Any], saved_from: Path, now: Path) -> bool:
    """Would a run on ``now`` restore what a run on ``saved_from`` saved (another commit)?"""
    saved = evaluate(step["with"]["key"], saved_from, sha="1" * 40)
    key = evaluate(step["with"]["key"], now, sha="2" * 40)
    return saved == key or any(saved.startswith(evaluate(k, now)) for k in restore_keys(step))


@pytest.mark.parametrize(("workflow", "job", "builds"), JOBS)
def test_the_jobs_that_build_restore_and_save_all_of_the_cache_before_they_build(workflow: str, job: str, builds: str) -> None:
    steps = steps_of(workflow, job)
    build, photos = by_path(workflow, job)
    assert paths(build) == [".cache", "!.cache/photos"] and paths(photos) == [".cache/photos"]
    first_build = next(i for i, s in enumerate(steps) if builds in str(s.get("run", "")))
    assert steps.index(build) < first_build and steps.index(photos) < first_build
    for step in (build, photos):
        assert step["uses"] == "actions/cache@v5"  # restore now, save when the job succeeds (not actions/cache/restore)
        assert step["with"]["key"].endswith("-${{ github.sha }}"), "a key of its own per run: actions/cache never overwrites one"
        assert step.get("if") is None and "lookup-only" not in step["with"]


def test_each_job_has_keys_of_its_own() -> None:
    """The test job runs in a container with its own Python: the engine's fingerprint (which names Python's version) differs."""
    keys = [step["with"]["key"] for workflow, job, _ in JOBS for step in by_path(workflow, job)]
    prefixes = [key.split("${{")[0] + key.split("}}")[1].split("${{")[0] for key in keys]
    assert len(set(prefixes)) == len(prefixes), prefixes


def test_the_keys_cover_every_file_the_engine_fingerprint_reads_and_the_libraries_it_names() -> None:
    engine_files = {p.relative_to(REPO).as_posix() for p in (REPO / ENGINE).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    pinned = {re.split(r"[=<>;\s\[]", line, maxsplit=1)[0].lower().replace("_", "-")
              for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines() if line and line[0].isalnum()}
    assert {name.replace("_", "-") for name in fingerprint.LIBRARIES} <= pinned, "requirements.txt pins every library the fingerprint names"
    for workflow, job, _ in JOBS:
        build, _photos = by_path(workflow, job)
        patterns = re.findall(r"'([^']*)'", build["with"]["key"])
        matched = {f for p in patterns for f in glob.glob(p, root_dir=REPO, recursive=True)}
        assert engine_files <= matched, f"{workflow}: files of the engine no key names: {sorted(engine_files - matched)[:5]}"
        assert {"requirements.txt", "templates/**"} <= set(patterns), workflow


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small tree with the files the keys look at."""
    root = tmp_path / "a"
    for rel, text in {"sitegen/pipeline.py": "engine", "sitegen/output/images.py": "encode", "sitegen/model/photos.py": "sizes",
                      "templates/base.html": "<html>", "requirements.txt": "pillow==13.0.0", "content/index.he.md": "שלום"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def changed(root: Path, rel: str) -> Path:
    other = root.parent / "b"
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(root, other)
    (other / rel).write_text((other / rel).read_text(encoding="utf-8") + " changed", encoding="utf-8")
    return other


@pytest.mark.parametrize(("workflow", "job"), [(w, j) for w, j, _ in JOBS])
def test_what_a_change_restores(tree: Path, workflow: str, job: str) -> None:
    build, photos = by_path(workflow, job)
    assert restored(build, tree, tree) and restored(photos, tree, tree), "a push of content restores both"
    assert restored(build, tree, changed(tree, "content/index.he.md")) and restored(photos, tree, changed(tree, "content/index.he.md"))
    assert restored(build, tree, changed(tree, "templates/base.html")), "a template changed: the same engine's cache still serves"
    assert restored(photos, tree, changed(tree, "templates/base.html"))
    assert not restored(build, tree, changed(tree, "sitegen/pipeline.py")), "the engine changed: its caches are void"
    assert restored(photos, tree, changed(tree, "sitegen/pipeline.py")), "the photos do not depend on the rest of the engine"
    assert not restored(photos, tree, changed(tree, "sitegen/output/images.py")), "the encoding changed"
    for step in (build, photos):
        assert not restored(step, tree, changed(tree, "requirements.txt")), "another Pillow, Markdown…: other bytes"
