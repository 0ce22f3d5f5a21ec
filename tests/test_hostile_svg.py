"""Hostile input, third round (issue 24, point 1): nothing in static/ runs in the site's origin.

An SVG is published sanitised (sitegen/model/svg.py: no script, handler, foreignObject, javascript: or outside
reference), and never refused when it is valid: the site's own mark and partners' logos are SVGs. A web page
(.html, .xhtml) in static/ is refused unless data/site.yaml lists it under static_html:, and a listed one carries
the site's Content-Security-Policy (sitegen/model/statichtml.py).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, SITE_YAML
from sitefactory import broken, make_site, run, snapshot

from sitegen.model.svg import sanitise_svg

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#0f4c5c"/></svg>'
ATTACKS = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="5" height="5"/></svg>',
    "script, CDATA, xlink namespace": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                                       '<script x:href="https://evil.example/x.js"/><script><![CDATA[alert(1)]]></script></svg>'),
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="5" height="5" ONCLICK="alert(2)"/></svg>',
    "foreignObject": ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9"><iframe '
                      'xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject></svg>'),
    "javascript: link": ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                         '<a xlink:href=" jav&#x09;ascript:alert(1)"><text>click</text></a></svg>'),
    "animation setting an address": ('<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="javascript:alert(1)"/>'
                                     '<animate attributeName="xlink:href" values="javascript:alert(2)"/><text>x</text></a></svg>'),
    "outside references": ('<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/s.svg#x"/>'
                           '<image href="/admin/index.html"/><rect style="fill:url(https://evil.example/t)" width="1" height="1"/>'
                           '<style>@import url("https://evil.example/a.css"); rect { background: url(//evil.example/b) }</style></svg>'),
    "an HTML body in another namespace": ('<svg xmlns="http://www.w3.org/2000/svg"><html:script xmlns:html="http://www.w3.org/1999/xhtml">'
                                          'alert(1)</html:script></svg>'),
    "an iframe": '<svg xmlns="http://www.w3.org/2000/svg"><iframe src="javascript:alert(1)"/><embed src="x.swf"/></svg>',
}
AS_PRINTED = {  # word for word (docs/errors.md shows them)
    "not XML": "static/images/logo.svg:3: this SVG cannot be read: it is not well-formed XML (mismatched tag: line 3, column 2) — "
               "save it again from the drawing program (as plain SVG), or remove it",
    "svgz": "static/images/logo.svgz: a compressed SVG (.svgz) cannot be checked for scripts — save it as a plain .svg "
            "(the host compresses it anyway)",
    "html": "static/verify.html: a web page in static/ would run in the site's own address, where the editors' forms keep their "
            "sign-in — make it a page under content/ instead, or, if it must be published as it is, list it under static_html: "
            "in data/site.yaml",
    "listed": "data/site.yaml:2: static_html lists 'missing.html', which is no web page (.html, .xhtml) in static/ — write its "
              "path under static/ (e.g. google1234.html), or remove the line",
    "no head": "static/v.html: this web page has no <head> (or runs a script before it), so the site's security policy cannot be "
               "added — add <head></head> right after <html>, or remove it from static/",
}
FORBIDDEN = re.compile(r"script|javascript|onload|onclick|foreignObject|iframe|embed|evil\.example|@import|admin", re.I)


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_svg_loses_every_way_to_run_or_fetch_something(attack: str) -> None:
    cleaned = sanitise_svg(ATTACKS[attack].encode()).decode()
    assert not FORBIDDEN.search(cleaned), cleaned
    assert ET.fromstring(cleaned).tag == "{http://www.w3.org/2000/svg}svg", "still an SVG"


@pytest.mark.parametrize("svg", [
    LOGO,
    (REPO / "static" / "favicon.svg").read_text(encoding="utf-8"),
    # an Illustrator export: a DTD with entities, its own namespaces, a class stylesheet, a gradient by reference
    ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" '
     '[<!ENTITY ns_svg "http://www.w3.org/2000/svg"><!ENTITY ns_xlink "http://www.w3.org/1999/xlink">]>\n'
     '<svg version="1.1" xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;" xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/" '
     'x="0px" y="0px" width="120px" height="40px" viewBox="0 0 120 40" xml:space="preserve">'
     '<style type="text/css">.st0{fill:url(#grad);} .st1{font-family:\'Heebo\';}</style>'
     '<metadata><i:pgf>AAAA</i:pgf></metadata>'
     '<defs><linearGradient id="grad"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/></linearGradient></defs>'
     '<g i:extraneous="self"><rect class="st0" width="120" height="40"/><text class="st1" x="4" y="28">שותף &amp; Partner</text>'
     '<use xlink:href="#grad"/></g></svg>'),
])
def test_a_valid_svg_keeps_its_drawing(svg: str) -> None:
    cleaned = ET.fromstring(sanitise_svg(svg.encode()))
    original = ET.fromstring(svg.encode()) if "<!ENTITY" not in svg else None
    shapes = [e.tag.split("}")[1] for e in cleaned.iter() if e.tag.split("}")[1] in ("rect", "circle", "path", "text", "stop", "use")]
    assert shapes, "the drawing is kept"
    if original is not None:
        assert shapes == [e.tag.split("}")[1] for e in original.iter() if e.tag.split("}")[1] in ("rect", "circle", "path", "text", "stop", "use")]
    text = "".join(cleaned.itertext())
    if "Partner" in svg:
        assert "שותף & Partner" in text and "url(#grad)" in text, "the text and the gradient by reference stay"
        assert any(e.get("href") == "#grad" for e in cleaned.iter()), "a reference inside the file stays (as href)"


def test_the_partner_logo_with_a_script_is_published_without_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The campaign's case: static/images/partner-logo.svg holding <script>, published unchanged before the fix."""
    evil = LOGO.replace("</svg>", '<script>fetch("/admin/").then(r => r.text()).then(alert)</script></svg>')
    root = make_site(tmp_path, {"static/images/partner-logo.svg": evil})
    result = run(capsys, "build", "--source", str(root))
    assert result.code == 0, result.err
    published = (root / "site" / "images" / "partner-logo.svg").read_text(encoding="utf-8")
    assert "script" not in published and "fetch" not in published
    assert "<circle" in published and 'fill="#0f4c5c"' in published
    favicon = next((root / "site").rglob("favicon*.svg"))
    assert "<rect" in favicon.read_text(encoding="utf-8"), "the site's own mark is published"


@pytest.mark.parametrize(("text", "line", "why"), [
    ('<svg xmlns="http://www.w3.org/2000/svg">\n<rect>\n</svg>', 3, "not well-formed XML"),
    ('<html><body>a page named .svg</body></html>', 1, "outermost element is <html>, not <svg>"),
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
     '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
     '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>\n'
     '<svg xmlns="http://www.w3.org/2000/svg"><text>&h;</text></svg>', 0, "not well-formed XML"),
])
def test_a_file_named_svg_that_is_no_svg_is_a_problem_at_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  text: str, line: int, why: str) -> None:
    result = broken(capsys, tmp_path, {"static/images/logo.svg": text})
    found = [p for p in result.problems if p.startswith("static/images/logo.svg:")]
    assert found and why in found[0] and "save it again from the drawing program" in found[0], result.err
    if line:
        assert found[0].startswith(f"static/images/logo.svg:{line}:"), found[0]
    if line == 3:
        assert found[0] == AS_PRINTED["not XML"]


def test_a_compressed_svg_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = broken(capsys, tmp_path, {"static/images/logo.svgz": b"\x1f\x8b\x08\x00 not checked"})
    assert AS_PRINTED["svgz"] in result.problems, result.err


@pytest.mark.parametrize("name", ["static/verify.html", "static/docs/old.xhtml", "static/x.HTM", "static/a/b.shtml"])
def test_a_web_page_in_static_is_refused_unless_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    result = broken(capsys, tmp_path, {name: "<html><head></head><body><script>alert(1)</script></body></html>"})
    assert any(p.startswith(f"{name}:") and "list it under static_html: in data/site.yaml" in p for p in result.problems), result.err
    if name == "static/verify.html":
        assert AS_PRINTED["html"] in result.problems


def test_a_listed_web_page_is_published_with_the_sites_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = '<!DOCTYPE html>\n<html><HEAD lang="en"><title>verification</title></HEAD><body>google-site-verification</body></html>'
    root = make_site(tmp_path, {"static/google1234.html": page,
                                "data/site.yaml": SITE_YAML + "static_html:\n  - google1234.html\n"})
    result = run(capsys, "build", "--source", str(root))
    assert result.code == 0, result.err
    published = html.unescape((root / "site" / "google1234.html").read_text(encoding="utf-8"))
    site_policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', (root / "site" / "index.html").read_text())
    assert site_policy
    assert published.startswith(f'<!DOCTYPE html>\n<html><HEAD lang="en"><meta http-equiv="Content-Security-Policy" '
                                f'content="{html.unescape(site_policy[1])}" />'), published
    assert "script-src 'self'" in published


def test_a_listed_name_that_is_no_web_page_is_a_problem_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = broken(capsys, tmp_path, {"data/site.yaml": "static_html:\n  - missing.html\n" + SITE_YAML})
    assert AS_PRINTED["listed"] in result.problems, result.err


def test_a_listed_web_page_without_head_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = broken(capsys, tmp_path, {"static/v.html": "<script>alert(1)</script><p>no head</p>",
                                       "data/site.yaml": SITE_YAML + "static_html:\n  - v.html\n"})
    assert AS_PRINTED["no head"] in result.problems, result.err


def test_check_finds_them_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(tmp_path, {"static/x.html": "<html><head></head></html>", "static/y.svg": "<svg"})
    result = run(capsys, "check", "--source", str(root))
    assert result.code == 1 and "Traceback" not in result.err
    assert any(p.startswith("static/x.html:") for p in result.problems) and any(p.startswith("static/y.svg:") for p in result.problems)
    assert snapshot(root).get("site/") is None
