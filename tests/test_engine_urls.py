"""Where pages go: URLs and output files per language, <html lang dir>, a third language by data alone."""

from __future__ import annotations

from conftest import SITE_YAML, Tags, TinySite


def test_pages_are_written_at_their_urls_in_each_language(tiny: TinySite) -> None:
    tiny.write({
        "content/cohorts/index.he.md": "---\ntitle: מחזורים\n---\n",
        "content/cohorts/index.en.md": "---\ntitle: Cohorts\n---\n",
        "content/cohorts/first/projects.he.md": "---\ntitle: פרוייקטים\n---\n",
        "content/cohorts/first/projects.en.md": "---\ntitle: Projects\n---\n",
    })
    assert tiny.run().code == 0
    written = {p.relative_to(tiny.out).as_posix() for p in tiny.out.rglob("*.html")}
    assert written == {
        "index.html", "about/index.html", "cohorts/index.html", "cohorts/first/projects/index.html", "404.html",
        "en/index.html", "en/about/index.html", "en/cohorts/index.html", "en/cohorts/first/projects/index.html", "en/404.html",
    }
    assert "<h1>פרוייקטים</h1>" in tiny.html("cohorts/first/projects/index.html")
    assert "<h1>Projects</h1>" in tiny.html("en/cohorts/first/projects/index.html")


def test_html_lang_and_dir_come_from_the_language_config(tiny: TinySite) -> None:
    assert tiny.run().code == 0
    for rel, lang, direction in [("index.html", "he", "rtl"), ("about/index.html", "he", "rtl"),
                                 ("en/index.html", "en", "ltr"), ("en/about/index.html", "en", "ltr")]:
        assert Tags(tiny.html(rel)).first("html") == {"lang": lang, "dir": direction}, rel


def test_the_switcher_and_menu_link_to_the_same_page_in_the_other_language(tiny: TinySite) -> None:
    assert tiny.run().code == 0
    he, en = Tags(tiny.html("about/index.html")), Tags(tiny.html("en/about/index.html"))
    assert [a["href"] for a in he.all("a", hreflang="en")] == ["/en/about/"]
    assert [a["href"] for a in en.all("a", hreflang="he")] == ["/about/"]
    assert he.all("a", class_="nav") == [{"class": "nav", "href": "/about/", "aria-current": "page"}]
    assert en.all("a", class_="nav") == [{"class": "nav", "href": "/en/about/", "aria-current": "page"}]


AR = """\
  - code: ar
    label: العربية
    dir: rtl
    locale: ar
"""


def test_a_third_language_is_a_change_of_data_only(tiny: TinySite) -> None:
    strings = (tiny.root / "data/strings/en.yaml").read_text(encoding="utf-8")
    tiny.write({
        "data/site.yaml": SITE_YAML.replace("nav:\n", AR + "nav:\n"),
        "data/strings/ar.yaml": strings,
        "content/index.ar.md": "---\ntitle: الصفحة الرئيسية\n---\nمرحبا.\n",
    })
    code, out, err = tiny.run()
    assert code == 0
    # the site's texts (title, full_title, description, the partner's name and description, the institute's name)
    # have no Arabic yet
    assert err.splitlines()[0] == "note: 1 page and 6 texts exist in one language only — python build.py check lists them"
    home = Tags(tiny.html("ar/index.html"))
    assert home.first("html") == {"lang": "ar", "dir": "rtl"}
    assert [a["href"] for a in home.all("a", hreflang="he")] == ["/"]
    # about exists in he and en only: Arabic gets a stand-in, and the switchers lead to it
    assert Tags(tiny.html("ar/about/index.html")).first("html") == {"lang": "ar", "dir": "rtl"}
    assert [a["href"] for a in Tags(tiny.html("about/index.html")).all("a", hreflang="ar")] == ["/ar/about/"]
    assert (tiny.out / "ar/404.html").is_file()


def test_listings_follow_the_weight_of_the_front_matter(tiny: TinySite) -> None:
    tiny.write({
        "content/index.en.md": "---\ntitle: Home\nlayout: listing\nweight: 1\n---\n",
        "content/about.en.md": "---\ntitle: About\nweight: 3\n---\n",
        "content/news.en.md": "---\ntitle: News\nweight: 2\n---\n",
        "content/zz-draft.en.md": "---\ntitle: Draft\ndraft: true\n---\n",
    })
    assert tiny.run().code == 0
    assert '<ol class="listing"><li><a href="/en/">Home</a></li><li><a href="/en/news/">News</a></li><li><a href="/en/about/">About</a></li></ol>' in tiny.html("en/index.html")
