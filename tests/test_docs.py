"""The documents: every relative link and #anchor of README.md and docs/*.md leads somewhere (GitHub's heading
anchors, Hebrew headings included), and the README's quick start is what CI runs and works on a fresh clone."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_TARGET = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.IGNORECASE)
_HTML_ID = re.compile(r"""<[a-z][^>]*?\b(?:id|name)=["']([^"']+)["']""", re.IGNORECASE)


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with their numbers."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def heading_text(markdown: str) -> str:
    """A heading as GitHub shows it: code spans' text, links' text, no emphasis marks or HTML tags."""
    text = _CODE_SPAN.sub(lambda m: m.group(2).strip(), markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"(\*+|_+)(\S.*?\S|\S)\1", r"\2", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading (github-slugger): lower case; every character but letters, marks, digits,
    '_', '-' and spaces dropped (so Hebrew letters stay, and its maqaf ־ and gershayim go); spaces become '-'."""
    kept = "".join(c for c in heading.strip().lower() if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every #anchor a document has: its headings' (a repeated one gets -1, -2…) and HTML ids."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _number, line in prose_lines(path.read_text(encoding="utf-8")):
        heading = _HEADING.match(line)
        if heading:
            base = slug(heading_text(heading.group(2)))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
        found |= set(_HTML_ID.findall(line))
    return found


def links(path: Path) -> list[tuple[int, str]]:
    """(line, target) of every link and image of a document, outside code."""
    found = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        line = re.sub(r"\\[!-/:-@\[-`{-~]", "", _CODE_SPAN.sub("", line))  # no code, no escaped signs (\[ is text)
        found += [(number, target) for target in _LINK.findall(line)]
        found += [(number, target) for target in _HTML_TARGET.findall(line)]
    return found


def dead_links(path: Path, root: Path = REPO) -> list[str]:
    from urllib.parse import unquote

    dead = []
    for number, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # https:, mailto:…: not ours to check
            continue
        address, _, fragment = target.partition("#")
        goal = (path.parent / unquote(address)).resolve() if address else path
        where = f"{path.relative_to(root).as_posix()}:{number}: {target}"
        if not goal.exists():
            dead.append(f"{where} — no such file")
        elif fragment and goal.suffix == ".md" and unquote(fragment) not in anchors(goal):
            dead.append(f"{where} — {goal.name} has no heading with this anchor")
    return dead


def test_every_relative_link_and_anchor_of_the_documents_resolves() -> None:
    assert len(DOCUMENTS) >= 7
    assert sum(len(links(p)) for p in DOCUMENTS) > 50
    dead = [line for path in DOCUMENTS for line in dead_links(path)]
    assert not dead, "dead links (a file moved, or a heading renamed):\n  " + "\n  ".join(dead)


def test_a_renamed_heading_leaves_a_dead_link(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "README.md").write_text("See [the forms](docs/a.md#עריכה-בטפסים-admin) and [b](docs/b.md).\n", encoding="utf-8")
    (docs / "a.md").write_text("# A\n\n## עריכה בטפסים (`/admin/`)\n\n[up](../README.md) · [here](#a)\n", encoding="utf-8")
    assert dead_links(tmp_path / "README.md", tmp_path) == ["README.md:1: docs/b.md — no such file"]
    assert dead_links(docs / "a.md", tmp_path) == []
    (docs / "a.md").write_text("# A\n\n## עריכה בטופס\n", encoding="utf-8")
    assert dead_links(tmp_path / "README.md", tmp_path)[0] == "README.md:1: docs/a.md#עריכה-בטפסים-admin — a.md has no heading with this anchor"


@pytest.mark.parametrize(("heading", "anchor"), [
    ("Editing forms (`/admin/`)", "editing-forms-admin"),
    ("כתיבה נכונה ב־YAML", "כתיבה-נכונה-בyaml"),
    ("Files, folders and names · קבצים, תיקיות ושמות", "files-folders-and-names--קבצים-תיקיות-ושמות"),
    ("In CI: bash .ci/run", "in-ci-bash-cirun"),
    ('הוספת איש סגל ו"ר **חדש**', "הוספת-איש-סגל-ור-חדש"),
])
def test_anchors_follow_githubs_rules(heading: str, anchor: str) -> None:
    assert slug(heading_text(heading)) == anchor


def test_a_repeated_heading_gets_a_number(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text("## Example\n\ntext\n\n## Example\n\n```\n## not a heading\n```\n", encoding="utf-8")
    assert anchors(page) == {"example", "example-1"}


# --- the quick start ------------------------------------------------------------------------------

QUICK_START = ["python -m pip install -r requirements-dev.txt && python build.py", "python -m pytest"]


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


def test_the_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    """The README's two commands are the ones CI runs: .ci/setup.sh installs requirements-dev.txt with pip, .ci/run
    then runs the test command, and the test workflow runs .ci/run on its fresh checkout."""
    assert quick_start_commands() == QUICK_START
    run = [line for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert run[-1] == QUICK_START[1]
    assert re.search(r"pip install\b.*-r requirements-dev\.txt", (REPO / ".ci" / "setup.sh").read_text(encoding="utf-8"))
    workflow = (REPO / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    assert "actions/checkout" in workflow and "bash .ci/run" in workflow


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_quick_start_installs_and_builds_on_a_fresh_clone(tmp_path: Path) -> None:
    """The first command, as written, in a folder holding only what git holds (no .cache/, site/ or node_modules/).
    pip may not reach an index (PIP_NO_INDEX): the locked packages are those installed, so it has nothing to fetch."""
    clone = tmp_path / "clone"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        if (REPO / rel).is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, clone / rel)
    python = Path(sys.executable).parent
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_ROOT_USER_ACTION": "ignore",
           "PATH": f"{python}{os.pathsep}{os.environ.get('PATH', '')}"}
    first = shutil.which("python", path=env["PATH"])
    assert first and Path(first).resolve() == Path(sys.executable).resolve(), "python on PATH is not this interpreter"
    done = subprocess.run(["bash", "-c", QUICK_START[0]], cwd=clone, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (clone / "site" / "index.html").is_file() and (clone / "site" / "en" / "index.html").is_file()


# --- every command and option -------------------------------------------------------------------

def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def test_commands_md_holds_every_command_and_option() -> None:
    """docs/commands.md has a section for each command of build.py, and names each of its options there (or in the
    table of options the commands share): a new option must be documented."""
    from sitegen.cli import parser

    text = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    sections = {part.split("\n", 1)[0].strip(): part for part in text.split("\n## ")[1:]}
    shared = sections["Running a command"]
    missing = []
    commands = _subcommands(parser(REPO))
    assert {"build", "check", "serve", "status", "fidelity", "launch", "new"} <= set(commands)
    for name, command in commands.items():
        if name not in sections:
            missing.append(f"## {name}")
            continue
        kinds = _subcommands(command)
        for sub in [command, *kinds.values()]:
            for action in sub._actions:
                for option in action.option_strings:
                    named = re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", sections[name] + shared)
                    if option not in ("-h", "--help") and not named:
                        missing.append(f"{name}: {option}")
        missing += [f"{name} {kind}" for kind in kinds if f"`{name} {kind}" not in sections[name]]
    assert not missing, "docs/commands.md does not document: " + ", ".join(missing)
