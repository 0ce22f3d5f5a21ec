"""``python build.py launch``: the facts the programme must still supply before the site goes live.

The source text names things it does not give (the address of Cohort A's project list, of its video, of the
newsletter; the partners' web sites) and the site needs facts the source never had (who runs the programme, whom to
ask about accessibility, where the editing forms save). The site leaves each of them out until it is filled in
(never a promise, never an empty frame); this list tells the programme what to send, each fact with the file and
line where it goes and the exact field. It is a list, not a gate: the command exits 0 whatever it lists (1 only
when the content cannot be read), and the publishing workflow prints it as its summary.

Its texts are in the editor's language (the site's first language, Hebrew; ``--lang en`` for English), in TEXTS
below: one table, so that it can move into the message catalogue as it is.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sitegen.sources.cohorts import origins
from sitegen.sources.config import localize
from sitegen.sources.yamlfile import line_at

TEXTS: dict[str, dict[str, str]] = {
    "he": {
        "heading": "פרטים שהתכנית צריכה עוד למסור לפני שהאתר עולה לאוויר ({count}):",
        "none": "אין פרטים חסרים: כל מה שהאתר צריך לפני העלייה לאוויר כבר נמסר.",
        "footer": "פרט שממלאים נכנס לאתר בבנייה הבאה; עד אז האתר משמיט את מה שתלוי בו.",
        "coordinator_name": "שם רכז/ת הנגישות (להצהרת הנגישות)",
        "coordinator_phone": "מספר הטלפון של רכז/ת הנגישות",
        "coordinator_email": "כתובת הדואר האלקטרוני של רכז/ת הנגישות",
        "updated": "התאריך שבו עודכנה הצהרת הנגישות, בצורה YYYY-MM-DD",
        "projects_url": "הכתובת של רשימת הפרויקטים הבינמשרדיים של בוגרי {cohort}",
        "video": "הכתובת של הסרטון המסכם את {cohort}",
        "newsletter_url": "הכתובת להרשמה לניוזלטר של {institute}",
        "partner_url": "כתובת האתר של {partner}",
        "owner": "מי מפעיל את התכנית: השם והכתובת (לשורה \"תכנית של\", להצהרת הנגישות ולמנועי החיפוש)",
        "cms": "מאגר ה-GitHub שבו טופסי העריכה שומרים את השינויים, בצורה OWNER/NAME (מוסיפים בסוף הקובץ cms: ובשורה מתחתיו repo:)",
    },
    "en": {
        "heading": "Facts the programme must still supply before the site goes live ({count}):",
        "none": "Nothing is missing: everything the site needs before it goes live has been supplied.",
        "footer": "A fact filled in is used from the next build; until then the site leaves out what depends on it.",
        "coordinator_name": "the accessibility coordinator's name (for the accessibility statement)",
        "coordinator_phone": "the accessibility coordinator's phone number",
        "coordinator_email": "the accessibility coordinator's email address",
        "updated": "the date the accessibility statement was last updated, as YYYY-MM-DD",
        "projects_url": "the address of the list of the inter-ministerial projects of {cohort}'s graduates",
        "video": "the address of the video summing up {cohort}",
        "newsletter_url": "the address for signing up to {institute}'s newsletter",
        "partner_url": "the web address of {partner}",
        "owner": "who runs the programme: its name and address (for the 'a programme of' line, the accessibility "
                 "statement and search engines)",
        "cms": "the GitHub repository the editing forms save to, as OWNER/NAME (add cms: at the end of the file, and "
               "repo: on the line below it)",
    },
}
"""The command's texts by language (he, en): a heading, a closing line, and one text per kind of fact."""

SITE_FILE = "data/site.yaml"


@dataclasses.dataclass(frozen=True)
class Missing:
    """A fact to supply: where it goes (file, line), the exact field, and what it is (a key of TEXTS, with values)."""

    path: str
    line: int
    field: str
    kind: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)


def missing_facts(sources: Any) -> list[Missing]:
    """Every fact the site leaves out for want of data that the programme must supply, in the files' order."""
    settings = sources.config.settings
    codes = sources.config.codes
    raw = sources.raw_site
    found: list[Missing] = []

    def where(*loc: Any) -> int:
        """The line of the field, or of the deepest key above it that is written; the end of the file when not even
        its top-level key is (a new key goes there)."""
        if not isinstance(raw, dict) or loc[0] not in raw:
            return _end_of(sources)
        return line_at(raw, loc, 1)

    coordinator = settings.accessibility.coordinator
    for name in ("name", "phone", "email"):
        if not _given(getattr(coordinator, name), codes):
            found.append(Missing(SITE_FILE, where("accessibility", "coordinator", name),
                                 f"accessibility.coordinator.{name}", f"coordinator_{name}"))
    if settings.accessibility.updated is None:
        found.append(Missing(SITE_FILE, where("accessibility", "updated"), "accessibility.updated", "updated"))
    if not _given(settings.owner.name, codes) or not _given(settings.owner.address, codes):
        found.append(Missing(SITE_FILE, where("owner", "name"), "owner.name, owner.address", "owner"))
    if not settings.institute.newsletter_url:
        found.append(Missing(SITE_FILE, where("institute", "newsletter_url"), "institute.newsletter_url", "newsletter_url",
                             {"institute": settings.institute.name}))
    for i, partner in enumerate(settings.partners):
        if not partner.url:
            found.append(Missing(SITE_FILE, where("partners", i, "url"), f"partners[{i + 1}].url", "partner_url",
                                 {"partner": partner.name}))
    if settings.cms is None:
        found.append(Missing(SITE_FILE, _end_of(sources), "cms.repo", "cms"))
    for origin in origins(sources):
        cohort = origin.raw
        if not isinstance(cohort, dict):
            continue
        start = getattr(cohort, "line", 1)
        names = {"cohort": cohort.get("name") or cohort.get("id") or ""}
        if not cohort.get("projects") and not cohort.get("projects_url"):
            found.append(Missing(origin.path, line_at(cohort, ("projects_url",), start), "projects_url", "projects_url", names))
        if not cohort.get("video"):
            found.append(Missing(origin.path, line_at(cohort, ("video",), start), "video", "video", names))
    return sorted(found, key=lambda m: (m.path != SITE_FILE, m.path, m.line, m.field))


def format_list(missing: list[Missing], lang: str, default: str, codes: list[str], markdown: bool = False) -> str:
    """The list in ``lang`` (Hebrew or English; another language gets English): one line a fact,
    ``path:line  field — what``; as a Markdown list with ``markdown`` (the workflow's summary)."""
    texts = TEXTS.get(lang, TEXTS["en"])
    if not missing:
        return texts["none"] + "\n"
    lines = [("### " if markdown else "") + texts["heading"].format(count=len(missing)), ""]
    for item in missing:
        values = {k: localize(v, lang, default, codes) or "" for k, v in item.values.items()}
        what = texts[item.kind].format(**values)
        place = f"{item.path}:{item.line}"
        lines.append(f"- `{place}` `{item.field}` — {what}" if markdown else f"  {place}  {item.field} — {what}")
    lines += ["", texts["footer"]]
    return "\n".join(lines) + "\n"


def _given(value: Any, codes: list[str]) -> bool:
    """A text is given when it is not empty in any language (a mapping needs every language)."""
    if isinstance(value, dict):
        return all(str(value.get(code) or "").strip() for code in codes)
    return bool(str(value or "").strip())


def _end_of(sources: Any) -> int:
    """The line after the last one of data/site.yaml, where a new top-level key goes."""
    try:
        text = (sources.root / SITE_FILE).read_text(encoding="utf-8")
    except OSError:  # read once already by the configuration: not expected
        return 1
    return len(text.splitlines()) + 1
