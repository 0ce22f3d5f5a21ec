"""Links in Markdown are written to source files and become page URLs; broken ones are errors at their line."""

from __future__ import annotations

from conftest import Tags, TinySite

GUIDE_HE = """\
---
title: מדריך
---
## פתיחה

ראו [אודות](../about.he.md), [הבית](../index.he.md) ו[הרקע](../about.he.md#רקע).

[השלב הבא](next.he.md) · [English](next.en.md#steps) · [כאן](#פתיחה)
"""


def test_links_to_source_files_become_urls(tiny: TinySite) -> None:
    tiny.write({
        "content/guide/index.he.md": GUIDE_HE,
        "content/guide/next.he.md": "---\ntitle: הבא\n---\n",
        "content/guide/next.en.md": "---\ntitle: Next\n---\n## Steps {#steps}\n\nBack to [the guide](index.he.md).\n",
    })
    code, _, err = tiny.run()
    assert code == 0, err
    hrefs = [a["href"] for a in Tags(tiny.html("guide/index.html")).all("a") if a.get("class") is None and not a.get("hreflang")]
    assert hrefs == ["/about/", "/", "/about/#רקע", "/guide/next/", "/en/guide/next/#steps", "#פתיחה"]
    assert '<a href="/guide/">the guide</a>' in tiny.html("en/guide/next/index.html")


def test_an_anchor_copied_from_a_browser_address_is_found(tiny: TinySite) -> None:
    tiny.write({"content/index.he.md": "---\ntitle: בית\n---\n[רקע](about.he.md#%D7%A8%D7%A7%D7%A2)\n[לא](about.he.md#%D7%9C%D7%90)\n"})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == "content/index.he.md:5: link to '#לא', which content/about.he.md does not have — check the heading it points to"


def test_a_link_to_a_missing_page_is_an_error_at_its_line(tiny: TinySite) -> None:
    tiny.write({"content/about.he.md": "---\ntitle: אודות\n---\n## רקע\n\nעל התכנית.\n\nראו [התכנית](programme.he.md).\n"})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == (
        "content/about.he.md:8: link to a page that does not exist: content/programme.he.md — "
        "write the path of the target's .md file relative to this file (e.g. ../programme.he.md)"
    )
    assert not tiny.out.exists()


def test_a_link_to_a_missing_heading_is_an_error_at_its_line(tiny: TinySite) -> None:
    tiny.write({"content/about.en.md": "---\ntitle: About\n---\n## Background\n\nSee the [Hebrew](about.he.md#רקע)\nand the [goals](about.he.md#מטרות).\n"})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == "content/about.en.md:7: link to '#מטרות', which content/about.he.md does not have — check the heading it points to"


def test_a_link_to_a_page_whose_own_file_is_broken_reports_only_that_file(tiny: TinySite) -> None:
    tiny.write({"content/about.he.md": "---\ntitle: אודות\nweight: שתיים\n---\n"})
    tiny.write({"content/index.en.md": "---\ntitle: Home\n---\nSee [about](about.he.md).\n"})
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == "content/about.he.md:3: 'weight' must be a whole number, not 'שתיים'"
    assert "link to a page that does not exist" not in err


def test_a_link_to_a_draft_says_it_is_a_draft(tiny: TinySite) -> None:
    tiny.write({
        "content/plans.he.md": "---\ntitle: תכניות\ndraft: true\n---\n",
        "content/index.he.md": "---\ntitle: בית\n---\nראו [תכניות](plans.he.md).\n",
    })
    code, out, err = tiny.run()
    assert code == 1
    assert err.splitlines()[0] == (
        "content/index.he.md:4: link to content/plans.he.md, a draft (draft: true), which is not published — "
        "remove the link, or publish the page"
    )
    code, out, err = tiny.run("--drafts")
    assert code == 0, err
    assert '<a href="/plans/">תכניות</a>' in tiny.html("index.html")
