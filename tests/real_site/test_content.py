"""The real content, built under a sub-path: what must hold for ANY valid content.

Nothing here names a page, a sentence or a count of today's content: what the site must show is
read from the data files and the engine's model, then looked for in the built pages. An editor's
valid change (a quote, a cohort, a project or a page added; a word fixed; an item removed) keeps
every test here green. How faithfully the pages say what the programme's source text says is a
report editors run (``python build.py fidelity``), not a gate.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import Tags

from sitegen.cli import main
from sitegen.model.catalogue import has_content
from sitegen.output.security import ADMIN_DIR, admin_meta_policy, meta_policy
from sitegen.sources.config import localize

from .conftest import PREFIX, Built

pytestmark = pytest.mark.slow

SMART_QUOTES = re.compile("[\u201c\u201d\u2018\u2019\u05f3\u05f4]")


def html_files(real_site: Built) -> list[Path]:
    """The public pages: every HTML file but the editors' forms (admin/: tests/test_cms.py, and the policy test below)."""
    return sorted(p for p in real_site.root.rglob("*.html") if p.relative_to(real_site.root).parts[0] != ADMIN_DIR)


def visible_text(markup: str) -> str:
    """The text of a page or fragment, character references resolved and white space collapsed."""
    markup = re.sub(r"<(head|script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def text_of(value: Any, real_site: Built, lang: str) -> str:
    """A data text (``{he: …, en: …}`` or one string) in ``lang``, white space collapsed."""
    assert real_site.site is not None
    config = real_site.site.config
    return " ".join(str(localize(value, lang, config.default.code, config.codes) or "").split())


def test_the_content_passes_check(capsys: pytest.CaptureFixture[str], real_site: Built) -> None:
    code = main(["check", "--source", str(real_site.source)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("No problems found.")


def test_launch_lists_each_missing_fact_at_a_line_of_its_file(capsys: pytest.CaptureFixture[str], real_site: Built) -> None:
    """`launch` reads any valid content, exits 0 whatever it lists, and each fact's place is a line of its file."""
    for lang in ("he", "en"):
        code = main(["launch", "--source", str(real_site.source), "--messages", lang])
        out, err = capsys.readouterr()
        assert code == 0 and err == "", err
        for path, line in re.findall(r"^  (data/\S+\.yaml):(\d+)  ", out, re.M):
            assert 1 <= int(line) <= len((real_site.source / path).read_text(encoding="utf-8").splitlines()) + 1, (path, line)


def test_every_page_has_the_lang_and_dir_of_its_language(real_site: Built) -> None:
    pages = real_site.pages()
    assert pages and {p.lang for p in pages} == set(real_site.languages)
    for page in pages:
        language = real_site.languages[page.lang]
        assert Tags(page.file.read_text(encoding="utf-8")).first("html") == {"lang": language.code, "dir": language.dir}, page


def test_every_page_exists_in_every_language_and_the_switcher_leads_there(real_site: Built) -> None:
    pages = real_site.pages()
    have = {(p.key, p.lang) for p in pages}
    for page in pages:
        for code in real_site.languages:
            assert (page.key, code) in have, f"{page}: no page in '{code}'"
        links = Tags(page.file.read_text(encoding="utf-8")).all("a")
        for code in real_site.languages:
            if code == page.lang:
                continue
            switch = [a["href"] for a in links if a.get("hreflang") == code and a.get("lang") == code]
            assert switch, f"{page}: no link to its '{code}' counterpart"
            assert set(switch) == {real_site.counterpart(page, code)}, f"{page}: the switcher leads to {switch}"


def test_every_testimonial_is_on_the_graduates_page_in_every_language(real_site: Built) -> None:
    assert real_site.site is not None
    testimonials = real_site.site.data.get("testimonials") or []
    for code in real_site.languages:
        pages = [p for p in real_site.pages() if p.layout == "testimonials" and p.lang == code]
        if not testimonials:
            continue
        assert pages, f"there are testimonials but no page of layout 'testimonials' in '{code}'"
        markup = "\n".join(p.file.read_text(encoding="utf-8") for p in pages)
        figures = re.findall(r'<figure class="quote[^"]*">(.*?)</figure>', markup, re.S)
        for item in testimonials:
            name, quote = text_of(item["name"], real_site, code), text_of(item["quote"], real_site, code)
            shown = [f for f in figures if quote in visible_text(f)]
            assert shown, f"{code}: the quote of '{item['id']}' is not on {[p.path for p in pages]}"
            for figure in shown:
                assert "<blockquote>" in figure and "<figcaption>" in figure
                names = [visible_text(b) for b in re.findall(r"<bdi\b[^>]*>(.*?)</bdi>", figure, re.S)]
                assert name in names, f"{code}: '{item['id']}': the name {name!r} is not in a <bdi> of its quote"


def test_every_cohort_and_project_has_its_page_in_every_language(real_site: Built) -> None:
    """A cohort with something to show has its page; one with nothing but a name has none (catalogue.has_content)."""
    assert real_site.site is not None
    by_key = {(p.key, p.lang): p for p in real_site.pages()}
    quoted = {item.get("cohort") for item in real_site.site.data.get("testimonials") or []}
    for cohort in real_site.site.data.get("cohorts") or []:
        for code in real_site.languages:
            page = by_key.get((f"cohorts/{cohort['id']}", code))
            if not has_content(cohort, quoted):
                assert page is None, f"cohort '{cohort['id']}' has a page holding its name alone in '{code}'"
                continue
            assert page is not None and page.file.is_file(), f"cohort '{cohort['id']}' has no page in '{code}'"
            assert text_of(cohort["name"], real_site, code) in visible_text(page.file.read_text(encoding="utf-8"))
            for project in cohort.get("projects") or []:
                key = f"cohorts/{cohort['id']}/{project['slug']}"
                page = by_key.get((key, code))
                assert page is not None and page.file.is_file(), f"project '{project['slug']}' has no page in '{code}'"
                assert text_of(project["title"], real_site, code) in visible_text(page.file.read_text(encoding="utf-8"))


REFERENCE = re.compile(r'\s(href|src|srcset|content)="([^"]*)"')
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def _local_target(real_site: Built, address: str) -> Path | None:
    """The file an address of the site leads to (None when it names nothing that was built)."""
    path = unquote(urlsplit(address).path)
    rel = path[len(PREFIX):]
    target = real_site.root / rel
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def _references(markup: str) -> list[str]:
    found = []
    for attribute, value in REFERENCE.findall(markup):
        value = html.unescape(value)
        if attribute == "srcset":
            found += [part.strip().split()[0] for part in value.split(",") if part.strip()]
        elif attribute == "content":
            if value.startswith(("http://", "https://", "/")):
                found.append(value)
        else:
            found.append(value)
    return found


def test_every_reference_resolves_inside_the_sub_path(real_site: Built) -> None:
    """Links, images, stylesheets, fonts, icons, feeds — from every page and every stylesheet."""
    broken, outside = [], []
    documents = [(p, p.read_text(encoding="utf-8"), _references) for p in html_files(real_site)]
    documents += [(p, p.read_text(encoding="utf-8"), CSS_URL.findall) for p in sorted(real_site.root.rglob("*.css"))]
    for file, text, find in documents:
        here = real_site.origin + PREFIX + file.relative_to(real_site.root).as_posix()
        for reference in find(text):
            address = urljoin(here, reference)
            parts = urlsplit(address)
            if parts.scheme in ("mailto", "tel", "data") or (parts.scheme in ("http", "https") and parts.netloc != urlsplit(here).netloc):
                continue
            assert parts.scheme in ("http", "https"), f"{file}: {reference}"
            if not parts.path.startswith(PREFIX):
                outside.append(f"{file.relative_to(real_site.root)}: {reference}")
            elif _local_target(real_site, address) is None:
                broken.append(f"{file.relative_to(real_site.root)}: {reference}")
    assert not outside, "addresses that leave the base URL's path:\n  " + "\n  ".join(outside)
    assert not broken, "addresses that lead to no built file:\n  " + "\n  ".join(broken)


def test_the_sitemap_lists_every_indexable_page_with_its_translations(real_site: Built) -> None:
    assert real_site.site is not None
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(real_site.root / "sitemap.xml").getroot()
    locs = [el.text or "" for el in root.findall("s:url/s:loc", ns)]
    expected = {real_site.origin + p.url for p in real_site.site.pages if p.in_sitemap}
    assert set(locs) == expected and len(locs) == len(expected)
    for loc in locs:
        assert loc.startswith(real_site.base_url) and _local_target(real_site, loc) is not None, loc
    for url in root.findall("s:url", ns):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        if alternates:
            assert set(alternates) == {*real_site.languages, "x-default"}
            assert all(_local_target(real_site, href or "") for href in alternates.values())
    for name in ("robots.txt", "_headers", "404.html"):
        assert (real_site.root / name).is_file(), name


def test_every_feed_parses_and_leads_to_its_projects(real_site: Built) -> None:
    feedparser = pytest.importorskip("feedparser")
    for feed in sorted(real_site.root.rglob("feed.xml")):
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, f"{feed}: {parsed.bozo_exception}"
        for entry in parsed.entries:
            assert entry.link.startswith(real_site.base_url) and _local_target(real_site, entry.link), entry.link


def test_one_h1_landmarks_skip_link_and_icon_on_every_page(real_site: Built) -> None:
    for path in html_files(real_site):
        text = path.read_text(encoding="utf-8")
        assert len(re.findall(r"<h1[ >]", text)) == 1, path
        for landmark in ("<header", "<nav ", '<main id="main"', "<footer"):
            assert landmark in text, (path, landmark)
        assert re.search(r'<a class="skip-link" href="#main">', text), path
        assert '<link rel="icon"' in text, path


def test_every_page_has_a_description_and_no_generated_page_borrows_the_sites(real_site: Built) -> None:
    """Pages the engine makes (cohorts, listings, projects, 404s, stand-ins) describe themselves;
    only a content page may say what the site's description says (the editors wrote both)."""
    assert real_site.site is not None
    site = real_site.site
    for page in real_site.pages():
        metas = Tags(page.file.read_text(encoding="utf-8")).all("meta", name="description")
        assert len(metas) == 1, page
        text = " ".join((metas[0].get("content") or "").split())
        assert text, f"{page}: an empty description"
        model = next(p for p in site.pages if p.url == page.path)
        if not model.source.startswith("content/") or page.layout in ("untranslated", "404"):
            assert text != text_of(site.config.settings.description, real_site, page.lang), f"{page} has the site's description"


PROMISES = ("will be published", "has not been published", "once they are published", "תפורסם", "יפורסמו", "כשיפורסמו",
            "עדיין לא פורסם")


def test_no_page_promises_what_the_data_does_not_give(real_site: Built) -> None:
    """The site says what the data says: never that something will be published."""
    for path in html_files(real_site):
        text = visible_text(path.read_text(encoding="utf-8"))
        head = " ".join(re.findall(r'<meta (?:name|property)="[^"]*(?:description|title)" content="([^"]*)"', path.read_text(encoding="utf-8")))
        found = [p for p in PROMISES if p in text or p in head]
        assert not found, f"{path.relative_to(real_site.root)} promises: {found}"


def test_no_section_is_rendered_without_its_data(real_site: Built) -> None:
    """A section whose data is missing is left out: the projects' page without projects, a cohort's video or project
    list without their address, the newsletter without its address, the footer's contact without a detail, and the
    "a programme of" line without an owner."""
    site = real_site.site
    assert site is not None
    settings = site.config.settings
    cohorts = site.data.get("cohorts") or []
    has_projects = any(c.get("projects") for c in cohorts)
    for code in real_site.languages:
        assert (site.page("projects", code) is not None) == has_projects, code
    pages = {(p.key, p.lang): p for p in real_site.pages()}
    for cohort in cohorts:
        for code in real_site.languages:
            page = pages.get((f"cohorts/{cohort['id']}", code))
            if page is None:
                continue
            markup = page.file.read_text(encoding="utf-8")
            assert ('id="video"' in markup) == bool(cohort.get("video")), page.path
            assert ('id="projects"' in markup) == bool(cohort.get("projects") or cohort.get("projects_url")), page.path
    contact = settings.institute
    for path in html_files(real_site):
        markup = path.read_text(encoding="utf-8")
        assert ("footer-contact" in markup) == bool(contact.email or contact.phone or contact.url), path
        assert ("footer-newsletter" in markup) == bool(contact.newsletter_url), path
        assert ("footer-owner" in markup) == bool(settings.owner.name), path


def test_empty_addresses_hide_their_links(real_site: Built) -> None:
    for path in html_files(real_site):
        text = path.read_text(encoding="utf-8")
        assert 'href=""' not in text and 'href="#"' not in text and 'src=""' not in text, path


def test_every_page_carries_the_policy_and_no_inline_script_or_style(real_site: Built) -> None:
    """Only the search pages' policy allows WebAssembly, only admin/'s is looser; a JSON-LD block is data that browsers
    never run."""
    search_pages = {real_site.root / p.output for p in real_site.site.pages if p.layout == "search"} if real_site.site else set()
    forms = sorted((real_site.root / ADMIN_DIR).rglob("*.html"))  # the editors' forms (when npm ci installed them)
    assert forms in ([], [real_site.root / ADMIN_DIR / "index.html"])
    for path in html_files(real_site) + forms:
        text = path.read_text(encoding="utf-8")
        metas = Tags(text).all("meta", http_equiv="Content-Security-Policy")
        policy = admin_meta_policy() if path in forms else meta_policy(search=path in search_pages)
        assert [m.get("content") for m in metas] == [policy["csp"]], path
        assert not re.search(r'<script(?![^>]*\bsrc=)(?![^>]*\btype="application/ld\+json")[^>]*>', text), f"{path}: an inline script"
        assert not re.search(r"<style\b|\sstyle=", text), f"{path}: an inline style"
        assert not re.search(r"\son[a-z]+=", text), f"{path}: an event handler attribute"


def test_quotation_marks_come_out_as_typed(real_site: Built) -> None:
    """Hebrew punctuation (מנכ"ל, חב"א, מחזור א') as typed: no entity between tags, no "smart" quote the sources lack."""
    typed = set()
    for folder in ("content", "data"):
        for source in (real_site.source / folder).rglob("*"):
            if source.is_file() and source.suffix in (".md", ".yaml", ".yml"):
                typed |= set(SMART_QUOTES.findall(source.read_text(encoding="utf-8", errors="replace")))
    for path in html_files(real_site):
        text = path.read_text(encoding="utf-8")
        between_tags = "".join(re.split(r"<[^>]*>", text.split("<body>", 1)[-1]))
        assert "&#34;" not in between_tags and "&quot;" not in between_tags and "&#39;" not in between_tags, path
        made_up = set(SMART_QUOTES.findall(text)) - typed
        assert not made_up, f"{path}: typographic quotes {made_up} that no source file has"


def test_every_page_links_to_the_accessibility_statement_of_its_language(real_site: Built) -> None:
    """Israeli public sites carry an accessibility statement (IS 5568): one per language, linked from every footer."""
    assert real_site.site is not None
    statements = {p.lang: p for p in real_site.site.pages if p.layout == "accessibility" and p.available and not p.draft}
    assert sorted(statements) == sorted(real_site.languages), "an accessibility statement (layout: accessibility) per language"
    for page in real_site.site.pages:
        footer = (real_site.root / page.output).read_text(encoding="utf-8").split('<footer class="site-footer">', 1)[-1]
        assert f'<a href="{statements[page.lang].url}"' in footer, page.url
