"""The accessibility statement and the footer's contact details: what data/site.yaml gives is shown, what it leaves
empty is left out (and, for the statement, listed by `check` as missing — never made up); the statement is
linked from every page's footer; a call to action with no address is not shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SITE_YAML
from sitefactory import build_good, make_site, run
from test_owner import OWNER

STATEMENT = {
    "content/accessibility.he.md": "---\ntitle: הצהרת נגישות\nlayout: accessibility\n---\nהאתר נבדק.\n",
    "content/accessibility.en.md": "---\ntitle: Accessibility statement\nlayout: accessibility\n---\nThe site is tested.\n",
}
FILLED = SITE_YAML + """\
  email: merhav@example.org
  phone: 02-555 0100
  url: https://institute.example.org/
  newsletter_url: https://institute.example.org/news
accessibility:
  coordinator:
    name:
      he: דנה לוי
      en: Dana Levi
    phone: 02-555 0101
    email: access@example.org
  updated: 2026-12-01
  reviewed: 2026-11-20
  arrangements:
    he: אולמות המפגשים נגישים.
    en: The meeting rooms are accessible.
""" + OWNER
EMPTY = SITE_YAML + """\
accessibility:
  coordinator:
    name: ""
    phone: ""
    email: ""
"""
MISSING = [
    "data/site.yaml:35: warning: the accessibility coordinator's name is missing — write it under accessibility: coordinator: name "
    "(the accessibility statement leaves it out until then)",
    "data/site.yaml:36: warning: the accessibility coordinator's phone number is missing — write it under accessibility: "
    "coordinator: phone (the accessibility statement leaves it out until then)",
    "data/site.yaml:37: warning: the accessibility coordinator's email address is missing — write it under accessibility: "
    "coordinator: email (the accessibility statement leaves it out until then)",
    "data/site.yaml:33: warning: the date the accessibility statement was last updated is missing — write it under accessibility: "
    "updated, as YYYY-MM-DD",
]


def _footer(html: str) -> str:
    found = re.search(r"<footer class=\"site-footer\">.*</footer>", html, re.S)
    assert found
    return found[0]


def test_unknown_details_are_left_out_and_listed_by_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(tmp_path, {**STATEMENT, "data/site.yaml": EMPTY})
    result = run(capsys, "check", "--source", str(root))
    assert result.code == 0 and result.out.startswith("No problems found.")
    assert sorted(result.err.strip().splitlines()) == sorted(MISSING)
    files = build_good(capsys, root)
    page = files["accessibility/index.html"].decode()
    assert "האתר נבדק." in page
    assert "רכז/ת הנגישות" not in page and "tel:" not in page and "mailto:" not in page and 'class="reviewed"' not in page
    for absent in ('id="coordinator"', 'id="responsible"', 'id="arrangements"', 'class="updated"', "לפנות"):
        assert absent not in page, absent
    footer = _footer(files["index.html"].decode())
    assert "mailto:" not in footer and "tel:" not in footer and "footer-newsletter" not in footer  # nothing to invite to
    assert "footer-contact" not in footer and "footer-owner" not in footer  # no contact column, nobody named as running it


def test_filled_details_are_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(tmp_path, {**STATEMENT, "data/site.yaml": FILLED})
    assert run(capsys, "check", "--source", str(root)).err == ""
    files = build_good(capsys, root)
    he, en = files["accessibility/index.html"].decode(), files["en/accessibility/index.html"].decode()
    assert "<bdi>דנה לוי</bdi>" in he and "<bdi>Dana Levi</bdi>" in en
    assert '<a href="tel:02-5550101" dir="ltr">02-555 0101</a>' in en and '<a href="mailto:access@example.org" dir="ltr">' in en
    assert 'Statement updated: <time datetime="2026-12-01">1 December 2026</time>' in en and '<time datetime="2026-12-01">' in he
    assert 'Last accessibility audit: <time datetime="2026-11-20">20 November 2026</time>' in en
    assert "contact the accessibility coordinator:" in en and "אפשר לפנות לרכז/ת הנגישות:" in he
    assert '<h2 id="arrangements">' in en and "<p>The meeting rooms are accessible.</p>" in en and "אולמות המפגשים נגישים." in he
    assert ('<p><bdi>The Running Body</bdi>, <bdi>1 Example Street, Jerusalem</bdi> '
            '(<a href="https://owner.example.org/" dir="ltr">https://owner.example.org/</a>)</p>') in en
    assert '<p class="footer-owner">תכנית של <a href="https://owner.example.org/"><bdi>הגוף המפעיל</bdi></a></p>' in \
        _footer(files["index.html"].decode())
    footer = _footer(files["en/about/index.html"].decode())
    assert '<a href="mailto:merhav@example.org" dir="ltr">merhav@example.org</a>' in footer
    assert '<a href="tel:02-5550100" dir="ltr">02-555 0100</a>' in footer
    assert '<a href="https://institute.example.org/">' in footer
    assert '<li class="footer-newsletter"><a href="https://institute.example.org/news">' in footer


def test_every_page_links_to_the_statement_of_its_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = build_good(capsys, make_site(tmp_path, {**STATEMENT, "data/site.yaml": FILLED}))
    pages = [rel for rel in files if rel.endswith(".html")]
    assert len(pages) >= 8
    for rel in pages:
        target = "/en/accessibility/" if rel.startswith("en/") else "/accessibility/"
        assert f'<li class="footer-statement"><a href="{target}"' in _footer(files[rel].decode()), rel


def test_without_a_statement_page_nothing_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_site(tmp_path, {"data/site.yaml": EMPTY})
    assert run(capsys, "check", "--source", str(root)).err == ""
    assert "footer-links" not in build_good(capsys, root)["index.html"].decode()
