"""The editors' forms are never locked out (issue 21): while the content has problems, ``serve`` keeps serving /admin/
and its files — from the last good build, or made from the broken content when no build succeeded yet — while every
other page is the error page; and /admin/ shows the current problems, in Hebrew first, fed by the preview's
/_preview/problems.json (which the forms ask only of the preview: a published site is never asked, nothing shows).

A fixture site with the forms installed (test_cms.install_forms), ``build.py serve`` on a free port of 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import browser_type_launch_args, require  # noqa: F401  (Debian's Chromium)
from conftest import REPO, copy_fixture_site
from test_cms import install_forms
from test_serve import free_port, get, save, wait_for

from sitegen.messages import msg
from sitegen.tools import cms

BROKEN_LINK = "---\ntitle: שבור\n---\n\nראו [כאן](nowhere.he.md).\n"


def broken_link_message(lang: str) -> str:
    """check's words for the broken link above (sitegen/model/pages.py check_links), in ``lang``."""
    return msg("link to a page that does not exist: {path} — write the path of the target's .md file relative to "
               "this file (e.g. ../programme.{lang}.md)", path="content/nowhere.he.md", lang="he").localized(lang)


@pytest.fixture
def forms_source(tmp_path: Path) -> Path:
    require("node_modules/decap-cms (npm ci)", cms.cms_installed(REPO), "the forms' tests")
    source = copy_fixture_site(tmp_path / "src")
    install_forms(source)
    return source


def start(source: Path) -> tuple[str, subprocess.Popen[str]]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    return f"http://127.0.0.1:{port}", proc


@pytest.fixture
def stopped() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def assert_the_forms_are_served(base: str) -> None:
    code, page = get(base + "/admin/")
    assert code == 200 and "data-merhav=" in page, page[:300]
    scripts = re.findall(r'<script src="([^"]+)"></script>', page)
    assert len(scripts) == 3 and any(s.endswith("/decap-cms.js") for s in scripts), scripts
    for src in scripts + ["/admin/config.yml"]:
        code, body = get(base + src)
        assert code == 200 and body, src
    config = get(base + "/admin/config.yml")[1]
    assert "collections:" in config


def problems(base: str) -> dict[str, Any]:
    code, body = get(base + "/_preview/problems.json")
    assert code == 200
    return json.loads(body)  # type: ignore[no-any-return]


def test_after_a_good_build_a_broken_content_keeps_the_forms_and_they_learn_the_problems(forms_source: Path, stopped: list[Any]) -> None:
    base, proc = start(forms_source)
    stopped.append(proc)
    wait_for(base + "/", lambda code, body: code == 200, seconds=90)
    assert problems(base)["problems"] == []
    save(forms_source / "content" / "broken.he.md", BROKEN_LINK)
    wait_for(base + "/", lambda code, body: code == 500, seconds=60)  # every page: the error page
    assert get(base + "/about/")[0] in (500, 404)
    assert_the_forms_are_served(base)
    report = problems(base)
    assert report["languages"][0] == "he"
    (problem,) = report["problems"]
    assert problem["path"] == "content/broken.he.md" and problem["line"] == 5
    assert problem["message"]["he"] == broken_link_message("he") and problem["message"]["en"] == broken_link_message("en")
    (forms_source / "content" / "broken.he.md").unlink()
    wait_for(base + "/", lambda code, body: code == 200, seconds=60)
    assert problems(base)["problems"] == []


@pytest.mark.browser
def test_a_first_build_that_fails_still_makes_the_forms_and_they_show_the_problems_in_hebrew(
        forms_source: Path, stopped: list[Any], page: Any) -> None:
    save(forms_source / "content" / "broken.he.md", BROKEN_LINK)
    base, proc = start(forms_source)
    stopped.append(proc)
    wait_for(base + "/", lambda code, body: code == 500, seconds=90)
    assert_the_forms_are_served(base)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/admin/")
    banner = page.locator(".merhav-problems")
    banner.wait_for(timeout=20000)
    assert banner.get_attribute("lang") == "he" and banner.get_attribute("dir") == "rtl"
    assert banner.locator("h2").inner_text() == "האתר לא נבנה מחדש"
    assert banner.locator('.what[lang="he"]').inner_text() == broken_link_message("he")
    assert banner.locator('.what[lang="en"]').inner_text() == broken_link_message("en")
    assert page.get_by_role("button", name="התחברות").is_visible()  # Decap itself started beside it
    (forms_source / "content" / "broken.he.md").unlink()  # fixed: the banner goes by itself
    banner.wait_for(state="detached", timeout=30000)
    assert errors == []


@pytest.mark.browser
def test_the_published_forms_show_no_banner(page: Any) -> None:
    """A built site served by a plain web server (no preview): the problems are not asked for, nothing shows."""
    from browser_support import serve_site
    from test_cms import built_forms_fixture

    out = built_forms_fixture("https://example.org/merhav/")[1]  # the fixture site with the forms, built once per run
    assert not (out / "admin" / "problems.json").exists()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    with serve_site(out, prefix="/merhav/") as served:
        page.goto(served.url + "admin/")
        page.get_by_role("button", name="התחברות").wait_for(timeout=20000)
        page.wait_for_timeout(500)
        assert page.locator(".merhav-problems").count() == 0
    assert asked and not [url for url in asked if "problems.json" in url], asked
