"""Files of the whole site: sitemap.xml, robots.txt and a 404.html per language."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import yaml
from conftest import BASE_URL, Tags, TinySite

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_the_sitemap_lists_every_indexable_page_with_its_alternates(tiny: TinySite) -> None:
    tiny.write({"content/draft.he.md": "---\ntitle: טיוטה\ndraft: true\n---\n"})
    assert tiny.run("--base-url", BASE_URL + "/", "--drafts").code == 0
    root = ET.parse(tiny.out / "sitemap.xml").getroot()
    entries = {
        url.findtext("s:loc", namespaces=NS): {a.get("hreflang"): a.get("href") for a in url.findall("x:link", NS)}
        for url in root.findall("s:url", NS)
    }
    home = {"he": f"{BASE_URL}/", "en": f"{BASE_URL}/en/", "x-default": f"{BASE_URL}/"}
    about = {"he": f"{BASE_URL}/about/", "en": f"{BASE_URL}/en/about/", "x-default": f"{BASE_URL}/about/"}
    assert entries == {f"{BASE_URL}/": home, f"{BASE_URL}/en/": home, f"{BASE_URL}/about/": about, f"{BASE_URL}/en/about/": about}


def test_robots_txt_names_the_sitemap(tiny: TinySite) -> None:
    assert tiny.run("--base-url", BASE_URL).code == 0
    assert (tiny.out / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE_URL}/sitemap.xml\n"


def test_canonical_links_are_absolute(tiny: TinySite) -> None:
    assert tiny.run("--base-url", BASE_URL).code == 0
    assert Tags(tiny.html("en/about/index.html")).all("link", rel="canonical") == [{"rel": "canonical", "href": f"{BASE_URL}/en/about/"}]
    assert Tags(tiny.html("404.html")).all("link", rel="canonical") == []


def test_without_a_base_url_there_is_no_sitemap_and_the_build_says_so(tiny: TinySite) -> None:
    code, out, err = tiny.run()
    assert code == 0
    assert err == "note: no base URL: sitemap.xml and canonical links left out — set base_url in data/site.yaml or pass --base-url\n"
    assert not (tiny.out / "sitemap.xml").exists()
    assert (tiny.out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"


def test_the_base_url_of_site_yaml_is_used_unless_given(tiny: TinySite) -> None:
    site = (tiny.root / "data/site.yaml").read_text(encoding="utf-8")
    tiny.write({"data/site.yaml": site + "base_url: https://from-data.example/\n"})
    assert tiny.run().code == 0
    assert "<loc>https://from-data.example/about/</loc>" in (tiny.out / "sitemap.xml").read_text()
    assert tiny.run("--base-url", BASE_URL).code == 0
    assert "https://from-data.example" not in (tiny.out / "sitemap.xml").read_text()


def test_each_language_has_a_404_page(tiny: TinySite) -> None:
    assert tiny.run().code == 0
    he, en = Tags(tiny.html("404.html")), Tags(tiny.html("en/404.html"))
    assert he.first("html") == {"lang": "he", "dir": "rtl"} and en.first("html") == {"lang": "en", "dir": "ltr"}
    assert he.all("meta", name="robots") == en.all("meta", name="robots") == [{"name": "robots", "content": "noindex"}]
    for rel, lang in [("404.html", "he"), ("en/404.html", "en")]:  # the title is the not_found_title string
        strings = yaml.safe_load((tiny.root / f"data/strings/{lang}.yaml").read_text(encoding="utf-8"))
        assert f"<h1>{strings['not_found_title']}</h1>" in tiny.html(rel)
    # A 404's switcher leads to the other language's home page, not to its 404 (a page to go nowhere)
    assert [a["href"] for a in en.all("a", hreflang="he")] == ["/"]
    assert [a["href"] for a in he.all("a", hreflang="en")] == ["/en/"]
