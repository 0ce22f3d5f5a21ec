#!/usr/bin/env python3
"""Write a complete source tree with N generated projects: ``python bench/generate.py N OUT``.

OUT gets the repository's real templates/, static/, content/ and data/ (so its pages and
texts), and on top of them a generated catalogue: cohorts (a, the real one, then b, c, …;
the first three in data/cohorts.yaml, the others one file each in data/cohorts/), 20
graduates each, ~18 ministries and local authorities, 10 topics, and N projects spread
evenly over the cohorts. Each project has Hebrew and English text of ~400 words with
headings, lists and links to other projects and to pages; half of them inline in the
YAML, half in content/projects/<slug>.<lang>.md, and every seventh in Hebrew only.
Nothing comes from the network, and the same N and seed give the same tree, byte for byte.

``python build.py --source OUT`` builds it; the speed benchmarks and the catalogue tests
(tests/catalogue_fixture.py) use it. The text is plausible, not true: it never goes into
the repository's data.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COHORT_IDS = "abcdefghijklmnopqrstuvwxyz"
IN_MAIN_FILE = 3
"""Cohorts written in data/cohorts.yaml (fewer when they would pass MAIN_FILE_BYTES); the next ones get
data/cohorts/<id>.yaml. A cohort of its own file must stay under 2 MB (about 500 projects): for more
projects, ask for more cohorts."""
MAIN_FILE_BYTES = 1_000_000

MINISTRIES = [
    ("pmo", "משרד ראש הממשלה", "Prime Minister's Office", "ministry"),
    ("health", "משרד הבריאות", "Ministry of Health", "ministry"),
    ("education", "משרד החינוך", "Ministry of Education", "ministry"),
    ("welfare", "משרד הרווחה והביטחון החברתי", "Ministry of Welfare and Social Security", "ministry"),
    ("interior", "משרד הפנים", "Ministry of the Interior", "ministry"),
    ("justice", "משרד המשפטים", "Ministry of Justice", "ministry"),
    ("economy", "משרד הכלכלה והתעשייה", "Ministry of Economy and Industry", "ministry"),
    ("agriculture", "משרד החקלאות", "Ministry of Agriculture", "ministry"),
    ("environment", "המשרד להגנת הסביבה", "Ministry of Environmental Protection", "ministry"),
    ("culture", "משרד התרבות והספורט", "Ministry of Culture and Sport", "ministry"),
    ("aliyah", "משרד העלייה והקליטה", "Ministry of Aliyah and Integration", "ministry"),
    ("housing", "משרד הבינוי והשיכון", "Ministry of Construction and Housing", "ministry"),
    ("jerusalem", "עיריית ירושלים", "Jerusalem Municipality", "authority"),
    ("haifa", "עיריית חיפה", "Haifa Municipality", "authority"),
    ("beer-sheva", "עיריית באר שבע", "Beersheba Municipality", "authority"),
    ("nazareth", "עיריית נצרת", "Nazareth Municipality", "authority"),
    ("rahat", "עיריית רהט", "Rahat Municipality", "authority"),
    ("yeruham", "המועצה המקומית ירוחם", "Yeruham Local Council", "authority"),
]
TOPICS = [
    ("health", "בריאות", "Health"),
    ("education", "חינוך", "Education"),
    ("employment", "תעסוקה", "Employment"),
    ("housing", "דיור", "Housing"),
    ("disability", "אנשים עם מוגבלות", "People with disabilities"),
    ("elderly", "אזרחים ותיקים", "Older people"),
    ("youth", "נוער וצעירים", "Youth and young adults"),
    ("environment", "סביבה וקיימות", "Environment and sustainability"),
    ("resilience", "חוסן קהילתי", "Community resilience"),
    ("digital", "שירותים דיגיטליים", "Digital services"),
]
FIRST = [("נועה", "Noa"), ("יוסי", "Yossi"), ("מרים", "Miriam"), ("אחמד", "Ahmad"), ("רונית", "Ronit"), ("דוד", "David"),
         ("סמאח", "Samah"), ("אבי", "Avi"), ("תמר", "Tamar"), ("ח'אלד", "Khaled"), ("שירה", "Shira"), ("משה", "Moshe"),
         ("לינה", "Lina"), ("עומר", "Omer"), ("הילה", "Hila"), ("ג'מיל", "Jamil"), ("אורית", "Orit"), ("איתן", "Eitan"),
         ("רים", "Reem"), ("גלעד", "Gilad"), ("מאיה", "Maya"), ("סלים", "Salim"), ("ענת", "Anat"), ("יעל", "Yael")]
LAST = [("כהן", "Cohen"), ("לוי", "Levi"), ("מזרחי", "Mizrahi"), ("חביב", "Habib"), ("פרץ", "Peretz"), ("ביטון", "Biton"),
        ("אבו-ראס", "Abu-Ras"), ("דהן", "Dahan"), ("אגבאריה", "Agbaria"), ("פרידמן", "Friedman"), ("שפירא", "Shapira"),
        ("חורי", "Khoury"), ("גבאי", "Gabay"), ("רוזן", "Rosen"), ("עזאם", "Azzam"), ("אלון", "Alon"), ("ברק", "Barak")]
ROLES = [("מנהלת תחום", "Head of Division"), ("סגן מנהל אגף", "Deputy Director of Department"), ("רכזת תכניות", "Programme Coordinator"),
         ("מנהל מחוז", "District Director"), ("יועצת בכירה", "Senior Adviser"), ("ראש מינהל", "Head of Administration")]
# Title parts: (Hebrew, English); the English words also make the slug.
SUBJECTS = [("שותפות", "partnership"), ("רשת", "network"), ("מרכז", "centre"), ("תכנית", "programme"), ("מיזם", "initiative"),
            ("שולחן עגול", "round-table"), ("מעבדה", "lab"), ("פורום", "forum"), ("מסלול", "track"), ("קהילה לומדת", "learning-community")]
FOR = [("לבריאות הנפש", "mental-health"), ("לתעסוקת צעירים", "youth-employment"), ("להתנדבות בקהילה", "community-volunteering"),
       ("לשירותי רווחה", "welfare-services"), ("לחינוך משלים", "after-school-learning"), ("לדיור ציבורי", "public-housing"),
       ("לזקנה בכבוד", "ageing-with-dignity"), ("לנגישות", "accessibility"), ("לקליטת עולים", "immigrant-integration"),
       ("לחוסן אקלימי", "climate-resilience"), ("לביטחון תזונתי", "food-security"), ("למניעת נשירה", "dropout-prevention")]
PLACES = [("בנגב", "the Negev"), ("בגליל", "the Galilee"), ("בירושלים", "Jerusalem"), ("בחיפה", "Haifa"), ("בפריפריה", "the periphery"),
          ("בערים מעורבות", "mixed cities"), ("ברשויות הדרום", "southern councils"), ("במרכז הארץ", "the centre")]
ORGS = [("עמותת", "Association"), ("פורום", "Forum"), ("קרן", "Fund"), ("מרכז", "Centre"), ("תנועת", "Movement"), ("איגוד", "Union")]
ORG_WORDS = [("גשרים", "Bridges"), ("אופק", "Horizon"), ("שכנים", "Neighbours"), ("נתיב", "Pathway"), ("יחד", "Together"),
             ("מעגלים", "Circles"), ("עתיד", "Future"), ("בית חם", "Warm Home"), ("קול", "Voice"), ("שורשים", "Roots")]

HE_WORDS = ("שותפות ממשלה חברה אזרחית קהילה ארגונים משרד רשות תושבים שירות צרכים מדיניות תכנון יישום מדידה למידה הנהלה "
            "צוות מפגש שולחן עגול נתונים תקציב יעדים תוצאות ציבור מתנדבים פעילים אמון שקיפות שיתוף אחריות פתרון מענה "
            "תהליך שלב פיילוט הרחבה אזור יישובים משפחות צעירים ותיקים נגישות איכות זמינות עבודה הכשרה ליווי ממשק גבולות "
            "חדשנות ניסיון ידע מומחים שטח סיור תובנה המלצה החלטה מסמך עקרונות מודל רשת עמיתים הובלה השפעה שינוי").split()
EN_WORDS = ("partnership government civil society community organisations ministry authority residents service needs policy "
            "planning delivery measurement learning leadership team meeting round table data budget goals outcomes public "
            "volunteers activists trust transparency cooperation responsibility solution response process stage pilot expansion "
            "region towns families young people older residents accessibility quality availability training support interface "
            "boundaries innovation experience knowledge experts field visit insight recommendation decision document principles "
            "model network peers influence change").split()
HE_HEADINGS = ["רקע", "הצורך", "מה עשינו", "השותפים ותפקידם", "תוצאות ראשונות", "מה למדנו", "הצעדים הבאים", "מדדים להצלחה"]
EN_HEADINGS = ["Background", "The need", "What we did", "The partners and their roles", "First results", "What we learned",
               "Next steps", "Measures of success"]


@dataclass(frozen=True)
class Summary:
    projects: int
    cohorts: int
    ministries: int
    topics: int
    body_files: int


def generate(n: int, out: Path, cohorts: int = 5, seed: int = 2026, content_from: Path = REPO) -> Summary:
    """Write the source tree into ``out`` (which must not exist, or be empty).

    The templates and static files are the repository's; the pages and data files (but the
    cohorts and projects, which are generated) come from ``content_from`` — the repository by
    default, the tests' own fixture site (tests/fixtures/site) in the tests, so that an editor's
    change to the real content never changes what the tests generate."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty — choose a new folder")
    if not 1 <= cohorts <= len(COHORT_IDS):
        raise ValueError(f"between 1 and {len(COHORT_IDS)} cohorts")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, out / folder, dirs_exist_ok=True)
    made_here = {content_from / "data": {"cohorts", "cohorts.yaml"}, content_from / "content": {"projects"}}
    for folder in ("content", "data"):  # data/cohorts*, content/projects/: generated below
        shutil.copytree(content_from / folder, out / folder, dirs_exist_ok=True,
                        ignore=lambda where, names: [n for n in names if n in made_here.get(Path(where), ())])
    (out / "data" / "ministries.yaml").write_text(_vocabulary(MINISTRIES), encoding="utf-8")
    (out / "data" / "topics.yaml").write_text(_vocabulary([(i, he, en, "") for i, he, en in TOPICS]), encoding="utf-8")

    ids = COHORT_IDS[:cohorts]
    graduates = {c: _graduates(rng, c) for c in ids}
    titles = [_title(rng, i) for i in range(n)]
    per_cohort = [list(range(n * k // cohorts, n * (k + 1) // cohorts)) for k in range(cohorts)]
    body_files = 0
    blocks: dict[str, list[str]] = {}
    for k, cohort in enumerate(ids):
        lines = _cohort_head(cohort, k, graduates[cohort])
        for i in per_cohort[k]:
            project, files = _project(rng, i, titles, graduates[cohort], n)
            lines += project
            for rel, text in files.items():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                (out / rel).write_text(text, encoding="utf-8")
                body_files += 1
        if not per_cohort[k]:
            lines.append("  projects: []")
        blocks[cohort] = lines
    main = ["# Generated by bench/generate.py: plausible, not true.", ""]
    in_main = 0
    for cohort in ids[:IN_MAIN_FILE]:  # while the file stays well under the engine's 2 MB limit per file
        size = sum(len(line.encode()) + 1 for line in main + blocks[cohort])
        if in_main and size > MAIN_FILE_BYTES:
            break
        main += blocks[cohort] + [""]
        in_main += 1
    (out / "data" / "cohorts.yaml").write_text("\n".join(main), encoding="utf-8")
    for cohort in ids[in_main:]:
        text = "\n".join(line[2:] if line.startswith("  ") else line.removeprefix("- ") for line in blocks[cohort])
        (out / "data" / "cohorts" / f"{cohort}.yaml").parent.mkdir(exist_ok=True)
        (out / "data" / "cohorts" / f"{cohort}.yaml").write_text(f"# Generated by bench/generate.py.\n{text}\n", encoding="utf-8")
    return Summary(n, cohorts, len(MINISTRIES), len(TOPICS), body_files)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _vocabulary(terms: list[tuple[str, str, str, str]]) -> str:
    lines = ["# Generated by bench/generate.py."]
    for term_id, he, en, kind in terms:
        lines += [f"- id: {term_id}", "  name:", f"    he: {_q(he)}", f"    en: {_q(en)}"]
        if kind:
            lines.append(f"  kind: {kind}")
    return "\n".join(lines) + "\n"


def _graduates(rng: random.Random, cohort: str) -> list[tuple[str, str, str, str, str]]:
    """(id, Hebrew name, English name, Hebrew role, English role) × 20."""
    people = []
    for j in range(20):
        (fh, fe), (lh, le) = rng.choice(FIRST), rng.choice(LAST)
        rh, re_ = rng.choice(ROLES)
        people.append((f"{fe}-{le}-{cohort}{j}".lower(), f"{fh} {lh}", f"{fe} {le}", rh, re_))
    return people


def _cohort_head(cohort: str, k: int, graduates: list[tuple[str, str, str, str, str]]) -> list[str]:
    letters_he = "אבגדהוזחטיכלמנסעפצקרשת"
    start = datetime.date(2019 + k, 3, 1)
    lines = [
        f"- id: {cohort}",
        "  name:",
        f"    he: {_q(f'מחזור {letters_he[k]}' + chr(39))}",
        f"    en: {_q(f'Cohort {cohort.upper()}')}",
        f"  years: {_q(str(start.year))}",
        f"  start: {start.isoformat()}",
        f"  end: {start.replace(month=9).isoformat()}",
        '  video: ""',
        "  graduates:",
    ]
    for gid, he, en, rh, re_ in graduates:
        lines += [f"    - id: {gid}", "      name:", f"        he: {_q(he)}", f"        en: {_q(en)}",
                  "      role:", f"        he: {_q(rh)}", f"        en: {_q(re_)}"]
    lines.append("  projects:")
    return lines


def _title(rng: random.Random, i: int) -> tuple[str, str, str]:
    """(slug, Hebrew title, English title)."""
    (sh, se), (fh, fe), (ph, pe) = SUBJECTS[i % len(SUBJECTS)], FOR[(i // 3) % len(FOR)], PLACES[(i * 7 + i // 11) % len(PLACES)]
    he = f"{sh} {fh} {ph}"
    en = f"{se.replace('-', ' ').capitalize()} for {fe.replace('-', ' ')} in {pe}"
    return f"{se}-{fe}-{i + 1}", he, en


def _sentence(rng: random.Random, words: list[str], lo: int = 8, hi: int = 16) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(lo, hi))]
    text = " ".join(chosen)
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: list[str], sentences: int) -> str:
    return " ".join(_sentence(rng, words) for _ in range(sentences))


def _body(rng: random.Random, lang: str, i: int, titles: list[tuple[str, str, str]], n: int) -> str:
    """~400 words of Markdown: three sections, paragraphs, a bulleted and a numbered list, links."""
    he = lang == "he"
    words, headings = (HE_WORDS, HE_HEADINGS) if he else (EN_WORDS, EN_HEADINGS)
    others = [titles[(i + step) % n] for step in (1, n // 2 + 1) if n > 1 and (i + step) % n != i]
    parts = [_paragraph(rng, words, 4)]
    for h, heading in enumerate(rng.sample(headings, 3)):
        parts.append(f"## {heading}")
        parts.append(_paragraph(rng, words, 4))
        if h == 0:
            parts.append("\n".join(f"- {_sentence(rng, words, 4, 8)}" for _ in range(4)))
        elif h == 1:
            parts.append("\n".join(f"{k}. {_sentence(rng, words, 4, 8)}" for k in range(1, 4)))
        else:
            parts.append(_paragraph(rng, words, 3))
    if others:
        links = ", ".join(f"[{o[1] if he else o[2]}]({o[0]}.{lang}.md)" for o in others)
        about = "[התכנית](../programme.he.md)" if he else "[the programme](../programme.en.md)"
        parts.append(("ראו גם: " if he else "See also: ") + links + (f". על {about}." if he else f". About {about}."))
    return "\n\n".join(parts) + "\n"


def _project(rng: random.Random, i: int, titles: list[tuple[str, str, str]], graduates: list[tuple[str, str, str, str, str]],
             n: int) -> tuple[list[str], dict[str, str]]:
    """The YAML lines of project i, and its text files {path: text} when its text is not inline."""
    slug, title_he, title_en = titles[i]
    date = datetime.date(2019, 1, 1) + datetime.timedelta(days=(i * 37) % 2880)
    ministries = rng.sample([m[0] for m in MINISTRIES], rng.randint(1, 3))
    topics = rng.sample([t[0] for t in TOPICS], rng.randint(1, 3))
    team = rng.sample([g[0] for g in graduates], rng.randint(1, 3))
    partners = []
    for _ in range(rng.randint(1, 3)):
        (oh, oe), (wh, we) = rng.choice(ORGS), rng.choice(ORG_WORDS)
        partners.append((f"{oh} {wh}", f"{we} {oe}"))
    lines = [
        f"    - slug: {slug}",
        "      title:",
        f"        he: {_q(title_he)}",
        f"        en: {_q(title_en)}",
        "      summary:",
        f"        he: {_q(_sentence(rng, HE_WORDS, 14, 22))}",
        f"        en: {_q(_sentence(rng, EN_WORDS, 14, 22))}",
        f"      date: {date.isoformat()}",
        f"      status: {('planned', 'active', 'completed')[i % 3]}",
        f"      ministries: [{', '.join(ministries)}]",
        f"      topics: [{', '.join(topics)}]",
        f"      team: [{', '.join(team)}]",
        "      partners:",
        *[line for he, en in partners for line in (f"        - he: {_q(he)}", f"          en: {_q(en)}")],
    ]
    if i % 4 == 0:
        lines += ["      links:", "        - label:", f"            he: {_q('אתר הפרוייקט')}", f"            en: {_q('The project website')}",
                  f"          url: https://example.org/projects/{slug}"]
    languages = ["he"] if i % 7 == 3 else ["he", "en"]
    bodies = {lang: _body(rng, lang, i, titles, n) for lang in languages}
    files: dict[str, str] = {}
    if i % 2:
        files = {f"content/projects/{slug}.{lang}.md": text for lang, text in bodies.items()}
    else:
        lines.append("      body:")
        for lang, text in bodies.items():
            lines.append(f"        {lang}: |")
            lines += [f"          {line}" if line else "" for line in text.rstrip("\n").split("\n")]
    return lines, files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/generate.py", description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="how many projects")
    parser.add_argument("out", type=Path, help="a new (or empty) folder for the source tree")
    parser.add_argument("--cohorts", type=int, default=5, help="how many cohorts (default 5)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--content-from", type=Path, default=REPO,
                        help="the folder whose content/ and data/ are copied (default: the repository)")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.n, args.out, args.cohorts, args.seed, args.content_from)
    except (FileExistsError, ValueError) as exc:
        print(f"bench/generate.py: error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {args.out}: {summary.projects} projects in {summary.cohorts} cohorts, {summary.ministries} ministries and "
          f"authorities, {summary.topics} topics, {summary.body_files} text files. Build it: python build.py --source {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
