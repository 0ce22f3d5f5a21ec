"""Who runs the programme comes from one field, data/site.yaml's ``owner`` (name, address, url): JSON-LD's provider
and publisher, the share image's line, the feed's author and the footer's "a programme of …" line. Empty (as today,
until the programme confirms it) nobody is named: no Organization, no provider, no line; the feed's author is the
site's title. The Institute, which the source names for its newsletter only, is never put in its place."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from catalogue_fixture import VOCABULARIES, cohort_entry, project_entry
from conftest import SITE_YAML
from sitefactory import make_site, run, snapshot

from sitegen.output.share import share_texts
from sitegen.sources.gather import gather

OWNER = """\
owner:
  name:
    he: הגוף המפעיל
    en: The Running Body
  address:
    he: רחוב הדוגמה 1, ירושלים
    en: 1 Example Street, Jerusalem
  url: https://owner.example.org/
"""
COHORTS = {"data/cohorts.yaml": cohort_entry("a", [project_entry("p01")]), **VOCABULARIES}


def _build(capsys: pytest.CaptureFixture[str], root: Path, site_yaml: str) -> dict[str, bytes]:
    make_site(root, {"data/site.yaml": site_yaml, **COHORTS})
    result = run(capsys, "build", "--source", str(root), "--base-url", "https://merhav.example/")
    assert result.code == 0, result.err
    return snapshot(root / "site")


def _share_line(root: Path, code: str) -> str:
    """The share image's bottom line in ``code`` (share_texts reads only the site's configuration)."""
    return share_texts(SimpleNamespace(config=gather(root, None).config), code)["owner"]  # type: ignore[arg-type]


def _json_ld(markup: str) -> list[dict]:
    return [json.loads(x) for x in re.findall(r'<script type="application/ld\+json">(.*?)</script>', markup, re.S)]


def test_without_an_owner_nobody_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _build(capsys, tmp_path, SITE_YAML)
    home = files["en/index.html"].decode()
    blocks = _json_ld(home)
    assert [b for b in blocks if b["@type"] == "Organization"] == []
    assert not any("provider" in b or "publisher" in b for b in blocks), blocks
    assert "The Institute" not in json.dumps(blocks) and "footer-owner" not in home
    feed = files["en/projects/feed.xml"].decode()
    assert "<author><name>Merhav</name></author>" in feed and "Institute" not in feed
    assert _share_line(tmp_path, "he") == ""


def test_the_owner_is_named_everywhere_from_one_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _build(capsys, tmp_path, SITE_YAML + OWNER)
    home = files["en/index.html"].decode()
    blocks = _json_ld(home)
    (organization,) = [b for b in blocks if b["@type"] == "Organization"]
    assert organization["name"] == "The Running Body" and organization["url"] == "https://owner.example.org/"
    assert organization["address"] == "1 Example Street, Jerusalem"
    website = next(b for b in blocks if b["@type"] == "WebSite")
    programme = next(b for b in blocks if b["@type"] == "EducationalOccupationalProgram")
    assert website["publisher"] == {"@id": organization["@id"]} and programme["provider"]["name"] == "The Running Body"
    assert ('<p class="footer-owner">A programme of <a href="https://owner.example.org/"><bdi>The Running Body</bdi></a></p>'
            in home)
    assert "<author><name>הגוף המפעיל</name></author>" in files["projects/feed.xml"].decode()
    assert _share_line(tmp_path, "he") == "הגוף המפעיל"


def test_a_bad_owner_address_is_an_error_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_site(tmp_path, {"data/site.yaml": SITE_YAML + OWNER.replace("https://owner.example.org/", "owner.example.org")})
    result = run(capsys, "check", "--source", str(tmp_path))
    assert result.code == 1
    line = (SITE_YAML + OWNER).splitlines().index("  url: https://owner.example.org/") + 1
    assert (f"data/site.yaml:{line}: 'url': 'owner.example.org' is not a web address — write it in full, starting with "
            "https://, or leave it empty") in result.err.splitlines()
