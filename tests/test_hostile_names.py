"""Hostile input, third round (issue 24, point 5): one name check in the source walk (sitegen/sources/names.py).

Refused at their path: control characters (macOS's ``Icon\\r``), names that are not UTF-8, direction controls,
Windows-reserved names, a trailing dot or space, names over 200 bytes. Warned about: NFC/NFD twins and case-only
twins. Percent-encoded in every address: ``#``, ``?``, spaces and other reserved characters.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from sitefactory import broken, make_site, refused, run, snapshot, tiny_png

AS_PRINTED = {  # word for word (docs/errors.md shows them)
    "Icon\r": "static/images/Icon\\x0d: this name holds an invisible control character (a line break, or macOS's 'Icon' file) — "
              "rename it, or delete the file if you did not make it",
    "photo\u202egpj.exe": "static/images/photo\\u202egpj.exe: this name holds an invisible direction mark (U+202E and the like), "
                          "which makes it look like another name — rename it, typing the name anew",
    "con.png": "static/images/con.png: 'con.png' is a name Windows reserves for a device, so a Windows computer cannot hold this "
               "file — rename it",
    "report.": "static/images/report.: this name ends in a dot or a space, which Windows drops (then it is another file) — rename it",
    "LONG": "static/images/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.png: this name is 244 bytes long; the limit is 200 — give it a shorter name",
    "not UTF-8": "static/images/\\xf9\\xec\\xe5\\xed.png: this name is not UTF-8 text (it was probably made on a computer set to "
                 "another language) — rename it in Latin letters",
    "twins": "static/images/logo.png: warning: 'logo.png' and 'Logo.png' are the same name in other capitals: macOS and Windows keep "
             "only one of them — rename or delete one",
}


@pytest.mark.parametrize(("name", "why"), [
    ("Icon\r", "invisible control character"),
    ("notes\nmore.txt", "invisible control character"),
    ("photo\u202egpj.exe", "invisible direction mark"),
    ("con.png", "'con.png' is a name Windows reserves"),
    ("AUX", "'AUX' is a name Windows reserves"),
    ("lpt1.txt", "'lpt1.txt' is a name Windows reserves"),
    ("report.", "ends in a dot or a space"),
    ("report ", "ends in a dot or a space"),
    ("x" * 240 + ".png", "bytes long; the limit is 200"),
])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_name_no_computer_can_hold_is_refused_at_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                                                           why: str, command: str) -> None:
    files = {f"static/images/{name}": tiny_png()}
    result = refused(capsys, tmp_path, files, command)
    assert "Traceback" not in result.err
    shown = name.replace("\r", "\\x0d").replace("\n", "\\x0a").replace("\u202e", "\\u202e")
    assert any(p.startswith(f"static/images/{shown}: ") and why in p and " — " in p for p in result.problems), result.err
    exact = AS_PRINTED.get("LONG" if len(name) > 200 else name)
    if exact:
        assert exact in result.problems, result.err


def test_a_name_in_a_content_folder_is_checked_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = broken(capsys, tmp_path, {"content/nul.he.md": "---\ntitle: x\n---\nx\n"})
    assert any(p.startswith("content/nul.he.md: 'nul.he.md' is a name Windows reserves") for p in result.problems), result.err


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_name_that_is_not_utf8_is_refused_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """The campaign's case: a zip made on Hebrew Windows (cp1255 names) passed check and tracebacked in build."""
    root = make_site(tmp_path / "src")
    if command == "build":
        assert run(capsys, "build", "--source", str(root)).code == 0
        before = snapshot(root / "site")
    with open(os.path.join(os.fsencode(root / "static" / "images"), "\xf9\xec\xe5\xed.png".encode("latin-1")), "wb") as file:
        file.write(tiny_png())
    result = run(capsys, command, "--source", str(root))
    assert result.code == 1 and "Traceback" not in result.err
    assert AS_PRINTED["not UTF-8"] in result.err.splitlines(), result.err
    if command == "build":
        assert snapshot(root / "site") == before


def test_a_macos_icon_file_never_reaches_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Published before the fix, after which every build refused its own output folder (its list of files is read by lines)."""
    root = make_site(tmp_path, {"static/Icon\r": b""})
    assert run(capsys, "build", "--source", str(root)).code == 1
    (root / "static" / "Icon\r").unlink()
    assert run(capsys, "build", "--source", str(root)).code == 0
    assert not any("\r" in rel for rel in snapshot(root / "site"))


@pytest.mark.parametrize(("first", "second", "how"), [
    ("Logo.png", "logo.png", "the same name in other capitals"),
    (unicodedata.normalize("NFC", "café.png"), unicodedata.normalize("NFD", "café.png"), "composed differently (NFC/NFD)"),
])
def test_twins_that_macos_and_windows_take_for_one_file_are_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      first: str, second: str, how: str) -> None:
    root = make_site(tmp_path, {f"static/images/{first}": tiny_png(), f"static/images/{second}": tiny_png(3, 3)})
    result = run(capsys, "build", "--source", str(root))
    assert result.code == 0, result.err
    warning = [line for line in result.err.splitlines() if "macOS and Windows keep only one of them" in line]
    assert len(warning) == 1 and how in warning[0] and warning[0].startswith("static/images/") and "warning: " in warning[0], result.err
    if first == "Logo.png":
        assert warning == [AS_PRINTED["twins"]]


@pytest.mark.parametrize("name", ["group photo.jpg", "group#1.jpg", "what?.jpg", "50%.jpg", "a,b.jpg", "תמונה.jpg"])
def test_reserved_characters_are_percent_encoded_in_every_address(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """The campaign's case: '#', '?' or a space in a photo's name gave a broken picture or a dropped srcset."""
    page = f"---\ntitle: אודות\n---\n## רקע\n\n![תמונה](<images/{name}>)\n"
    root = make_site(tmp_path, {f"static/images/{name}": tiny_png(40, 30), "content/about.he.md": page,
                                "static/files/" + name.replace(".jpg", ".txt"): "text"})
    result = run(capsys, "build", "--source", str(root))
    assert result.code == 0, result.err
    html = (root / "site" / "about" / "index.html").read_text(encoding="utf-8")
    srcset = re.search(r'srcset="([^"]+)"', html)
    assert srcset, html
    candidates = srcset[1].split(", ")
    assert len(candidates) >= 1 and all(len(c.split(" ")) == 2 for c in candidates), srcset[1]
    for address in [c.split(" ")[0] for c in candidates] + re.findall(r'<img src="([^"]+)"', html):
        assert not re.search(r"[ #?,]", address), address
        from urllib.parse import unquote
        assert (root / "site" / unquote(address).lstrip("/")).is_file(), address


RESERVED_AS_PRINTED = {
    "search": "content/search.he.md: the name 'search' is kept for the site's search page, which the build makes itself — rename the file",
    "admin": "content/admin/users.en.md: the name 'admin' is kept for the editors' forms, which the build makes itself — rename the folder",
    "new": "build.py new page: error: the name 'pagefind' is kept for the search index, which the build makes itself — choose another name",
}


@pytest.mark.parametrize(("files", "expected"), [
    ({"content/search.he.md": "---\ntitle: חיפוש\n---\nx\n", "content/search.en.md": "---\ntitle: Search\n---\nx\n"},
     RESERVED_AS_PRINTED["search"]),
    ({"content/admin/users.en.md": "---\ntitle: Users\n---\nx\n", "content/admin/users.he.md": "---\ntitle: משתמשים\n---\nx\n"},
     RESERVED_AS_PRINTED["admin"]),
    ({"content/assets.he.md": "---\ntitle: נכסים\n---\nx\n", "content/assets.en.md": "---\ntitle: Assets\n---\nx\n"},
     "content/assets.en.md: the name 'assets' is kept for the stylesheets, fonts and photos, which the build makes itself — rename the file"),
])
def test_a_page_named_like_what_the_build_makes_is_refused_at_its_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      files: dict[str, str], expected: str) -> None:
    """Weak in the campaign: 'new page search' was accepted, then the build said 'the page made from  would overwrite …'."""
    result = broken(capsys, tmp_path, files)
    assert expected in result.problems, result.err
    assert not any("made from  would" in line for line in result.err.splitlines())


@pytest.mark.parametrize("name", ["search", "pagefind", "assets", "admin", "admin/users"])
def test_new_page_refuses_the_names_the_build_makes(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    source = make_site(tmp_path / "src")
    before = snapshot(source)
    result = run(capsys, "new", "page", name, "--source", str(source))
    assert result.code == 1 and "which the build makes itself — choose another name" in result.err, result.err
    if name == "pagefind":
        assert result.err.strip() == RESERVED_AS_PRINTED["new"]
    assert snapshot(source) == before
