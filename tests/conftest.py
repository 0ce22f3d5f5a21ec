"""Helpers for the engine tests: tiny sites built from dicts of strings (MkDocs' way).

``tiny`` writes a minimal bilingual site into ``tmp_path`` — data/site.yaml with he+en, the
real UI strings (copied), the small templates of tests/fixtures/engine_templates/ (our own,
so a redesign of templates/ does not break the engine tests) and a few pages — and runs the
command line in-process through ``sitegen.cli.main``, returning ``(exit code, stdout, stderr)``.
``fixture_site`` builds tests/fixtures/site (a snapshot of the programme's content) once per test run, shared
by the run's processes (shared_build.py); the real content is tested by tests/real_site/, which asserts only
what holds for any valid content.

The run is parallel (pytest-xdist, ``-n`` in pyproject's addopts): see docs/testing.md, "In parallel", for what keeps a
fixture parallel-safe. ``pytest_collection_modifyitems`` below keeps each module's tests that share a
module- or class-scoped fixture on one worker (``--dist loadgroup``), so that fixture is made once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest
from memory_tmp import use_memory_for_temporary_files
from run_bytecode import keep_bytecode_in
from shared_build import end_run, shared, start_run

# Before anything asks for a temporary folder (pytest's tmp_path, the shared builds' run folder, the workers
# xdist starts, which inherit TMPDIR): see memory_tmp.py for why and when.
use_memory_for_temporary_files()

# The tests read the engine's messages in English (word for word what docs/errors.md quotes), whatever the
# language of the site they build; a test of the Hebrew messages asks for them (tests/test_messages.py).
os.environ["MERHAV_MESSAGES"] = "en"

from sitegen.cli import main  # noqa: E402
from sitegen.messages import use_language  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ENGINE_TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "engine_templates"
FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
"""The engine tests' own bilingual site: a snapshot of the programme's content and data (with their
comments), so that an editor's change to content/ or data/ never changes what an engine test sees."""
FIXTURE_STRINGS = FIXTURE_SITE / "data" / "strings"
"""The UI strings of the engine tests' sites (a snapshot of data/strings/; the same names, tests/test_fixtures.py)."""
BASE_URL = "https://merhav.example"

# data/site.yaml of every small test site (tiny here, sitefactory.make_site): he + en, one menu item, one partner.
SITE_YAML = """\
title:
  he: מרחב
  en: Merhav
full_title:
  he: מרחב לבדיקות
  en: Merhav for tests
description:
  he: אתר קטן לבדיקות
  en: A tiny site for tests
languages:
  - code: he
    label: עברית
    dir: rtl
    locale: he_IL
  - code: en
    label: English
    dir: ltr
    locale: en_GB
nav:
  - page: about
partners:
  - name:
      he: שותף
      en: Partner
    description:
      he: תיאור
      en: Description
    url: https://example.org/
institute:
  name:
    he: המכון
    en: The Institute
"""

PAGES = {
    "content/index.he.md": "---\ntitle: בית\n---\nשלום.\n",
    "content/index.en.md": "---\ntitle: Home\n---\nHello.\n",
    "content/about.he.md": "---\ntitle: אודות\n---\n## רקע\n\nעל התכנית.\n",
    "content/about.en.md": "---\ntitle: About\n---\n## Background\n\nAbout the programme.\n",
}


def copy_fixture_site(dest: Path) -> Path:
    """The fixture site's content and data with the repository's templates and static files, in ``dest``."""
    for folder in ("content", "data"):
        shutil.copytree(FIXTURE_SITE / folder, dest / folder)
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


class Run(NamedTuple):
    code: int
    out: str
    err: str


class TinySite:
    """A site in a temporary folder; ``write`` adds or replaces files, ``run`` calls the CLI."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]):
        self.root = root
        self._capsys = capsys

    def write(self, files: dict[str, str | bytes | None]) -> TinySite:
        """Write ``{relative path: text}``; the value None deletes the file."""
        for rel, text in files.items():
            path = self.root / rel
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return self

    def run(self, *args: str) -> Run:
        """``python build.py ARGS --source ROOT`` in-process; stdout and stderr captured."""
        self._capsys.readouterr()
        command = list(args) if args and not args[0].startswith("-") else ["build", *args]
        code = main([*command, "--source", str(self.root)])
        captured = self._capsys.readouterr()
        return Run(code, captured.out, captured.err)

    @property
    def out(self) -> Path:
        return self.root / "site"

    def html(self, rel: str) -> str:
        return (self.out / rel).read_text(encoding="utf-8")


def make_tiny_site(root: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str | bytes | None] | None = None) -> TinySite:
    shutil.copytree(ENGINE_TEMPLATES, root / "templates")
    shutil.copytree(FIXTURE_STRINGS, root / "data" / "strings")
    (root / "static").mkdir()
    return TinySite(root, capsys).write({"data/site.yaml": SITE_YAML, **PAGES, **(files or {})})


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Each test starts and ends with English messages (a test that chose Hebrew does not leave it to the next)."""
    use_language("en")
    yield
    use_language("en")


_SIGNALS_A_BUILD_HANDLES = ("SIGINT", "SIGTERM", "SIGHUP")


@pytest.fixture(autouse=True)
def signal_handlers_left_as_found() -> Iterator[None]:
    """A test that leaves a signal's handler changed fails by name (and the handler is put back), instead of the
    test that happens to run next in the same worker: a SIGINT left ignored makes an interrupted build finish
    and a preview started afterwards deaf to Ctrl-C (it inherits the ignored signal)."""
    import signal

    numbers = [getattr(signal, name) for name in _SIGNALS_A_BUILD_HANDLES]
    before = {number: signal.getsignal(number) for number in numbers}
    yield
    changed = []
    for number in numbers:
        now = signal.getsignal(number)
        if now is not before[number]:
            changed.append(f"{signal.Signals(number).name}: {before[number]!r} -> {now!r}")
            signal.signal(number, before[number])
    assert not changed, "this test left signal handlers changed: " + "; ".join(changed)


@pytest.fixture
def tiny(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> TinySite:
    """The tiny bilingual site (home and about in he and en), ready to change and run.

    The test runs outside CI and GitHub Actions, with ``tmp_path`` as its working folder.
    """
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.chdir(tmp_path)
    return make_tiny_site(tmp_path / "src", capsys)


def pytest_configure(config: pytest.Config) -> None:
    """The run's shared folder (shared_build.py), made before pytest-xdist starts its workers, which inherit it, and
    where the run's bytecode goes when the environment asks for none beside the sources (run_bytecode.py)."""
    folder = config.stash[_RUN_FOLDER] = start_run()
    if folder is not None:
        keep_bytecode_in(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    owned = config.stash.get(_RUN_FOLDER, None)
    if owned is not None:  # the process that started the run (a worker, or a pytest started by a test, does not own it)
        end_run(owned)


_RUN_FOLDER = pytest.StashKey[Path | None]()

MOST_WORKERS = 8
"""Beyond this, more processes start more browsers, previews and decap-servers (each worker has its own) for
little gain: the longest tests (20-35 s) bound the run."""


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject's addopts): one worker more than the cores, at most MOST_WORKERS.

    A worker waits for a third of its time or more (a browser drawing a page, a preview rebuilding, decap-server
    saving, a build in another process), so on 2 cores a third worker uses what two leave idle; with three, the two
    cores are busy 97 % of the run (the machine's own count, /proc/stat), so a fourth only adds contention (316 s
    against 292 s): measured in bench/RESULTS.md (issue 25). ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still chooses, as
    xdist documents."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    from sitegen.model.batch import available_cores  # the cores the engine's own builds count

    return min(available_cores() + 1, MOST_WORKERS)

SHARED_SCOPES = ("module", "class", "package")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks (its loadgroup hook adds "@group" to the ids)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that uses a module-, class- or package-scoped fixture runs on the same worker as the other tests of
    its module (an ``xdist_group`` named after it; ``--dist loadgroup``): xdist's plain ``load`` would spread them,
    and each worker would make the fixture again (a build, an nginx, a virtual environment)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info is not None else []
        if any(defs and defs[-1].scope in SHARED_SCOPES for defs in definitions):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session")
def fixture_site() -> Path:
    """The fixture site (tests/fixtures/site with the real templates), built once per run, with a base URL (so with a
    sitemap). Shared by every worker: read it, never change it."""
    def make(folder: Path) -> None:
        source = copy_fixture_site(folder / "src")
        code = main(["build", "--source", str(source), "--out", str(folder / "site"), "--base-url", BASE_URL])
        assert code == 0, "the fixture site does not build"

    return shared("fixture-site", make) / "site"


def tree(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Tags(HTMLParser):
    """Every start tag of a document as (tag, attributes)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def all(self, tag: str, **having: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.found if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in having.items())]

    def first(self, tag: str) -> dict[str, str | None]:
        return self.all(tag)[0]


@pytest.fixture(scope="session")
def decap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One ``decap-server`` (git mode) per worker for the forms' browser tests (test_cms.DecapServer): each test points
    it at its own git copy with ``decap_server.open(repo)`` and away with ``stop()``. Here because a session fixture
    defined in a test module would be one per module that imports it."""
    from test_cms import DecapServer, require_the_forms_tools

    require_the_forms_tools()
    server = DecapServer(tmp_path_factory.mktemp("decap-server"))
    try:
        yield server
    finally:
        server.shutdown()
