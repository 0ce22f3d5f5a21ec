"""docs/errors.md is generated from the message catalogue (sitegen/messages/he.po) and the notes of
sitegen/messages/notes.yaml by ``python -m sitegen.messages.errorsdoc``: the committed file must be what the
command writes, so no message can be added, changed or removed without the document following."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.messages import errorsdoc

REPO = Path(__file__).resolve().parents[1]


def test_the_committed_errors_doc_is_what_the_command_writes() -> None:
    written = errorsdoc.render(errorsdoc.read_catalogue(), errorsdoc.read_notes())
    committed = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    assert committed == written, "docs/errors.md is out of date: run python -m sitegen.messages.errorsdoc"


def test_check_mode_fails_on_a_stale_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "errors.md"
    stale.write_text((REPO / "docs" / "errors.md").read_text(encoding="utf-8").replace("the file is empty", "the file is void", 1),
                     encoding="utf-8")
    monkeypatch.setattr(errorsdoc, "DOCUMENT", stale)
    assert errorsdoc.main(["--check"]) == 1
    assert errorsdoc.main([]) == 0 and errorsdoc.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == (REPO / "docs" / "errors.md").read_text(encoding="utf-8")


def test_every_message_of_the_catalogue_is_in_the_document_in_both_languages() -> None:
    document = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    entries = errorsdoc.read_catalogue()
    assert len(entries) > 300
    for entry in entries:
        assert errorsdoc.code(entry.template) in document.replace("\\|", "|"), entry.template
        assert entry.hebrew and errorsdoc.plain(entry.hebrew.replace("\n", " ↵ ")) in document.replace("&#124;", "\\|"), entry.template


def test_a_note_for_a_message_the_catalogue_no_longer_has_is_refused() -> None:
    entries = errorsdoc.read_catalogue()
    notes = {"the file is emptied — restore it": [{"example": "data/a.yaml: the file is emptied — restore it", "means": "m", "fix": "f"}]}
    with pytest.raises(errorsdoc.NotesError, match="no longer has"):
        errorsdoc.render(entries, notes)


def test_an_example_its_template_does_not_print_is_refused() -> None:
    entries = errorsdoc.read_catalogue()
    template = "a tab character — YAML indentation must use spaces, not tabs"
    notes = {template: [{"example": "content/a.he.md:3: a tab character — indent with spaces", "means": "m", "fix": "f"}]}
    with pytest.raises(errorsdoc.NotesError, match="not what their template prints"):
        errorsdoc.render(entries, notes)


@pytest.mark.parametrize(("template", "example", "printed"), [
    ("the file is {size} MB — split it", "content/a.he.md: the file is 5.0 MB — split it", True),
    ("the file is {size} MB — split it", "content/a.he.md: the file is 5.0 MB — join it", False),
    ("{folder} is a submodule, so it cannot be judged — keep the content here", "warning: content is a submodule, so it cannot be judged — …", True),
    ("{folder} is a submodule, so it cannot be judged — keep the content here", "warning: content is a module — …", False),
    ("no list ({manifest}, written by every build), so — delete it", "no list (.merhav-site, …), so — delete it", True),
])
def test_an_example_matches_its_template_with_ellipses_for_what_varies(template: str, example: str, printed: bool) -> None:
    assert errorsdoc.produces(template, example) is printed


def test_the_command_runs_as_documented() -> None:
    done = subprocess.run([sys.executable, "-m", "sitegen.messages.errorsdoc", "--check"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
