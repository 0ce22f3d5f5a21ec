"""Every data file is written exactly as the forms write it (sitegen/tools/admin.js's writer, run under node by
sitegen/tools/datastyle.py), so that a save through the forms changes only what the editor changed.

The real content and the fixture site are held to it; the checks on the writer itself (a one-word change is a one-line
diff; the forms' files are what the engine reads) use small files of their own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_support import require
from conftest import REPO, copy_fixture_site

from sitegen.sources.gather import gather
from sitegen.tools import datastyle

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node runs the forms' writer")


def site_copy(tmp_path: Path, source: Path) -> Path:
    dest = tmp_path / "site"
    for folder in ("content", "data", "templates", "static"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, dest / folder)
    return dest


@pytest.mark.parametrize("source", [REPO, REPO / "tests" / "fixtures" / "site"], ids=["the real content", "the fixture site"])
def test_every_data_file_is_in_the_forms_style(source: Path) -> None:
    require("node_modules/js-yaml (npm ci)", (REPO / "node_modules" / "js-yaml").is_dir())
    files = datastyle.data_files(source)
    paths = {f.path for f in files}
    assert {p.relative_to(source).as_posix() for p in (source / "data").rglob("*.yaml")} == paths, "every data file is looked at"
    assert any(f.kind == "mapping" and f.path.startswith("data/testimonials/") for f in files)
    assert any(f.kind == "mapping" and f.path.startswith("data/cohorts/") for f in files)
    texts = [(source / f.path).read_text(encoding="utf-8") for f in files]
    written = datastyle.as_the_forms_write(source, files, texts)
    different = [f.path for f, before, after in zip(files, texts, written, strict=True) if before != after]
    assert different == [], "not in the forms' style — run `python -m sitegen.tools.datastyle --write`: " + ", ".join(different)


def test_the_command_writes_a_file_in_the_forms_style_and_keeps_what_the_engine_reads(tmp_path: Path) -> None:
    source = copy_fixture_site(tmp_path / "src")
    quote = next((source / "data" / "testimonials").glob("*.yaml"))
    before = gather(source).data
    text = quote.read_text(encoding="utf-8")
    # by hand: the fields in another order, a comment and a blank line inside, a text in quotes
    lines = text.splitlines()
    hand = "\n".join([lines[1], lines[0], "# a comment inside", "", *lines[2:]]).replace(
        "en: Bonnie Goldberg", 'en: "Bonnie Goldberg"') + "\n"
    quote.write_text(hand, encoding="utf-8")
    assert datastyle.main(["--source", str(source)]) == 1
    assert datastyle.main(["--source", str(source), "--write"]) == 0
    assert quote.read_text(encoding="utf-8") == text
    assert datastyle.main(["--source", str(source)]) == 0
    assert gather(source).data == before


def test_a_one_word_fix_is_a_one_line_change(tmp_path: Path) -> None:
    """What the forms write after a one-word change of a text differs from the file by that line only."""
    source = site_copy(tmp_path, REPO)
    files = [f for f in datastyle.data_files(source) if f.path == "data/curriculum.yaml"]
    text = (source / files[0].path).read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("      ") and len(line.split()) > 3)
    changed = lines[at].replace(lines[at].split()[1], lines[at].split()[1] + "ו", 1)
    edited = "\n".join([*lines[:at], changed, *lines[at + 1:]]) + "\n"
    (written,) = datastyle.as_the_forms_write(source, files, [edited])
    assert written is not None
    assert [i for i, (a, b) in enumerate(zip(text.splitlines(), written.splitlines(), strict=True)) if a != b] == [at]
