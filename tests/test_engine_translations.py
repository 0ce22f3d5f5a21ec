"""A page or text in one language only: a stand-in page in the other, and the translation status."""

from __future__ import annotations

import pytest
from conftest import BASE_URL, Tags, TinySite

ONLY_HEBREW = {"content/news.he.md": "---\ntitle: חדשות\n---\nחדש.\n"}
STATUS_HEADER = "Translation status: 1 page and 1 text exist in one language only"


def test_a_missing_translation_gets_an_honest_noindex_stand_in(tiny: TinySite) -> None:
    tiny.write(ONLY_HEBREW)
    code, out, err = tiny.run("--base-url", BASE_URL)
    assert code == 0, err
    stand_in = tiny.html("en/news/index.html")
    tags = Tags(stand_in)
    assert tags.first("html") == {"lang": "en", "dir": "ltr"}
    assert tags.all("meta", name="robots") == [{"name": "robots", "content": "noindex"}]
    assert tags.all("link", rel="canonical") == []
    assert '<p class="untranslated">עברית: <a href="/news/" hreflang="he">חדשות</a></p>' in stand_in
    # the Hebrew page is a real page, switching to the stand-in
    he = Tags(tiny.html("news/index.html"))
    assert he.all("meta", name="robots") == []
    assert [a["href"] for a in he.all("a", hreflang="en")] == ["/en/news/"]
    sitemap = (tiny.out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE_URL}/news/</loc>" in sitemap
    assert "/en/news/" not in sitemap


def test_a_stand_in_is_not_in_the_menu(tiny: TinySite) -> None:
    tiny.write({"content/about.en.md": None})
    assert tiny.run().code == 0
    assert Tags(tiny.html("en/index.html")).all("a", class_="nav") == []
    assert Tags(tiny.html("index.html")).all("a", class_="nav") == [{"class": "nav", "href": "/about/"}]


def test_check_lists_pages_and_texts_in_one_language_only(tiny: TinySite) -> None:
    site = (tiny.root / "data/site.yaml").read_text(encoding="utf-8")
    tiny.write({**ONLY_HEBREW, "data/site.yaml": site.replace("    en: The Institute\n", "")})
    code, out, err = tiny.run("check")
    assert (code, err) == (0, "")
    name_line = site.splitlines().index("institute:") + 2  # institute's name:
    assert out.splitlines() == [
        "No problems found.",
        "",
        STATUS_HEADER + ":",
        "  content/news.he.md: no 'en' version of this page — add content/news.en.md",
        f"  data/site.yaml:{name_line}: 'name' has no 'en' text",
    ]


def test_build_counts_the_gaps_and_points_to_check(tiny: TinySite) -> None:
    tiny.write(ONLY_HEBREW)
    code, out, err = tiny.run("--base-url", BASE_URL)
    assert code == 0
    assert err == "note: 1 page exists in one language only — python build.py check lists it\n"


def test_strict_makes_a_missing_translation_an_error(tiny: TinySite) -> None:
    tiny.write(ONLY_HEBREW)
    code, out, err = tiny.run("check", "--strict")
    assert code == 1
    assert err.splitlines() == ["warning: not a git repository: stale translations cannot be found",  # said, not passed over
                                "content/news.he.md: no 'en' version of this page — add content/news.en.md", "", "1 problem."]
    assert tiny.run("--strict").code == 1
    assert not tiny.out.exists()


def test_a_draft_in_one_language_is_no_gap_when_drafts_are_left_out(tiny: TinySite) -> None:
    tiny.write({"content/news.he.md": "---\ntitle: חדשות\ndraft: true\n---\n"})
    code, out, err = tiny.run("check", "--strict")
    assert (code, out.splitlines()[-1]) == (0, "  every page and text exists in every language.")
    assert tiny.run("check", "--strict", "--drafts").code == 1


def test_every_language_is_complete(tiny: TinySite) -> None:
    code, out, err = tiny.run("check")
    assert (code, out, err) == (0, "No problems found.\n\nTranslation status:\n  every page and text exists in every language.\n", "")


def test_under_github_actions_check_annotates_the_gaps_as_warnings(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    tiny.write(ONLY_HEBREW)
    code, out, err = tiny.run("check")
    assert code == 0
    assert err == "::warning file=content/news.he.md::no 'en' version of this page — add content/news.en.md\n"


def test_a_page_that_cannot_be_read_is_no_missing_translation(tiny: TinySite) -> None:
    """Its own problem is reported; its counterpart is not told that it has no Hebrew version."""
    tiny.write({"content/about.he.md": "---\ntitle: [אודות\n---\nעל התכנית.\n"})
    code, out, err = tiny.run("check")
    assert code == 1
    assert err.splitlines()[0].startswith("content/about.he.md:")
    assert "no 'he' version" not in out + err
