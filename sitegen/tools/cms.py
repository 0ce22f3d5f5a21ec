"""The editors' forms: Decap CMS at /admin/, its configuration generated from the engine's own schema.

Every form field comes from a pydantic model of ``sitegen/sources/schema.py``: its widget from the
field's type (a text, a ``{he, en}`` text, a date, a choice, a list of entries…), its required flag from
the model, its choices from the ``Literal`` or from the data the field refers to (cohort ids, ministries,
topics), its pattern from the same rule ``check`` applies (ids, slugs, addresses). A field or a choice
added to a model is in the forms at the next build; nothing here lists the fields by hand.

What the build writes (only when ``npm ci`` has installed the CMS in ``<source>/node_modules``):

- ``admin/index.html``: the CMS page; no inline script or style, like every page;
- ``admin/config.yml``: the configuration (Decap's ``local_backend`` included: ``npx decap-server`` in the
  repository, then ``/admin/`` of ``python build.py serve`` edits the files on disk);
- ``assets/decap-cms.<hash>/``: Decap's bundle and the chunks it loads from beside it; ``assets/admin/``:
  js-yaml and ``admin.js`` (sitegen/tools/admin.js: the YAML the engine reads — root-level lists,
  texts as ``{he, en}``, the files' comments kept — the right-to-left inputs, and the preview).

The CMS needs ``'unsafe-eval'`` and inline styles, so ``admin/`` gets a looser policy of its own
(sitegen/output/security.py ``ADMIN_CSP_DIRECTIVES``); every public page keeps the site's.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import posixpath
import re
import time
import types
import typing
import urllib.parse
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError

from sitegen.checks.catalogue import catalogue_listings
from sitegen.errors import BuildFailed, ContentError, relative
from sitegen.messages import Message, msg
from sitegen.model.assets import ASSETS_DIR, HASH_LENGTH
from sitegen.model.site import Site
from sitegen.output.security import ADMIN_DIR, admin_meta_policy
from sitegen.output.write import Output
from sitegen.sources.cohorts import RESERVED_SLUGS
from sitegen.sources.gather import Sources
from sitegen.sources.menu import MENU_FILE
from sitegen.sources.streamed import Remembered, SourceFile, stream_source
from sitegen.sources.tree import Unreadable, not_ours, read_source
from sitegen.sources.validated import ENGINE_LAYOUTS, SLUG
from sitegen.tools.cmsfiles import CMS_DIST, CMS_SCRIPT, PACKAGE, YAML_SCRIPT

if TYPE_CHECKING:
    from pydantic import BaseModel

ADMIN_SCRIPT = Path(__file__).with_name("admin.js")
ADMIN_STYLE = Path(__file__).with_name("admin.css")
"""The forms' frame laid out right to left for a right-to-left default language (Decap mirrors only part of it)."""
MEDIA_FOLDER = "static/images"
PUBLIC_FOLDER = "images"
"""Pictures uploaded through the forms go to static/images/ and are written images/<name> (a path under static/)."""

LONG_TEXTS = {"quote", "summary", "bio", "text", "description", "selection", "criteria_intro"}
"""Fields whose texts are paragraphs (a text area rather than one line)."""
MARKDOWN = {"body"}
"""Fields written in Markdown."""
REFERENCES = {
    ("Testimonial", "cohort"): "cohorts",
    ("Project", "ministries"): "ministries",
    ("Project", "topics"): "topics",
    ("Project", "team"): "graduates",
    ("NavItem", "page"): "pages",
}
"""Fields that hold ids of other data (checks/references.py and checks/catalogue.py enforce them): a choice of those ids."""

LABELS = {
    "id": "שם קצר באותיות לטיניות · Short name in Latin letters", "slug": "כתובת הפרוייקט · The project's address",
    "title": "כותרת · Title", "summary": "תקציר · Summary",
    "body": "טקסט · Text", "date": "תאריך · Date", "status": "מצב · Status", "ministries": "משרדים ורשויות · Ministries and authorities",
    "partners": "שותפים · Partners", "topics": "נושאים · Topics", "team": "צוות · Team", "links": "קישורים · Links",
    "image": "תמונה · Picture", "image_alt": "תיאור התמונה · What the picture shows", "name": "שם · Name",
    "role": "תפקיד · Role", "organisation": "ארגון · Organisation", "quote": "ציטוט · Quote", "caption": "תפקיד וארגון · Role and organisation", "cohort": "מחזור · Cohort",
    "bio": "קורות חיים · Biography", "photo": "תמונה · Photo", "photo_alt": "תיאור התמונה · What the photo shows",
    "years": "שנים · Years", "start": "מפגש ראשון · First meeting", "end": "מפגש אחרון · Last meeting", "video": "סרטון · Video",
    "projects_url": "רשימת הפרוייקטים באתר אחר · The project list elsewhere",
    "graduates": "בוגרים · Graduates", "projects": "פרוייקטים · Projects", "label": "תווית · Label", "url": "כתובת באינטרנט · Web address",
    "kind": "סוג · Kind", "description": "תיאור · Description", "weight": "סדר · Order",
    "draft": "טיוטה, לא לפרסום · Draft, not published", "layout": "סוג העמוד · Kind of page",
    "heading": "כותרת · Heading", "text": "טקסט · Text", "items": "פריטים · Items", "points": "נקודות · Points",
    "meetings": "מספר המפגשים · Number of meetings", "duration": "משך · Duration",
    "duration_iso": "המשך לחיפוש באינטרנט · The duration, for search engines", "formats": "אופני למידה · Ways of learning",
    "selection": "אופן הבחירה · How participants are chosen", "criteria_intro": "פתיח לתנאים · Before the criteria",
    "criteria": "תנאים · Criteria", "goal": "מטרת העל · Overarching goal", "subgoals": "מטרות המשנה · Sub-goals",
    "method": "השיטה · The method", "participants": "המשתתפים · Participants",
    "translation_checked": "התרגום נבדק ועדיין נכון · Translation checked: still current",
    "page": "עמוד · Page",
}
"""Labels of the forms (Hebrew · English), in words an editor uses: no file names, formats or field ids."""
HINTS = {
    "id": "שם קצר באותיות לטיניות שמזהה את הרשומה (למחזור: גם חלק מכתובת העמוד שלו). אם תשאירו ריק, הוא ייווצר מהשם באנגלית · "
          "A short Latin name that identifies the entry (for a cohort, also part of its page's address). Left empty, it is made "
          "from the English name.",
    ("Project", "slug"): "כתובת הפרוייקט באתר: אותיות לטיניות קטנות, ספרות ומקפים, גם לפרוייקט ששמו בעברית. אם תשאירו ריק, היא "
                         "תיווצר מהכותרת באנגלית · The project's address on the site: small Latin letters, digits and hyphens, "
                         "even for a Hebrew title. Left empty, it is made from the English title.",
    ("Testimonial", "cohort"): "רק כשידוע באיזה מחזור הבוגר למד; בלי מחזור הציטוט מוצג כציטוט של בוגרי התכנית · Only when the "
                               "graduate's cohort is known; without one, the quote is shown as one of the programme's graduates.",
    ("Testimonial", "caption"): "במקום תפקיד וארגון, כשהמקור כותב אותם כטקסט אחד · Instead of role and organisation, when the "
                                "source writes the two as one text.",
    ("Testimonial", "quote"): "בלי המירכאות מסביב: האתר מוסיף אותן. מירכאות בתוך הציטוט נשארות כמו שהן · Without the quotation "
                              "marks around it: the site adds them. Quotation marks inside stay as they are.",
    ("Testimonial", "weight"): "הציטוטים מוצגים לפי המספר, הקטן קודם; שני הראשונים מופיעים גם בעמוד הבית · The quotes are shown "
                               "by this number, the lowest first; the first two are also on the home page.",
    ("Cohort", "years"): "שנות המחזור, למשל 2025–2026; ריק כשאינן ידועות · The cohort's years, e.g. 2025–2026; empty when unknown.",
    ("Cohort", "video"): "כתובת הסרטון המסכם את המחזור, המתחילה ב-https:// · The address of the video summing up the cohort, "
                         "starting with https://",
    ("Cohort", "projects_url"): "כתובת של רשימת הפרוייקטים של בוגרי המחזור שמתפרסמת באתר אחר, המתחילה ב-https://; עמוד המחזור "
                                "מקשר אליה כל עוד לא נוספו כאן פרוייקטים · The address of a list of the cohort's projects published "
                                "elsewhere, starting with https://; the cohort's page links to it while no project is added here.",
    ("Cohort", "graduates"): "הבוגרים שמשתתפים בפרוייקטים · The graduates who take part in projects.",
    ("Project", "summary"): "משפט או שניים, בכרטיס הפרוייקט ובעדכונים · One or two sentences, on the project's card and in the feed.",
    ("Project", "body"): "הטקסט הארוך של הפרוייקט (לא חובה) · The project's longer text (optional).",
    ("Project", "date"): "קובע את הסדר ברשימות, החדש קודם · Orders the lists, newest first.",
    ("Project", "team"): "בוגרי המחזור שעובדים בפרוייקט · The cohort's graduates who work on the project.",
    "image": "תמונה צריכה גם תיאור של מה שרואים בה, בכל שפה · A picture also needs a description of what it shows, in each language.",
    "photo": "תמונה צריכה גם תיאור של מה שרואים בה, בכל שפה · A photo also needs a description of what it shows, in each language.",
    "image_alt": "חובה כשיש תמונה: מה רואים בה, בכל שפה · Required with a picture: what it shows, in each language.",
    "photo_alt": "חובה כשיש תמונה: מה רואים בה, בכל שפה · Required with a photo: what it shows, in each language.",
    ("Method", "meetings"): "כפי שהמקור כותב; באנגלית טווח נכתב עם קו מפריד ארוך (–) · As the source writes it; in English a "
                            "range takes an en dash (–).",
    ("Method", "duration_iso"): "המשך בכתיב שמנועי חיפוש מבינים: P6M הוא שישה חודשים בדיוק. כשהמשך אינו מדויק (\"כחצי שנה\") "
                                "השאירו ריק · The duration as search engines read it: P6M is exactly six months. When the length "
                                "is not exact (\"about six months\"), leave it empty.",
    ("FrontMatter", "description"): "משפט שמתאר את העמוד למנועי חיפוש ולשיתוף · A sentence describing the page, for search "
                                    "engines and link previews.",
    ("FrontMatter", "draft"): "טיוטה אינה מתפרסמת באתר · A draft is not published on the site.",
    ("NavItem", "page"): "העמוד שהפריט בתפריט מוביל אליו, לפי הכותרת שלו. עמוד חדש מופיע כאן אחרי שהאתר נבנה מחדש עם העמוד · "
                         "The page the menu item leads to, by its title. A new page is listed here once the site has been "
                         "built again with it.",
    ("NavItem", "label"): "ריק: כותרת העמוד. מלאו רק כדי שהתפריט יציג שם קצר יותר · Empty: the page's title. Fill it only "
                          "for a shorter name in the menu.",
    "translation_checked": "לחצו על \"עכשיו\" כשבדקתם שהתרגומים עדיין מתאימים למקור אחרי שינוי, כך שהם לא יסומנו כמיושנים · Press "
                           "\"Now\" when you have checked that the translations still match the source after a change, so that "
                           "they are not reported as out of date.",
}
"""Hints of the forms (Hebrew · English), by (model, field) or by field: what the guidance in the files' comments said."""
HIDDEN = {("FrontMatter", "layout"), ("FrontMatter", "weight")}
"""Fields an editor does not need in the forms: kept as they are in the file (Decap's hidden widget), left out of new pages."""
AUTO_IDS = {"id": "name", "slug": "title"}
"""An id left empty is made from this field's English text when the entry is saved (admin.js)."""
CHECKED = "translation_checked"
"""The date-time at which an editor checked the translations still match (tools/status.py reads it): last in its form."""

ENTRY_FOLDERS = {
    "testimonials": ("ציטוטי בוגרים · Graduates' quotes", "ציטוט · Quote", "testimonial"),
    "cohorts": ("מחזורים ופרוייקטים · Cohorts and projects", "מחזור · Cohort", "cohort"),
}
"""Data kept one entry a file, data/<name>/<id>.yaml (sources/cohorts.py load_entry_files): a folder collection each,
whose entries editors add. (label of the collection, label of one entry, the model's word in messages)"""
DATA_FILES = {
    "faculty": ("סגל · Faculty", "data/faculty.yaml"),
    "curriculum": ("תכנית הלימודים · Curriculum", "data/curriculum.yaml"),
    "ministries": ("משרדים ורשויות · Ministries and authorities", "data/ministries.yaml"),
    "topics": ("נושאים · Topics", "data/topics.yaml"),
    "menu": ("תפריט · Menu", MENU_FILE),
}
"""The data files of schema.DATA_SCHEMAS kept as one file each, in the forms in this order (one entry each)."""
NOT_LAYOUTS = {"base"}
"""Templates that are not a page's layout (besides the engine's own and the _partials)."""

ALTERNATIVES: dict[str, tuple[tuple[str, ...], ...]] = {
    "Testimonial": (("caption",), ("role", "organisation")),
}
"""Models whose validator (schema.py) asks for one group of fields or the other: exactly one group, complete.
tests/test_cms.py holds every model validator of schema.py to an entry here, and each entry to its validator."""
NEEDS = {("FacultyMember", "photo"): "photo_alt", ("Project", "image"): "image_alt"}
"""A field that needs another when it is filled (checks/references.py, checks/catalogue.py)."""
UNIQUE = ("id", "slug")
"""In a list of entries, these fields must differ from one entry to the next (checks/catalogue.py)."""


# --- the fields, from the models ---------------------------------------------------------------------

class Context:
    """What the fields' choices come from: the languages, and the ids that references may name."""

    def __init__(self, languages: list[tuple[str, str]], choices: dict[str, list[str]],
                 names: dict[str, dict[str, str]] | None = None) -> None:
        self.languages = languages
        """(code, label) of every language, the default first: the label of each language's input of a text."""
        self.choices = choices
        """'cohorts' / 'ministries' / 'topics' / 'graduates' → the ids a reference may name."""
        self.names = names or {}
        """The same → {id: the name an editor reads for it}."""


def _validators(metadata: Any) -> set[str]:
    return {getattr(getattr(m, "func", None), "__name__", "") for m in metadata or ()}


def _split(annotation: Any) -> tuple[Any, set[str], bool]:
    """An annotation → (the type inside, names of its validators, whether None is allowed)."""
    names: set[str] = set()
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            names |= _validators(annotation.__metadata__)
            annotation = annotation.__origin__
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
                continue
            if set(args) == {str, dict[str, str]}:
                return "localized", names, optional
            annotation = args[0]
        else:
            return annotation, names, optional


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _said(name: str, lang: str = "en") -> str:
    """A field's name in a message: its label's half in the message's language (a message mixing the two directions reads badly)."""
    halves = _label(name).split(" · ")
    return "'" + (halves[0] if lang == "he" else halves[-1]) + "'"


FORM_TEXTS = {
    "he": {"refused": "לא נשמר, כי האתר לא ייבנה כך", "twice": "ה{key} '{value}' כבר קיים — בחרו אחר",
           "version": "בגרסה '{lang}': מלאו את {fields} (הטפסים שומרים עמוד בכל השפות)", "and": " ואת ",
           "one_of": "מלאו את {first} או את {second}, לא את שניהם", "needs": "{field} צריך גם {other} בכל שפה",
           "languages": {"he": "עברית", "en": "אנגלית"}, "fill": "מלאו את {field}",
           # Decap's own words that its Hebrew lacks (it shows them in English otherwise), for the screens of these forms
           "decap": {"collection": {"collectionTop": {"viewAsList": "תצוגת רשימה", "viewAsGrid": "תצוגת כרטיסים",
                                                               "newButton": "הוספת %{collectionLabel}"}},  # not '＋', a glyph fonts lack
                     "editor": {"editorControl": {"field": {"widgetLabel": "שדה %{widgetLabel}"}},
                                "editorControlPane": {"i18n": {
                                    "copyFromLocale": "מילוי מתוך שפה אחרת",
                                    "copyFromLocaleConfirm": "למלא את הטופס מתוך השפה %{locale}?\nכל מה שכבר כתוב כאן יוחלף."}},
                                "editorWidgets": {"markdown": {"strikethrough": "קו חוצה",
                                                               "toggleMode": {"rich": "מעבר לטקסט עשיר", "markdown": "מעבר ל־Markdown"}},
                                                  "datetime": {"setToNow": "קביעת %{fieldLabel} לעכשיו"},
                                                  "object": {"expand": "פתיחה", "collapse": "סגירה"},
                                                  "image": {"chooseMultiple": "בחירת תמונות", "addMore": "עוד תמונות",
                                                            "removeAll": "הסרת כל התמונות"}}},
                     "mediaLibrary": {"mediaLibraryModal": {"close": "סגירה"}},
                     "ui": {"settingsDropdown": {"account": "אפשרויות החשבון"}}}},
    "en": {"refused": "Not saved: the site would not be built like this", "twice": "the {key} '{value}' is used twice — each must be unique",
           "version": "the '{lang}' version: fill {fields} (the forms save a page in every language)", "and": " and ",
           "one_of": "fill either {first} or {second}, not both", "needs": "{field} needs {other} in each language",
           "languages": {"he": "Hebrew", "en": "English"}, "fill": "fill {field}"},
}
"""The forms' own refusals (admin.js), in the site's default language (English for a language without its texts here)."""


def form_texts(lang: str) -> dict[str, Any]:
    return FORM_TEXTS.get(lang, FORM_TEXTS["en"])


NOTICES: dict[str, dict[str, Any]] = {
    "framed": {
        "he": ("טופסי העריכה לא נפתחים בתוך אתר אחר",
               "דף העריכה הוצג בתוך מסגרת של אתר אחר, ולכן הטפסים לא הופעלו: אתר זר עלול לנסות לגרום לכם לשמור שינויים "
               "בלי לשים לב. פתחו את דף העריכה ישירות, בלשונית משלו:"),
        "en": ("The editing forms do not open inside another site",
               "This editing page was shown inside a frame of another site, so the forms were not started: a foreign site "
               "could try to make you save changes without noticing. Open the editing page directly, in a tab of its own:"),
    },
    "no_signin": {
        "he": ("עדיין אי אפשר להתחבר לטופסי העריכה באתר הזה",
               "כדי שעורכים יוכלו להתחבר ולשמור שינויים, מי שמנהל את האתר צריך להגדיר פעם אחת: {missing}. עד אז אפשר לערוך "
               "רק במחשב שבו האתר מותקן. את זה מגדירים מנהל האתר או המפתח שהקים אותו, לפי מדריך הפרסום של האתר."),
        "en": ("Editors cannot sign in to these forms yet",
               "For editors to sign in and save, the person who runs the site must set up, once: {missing}. Until then, "
               "editing works only on the computer where the site is installed. The site's administrator, or the developer "
               "who set it up, does this by following the site's publishing guide."),
    },
    "repo": {"he": "את המאגר ב-GitHub שבו נשמרים השינויים", "en": "the GitHub repository where the changes are saved"},
    "auth": {"he": "את שירות ההתחברות ל-GitHub", "en": "the service that signs editors in to GitHub"},
    "and": {"he": " ואת ", "en": " and "},
}
"""What the forms show instead of starting (admin.js): inside another site's frame, and on the published site before the
programme has set up signing in. Every language the site has a text in, the default first."""


def notices(codes: list[str]) -> list[dict[str, Any]]:
    """NOTICES in the site's languages that have them, the default first (Hebrew first, English beside)."""
    return [{"lang": code, **{key: texts[code] for key, texts in NOTICES.items()}}
            for code in codes if all(code in texts for texts in NOTICES.values())]


def _text_widget(name: str) -> str:
    return "markdown" if name in MARKDOWN else "text" if name in LONG_TEXTS else "string"


def _localized(name: str, required: bool, ctx: Context) -> list[dict[str, Any]]:
    """A {he, en} text: one input per language, in the configured order (admin.js sets each one's direction)."""
    widget = _text_widget(name)
    fields = [{"name": code, "label": label, "widget": widget, "required": required} for code, label in ctx.languages]
    if widget == "markdown":
        for field in fields:
            field["modes"] = ["raw", "rich_text"]  # the text as written first: a save keeps it as it is
    return fields


def _widget(owner: str, name: str, annotation: Any, metadata: Any, required: bool, ctx: Context) -> dict[str, Any]:
    """The form field of one model field (without name, label and required flag)."""
    from pydantic import BaseModel  # the schema's: imported already when its fields are read

    inner, names, _ = _split(annotation)
    names |= _validators(metadata)
    if inner == "localized":
        return {"widget": "object", "collapsed": False, "fields": _localized(name, required, ctx)}
    if (owner, name) in REFERENCES:
        kind = REFERENCES[(owner, name)]
        options = ctx.choices.get(kind, [])
        many = typing.get_origin(inner) is list
        if not options:  # nothing to choose from yet: the ids are typed (and check tells a wrong one)
            return ({"widget": "list", "field": {"name": name, "label": _label(name), "widget": "string"}} if many
                    else {"widget": "string"})
        shown = ctx.names.get(kind, {})
        field: dict[str, Any] = {"widget": "select", "options": [{"label": shown.get(o, o), "value": o} for o in options]}
        if many:
            field["multiple"] = True
        return field
    if typing.get_origin(inner) is typing.Literal:
        return {"widget": "select", "options": list(typing.get_args(inner))}
    if inner is bool:
        return {"widget": "boolean"}
    if inner is int:
        return {"widget": "number", "value_type": "int"}
    if name == CHECKED:  # an instant, written in UTC (tools/status.py compares it with commit times)
        return {"widget": "datetime", "format": "YYYY-MM-DDTHH:mm:ss[Z]", "date_format": "DD/MM/YYYY", "time_format": "HH:mm",
                "picker_utc": True}
    if inner is datetime.date:  # the browser's date box: dd/mm/yyyy in a Hebrew (or British) browser
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False,
                "picker_utc": False}
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": model_fields(inner, ctx), **_rules(inner, ctx)}
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner)
        item_type, item_names, _ = _split(item)
        if item_type == "localized":
            return {"widget": "list", "collapsed": False, "fields": _localized(name, True, ctx),
                    "summary": "{{fields." + (ctx.languages[0][0] if ctx.languages else "he") + "}}"}
        if isinstance(item_type, type) and issubclass(item_type, BaseModel):
            return {"widget": "list", "collapsed": True, "fields": model_fields(item_type, ctx), **_rules(item_type, ctx, many=True),
                    "summary": _summary(item_type, ctx)}
        return {"widget": "list", "field": {"name": name, "label": _label(name), "widget": "string"}}
    field = {"widget": _text_widget(name)}
    if "_check_project_slug" in names:  # a project's web address: not one the lists keep for themselves
        reserved = "|".join(re.escape(slug) for slug in sorted(RESERVED_SLUGS))
        field["pattern"] = [f"^(?!(?:{reserved})$)" + SLUG.pattern.removeprefix("^"),
                            "אותיות לטיניות קטנות, ספרות ומקפים בודדים (למשל shared-clinics), ולא "
                            + " או ".join(f"'{slug}'" for slug in sorted(RESERVED_SLUGS))
                            + " · lowercase Latin letters, digits and single hyphens (e.g. shared-clinics), and not "
                            + " or ".join(f"'{slug}'" for slug in sorted(RESERVED_SLUGS))]
    elif "_check_slug" in names:
        field["pattern"] = [SLUG.pattern, "אותיות לטיניות קטנות, ספרות ומקפים בודדים, למשל dana-levi · lowercase Latin letters, "
                                          "digits and single hyphens, e.g. dana-levi"]
    elif "_check_link_url" in names:
        field["pattern"] = [r"^https?://\S+$", "כתובת מלאה, המתחילה ב-https:// · a full address, starting with https://"]
    elif names & {"_check_url", "_check_base_url"}:
        field["pattern"] = [r"^(https?://\S+)?$", "כתובת מלאה, המתחילה ב-https://, או כלום · a full address, starting with "
                                                   "https://, or nothing"]
    elif "_check_static_path" in names:
        field = {"widget": "image", "choose_url": False}
    elif "_not_blank" in names:  # spaces alone are no text (Decap's required flag takes them for one)
        field["pattern"] = [r"\S", "כתבו טקסט, לא רק רווחים · write some text, not only spaces"]
    for meta in metadata or ():
        if getattr(meta, "pattern", None):
            field["pattern"] = [meta.pattern, "הערך אינו בצורה הנכונה · not in the right form"]
    return field


def model_rules(model: type[BaseModel], lang: str = "en") -> list[dict[str, Any]]:
    """What check asks of an entry as a whole (admin.js refuses to save an entry that breaks one), said in ``lang``."""
    texts = form_texts(lang)
    rules: list[dict[str, Any]] = []
    groups = ALTERNATIVES.get(model.__name__)
    if groups:
        said = [texts["and"].join(_said(n, lang) for n in group) for group in groups]
        rules.append({"one_of": [list(g) for g in groups], "message": texts["one_of"].format(first=said[0], second=said[1])})
    for (owner, name), other in NEEDS.items():
        if owner == model.__name__ and name in model.model_fields:
            rules.append({"needs": [name, other], "message": texts["needs"].format(field=_said(name, lang), other=_said(other, lang))})
    return rules


def _rules(model: type[BaseModel], ctx: Context | None = None, many: bool = False) -> dict[str, Any]:
    """The keys admin.js reads on a field that holds entries of ``model`` (it removes them before Decap reads the configuration)."""
    out: dict[str, Any] = {}
    rules = model_rules(model, ctx.languages[0][0] if ctx and ctx.languages else "en")
    if rules:
        out["merhav_rules"] = rules
    unique = [name for name in UNIQUE if name in model.model_fields]
    if many and unique:
        out["merhav_unique"] = unique
    return out


def _summary(model: type[BaseModel], ctx: Context) -> str:
    """How an entry of a list is named in the list: its name or title in the default language (not the whole mapping)."""
    default = ctx.languages[0][0] if ctx.languages else "he"
    for name in ("name", "title", "label", "heading"):
        if name in model.model_fields:
            inner, _, _ = _split(model.model_fields[name].annotation)
            return "{{fields." + (f"{name}.{default}" if inner == "localized" else name) + "}}"
    if "id" in model.model_fields:
        return "{{fields.id}}"
    return ""


def model_fields(model: type[BaseModel], ctx: Context) -> list[dict[str, Any]]:
    """The form fields of a model, in its order (the translations' check last)."""
    fields = []
    for name, info in model.model_fields.items():
        required = info.is_required()
        field = {"name": name, "label": _label(name), **_widget(model.__name__, name, info.annotation, info.metadata, required, ctx)}
        field["required"] = required
        if not required and info.default not in (None, "", [], ()) and field["widget"] in ("string", "select", "number", "boolean"):
            field["default"] = info.default
        hint = HINTS.get((model.__name__, name), HINTS.get(name))
        if hint:
            field["hint"] = hint
        if (model.__name__, name) in HIDDEN:
            field["widget"] = "hidden"
        if AUTO_IDS.get(name) in model.model_fields and field["widget"] == "string":
            field["required"] = False  # admin.js makes it from the English name or title when left empty
            field["merhav_from"] = AUTO_IDS[name]
        fields.append(field)
    return [f for f in fields if f["name"] != CHECKED] + [f for f in fields if f["name"] == CHECKED]


def _list_field(label: str, item: Any, ctx: Context) -> dict[str, Any]:
    """A file that is a list at its top level: one list field, ``items`` (admin.js writes it as the file's list)."""
    from pydantic import BaseModel

    if not (isinstance(item, type) and issubclass(item, BaseModel)):
        return {"name": "items", "label": label, "widget": "list", "collapsed": True, "fields": []}
    return {"name": "items", "label": label, "widget": "list", "collapsed": True, "fields": model_fields(item, ctx),
            **_rules(item, ctx, many=True), "summary": _summary(item, ctx)}


def data_file(name: str, ctx: Context) -> dict[str, Any]:
    from sitegen.sources import schema

    label, path = DATA_FILES[name]
    shape = schema.DATA_SCHEMAS[name]
    if typing.get_origin(shape) is list:
        (item,) = typing.get_args(shape)
        fields = [_list_field(label, item, ctx)]
        return {"name": name, "label": label, "file": path, "format": f"merhav-list-{name}", "fields": fields}
    return {"name": name, "label": label, "file": path, "format": f"merhav-mapping-{name}", "fields": model_fields(shape, ctx),
            **_rules(shape, ctx)}


def page_fields(layouts: list[str], ctx: Context) -> list[dict[str, Any]]:
    from sitegen.sources import schema

    fields = model_fields(schema.FrontMatter, ctx)
    for field in fields:
        field["i18n"] = True
        field.pop("pattern", None) if field["widget"] == "hidden" else None
    # Required of a new page (left empty, the save failed with API_ERROR "slug is not allowed to be empty"), not of
    # one that exists (its address is its file's name, not a field of it): admin.js refuses a new page without it
    # (merhav_new_page), and suggests it from the English title as it is typed (merhav_suggest).
    address = {"name": "address", "label": "כתובת העמוד החדש (חובה) · The new page's address (required)", "widget": "string",
               "required": False, "merhav_new_page": True, "i18n": "duplicate", "merhav_suggest": "title",
               "pattern": [SLUG.pattern, "אותיות לטיניות קטנות, ספרות ומקפים · lowercase Latin letters, digits and hyphens"],
               "hint": "לעמוד חדש בלבד: המילה שבכתובת העמוד, למשל history. היא מוצעת מהכותרת באנגלית כשכותבים אותה, ואפשר "
                       "לשנות אותה · For a new page only: the word in the page's address, e.g. history. It is suggested "
                       "from the English title as you type it, and you may change it."}
    body = {"name": "body", "label": _label("body"), "widget": "markdown", "modes": ["raw", "rich_text"],
            "required": False, "i18n": True}
    checked = [f for f in fields if f["name"] == CHECKED]
    return [address, *[f for f in fields if f["name"] != CHECKED], body, *checked]


# --- the configuration -------------------------------------------------------------------------------

def page_folders(source: Path) -> list[str]:
    """Folders under content/ that hold pages (content/projects/ holds the projects' texts, not pages)."""
    content = source / "content"
    folders = {"content"}
    for path in content.rglob("*.md"):
        rel = path.parent.relative_to(source).as_posix()
        if any(not_ours(part) for part in path.relative_to(content).parts):  # content/.trash/, .obsidian/: not the site's
            continue
        if rel != "content/projects":
            folders.add(rel)
    return sorted(folders)


def layouts(source: Path) -> list[str]:
    """The layouts a page may choose: the templates, less partials, the engine's own, and those made for pages
    built from data (they read ``page.params``: a cohort's, a project's, a listing's)."""
    found = []
    for path in sorted((source / "templates").glob("*.html")):
        name = path.stem
        if name.startswith("_") or name in NOT_LAYOUTS or name in ENGINE_LAYOUTS:
            continue
        if "page.params" in path.read_text(encoding="utf-8", errors="replace"):
            continue
        found.append(name)
    return found


def _ids(entries: Any) -> list[str]:
    return sorted({str(e["id"]) for e in entries or () if isinstance(e, dict) and e.get("id")})


def _names(entries: Any, lang: str) -> dict[str, str]:
    """{id: its name in ``lang``} of data entries (a name written once for all languages is that name)."""
    found = {}
    for entry in entries or ():
        if isinstance(entry, dict) and entry.get("id"):
            name = entry.get("name")
            text = name.get(lang) or next(iter(name.values()), "") if isinstance(name, dict) else name
            found[str(entry["id"])] = str(text or entry["id"])
    return found


def _in(label: str, lang: str) -> str:
    """The half of a "Hebrew · English" label in ``lang`` (Decap names an entry's kind with it in buttons and commits)."""
    halves = label.split(" · ")
    return halves[0] if lang == "he" or len(halves) == 1 else halves[-1]


COMMIT_MESSAGES = {
    "he": {"create": "{{collection}}: {{slug}}", "update": "{{collection}}: {{slug}}", "delete": "מחיקה: {{collection}} {{slug}}",
           "uploadMedia": "תמונה: {{path}}", "deleteMedia": "מחיקת תמונה: {{path}}"},
    "en": {"create": "{{collection}}: {{slug}}", "update": "{{collection}}: {{slug}}", "delete": "Deleted: {{collection}} {{slug}}",
           "uploadMedia": "Picture: {{path}}", "deleteMedia": "Picture deleted: {{path}}"},
}
"""Decap's commit messages: the kind of entry and the entry ("ציטוט: dana-levi"), in the site's default language."""


Kept = Callable[[Callable[[Any], str], Any], str]
"""``kept(make, value)``: ``make(value)``, kept between builds by a digest of ``value`` (sitegen/incremental/derived.py)."""
Facts = Callable[[str, str, tuple[int, ...], int, Callable[[], str]], str]
"""``facts(kind, rel, status, taken, compute)``: ``compute()``, or what it gave for files of the same status
(incremental/stamped.py ``KeptByStatus.fact``)."""


def _language_name(locale_and_code: tuple[str, str]) -> str:
    """The name of the language ``code`` in ``locale`` ('' when Babel has none): Babel loads the locale's whole data."""
    locale, code = locale_and_code
    try:
        return str(Locale.parse(locale).languages.get(code) or "")
    except (ValueError, UnknownLocaleError):
        return ""


def _language_labels(site: Site | Sources, kept: Kept | None = None) -> list[tuple[str, str]]:
    """(code, label) of each language's input of a text: the language's name in the default language, then its own
    ("אנגלית · English"), so that Decap's "<label> is required" reads in the interface's language."""
    here = site.config.languages[0].locale
    found = []
    for lang in site.config.languages:
        local = kept(_language_name, (here, lang.code)) if kept is not None else _language_name((here, lang.code))
        found.append((lang.code, lang.label if not local or local == lang.label else f"{local} · {lang.label}"))
    return found


def menu_choices(site: Site | Sources, lang: str) -> tuple[list[str], dict[str, str]]:
    """The pages a menu item may lead to (checks/references.py _nav: content pages, cohorts' pages, the catalogue's
    listings), chosen by their title in ``lang``: (keys in the order of the titles, {key: title}). Without the modelled
    pages (datastyle reads the sources only), none: the item's page is then typed."""
    if not isinstance(site, Site):
        return [], {}
    listings = catalogue_listings(site)
    titles = {p.key: p.title for p in site.pages_in(lang)
              if p.key and p.key != "404" and not p.draft and (p.source.startswith("content/") or p.key in listings
                                                              or re.fullmatch(r"cohorts/[^/]+", p.key))}
    return sorted(titles, key=lambda key: (titles[key], key)), titles


def sign_in(cms: Any) -> dict[str, str]:
    """Decap's keys for signing in to GitHub through the site's OAuth service: the token's scope, and the service as
    Decap reaches it — ``base_url`` its origin alone (Decap accepts the token only from a window of exactly that origin)
    and ``auth_endpoint`` the path (``{base_url}/{auth_endpoint}?provider=github&scope=…`` opens the sign-in window)."""
    keys: dict[str, str] = {"auth_scope": cms.auth_scope}
    if cms.auth_url:
        parts = urllib.parse.urlsplit(cms.auth_url)
        keys["base_url"] = f"{parts.scheme}://{parts.netloc}"
        keys["auth_endpoint"] = parts.path.strip("/") or "auth"
    return keys


def cms_config(site: Site | Sources, source: Path, kept: Kept | None = None) -> dict[str, Any]:
    """The Decap CMS configuration of this site, as a mapping (config.yml)."""
    return config_of(config_inputs(site, source, kept))


def config_inputs(site: Site | Sources, source: Path, kept: Kept | None = None) -> dict[str, Any]:
    """What the forms' configuration is made of besides the engine (its schema, this module), as plain data: the
    languages and their labels, the ids and names that references choose from, the pages a menu item may lead to, the
    sign-in settings, the base URL, the pages' folders and layouts. ``config_of`` of it is the configuration."""
    settings = site.config.settings
    default = site.config.languages[0].code
    graduates = [g for cohort in site.data.get("cohorts") or () if isinstance(cohort, dict) for g in cohort.get("graduates") or ()]
    choices = {**{name: _ids(site.data.get(name)) for name in ("cohorts", "ministries", "topics")}, "graduates": _ids(graduates)}
    names = {**{name: _names(site.data.get(name), default) for name in ("cohorts", "ministries", "topics")},
             "graduates": _names(graduates, default)}
    choices["pages"], names["pages"] = menu_choices(site, default)
    cms = settings.cms
    return {"languages": _language_labels(site, kept), "default": default, "choices": choices, "names": names,
            "cms": None if cms is None else {"repo": cms.repo, "branch": cms.branch, **sign_in(cms)},
            "base_url": site.config.base_url, "folders": page_folders(source), "layouts": layouts(source)}


def config_of(inputs: dict[str, Any]) -> dict[str, Any]:
    """The configuration made of ``config_inputs`` and the schema's models."""
    from sitegen.sources import schema  # pydantic: only when the configuration is made

    ctx = Context(list(inputs["languages"]), dict(inputs["choices"]), dict(inputs["names"]))
    default = inputs["default"]
    codes = [code for code, _ in ctx.languages]
    cms = inputs["cms"]
    backend: dict[str, Any] = {"name": "github", "repo": cms["repo"] if cms else "", "branch": cms["branch"] if cms else "main",
                               "commit_messages": COMMIT_MESSAGES.get(default, COMMIT_MESSAGES["en"])}
    if cms:
        backend.update({key: value for key, value in cms.items() if key not in ("repo", "branch")})
    config: dict[str, Any] = {"backend": backend, "local_backend": True, "publish_mode": "simple", "locale": default,
                              "media_folder": MEDIA_FOLDER, "public_folder": PUBLIC_FOLDER}
    if inputs["base_url"]:
        config["site_url"] = inputs["base_url"] + "/"
    config["i18n"] = {"structure": "multiple_files", "locales": codes, "default_locale": codes[0]}
    collections: list[dict[str, Any]] = []
    page_layouts = inputs["layouts"]
    for folder in inputs["folders"]:
        inner = folder.removeprefix("content").strip("/")
        collections.append({
            "name": "pages" if not inner else "pages-" + inner.replace("/", "-"),
            "label": "עמודים · Pages" + (f" /{inner}/" if inner else ""), "label_singular": _in("עמוד · Page", default),
            "folder": folder, "extension": "md", "format": "merhav-page", "create": True, "i18n": True,
            "identifier_field": "title", "slug": "{{fields.address}}", "summary": "{{title}}",
            "fields": page_fields(page_layouts, ctx),
        })
    for name, (label, singular, _) in ENTRY_FOLDERS.items():
        (model,) = typing.get_args(schema.DATA_SCHEMAS[name])
        collections.append({
            "name": name, "label": label, "label_singular": _in(singular, default),
            "folder": f"data/{name}", "extension": "yaml", "format": f"merhav-mapping-{name}", "create": True,
            "identifier_field": "id", "slug": "{{fields.id}}", "summary": _summary(model, ctx),
            "fields": model_fields(model, ctx), **_rules(model, ctx),
        })
    for name in DATA_FILES:  # a collection each: Decap reads a format from a collection, not from one of its files
        if name in schema.DATA_SCHEMAS:
            entry = data_file(name, ctx)
            collections.append({"name": name, "label": entry["label"], "label_singular": _in(entry["label"], default),
                                "format": entry.pop("format"), "files": [entry]})
    config["collections"] = collections
    return config


HEADER = """\
# Decap CMS configuration of /admin/ — written by `python build.py` from the engine's schema
# (sitegen/sources/schema.py, through sitegen/tools/cms.py). Do not edit: change the models instead.
"""


def config_text(config: dict[str, Any]) -> str:
    """The forms' configuration as YAML (without its header). PyYAML is imported here: a build that keeps the text
    (config_yml) does not import it."""
    import yaml

    # libyaml's writer when PyYAML has it (its wheels do), the pure-Python one otherwise: the same text for the real
    # site's configuration (tests/test_cms.py), written ~5 times faster (0.02 against 0.10 s, measured)
    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        def ignore_aliases(self, data: Any) -> bool:  # every list written out (no &anchors: Decap reads them, people less so)
            return True

    return yaml.dump(config, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)


def config_yml(site: Site, source: Path, kept: Kept | None = None) -> bytes:
    """/admin/config.yml. ``kept``: gives ``make(value)``, kept between builds (sitegen/incremental/derived.py)."""
    inputs = config_inputs(site, source, kept)
    text = kept(_config_text_of, inputs) if kept is not None else _config_text_of(inputs)  # the same inputs: the same text
    return (HEADER + text).encode("utf-8")


def _config_text_of(inputs: dict[str, Any]) -> str:
    return config_text(config_of(inputs))


# --- the files ---------------------------------------------------------------------------------------

def cms_installed(source: Path) -> bool:
    return (source / CMS_DIST / CMS_SCRIPT).is_file() and (source / YAML_SCRIPT).is_file()


def cms_wanted(source: Path) -> bool:
    """The site's package.json names Decap CMS (the repository's does, as an optional dependency: .ci/decap-bundle.sh
    says why): a build without it installed says so; a site that does not ask for the forms (a test's small site) is
    not told about them."""
    try:
        package = json.loads((source / PACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(package, dict) and any(
        isinstance(package.get(group), dict) and "decap-cms" in package[group] for group in ("dependencies", "devDependencies", "optionalDependencies"))


def _hashed(folder: str, name: str, data: bytes) -> str:
    stem, _, ext = name.rpartition(".")
    return posixpath.join(ASSETS_DIR, folder, f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_LENGTH]}.{ext}")


def _bundle(source: Path, facts: Facts | None = None) -> tuple[dict[str, Output], str]:
    """Decap's script, the chunks it loads from its own folder (``<n>.decap-cms.js``; the ``<n>.cms.js`` beside them are
    another bundle's) and its licence notice, in a folder named by their hash. ``facts``: what a build keeps by the
    files' status (incremental/stamped.py); with it the files are published by reference (sources/streamed.py) and an
    unchanged bundle (~5 MB) is not read at all: its files' digests and its folder's name are the last build's."""
    dist = source / CMS_DIST
    scripts = sorted(p for p in dist.iterdir() if p.is_file() and (p.name == CMS_SCRIPT or p.name.endswith("." + CMS_SCRIPT)
                                                                    or p.name == CMS_SCRIPT + ".LICENSE.txt"))
    if facts is None:
        contents: dict[str, Output] = {path.name: _forms_file(path, source) for path in scripts}
        folder = _bundle_folder(contents)  # type: ignore[arg-type]
    else:
        taken = time.time_ns()
        contents = {path.name: _streamed(path, source, partial(facts, "sha256")) for path in scripts}
        statuses = tuple(part for file in contents.values() for part in file.stamp)  # type: ignore[union-attr]
        folder = facts("decap-folder", "\0".join(relative(path, source) for path in scripts), statuses, taken,
                       lambda: _bundle_folder({path.name: _forms_file(path, source) for path in scripts}))
    files = {f"{folder}/{name}": data for name, data in contents.items()}
    return files, f"{folder}/{CMS_SCRIPT}"


def _bundle_folder(contents: dict[str, bytes]) -> str:
    """Where the bundle is published: a folder named by the hash of its files' names and bytes."""
    digest = hashlib.sha256()
    for name, data in contents.items():
        digest.update(name.encode() + b"\0" + data + b"\0")
    return posixpath.join(ASSETS_DIR, f"decap-cms.{digest.hexdigest()[:HASH_LENGTH]}")


def _streamed(path: Path, source: Path, remembered: Remembered) -> SourceFile:
    """A file of the forms' bundle by reference, checked as ``_forms_file`` reads it."""
    try:
        return stream_source(path, source, remembered)
    except Unreadable as unreadable:
        raise BuildFailed([ContentError(relative(path, source), 0, unreadable.message)]) from None


def _forms_file(path: Path, source: Path) -> bytes:
    """A file of the forms' bundle, read as every source is: an ordinary file inside the project (a link out of it,
    to node_modules elsewhere on the computer, is a problem at its path, never a file from there published)."""
    try:
        return read_source(path, source)
    except Unreadable as unreadable:
        raise BuildFailed([ContentError(relative(path, source), 0, unreadable.message)]) from None


def admin_page(site: Site, scripts: list[str], settings: dict[str, Any], styles: list[str] | None = None) -> bytes:
    urls = site.config.urls
    title = f"{site.config.settings.title if isinstance(site.config.settings.title, str) else next(iter(site.config.settings.title.values()))}"
    policy = admin_meta_policy()
    data = json.dumps(settings, ensure_ascii=False, sort_keys=True).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    tags = "\n".join(f'<script src="{urls.path(s)}"></script>' for s in scripts)
    links = "".join(f'<link rel="stylesheet" href="{urls.path(s)}">\n' for s in styles or [])
    default = site.config.languages[0]

    return f"""<!doctype html>
<html lang="{default.code}" dir="{default.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{policy['csp']}">
<meta name="referrer" content="{policy['referrer']}">
<meta name="robots" content="noindex, nofollow">
<title>{_escape(title)} · עריכה · Editing</title>
{links}<link rel="icon" href="{urls.path(site.assets.output('favicon.svg')) if site.assets.has('favicon.svg') else 'data:,'}">
</head>
<body data-merhav="{data}">
{tags}
</body>
</html>
""".encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def admin_files(site: Site, source: Path, kept: Kept | None = None, facts: Facts | None = None,
                ) -> tuple[dict[str, Output], list[Message]]:
    """admin/ and the CMS's scripts, or nothing (and a note) when the CMS is not installed. ``kept``: as for
    ``config_yml``; ``facts``: as for ``_bundle``."""
    if not cms_installed(source):
        if not cms_wanted(source):
            return {}, []
        return {}, [msg("the editing forms (/{folder}/) left out: Decap CMS is not installed — run `npm ci` in {source}", folder=ADMIN_DIR,
                        source=str(source))]
    files, decap = _bundle(source, facts)
    yaml_js = _forms_file(source / YAML_SCRIPT, source)
    admin_js = ADMIN_SCRIPT.read_bytes()
    yaml_out = _hashed("admin", "js-yaml.js", yaml_js)
    admin_out = _hashed("admin", "admin.js", admin_js)
    files[yaml_out] = yaml_js
    files[admin_out] = admin_js
    style = ADMIN_STYLE.read_bytes()
    style_out = _hashed("admin", "admin.css", style)
    files[style_out] = style
    urls = site.config.urls
    settings = {
        "config": urls.path(ADMIN_DIR + "/config.yml"),
        "languages": [[lang.code, lang.dir] for lang in site.config.languages],
        "styles": [urls.path(site.assets.output(rel)) for rel in ("style.css",) if site.assets.has(rel)],
        "texts": form_texts(site.config.languages[0].code),
        "notices": [{**n, "dir": next(lang.dir for lang in site.config.languages if lang.code == n["lang"])}
                    for n in notices(site.config.codes)],
    }
    files[f"{ADMIN_DIR}/index.html"] = admin_page(site, [yaml_out, admin_out, decap], settings, [style_out])
    files[f"{ADMIN_DIR}/config.yml"] = config_yml(site, source, kept)
    if not (site.config.settings.cms and site.config.settings.cms.repo):
        return files, [msg("/{folder}/ signs in to GitHub only once `cms: repo: OWNER/NAME` is in data/site.yaml (the local backend, "
                           "npx decap-server, works without it)", folder=ADMIN_DIR)]
    return files, []
