"""The real Merhav site: every part of the programme's text is on the Hebrew site, its
counterpart on the English one, and both are well-formed in their own direction.

The Hebrew expectations come from the seed text itself (../shared/seed/programme.he.txt
when it is beside the repository, else the copy in tests/fixtures/seed/), so a page that
drops or retypes a sentence fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_BESIDE = ROOT.parent / "shared" / "seed" / "programme.he.txt"
SEED = SEED_BESIDE if SEED_BESIDE.is_file() else ROOT / "tests" / "fixtures" / "seed" / "programme.he.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    result = subprocess.run(
        [sys.executable, "build.py", "--out", str(out), "--base-url", "https://merhav.example"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return out


class _Text(HTMLParser):
    """Visible text of a page (no head, scripts or styles), whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def text_of(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return normalise(" ".join(parser.parts))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def site_text(built: Path, lang: str) -> str:
    files = sorted(p for p in built.rglob("*.html") if (p.relative_to(built).parts[0] == "en") == (lang == "en"))
    return "\n".join(text_of(p) for p in files)


# --- Hebrew: every line of the seed -------------------------------------------------------

# Lines whose words the site shows in another arrangement (the seed's own link texts, the
# criteria sentence split into a checklist, "name, role in organisation" split into parts).
# Every other line from 6 on must appear as it is (bullets, numbering, trailing colons and
# the quotes' outer quotation marks aside).
SPLIT_LINES = {
    39: ["המשתתפים נבחרים על בסיס", "כישורי המנהיגות שלהם", "יכולתם להוביל שינויים במשרד", "יכולת לעבוד בצוות",
         "תודעה חברתית מפותחת", "זיקה לנושא ועניין", "מחויבות לקידום ממשקים עם החברה האזרחית"],
    48: ["בוני גולדברג", "מנהלת מינהל קהילה", "עיריית ירושלים"],
    51: ["אבראהים חביב", "מנהל תחום פיתוח איזור דרום", "הרשות לפיתוח כלכלי במגזר הערבי, הדרוזי והצ'רקסי, משרד ראש הממשלה"],
    55: ['ד"ר עפרה חבקין', "רופאת מחוז מרכז", "משרד הבריאות"],
    59: ["איריס פרנקל-כהן", "ראש תחום תכנון, אגף פנים, תכנון ופיתוח", "משרד ראש הממשלה"],
    62: ["הפרוייקטים הבינמשרדיים של בוגרי המחזור", "מחזור א'"],   # "click here to see the list…": its section
    64: ["הסרטון המסכם את המחזור"],                                # "to watch the video…": its section
    76: ["המכון למנהיגות וממשל", "הצטרפות לניוזלטר המכון"],        # "to sign up … click here": the footer block
}


def seed_lines() -> dict[int, str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return {i + 1: line for i, line in enumerate(lines) if i >= 5 and line.strip()}


def expected_fragments(number: int, line: str) -> list[str]:
    if number in SPLIT_LINES:
        return SPLIT_LINES[number]
    text = normalise(line)
    text = re.sub(r"^(•|\d+\.)\s*", "", text)
    text = text.removesuffix(":").strip()
    if text.startswith('"') and (text.endswith('"') or text.endswith('".')):  # a quote: the site draws the outer marks
        text = text[1:].removesuffix('"') if text.endswith('"') else text[1:-2] + "."
    return [text]


def test_every_line_of_the_seed_is_on_the_hebrew_site(built: Path) -> None:
    hebrew = site_text(built, "he")
    missing = [(n, fragment) for n, line in seed_lines().items() for fragment in expected_fragments(n, line) if fragment not in hebrew]
    assert not missing, "seed text missing from the Hebrew site:\n" + "\n".join(f"  line {n}: {f}" for n, f in missing)


def test_quotes_and_hebrew_punctuation_come_out_exactly(built: Path) -> None:
    graduates = (built / "graduates/index.html").read_text(encoding="utf-8")
    for exact in ['"ויתור על אגו"', 'ד"ר עפרה חבקין', "והצ'רקסי", 'מנכ"ל/ית', 'חב"א', 'ע"י', "מחזור א'"]:
        assert exact in site_text(built, "he"), exact
    assert '"ויתור על אגו"' in graduates, "quotation marks inside a quote must be written as typed, not as &quot;"
    for path in built.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        smart = set(re.findall("[\u201c\u201d\u2018\u2019\u05f3\u05f4]", text))
        assert not smart, f"{path.relative_to(built)} has typographic quotes {smart}: the source's marks must be kept"


def test_quotes_are_figures_with_blockquote_and_named_caption(built: Path) -> None:
    for page in ("graduates/index.html", "en/graduates/index.html", "cohorts/a/index.html"):
        text = (built / page).read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="quote[^"]*">(.*?)</figure>', text, re.S)
        assert len(figures) == 4, page
        for figure in figures:
            assert "<blockquote>" in figure and "<figcaption>" in figure
            assert re.search(r"<figcaption>\s*<bdi[^>]*>[^<]+</bdi>", figure), "the name is in <bdi>"


# --- English: the counterpart of every section ------------------------------------------------

# A section of the seed → phrases the English site must carry, in the glossary's terms.
ENGLISH = {
    "title and name": ["Merhav", '("space")', "shared spaces of influence for government and civil society"],
    "overarching goal": ["The programme's overarching goal", "change agents"],
    "sub-goal 1": ["senior civil service", "cross-sector interfaces", "relationships between the sectors", "from a perspective of complexity"],
    "sub-goal 2": ['inter-ministerial "peer-learning network"'],
    "topics": ["civil-society organisations", "Global and Israeli trends", "case studies", "direct meetings",
               "complexity", "disadvantaged populations", "social capital and social resilience"],
    "method": ["9-10 meetings", "about six months", "Case-study analysis", "Field tours", "Expert lectures", "Peer learning"],
    "participants": ["director-general", "steering committee", "Government and Civil Society Initiative",
                     "their leadership skills", "commitment to promoting interfaces with civil society"],
    "faculty": ["academics", "theoretical and conceptual knowledge"],
    "graduates": ["Graduates tell", "Bonnie Goldberg", "Director of the Community Administration", "Jerusalem Municipality",
                  "Ibrahim Habib", "Authority for the Economic Development of the Arab, Druze and Circassian Sectors",
                  "Dr. Ofra Havkin", "Central District Physician", "Ministry of Health",
                  "Iris Frankel-Cohen", "Head of Planning", "Prime Minister's Office", '"giving up ego"'],
    "cohort A": ["Cohort A", "inter-ministerial projects", "The video summing up the cohort"],
    "footer": ["The Government and Civil Society Initiative", "A permanent, shared workspace for government and civil-society organisations",
               "The Center for Volunteer Leadership", "strengthen civil society and volunteer leadership in Israel",
               "The Institute for Leadership and Governance", "newsletter"],
}


@pytest.mark.parametrize("section", sorted(ENGLISH))
def test_every_section_has_its_english_counterpart(built: Path, section: str) -> None:
    english = site_text(built, "en")
    missing = [phrase for phrase in ENGLISH[section] if phrase not in english]
    assert not missing, f"{section}: not on the English site: {missing}"


def test_english_pages_carry_no_untranslated_hebrew(built: Path) -> None:
    for path in (built / "en").rglob("*.html"):
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        # Hebrew is allowed only inside elements marked lang="he" (the switcher label "עברית").
        text = re.sub(r'<[^>]+lang="he"[^>]*>[^<]*<', "<", path.read_text(encoding="utf-8"))
        hebrew = re.findall(r"[\u0590-\u05ff]{2,}", re.sub(r"<head>.*?</head>", "", text, flags=re.S))
        assert not hebrew, f"{path.relative_to(built)}: Hebrew text outside lang=he: {hebrew[:5]}"


# --- Both languages: structure ---------------------------------------------------------------

def html_pages(built: Path) -> list[Path]:
    return sorted(built.rglob("*.html"))


def test_lang_and_dir_on_every_page(built: Path) -> None:
    pages = html_pages(built)
    assert len(pages) >= 16
    for path in pages:
        head = path.read_text(encoding="utf-8")[:200]
        english = path.relative_to(built).parts[0] == "en"
        expected = '<html lang="en" dir="ltr">' if english else '<html lang="he" dir="rtl">'
        assert expected in head, path


def test_every_page_has_its_counterpart_and_the_switcher_leads_there(built: Path) -> None:
    for path in html_pages(built):
        rel = path.relative_to(built).as_posix()
        counterpart = rel.removeprefix("en/") if rel.startswith("en/") else "en/" + rel
        assert (built / counterpart).is_file(), f"{rel} has no counterpart {counterpart}"
        text = path.read_text(encoding="utf-8")
        target_lang = "he" if rel.startswith("en/") else "en"
        links = re.findall(rf'<a href="([^"]+)" hreflang="{target_lang}" lang="{target_lang}"', text)
        assert links, f"{rel}: no language switcher to {target_lang}"
        expected_url = "/" + counterpart.removesuffix("index.html")
        if rel.endswith("404.html"):  # a 404's switcher leads to the other language's home page
            expected_url = "/" if target_lang == "he" else "/en/"
        assert set(links) == {expected_url}, f"{rel}: switcher leads to {links}, not {expected_url}"


def test_one_h1_landmarks_and_skip_link(built: Path) -> None:
    for path in html_pages(built):
        text = path.read_text(encoding="utf-8")
        assert len(re.findall(r"<h1[ >]", text)) == 1, path
        for landmark in ('<header class="site-header">', "<nav ", '<main id="main"', "<footer "):
            assert landmark in text, (path, landmark)
        assert re.search(r'<a class="skip-link" href="#main">', text), path
        assert '<link rel="icon"' in text, path


def test_cohort_page_is_graceful_without_video_and_projects(built: Path) -> None:
    for page, phrases in {
        "cohorts/a/index.html": ["רשימת הפרוייקטים הבינמשרדיים של בוגרי המחזור תפורסם כאן", "עדיין לא פורסם"],
        "en/cohorts/a/index.html": ["will be published here", "has not been published on the site yet"],
    }.items():
        text = text_of(built / page)
        for phrase in phrases:
            assert phrase in text, (page, phrase)
        assert 'href=""' not in (built / page).read_text(encoding="utf-8")


def test_empty_addresses_hide_their_links(built: Path) -> None:
    for path in html_pages(built):
        text = path.read_text(encoding="utf-8")
        assert 'href=""' not in text and "href=\"#\"" not in text, path


# --- The stylesheet ----------------------------------------------------------------------------

PHYSICAL = re.compile(
    r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b|(?<![\w-])(?:left|right)\s*:|"
    r"text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)|clear\s*:\s*(?:left|right)|"
    r"border-(?:top|bottom)-(?:left|right)-radius"
)


def test_stylesheet_uses_logical_properties_only() -> None:
    css = (ROOT / "static/style.css").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = [m.group(0) for m in PHYSICAL.finditer(code)]
    assert not found, f"physical left/right in static/style.css: {found} — use inline-start/end"
    assert "margin-inline" in code and "inset-inline-start" in code


def test_the_physical_property_check_can_fail() -> None:
    for bad in ("a { margin-left: 1rem }", "b { left: 0 }", "c { text-align: right }", "d { float: left }", "e{padding-right:0}"):
        assert PHYSICAL.search(bad), bad
    for good in ("a { margin-inline-start: 1rem }", "b { inset-inline-start: 0 }", "c { text-align: start }"):
        assert not PHYSICAL.search(good), good


def test_stylesheet_has_dark_print_and_reduced_motion() -> None:
    css = (ROOT / "static/style.css").read_text(encoding="utf-8")
    for query in ("prefers-color-scheme: dark", "@media print", "prefers-reduced-motion: reduce", ":focus-visible"):
        assert query in css, query


def test_quotation_marks_are_characters_in_text_and_escaped_in_attributes(built: Path) -> None:
    text = (built / "index.html").read_text(encoding="utf-8")
    body = text.split("<body>", 1)[1]
    between_tags = "".join(re.split(r"<[^>]*>", body))
    assert "&#34;" not in between_tags and "&quot;" not in between_tags
    assert '"מרחב" לקידום' in between_tags
    # In attributes the same text stays escaped, so it cannot end the attribute early.
    assert 'content="&#34;מרחב&#34; לקידום' in text


def test_plain_quotes_leave_attributes_and_scripts_alone() -> None:
    from sitegen.htmltext import plain_quotes_in_text

    html_in = '<p title="&#34;a&#34;">&#34;b&#34; &#39;c&#39; &amp; &lt;</p><script>x="&#34;"</script>'
    assert plain_quotes_in_text(html_in) == '<p title="&#34;a&#34;">"b" \'c\' &amp; &lt;</p><script>x="&#34;"</script>'
