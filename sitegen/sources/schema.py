"""The shapes of front matter and data files, and their errors as ``path:line: message``.

pydantic does the checking (types, required fields, unknown fields); this module turns
its error locations back into the line of the offending key, and its wording into a
sentence that tells an editor what to write.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import os
import re
from typing import Annotated, Any, Literal, TypeVar

# The engine's models are validated by pydantic alone: no plugin of another installed package (pydantic looks for
# them among every package's entry points, through importlib.metadata, when it builds the first model's validator).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, ValidationError, ValidationInfo, model_validator  # noqa: E402

from sitegen.errors import ContentError  # noqa: E402
from sitegen.messages import Message, msg  # noqa: E402
from sitegen.sources.validated import DEFAULT_PROJECTS_PER_PAGE, ENGINE_LAYOUTS, SLUG  # noqa: E402, F401 - the build's, kept here too
from sitegen.sources.yamlfile import line_at  # noqa: E402
from sitegen.urls import BadBaseUrl, parse_base_url  # noqa: E402


def _check_languages(value: Any, info: ValidationInfo) -> Any:
    languages = (info.context or {}).get("languages")
    if isinstance(value, dict) and languages:
        unknown = [k for k in value if k not in languages]
        if unknown:
            raise ValueError(
                msg("language code '{unknown}' is not configured in data/site.yaml (configured: {languages}) — use one "
                    "of these, or add the language there", unknown=unknown[0], languages=', '.join(languages))
            )
        if not value:
            raise ValueError(msg("an empty mapping — write the text for each language, e.g. he: … and en: …"))
    return value


def _check_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            msg("'{value}' is not a safe id — use lowercase Latin letters, digits and single hyphens (e.g. "
                "'bonnie-goldberg')", value=value)
        )
    return value


def _check_url(value: str) -> str:
    if value and not re.match(r"^https?://[^\s]+$", value):
        raise ValueError(msg("'{value}' is not a web address — write it in full, starting with https://, or leave it empty", value=value))
    return value


def _check_static_path(value: str) -> str:
    """A file under static/: relative, inside it, no scheme (so never javascript: or data:)."""
    parts = value.lstrip("/").split("/")
    if value and (re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or "\\" in value or ".." in parts or "" in parts or "." in parts):
        raise ValueError(
            msg("'{value}' is not a path inside static/ — write the file's path under static/, e.g. "
                "images/faculty/first-last.jpg", value=value)
        )
    return value


def _check_email(value: str) -> str:
    if value and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
        raise ValueError(msg("'{value}' is not an email address — write it as name@example.org, or leave it empty", value=value))
    return value


Localized = Annotated[str | dict[str, str], AfterValidator(_check_languages)]
"""A text: one string for every language, or a mapping {language code: text}."""
Slug = Annotated[str, AfterValidator(_check_slug)]
Url = Annotated[str, AfterValidator(_check_url)]
Email = Annotated[str, AfterValidator(_check_email)]


def _check_base_url(value: str) -> str:
    try:
        parse_base_url(value)
    except BadBaseUrl as exc:
        raise ValueError(msg("{problem}, or leave it empty", problem=exc.args[0])) from exc
    return value


BaseUrl = Annotated[str, AfterValidator(_check_base_url)]
"""The published site's address: https://host/ or https://host/path/ (sitegen/urls.py)."""
StaticPath = Annotated[str, AfterValidator(_check_static_path)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _check_instant(value: Any) -> datetime.datetime:
    """An ISO 8601 date and time with its offset (the forms write UTC: 2026-12-06T09:30:00Z); YAML may have read it
    as a datetime already. A date alone, or a time without an offset, is not an instant."""
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
    else:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(msg("'{value}' is not a date and time with its time zone — write it as YYYY-MM-DDTHH:MM:SSZ (in UTC), "
                             "e.g. 2026-12-06T09:30:00Z, or delete the line",
                             value=value.isoformat() if isinstance(value, datetime.date) else value))
    return parsed


Instant = Annotated[Any, AfterValidator(_check_instant)]


class Checked(Strict):
    """A page's front matter, or a data entry with texts in several languages: it may say when its translations
    were last checked (tools/staleness.py)."""

    translation_checked: Instant | None = None
    """When someone last checked that the translations still match the source (ISO 8601 in UTC, written by the forms):
    a change of this value counts as a change of every translation of the page or entry."""


# --- data/site.yaml -------------------------------------------------------------------

class LanguageConfig(Strict):
    code: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")]
    label: str
    """The language's name in itself ("עברית", "English"), shown in the switcher."""
    dir: Literal["ltr", "rtl"]
    locale: str
    """Babel locale for dates and numbers, e.g. he_IL, en_GB."""


class NavItem(Checked):
    page: str
    """Key of a content page: its path under content/ without the language and .md (home is '')."""
    label: Localized | None = None
    """Defaults to the page's title."""


class Partner(Checked):
    name: Localized
    description: Localized
    url: Url = ""
    logo: str = ""
    """Its logo, an SVG file under static/, shown before its name in the footer (checks/references.py checks it)."""


class Institute(Checked):
    name: Localized
    newsletter_url: Url = ""
    email: Email = ""
    """The programme's contact address, shown in every page's footer when filled in."""
    phone: str = ""
    url: Url = ""
    """The institute's web site."""


class Owner(Checked):
    """The body that runs the programme: the one source of the site's "a programme of …" line, of JSON-LD's provider
    and publisher, of the share image's line, of the feed's author and of the accessibility statement's responsible
    body. Empty until the programme confirms it: then the site names no one."""

    name: Localized = ""
    address: Localized = ""
    """Its postal address, as one line (the accessibility statement gives it)."""
    url: Url = ""
    """Its web site (https://…). Shown only with a name (templates/base.html, output/structured.py)."""


class Coordinator(Checked):
    name: Localized = ""
    phone: str = ""
    email: Email = ""


class Accessibility(Strict):
    """The accessibility statement's details (content/accessibility.*.md, layout accessibility)."""

    coordinator: Coordinator = Field(default_factory=Coordinator)
    updated: datetime.date | None = None
    """The date the statement was last updated (regulation 35 asks for it)."""
    reviewed: datetime.date | None = None
    """The date of the last accessibility audit of the site, when one was done; empty until then."""
    arrangements: Localized = ""
    """The accessibility arrangements of the programme's meetings and tours (regulation 34), as the programme states them."""


class CmsSettings(Strict):
    """Where the editing forms (/admin/, sitegen/tools/cms.py) save: a GitHub repository and its branch."""

    repo: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    """OWNER/NAME of the repository on GitHub."""
    branch: str = "main"
    auth_url: Url = ""
    """The address of the OAuth service that signs editors in to GitHub, its path included (https://auth.example.org/auth):
    Decap CMS's backend base_url (the origin) and auth_endpoint (the path), sitegen/tools/cms.py."""
    auth_scope: Literal["public_repo", "repo"] = "public_repo"
    """What the editors' GitHub token may do: public_repo (a public repository, the default), repo (a private one)."""


class SiteConfig(Checked):
    title: Localized
    full_title: Localized
    description: Localized
    base_url: BaseUrl = ""
    languages: list[LanguageConfig] = Field(min_length=1)
    nav: list[NavItem] = []
    """The menu of a site made before data/menu.yaml (sources/menu.py): still read; data/menu.yaml replaces it."""
    partners: list[Partner] = []
    owner: Owner = Field(default_factory=Owner)
    institute: Institute
    accessibility: Accessibility = Field(default_factory=Accessibility)
    projects_per_page: Annotated[int, Field(ge=1, le=500)] = DEFAULT_PROJECTS_PER_PAGE
    """Project cards on one page of a listing (a cohort's, a ministry's, a topic's, all projects); the next ones are on …/page/2/."""
    cms: CmsSettings | None = None
    static_html: list[str] = []
    """Web pages of static/ (paths under static/) that are published, with the site's policy (model/statichtml.py)."""


# --- front matter ------------------------------------------------------------------

def _not_blank(value: str) -> str:
    if value and not value.strip():
        raise ValueError(msg("only spaces — write the text after the colon"))
    return value


class FrontMatter(Checked):
    title: Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
    description: str = ""
    weight: StrictInt = 0  # 'weight: true' is not 1
    draft: bool = False
    layout: Annotated[str, Field(pattern=r"^[a-z0-9_-]+$")] = "page"


# --- data files ----------------------------------------------------------------------

class Testimonial(Checked):
    id: Slug
    cohort: str = ""
    """The graduate's cohort (the id of one of data/cohorts/) when it is known; empty: one of the programme's graduates."""
    name: Localized
    caption: Localized | None = None
    """Role and organisation as one text, as the source writes them ("מנהלת מינהל קהילה בעיריית ירושלים")."""
    role: Localized | None = None
    organisation: Localized | None = None
    quote: Localized
    weight: StrictInt = 0
    """The quotes are shown by weight, the lowest first (the home page shows the first two); equal weights by id."""

    @model_validator(mode="after")
    def _caption_or_role(self) -> Testimonial:
        if self.caption is not None and (self.role is not None or self.organisation is not None):
            raise ValueError(msg("write either 'caption' (role and organisation as one text) or 'role' and 'organisation', not both"))
        if self.caption is None and (self.role is None or self.organisation is None):
            if self.role is None and self.organisation is None:
                raise ValueError(msg("'role' and 'organisation' missing — write 'role' and 'organisation', or 'caption' for the two as one text"))
            raise ValueError(msg("'{field}' missing — write 'role' and 'organisation', or 'caption' for the two as one text",
                                 field="role" if self.role is None else "organisation"))
        return self


class FacultyMember(Checked):
    id: Slug
    name: Localized
    role: Localized
    bio: Localized | None = None
    photo: StaticPath = ""
    photo_alt: Localized | None = None


# --- the catalogue: cohorts, their graduates and projects (sitegen/sources/cohorts.py checks references) ---

def _check_project_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(
            msg("'{value}' is not a safe slug — the slug is the project's web address (/cohorts/<cohort>/<slug>/): "
                "choose a short name in lowercase Latin letters, digits and single hyphens, even for a Hebrew title "
                "(e.g. 'shared-clinics')", value=value)
        )
    return value


def _check_link_url(value: str) -> str:
    if not value:
        raise ValueError(msg("the link has no address — write it in full, starting with https://"))
    return _check_url(value)


ProjectSlug = Annotated[str, AfterValidator(_check_project_slug)]
"""Slug's rule with its own message: a project's slug is its web address, and editors must pick a Latin one
for a Hebrew title (the generic message speaks of ids and people's names)."""
LinkUrl = Annotated[str, AfterValidator(_check_link_url)]


class Graduate(Checked):
    id: Slug
    name: Localized
    role: Localized | None = None


class Link(Checked):
    label: Localized
    url: LinkUrl


class Project(Checked):
    slug: ProjectSlug
    title: Localized
    summary: Localized
    body: Localized | None = None
    """Longer Markdown text; or content/projects/<slug>.<lang>.md (not both)."""
    date: datetime.date
    """Orders the lists and the feed (newest first); the feed's 'updated'."""
    status: Literal["planned", "active", "completed"]
    ministries: list[str] = []
    """Ids of data/ministries.yaml: ministries and local authorities."""
    partners: list[Localized] = []
    """Civil-society partners' names."""
    topics: list[str] = []
    """Ids of data/topics.yaml."""
    team: list[str] = []
    """Ids of graduates of the project's own cohort."""
    links: list[Link] = []
    image: StaticPath = ""
    image_alt: Localized | None = None


class Cohort(Checked):
    id: Slug
    name: Localized
    years: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    summary: Localized | None = None
    video: Url = ""
    projects_url: Url = ""
    """The address of the list of the cohort's inter-ministerial projects, where the programme publishes it elsewhere
    (the source links to one for Cohort A); the cohort's page links to it while its projects are not entered here."""
    image: StaticPath = ""
    """A photo of the cohort under static/ (also the poster of its video); with image_alt."""
    image_alt: Localized | None = None
    graduates: list[Graduate] = []
    projects: list[Project] = []


class Ministry(Checked):
    """A term of data/ministries.yaml: a government ministry or a local authority."""

    id: Slug
    name: Localized
    kind: Literal["ministry", "authority"]


class Topic(Checked):
    """A term of data/topics.yaml."""

    id: Slug
    name: Localized


class Headed(Checked):
    heading: Localized


class Goal(Headed):
    text: Localized


class SubGoal(Checked):
    title: Localized
    points: list[Localized] = []


class SubGoals(Headed):
    items: list[SubGoal]


class Topics(Headed):
    items: list[Localized]


class Method(Headed):
    meetings: Localized
    duration: Localized
    duration_iso: str = ""
    """The duration as an ISO 8601 period (P6M: six months), for search engines (output/structured.py); "" when unsure."""
    points: list[Localized]
    formats: list[Localized]


class Participants(Headed):
    selection: Localized
    criteria_intro: Localized
    criteria: list[Localized]


class Curriculum(Checked):
    goal: Goal
    subgoals: SubGoals
    topics: Topics
    method: Method
    participants: Participants


class UiStrings(BaseModel):
    """Per-language interface strings: any keys, each a text. Keys are compared across languages."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)


DATA_SCHEMAS: dict[str, Any] = {
    "testimonials": list[Testimonial],
    "faculty": list[FacultyMember],
    "cohorts": list[Cohort],
    "curriculum": Curriculum,
    "ministries": list[Ministry],
    "topics": list[Topic],
    "menu": list[NavItem],
}
"""Known data files (data/<name>.yaml) and their shapes; other data files pass unchecked."""


# --- errors ------------------------------------------------------------------------------

M = TypeVar("M")


@functools.lru_cache(maxsize=64)
def adapter(schema: Any) -> Any:
    """pydantic's TypeAdapter for ``schema``, made once per process: making one builds the validator of its whole type
    (0.5–2.5 ms for ``list[Cohort]``, measured), and a build validates every data file and writes its value back
    through one, the preview and the test suite build many times in one process. The shapes are types (hashable)."""
    from pydantic import TypeAdapter

    return TypeAdapter(schema)


def validate(schema: Any, raw: Any, path: str, languages: list[str]) -> tuple[Any, list[ContentError]]:
    """Validate ``raw`` (read by yamlfile) against ``schema``; problems carry the key's line."""
    try:
        value = adapter(schema).validate_python(raw, context={"languages": languages})
    except ValidationError as exc:
        problems: list[ContentError] = []
        seen: set[tuple[Any, ...]] = set()
        for err in exc.errors():
            loc = _clean_loc(tuple(err["loc"]))
            if loc in seen:  # one message per field, not one per branch of a union
                continue
            seen.add(loc)
            problems.append(_to_content_error(err, raw, path, schema))
        return None, problems
    return value, []


def _field_names(schema: Any, loc: tuple[Any, ...]) -> list[str]:
    """Known field names of the model at ``loc`` (for 'did you mean')."""
    model = schema
    for part in loc:
        args = getattr(model, "__args__", None)
        if args and not isinstance(part, str):
            model = args[0]
            continue
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        while getattr(annotation, "__args__", None) and not hasattr(annotation, "model_fields"):
            candidates = [a for a in annotation.__args__ if hasattr(a, "model_fields") or getattr(a, "__args__", None)]
            if not candidates:
                break
            annotation = candidates[0]
        model = annotation
    while getattr(model, "__args__", None) and not hasattr(model, "model_fields"):
        model = model.__args__[0]
    return list(getattr(model, "model_fields", {}))


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # pydantic adds union branch names ("str", "dict[str,str]", "function-after[...]") to locations
    # A project's field `date` is a name, not a branch: a branch tag follows a field's name, never a list index.
    return tuple(
        p for i, p in enumerate(loc)
        if isinstance(p, int) or not re.match(r"^(str|dict\[|function-|list\[|date|none|is-instance)", str(p))
        or (p == "date" and (i == 0 or isinstance(loc[i - 1], int)))
    )


def _to_content_error(err: Any, raw: Any, path: str, schema: Any) -> ContentError:
    loc = _clean_loc(tuple(err["loc"]))
    line = line_at(raw, loc, 1)
    name = _subject(loc)
    kind = err["type"]
    if kind == "missing":
        field = loc[-1]
        message = msg("required field '{field}' is missing — add `{field}: …`", field=field)
        line = line_at(raw, loc[:-1], 1)
    elif kind == "extra_forbidden":
        field = str(loc[-1])
        known = [name for name in _field_names(schema, loc[:-1]) if name != "translation_checked"]  # the forms' own field
        close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
        hint = (msg("did you mean '{field}'?", field=close[0]) if close else msg("known fields: {fields}", fields=", ".join(known)) if known
                else msg("remove it, or check its spelling"))
        message = msg("unknown field '{field}' — {hint}", field=field, hint=hint)
    elif kind in ("string_type", "str_type"):
        value = err.get("input")
        if value is None:
            message = msg("{name} is empty — write the text after the colon", name=name)
        elif isinstance(value, (dict, list)) and "str" in err["loc"]:  # a text that may also be {language: text}
            message = (msg("{name} must be text or a mapping of languages (he: …, en: …), not {value} — write the text after "
                           "the colon, or one line per language below it", name=name, value=_describe(value)))
        elif isinstance(value, (dict, list)):
            message = msg("{name} must be text, not {value} — write the text after the colon, on the same line", name=name, value=_describe(value))
        else:
            message = msg("{name} must be text, but YAML read {value} — put the value in quotes", name=name, value=_describe(value))
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        where = "" if not loc else msg(" after the '- '") if isinstance(loc[-1], int) else msg(", indented below it")
        message = (msg("{name} must be a mapping of fields, not {value} — write one 'name: value' line per field{where} "
                       "(see the example in the comments at the top of the file)", name=name, value=_describe(err.get('input')), where=where))
    elif kind == "list_type":
        message = (msg("{name} must be a list, not {value} — write each item on a line starting with '- ' (see the example "
                       "in the comments at the top of the file), or [] for none", name=name, value=_describe(err.get('input'))))
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = msg("{name} must be a whole number, not {value}", name=name, value=_describe(err.get("input")))  # the requirement is the fix
    elif kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(schema, loc)
        message = msg("{name} must be a whole number from {low} to {high}, not {value}", name=name, low=low, high=high, value=err.get("input"))
    elif kind in ("bool_type", "bool_parsing"):
        message = msg("{name} must be true or false, not {value} — write true or false", name=name, value=_describe(err.get('input')))
    elif kind.startswith("date"):
        message = msg("{name} must be a date written as YYYY-MM-DD, not {value}", name=name, value=_describe(err.get("input")))
    elif kind == "value_error":
        cause = (err.get("ctx") or {}).get("error")
        said = cause.args[0] if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Message) else None
        message = msg("{name}: {problem}", name=name, problem=said or err["msg"].removeprefix("Value error, "))
    elif kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(name.strip("'"), msg("see the comments at the top of the file"))
        message = msg("{name} has characters that are not allowed here ({err}) — {hint}", name=name, err=repr(err.get('input')), hint=hint)
    elif kind == "literal_error":
        message = msg("{name} must be {msg}, not {value} — write one of these", name=name, msg=err['msg'].removeprefix('Input should be '), value=_describe(err.get('input')))
    elif kind == "too_short":
        message = msg("{name} is empty — write at least one item", name=name)
    elif kind == "string_too_short":
        message = msg("{name} is empty — write the text", name=name)
    elif kind == "invalid_key":
        message = msg("the key {value} is not a name — write field names as words", value=_describe(err.get('input')))
    else:
        message = msg("{name}: {msg} — check this value", name=name, msg=err['msg'])
    return ContentError(path, line, message)


_PATTERN_HINTS = {
    "repo": msg("write the repository as OWNER/NAME, e.g. merhav-org/merhav-site"),
    "layout": msg("use the name of a template in templates/ without .html (lowercase letters, digits, '-' and '_'), e.g. page"),
    "code": msg("use a language code such as he, en or ar"),
}


def _subject(loc: tuple[Any, ...]) -> str:
    """What an error location names: the field, an item of a list, or the whole file."""
    names = [str(p) for p in loc if isinstance(p, str)]
    if not loc:
        return msg("the file")
    if isinstance(loc[-1], int):
        return msg("item {number} of '{field}'", number=loc[-1] + 1, field=names[-1]) if names else msg("entry {number}", number=loc[-1] + 1)
    return f"'{names[-1]}'"


def _describe(value: Any) -> str:
    if value is None:
        return msg("nothing (an empty value)")
    if isinstance(value, bool):
        return msg("a yes/no value ({value})", value=str(value).lower())
    if isinstance(value, (int, float)):
        return msg("a number ({value})", value=value)
    if isinstance(value, datetime.date):
        return msg("a date ({value})", value=value.isoformat())
    if isinstance(value, list):
        return msg("a list")
    if isinstance(value, dict):
        return msg("a mapping")
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _bounds(schema: Any, loc: tuple[Any, ...]) -> tuple[Any, Any]:
    """The (ge, le) limits of the number field at ``loc`` of a top-level field (``?`` where unknown)."""
    field = schema.model_fields.get(str(loc[0])) if len(loc) == 1 else None
    low = high = "?"
    for rule in field.metadata if field else []:
        low = getattr(rule, "ge", low) if getattr(rule, "ge", None) is not None else low
        high = getattr(rule, "le", high) if getattr(rule, "le", None) is not None else high
    return low, high
