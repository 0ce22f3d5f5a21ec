"""The main menu in a data file of its own, data/menu.yaml (the forms edit it): the pages show it, the checks name
that file and line; a site made before keeps ``nav:`` in data/site.yaml (still read); both at once is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SITE_YAML
from sitefactory import build_good, make_site, run

OLD_NAV = "nav:\n  - page: about\n"
WITHOUT_NAV = SITE_YAML.replace(OLD_NAV, "")
MENU = """\
# The site's main menu (a comment the forms keep).

- page: about
  label:
    he: עלינו
    en: Us

- page: guide
"""
GUIDE = {"content/guide.he.md": "---\ntitle: מדריך\n---\nטקסט.\n", "content/guide.en.md": "---\ntitle: Guide\n---\nText.\n"}


def nav_links(html: bytes) -> list[tuple[str, str]]:
    menu = re.search(r'<nav class="main-nav".*?</nav>', html.decode(), re.S)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu[0]) if menu else []


def test_the_menu_of_data_menu_yaml_is_on_every_page_with_its_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert OLD_NAV in SITE_YAML
    files = build_good(capsys, make_site(tmp_path, {"data/site.yaml": WITHOUT_NAV, "data/menu.yaml": MENU, **GUIDE}))
    assert nav_links(files["index.html"]) == [("/about/", "עלינו"), ("/guide/", "מדריך")]
    assert nav_links(files["en/guide/index.html"]) == [("/en/about/", "Us"), ("/en/guide/", "Guide")]
    assert '<a href="/guide/" aria-current="page">' in files["guide/index.html"].decode()


def test_a_menu_item_without_its_page_is_an_error_at_its_line_in_data_menu_yaml(tmp_path: Path,
                                                                                capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", "--source", str(make_site(tmp_path, {"data/site.yaml": WITHOUT_NAV, "data/menu.yaml": MENU})),
                 "--messages", "en")
    line = MENU.splitlines().index("- page: guide") + 1
    assert result.code == 1 and f"data/menu.yaml:{line}: the menu points to page 'guide', which does not exist" in result.err, result.err


def test_an_older_site_keeps_its_menu_in_data_site_yaml_but_not_in_both_files(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    files = build_good(capsys, make_site(tmp_path / "old"))  # SITE_YAML: nav: in data/site.yaml
    assert [url for url, _ in nav_links(files["index.html"])] == ["/about/"]
    both = make_site(tmp_path / "both", {"data/menu.yaml": MENU, **GUIDE})
    result = run(capsys, "check", "--source", str(both), "--messages", "en")
    line = SITE_YAML.splitlines().index("nav:") + 1
    assert result.code == 1 and (f"data/site.yaml:{line}: the menu is written twice, here and in data/menu.yaml — remove nav: "
                                 "from this file") in result.err, result.err
