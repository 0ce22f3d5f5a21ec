"""``python build.py launch``: the facts the programme must still supply before the site goes live.

The source text names things it does not give (the address of Cohort A's project list, of its video, of the
newsletter; the partners' web sites) and the site needs facts the source never had (who runs the programme, whom to
ask about accessibility, where the editing forms save). The site leaves each of them out until it is filled in
(never a promise, never an empty frame); this list tells the programme what to send, each fact with the file and
line where it goes and the exact field. It is a list, not a gate: the command exits 0 whatever it lists (1 only
when the content cannot be read), and the publishing workflow prints it as its summary.

Its texts are in the editor's language, as every message of the engine (the site's first language, Hebrew;
``--messages en`` or ``MERHAV_MESSAGES=en`` for English): templates of the catalogue (sitegen/messages).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sitegen.messages import Message, current_language, msg
from sitegen.sources.cohorts import origins
from sitegen.sources.config import localize
from sitegen.sources.yamlfile import line_at

KINDS: dict[str, Callable[..., Message]] = {
    "coordinator_name": lambda: msg("the accessibility coordinator's name (for the accessibility statement)"),
    "coordinator_phone": lambda: msg("the accessibility coordinator's phone number"),
    "coordinator_email": lambda: msg("the accessibility coordinator's email address"),
    "updated": lambda: msg("the date the accessibility statement was last updated, as YYYY-MM-DD"),
    "projects_url": lambda cohort: msg("the address of the list of the inter-ministerial projects of {cohort}'s graduates", cohort=cohort),
    "video": lambda cohort: msg("the address of the video summing up {cohort}", cohort=cohort),
    "newsletter_url": lambda institute: msg("the address for signing up to {institute}'s newsletter", institute=institute),
    "partner_url": lambda partner: msg("the web address of {partner}", partner=partner),
    "owner": lambda: msg("who runs the programme: its name and address (for the 'a programme of' line, the accessibility "
                         "statement and search engines)"),
    "cms": lambda: msg("the GitHub repository the editing forms save to, as OWNER/NAME (add cms: at the end of the file, and "
                       "repo: on the line below it)"),
    "cms_auth": lambda: msg("the address of the service that signs the editors in to GitHub (auth_url: under cms:); until it is "
                            "set, nobody can sign in to the editing forms on the published site"),
}
"""What each kind of fact is, as a message of the catalogue (sitegen/messages: Hebrew in he.po); the values are
names in the list's language."""


def heading(count: int) -> Message:
    return msg("Facts the programme must still supply before the site goes live ({count}):", count=count)


def nothing_missing() -> Message:
    return msg("Nothing is missing: everything the site needs before it goes live has been supplied.")


def footer() -> Message:
    return msg("A fact filled in is used from the next build; until then the site leaves out what depends on it.")


SITE_FILE = "data/site.yaml"


@dataclasses.dataclass(frozen=True)
class Missing:
    """A fact to supply: where it goes (file, line), the exact field, and what it is (a key of KINDS, with its values)."""

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
    elif not settings.cms.auth_url:
        found.append(Missing(SITE_FILE, where("cms", "auth_url"), "cms.auth_url", "cms_auth"))
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


def format_list(missing: list[Missing], default: str, codes: list[str], markdown: bool = False, lang: str | None = None) -> str:
    """The list in the messages' language (``lang``, default: the one chosen for the run): one line a fact,
    ``path:line  field — what``; as a Markdown list with ``markdown`` (the workflow's summary). The names it quotes
    (a cohort, a partner) are in that language when the site has it, else in the site's first language."""
    lang = lang or current_language()
    if not missing:
        return nothing_missing().localized(lang) + "\n"
    lines = [("### " if markdown else "") + heading(len(missing)).localized(lang), ""]
    for item in missing:
        values = {k: localize(v, lang, default, codes) or "" for k, v in item.values.items()}
        what = KINDS[item.kind](**values).localized(lang)
        place = f"{item.path}:{item.line}"
        lines.append(f"- `{place}` `{item.field}` — {what}" if markdown else f"  {place}  {item.field} — {what}")
    lines += ["", footer().localized(lang)]
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
