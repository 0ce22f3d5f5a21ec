"""Hostile input, third round (issue 24, the "weak" list): each a message at its file and line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sitefactory import make_site, run

AS_PRINTED = {  # word for word (docs/errors.md shows it)
    "digits": "content/about.he.md:3: this number has 5,000 digits; no field takes more than 30 — write a smaller number "
              "(or, if it is meant as text, put it in quotes)",
}


@pytest.mark.parametrize(("rel", "text", "expected"), [
    ("content/about.he.md", "---\ntitle: אודות\nweight: " + "9" * 5000 + "\n---\nטקסט.\n", AS_PRINTED["digits"]),
    ("data/cohorts.yaml", "- id: a\n  name:\n    he: א\n    en: A\n  year: -" + "1" * 40 + "\n",
     "data/cohorts.yaml:5: this number has 40 digits; no field takes more than 30 — write a smaller number "
     "(or, if it is meant as text, put it in quotes)"),
])
def test_a_number_with_thousands_of_digits_is_a_message_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                     rel: str, text: str, expected: str) -> None:
    """Was a developer's ValueError ('Exceeds the limit (4300 digits) for integer string conversion') with no line."""
    result = run(capsys, "check", "--source", str(make_site(tmp_path, {rel: text})))
    assert result.code == 1 and "Traceback" not in result.err and "ValueError" not in result.err
    assert expected in result.problems, result.err


def test_a_long_number_in_quotes_is_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = "---\ntitle: '" + "1" * 5000 + "'\n---\nטקסט.\n"
    result = run(capsys, "check", "--source", str(make_site(tmp_path, {"content/about.he.md": page})))
    assert "digits" not in result.err, result.err


def test_an_international_domain_is_written_as_punycode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An IDN host was written raw into the sitemap, robots.txt and the feeds."""
    root = make_site(tmp_path)
    result = run(capsys, "build", "--source", str(root), "--base-url", "https://מרחב.example/sub/")
    assert result.code == 0, result.err
    for name in ("sitemap.xml", "robots.txt"):
        text = (root / "site" / name).read_text(encoding="utf-8")
        assert "https://xn--5dblu4b.example/sub/" in text and "מרחב.example" not in text, name
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://xn--5dblu4b.example/sub/"' in index and "מרחב.example" not in index


def test_the_preview_event_stream_takes_any_since(tmp_path: Path) -> None:
    """'?since=²' (a digit to str.isdigit, not to int) was a 500 with a traceback."""
    import http.client

    with preview(tmp_path) as (port, output):
        for since in ("%C2%B2", "9" * 5000, "-1", "abc"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", f"/_preview/events?since={since}")
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Content-Type", "").startswith("text/event-stream"), since
            connection.close()
    assert "Traceback" not in output[0], output[0]


@pytest.mark.parametrize(("rel", "expected"), [
    ("static/pagefind/pagefind-entry.json", "static/pagefind/pagefind-entry.json: would be replaced by the search index, which the build writes in "
                                    "pagefind/ — move the file to another folder"),
    ("static/admin/notes.txt", "static/admin/notes.txt: would be replaced by the editors' forms, which the build writes in admin/ — "
                               "move the file to another folder"),
    ("static/projects/feed.xml", "static/projects/feed.xml: would be replaced by the projects' feed the build makes — rename or "
                                 "remove the file"),
    ("static/en/projects/feed.xml", "static/en/projects/feed.xml: would be replaced by the projects' feed the build makes — rename "
                                    "or remove the file"),
])
def test_a_static_file_where_the_build_writes_is_refused_not_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      rel: str, expected: str) -> None:
    """static/pagefind/* and static/projects/feed.xml were dropped silently."""
    from sitefactory import broken

    result = broken(capsys, tmp_path, {rel: "x"})
    assert expected in result.problems, result.err


@pytest.mark.parametrize("body", ["[x](sitegen-static:../../etc/passwd)", '<a href="SITEGEN-LINK:about.he.md#x">x</a>',
                                  "Text\n\n[y](sitegen-link:about.en.md#)"])
def test_the_builds_placeholders_cannot_be_written_by_an_editor(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str) -> None:
    """'sitegen-static:' and 'sitegen-link:' were rewritten and accepted as a link scheme."""
    from sitefactory import broken

    result = broken(capsys, tmp_path, {"content/about.he.md": f"---\ntitle: אודות\n---\n{body}\n"})
    line = 4 + body.count("\n")
    found = [p for p in result.problems if p.startswith(f"content/about.he.md:{line}: ")]
    assert found and "is the build's own mark for addresses it fills in" in found[0], result.err
    if body.startswith("[x]"):
        assert found[0] == PLACEHOLDER


PLACEHOLDER = ("content/about.he.md:4: 'sitegen-static:' is the build's own mark for addresses it fills in — write a page's .md path, "
               "an image's path under static/, or an https:// address instead")


ID_CLASH = ("content/about.en.md:7: '{: #main }' gives this text the id 'main', which the page's template uses too, so links to #main "
            "would lead to the wrong place — give it an id of its own, e.g. {: #main-text }")


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntitle: About\n---\nIntro.\n\nA paragraph.\n{: #main }\n\nText.\n", ID_CLASH),
    ("---\ntitle: About\n---\nIntro.\n\n## Other words {: #main }\n\nText.\n",
     "content/about.en.md:6: the heading makes the id 'main', which the page's template uses too, so links to #main would "
     "lead to the wrong place — rename the heading, or give it an id of its own: ## … {#main-text}"),
])
def test_an_id_clash_names_what_made_the_id_and_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                                          expected: str) -> None:
    """'{: #main }' on a paragraph said 'heading' and had no line."""
    from sitefactory import broken

    result = broken(capsys, tmp_path, {"content/about.en.md": text})
    assert result.problems == [expected], result.err


def test_the_forms_offer_no_hidden_folder(tmp_path: Path) -> None:
    """content/.trash and .obsidian/ were offered to the editors as collections."""
    from sitegen.tools.cms import page_folders

    root = make_site(tmp_path, {"content/.trash/old.he.md": "---\ntitle: x\n---\n", "content/.obsidian/notes.md": "x",
                                "content/team/.hidden/a.he.md": "---\ntitle: x\n---\n", "content/team/a.he.md": "---\ntitle: x\n---\n"})
    assert page_folders(root) == ["content", "content/team"]


def test_the_forms_bundle_is_not_read_through_a_link_out_of_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen.tools.cmsfiles import CMS_DIST, CMS_SCRIPT, YAML_SCRIPT

    root = make_site(tmp_path / "src", {f"{YAML_SCRIPT}": "/* js-yaml */", "package.json": "{}"})
    outside = tmp_path / "elsewhere.js"
    outside.write_text("/* a file outside the project */", encoding="utf-8")
    (root / CMS_DIST).mkdir(parents=True)
    (root / CMS_DIST / CMS_SCRIPT).symlink_to(outside)
    result = run(capsys, "build", "--source", str(root))
    assert result.code == 1 and "Traceback" not in result.err
    assert (f"{CMS_DIST}/{CMS_SCRIPT}: a link to a file outside the source folder — copy the file in instead"
            in result.problems), result.err


IDLE_FOR_THE_TEST = 2.0
"""The preview's idle limit in the test ($MERHAV_PREVIEW_IDLE_SECONDS): the real 15 s waited out is the same proof, slower."""


def test_an_idle_connection_to_the_preview_is_closed(tmp_path: Path) -> None:
    """Each connection holds a thread of the preview: one that never sent a request held it for ever."""
    import socket
    import time

    from test_serve import get

    with preview(tmp_path, idle_seconds=IDLE_FOR_THE_TEST) as (port, _output):
        idle = socket.create_connection(("127.0.0.1", port))
        idle.settimeout(IDLE_FOR_THE_TEST + 20)
        started = time.monotonic()
        assert idle.recv(1) == b"", "the server closed it"
        waited = time.monotonic() - started
        assert IDLE_FOR_THE_TEST - 0.5 < waited < IDLE_FOR_THE_TEST + 15, waited
        idle.close()
        assert get(f"http://127.0.0.1:{port}/")[0] == 200, "and still serves"


def test_the_preview_idle_limit_is_fifteen_seconds_unless_set() -> None:
    from sitegen.preview.serve import IDLE_SECONDS, IDLE_VARIABLE, idle_seconds

    assert IDLE_SECONDS == 15
    assert idle_seconds({}) == IDLE_SECONDS
    assert idle_seconds({IDLE_VARIABLE: "2.5"}) == 2.5
    for wrong in ("", "0", "-3", "soon", "nan", "inf"):
        assert idle_seconds({IDLE_VARIABLE: wrong}) == IDLE_SECONDS, wrong


@contextmanager
def preview(tmp_path: Path, idle_seconds: float | None = None) -> Iterator[tuple[int, list[str]]]:
    """``build.py serve`` on a copy of the fixture site, on a free port, once it answers: (its port, and its output once
    stopped, as the list's one item). ``idle_seconds``: the limit for an idle connection, when not the real one."""
    from conftest import REPO, copy_fixture_site
    from test_serve import free_port, wait_for

    source = copy_fixture_site(tmp_path / "src")
    port = free_port()
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if idle_seconds is not None:
        environment["MERHAV_PREVIEW_IDLE_SECONDS"] = str(idle_seconds)
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
    output: list[str] = []
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda code, body: code == 200, seconds=60)
        yield port, output
    finally:
        proc.terminate()
        output.append(proc.communicate(timeout=10)[0])
