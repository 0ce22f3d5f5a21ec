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
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from sitegen.model.assets import ASSETS_DIR, HASH_LENGTH
from sitegen.model.site import Site
from sitegen.output.security import ADMIN_DIR, admin_meta_policy
from sitegen.sources import schema
from sitegen.sources.cohorts import RESERVED_SLUGS
from sitegen.sources.schema import ENGINE_LAYOUTS, SLUG
from sitegen.tools.cmsfiles import CMS_DIST, CMS_SCRIPT, PACKAGE, YAML_SCRIPT

ADMIN_SCRIPT = Path(__file__).with_name("admin.js")
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
}
"""Fields that hold ids of other data (checks/references.py and checks/catalogue.py enforce them): a choice of those ids."""

LABELS = {
    "id": "מזהה · id", "slug": "כתובת (slug) · slug", "title": "כותרת · Title", "summary": "תקציר · Summary",
    "body": "טקסט · Text", "date": "תאריך · Date", "status": "מצב · Status", "ministries": "משרדים ורשויות · Ministries",
    "partners": "שותפים · Partners", "topics": "נושאים · Topics", "team": "צוות · Team", "links": "קישורים · Links",
    "image": "תמונה · Picture", "image_alt": "תיאור התמונה · Picture's description", "name": "שם · Name",
    "role": "תפקיד · Role", "organisation": "ארגון · Organisation", "quote": "ציטוט · Quote", "caption": "תפקיד וארגון · Role and organisation", "cohort": "מחזור · Cohort",
    "bio": "קורות חיים · Bio", "photo": "תמונה · Photo", "photo_alt": "תיאור התמונה · Photo's description",
    "years": "שנים · Years", "start": "התחלה · Start", "end": "סיום · End", "video": "סרטון · Video",
    "graduates": "בוגרים · Graduates", "projects": "פרוייקטים · Projects", "label": "תווית · Label", "url": "כתובת · Address",
    "kind": "סוג · Kind", "description": "תיאור · Description", "weight": "משקל (סדר) · Weight (order)",
    "draft": "טיוטה · Draft", "layout": "תבנית · Layout",
}
"""Labels of the forms (Hebrew · English); a field without one is shown by its name."""

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

    def __init__(self, languages: list[tuple[str, str]], choices: dict[str, list[str]]) -> None:
        self.languages = languages
        """(code, label) of every language, the default first."""
        self.choices = choices
        """'cohorts' / 'ministries' / 'topics' → the ids a reference may name."""


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


def _said(name: str) -> str:
    """A field's name in a message: its label's English half (a message mixing the two directions reads badly)."""
    return "'" + _label(name).split(" · ")[-1] + "'"


def _text_widget(name: str) -> str:
    return "markdown" if name in MARKDOWN else "text" if name in LONG_TEXTS else "string"


def _localized(name: str, required: bool, ctx: Context) -> list[dict[str, Any]]:
    """A {he, en} text: one input per language, in the configured order (admin.js sets each one's direction)."""
    widget = _text_widget(name)
    return [{"name": code, "label": label, "widget": widget, "required": required}
            for code, label in ctx.languages]


def _widget(owner: str, name: str, annotation: Any, metadata: Any, required: bool, ctx: Context) -> dict[str, Any]:
    """The form field of one model field (without name, label and required flag)."""
    inner, names, _ = _split(annotation)
    names |= _validators(metadata)
    if inner == "localized":
        return {"widget": "object", "collapsed": False, "fields": _localized(name, required, ctx)}
    if (owner, name) in REFERENCES:
        options = ctx.choices.get(REFERENCES[(owner, name)], [])
        many = typing.get_origin(inner) is list
        if not options:  # nothing to choose from yet: the ids are typed (and check tells a wrong one)
            return ({"widget": "list", "field": {"name": name, "label": _label(name), "widget": "string"}} if many
                    else {"widget": "string"})
        field: dict[str, Any] = {"widget": "select", "options": options}
        if many:
            field["multiple"] = True
        return field
    if typing.get_origin(inner) is typing.Literal:
        return {"widget": "select", "options": list(typing.get_args(inner))}
    if inner is bool:
        return {"widget": "boolean"}
    if inner is int:
        return {"widget": "number", "value_type": "int"}
    if inner is datetime.date:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
                "picker_utc": True}
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": model_fields(inner, ctx), **_rules(inner)}
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner)
        item_type, item_names, _ = _split(item)
        if item_type == "localized":
            return {"widget": "list", "collapsed": False, "fields": _localized(name, True, ctx)}
        if isinstance(item_type, type) and issubclass(item_type, BaseModel):
            return {"widget": "list", "collapsed": True, "fields": model_fields(item_type, ctx), **_rules(item_type, many=True)}
        return {"widget": "list", "field": {"name": name, "label": _label(name), "widget": "string"}}
    field = {"widget": _text_widget(name)}
    if "_check_project_slug" in names:  # a project's web address: not one the lists keep for themselves
        reserved = "|".join(re.escape(slug) for slug in sorted(RESERVED_SLUGS))
        field["pattern"] = [f"^(?!(?:{reserved})$)" + SLUG.pattern.removeprefix("^"),
                            "lowercase Latin letters, digits and single hyphens (e.g. shared-clinics), and not "
                            + " or ".join(f"'{slug}'" for slug in sorted(RESERVED_SLUGS))]
    elif "_check_slug" in names:
        field["pattern"] = [SLUG.pattern, "lowercase Latin letters, digits and single hyphens (e.g. shared-clinics)"]
    elif "_check_link_url" in names:
        field["pattern"] = [r"^https?://\S+$", "a full address, starting with https://"]
    elif names & {"_check_url", "_check_base_url"}:
        field["pattern"] = [r"^(https?://\S+)?$", "a full address, starting with https://, or nothing"]
    elif "_check_static_path" in names:
        field = {"widget": "image", "choose_url": False}
    elif "_not_blank" in names:  # spaces alone are no text (Decap's required flag takes them for one)
        field["pattern"] = [r"\S", "write some text, not only spaces"]
    for meta in metadata or ():
        if getattr(meta, "pattern", None):
            field["pattern"] = [meta.pattern, "see the comments at the top of the file"]
    return field


def model_rules(model: type[BaseModel]) -> list[dict[str, Any]]:
    """What check asks of an entry as a whole (admin.js refuses to save an entry that breaks one)."""
    rules: list[dict[str, Any]] = []
    groups = ALTERNATIVES.get(model.__name__)
    if groups:
        said = [" and ".join(_said(n) for n in group) for group in groups]
        rules.append({"one_of": [list(g) for g in groups], "message": f"fill either {' or '.join(said)}, not both"})
    for (owner, name), other in NEEDS.items():
        if owner == model.__name__ and name in model.model_fields:
            rules.append({"needs": [name, other], "message": f"{_said(name)} needs {_said(other)} in each language"})
    return rules


def _rules(model: type[BaseModel], many: bool = False) -> dict[str, Any]:
    """The keys admin.js reads on a field that holds entries of ``model`` (it removes them before Decap reads the configuration)."""
    out: dict[str, Any] = {}
    rules = model_rules(model)
    if rules:
        out["merhav_rules"] = rules
    unique = [name for name in UNIQUE if name in model.model_fields]
    if many and unique:
        out["merhav_unique"] = unique
    return out


def model_fields(model: type[BaseModel], ctx: Context) -> list[dict[str, Any]]:
    """The form fields of a model, in its order."""
    fields = []
    for name, info in model.model_fields.items():
        required = info.is_required()
        field = {"name": name, "label": _label(name), **_widget(model.__name__, name, info.annotation, info.metadata, required, ctx)}
        field["required"] = required
        if not required and info.default not in (None, "", [], ()) and field["widget"] in ("string", "select", "number", "boolean"):
            field["default"] = info.default
        if info.description:
            field["hint"] = " ".join(info.description.split())
        fields.append(field)
    return fields


def _list_field(label: str, item: Any, ctx: Context) -> dict[str, Any]:
    """A file that is a list at its top level: one list field, ``items`` (admin.js writes it as the file's list)."""
    if not (isinstance(item, type) and issubclass(item, BaseModel)):
        return {"name": "items", "label": label, "widget": "list", "collapsed": True, "fields": []}
    return {"name": "items", "label": label, "widget": "list", "collapsed": True, "fields": model_fields(item, ctx),
            **_rules(item, many=True)}


def data_file(name: str, ctx: Context) -> dict[str, Any]:
    label, path = DATA_FILES[name]
    shape = schema.DATA_SCHEMAS[name]
    if typing.get_origin(shape) is list:
        (item,) = typing.get_args(shape)
        fields = [_list_field(label, item, ctx)]
        return {"name": name, "label": label, "file": path, "format": f"merhav-list-{name}", "fields": fields}
    return {"name": name, "label": label, "file": path, "format": f"merhav-mapping-{name}", "fields": model_fields(shape, ctx),
            **_rules(shape)}


def page_fields(layouts: list[str], ctx: Context) -> list[dict[str, Any]]:
    fields = model_fields(schema.FrontMatter, ctx)
    for field in fields:
        field["i18n"] = True
        if field["name"] == "layout":
            field.update(widget="select", options=layouts)
            field.pop("pattern", None)
    address = {"name": "address", "label": "כתובת העמוד (לעמוד חדש) · Address (new pages only)", "widget": "string",
               "required": False, "i18n": "duplicate", "pattern": [SLUG.pattern, "lowercase Latin letters, digits and hyphens"],
               "hint": "The new page's file name and web address, e.g. history (content/history.he.md); "
                       "ignored for a page that exists."}
    body = {"name": "body", "label": _label("body"), "widget": "markdown", "modes": ["raw", "rich_text"],
            "required": False, "i18n": True}
    return [address, *fields, body]


# --- the configuration -------------------------------------------------------------------------------

def page_folders(source: Path) -> list[str]:
    """Folders under content/ that hold pages (content/projects/ holds the projects' texts, not pages)."""
    content = source / "content"
    folders = {"content"}
    for path in content.rglob("*.md"):
        rel = path.parent.relative_to(source).as_posix()
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


def cms_config(site: Site, source: Path) -> dict[str, Any]:
    """The Decap CMS configuration of this site, as a mapping (config.yml)."""
    settings = site.config.settings
    ctx = Context([(lang.code, lang.label) for lang in site.config.languages],
                  {name: _ids(site.data.get(name)) for name in ("cohorts", "ministries", "topics")})
    codes = [code for code, _ in ctx.languages]
    cms = settings.cms
    backend: dict[str, Any] = {"name": "github", "repo": cms.repo if cms else "", "branch": cms.branch if cms else "main"}
    if cms and cms.auth_url:
        backend["base_url"] = cms.auth_url
    config: dict[str, Any] = {"backend": backend, "local_backend": True, "publish_mode": "simple",
                              "media_folder": MEDIA_FOLDER, "public_folder": PUBLIC_FOLDER}
    if site.config.base_url:
        config["site_url"] = site.config.base_url + "/"
    config["i18n"] = {"structure": "multiple_files", "locales": codes, "default_locale": codes[0]}
    collections: list[dict[str, Any]] = []
    page_layouts = layouts(source)
    for folder in page_folders(source):
        inner = folder.removeprefix("content").strip("/")
        collections.append({
            "name": "pages" if not inner else "pages-" + inner.replace("/", "-"),
            "label": "עמודים · Pages" + (f" ({inner}/)" if inner else ""),
            "folder": folder, "extension": "md", "format": "merhav-page", "create": True, "i18n": True,
            "identifier_field": "title", "slug": "{{fields.address}}", "summary": "{{title}} ({{slug}})",
            "fields": page_fields(page_layouts, ctx),
        })
    for name, (label, singular, _) in ENTRY_FOLDERS.items():
        (model,) = typing.get_args(schema.DATA_SCHEMAS[name])
        collections.append({
            "name": name, "label": label, "label_singular": singular,
            "folder": f"data/{name}", "extension": "yaml", "format": f"merhav-mapping-{name}", "create": True,
            "identifier_field": "id", "slug": "{{fields.id}}", "summary": "{{id}}",
            "fields": model_fields(model, ctx), **_rules(model),
        })
    for name in DATA_FILES:  # a collection each: Decap reads a format from a collection, not from one of its files
        if name in schema.DATA_SCHEMAS:
            entry = data_file(name, ctx)
            collections.append({"name": name, "label": entry["label"], "format": entry.pop("format"), "files": [entry]})
    config["collections"] = collections
    return config


HEADER = """\
# Decap CMS configuration of /admin/ — written by `python build.py` from the engine's schema
# (sitegen/sources/schema.py, through sitegen/tools/cms.py). Do not edit: change the models instead.
"""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # every list written out (no &anchors: Decap reads them, people less so)
        return True


def config_yml(site: Site, source: Path) -> bytes:
    text = yaml.dump(cms_config(site, source), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120,
                     default_flow_style=False)
    return (HEADER + text).encode("utf-8")


# --- the files ---------------------------------------------------------------------------------------

def cms_installed(source: Path) -> bool:
    return (source / CMS_DIST / CMS_SCRIPT).is_file() and (source / YAML_SCRIPT).is_file()


def cms_wanted(source: Path) -> bool:
    """The site's package.json names Decap CMS (the repository's does): a build without it installed says so;
    a site that does not ask for the forms (a test's small site) is not told about them."""
    try:
        package = json.loads((source / PACKAGE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(package, dict) and any(
        isinstance(package.get(group), dict) and "decap-cms" in package[group] for group in ("dependencies", "devDependencies"))


def _hashed(folder: str, name: str, data: bytes) -> str:
    stem, _, ext = name.rpartition(".")
    return posixpath.join(ASSETS_DIR, folder, f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_LENGTH]}.{ext}")


def _bundle(source: Path) -> tuple[dict[str, bytes], str]:
    """Decap's script, the chunks it loads from its own folder (``<n>.decap-cms.js``; the ``<n>.cms.js`` beside them are
    another bundle's) and its licence notice, in a folder named by their hash."""
    dist = source / CMS_DIST
    scripts = sorted(p for p in dist.iterdir() if p.is_file() and (p.name == CMS_SCRIPT or p.name.endswith("." + CMS_SCRIPT)
                                                                    or p.name == CMS_SCRIPT + ".LICENSE.txt"))
    digest = hashlib.sha256()
    for path in scripts:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    folder = posixpath.join(ASSETS_DIR, f"decap-cms.{digest.hexdigest()[:HASH_LENGTH]}")
    files = {f"{folder}/{p.name}": p.read_bytes() for p in scripts}
    return files, f"{folder}/{CMS_SCRIPT}"


def admin_page(site: Site, scripts: list[str], settings: dict[str, Any]) -> bytes:
    urls = site.config.urls
    title = f"{site.config.settings.title if isinstance(site.config.settings.title, str) else next(iter(site.config.settings.title.values()))}"
    policy = admin_meta_policy()
    data = json.dumps(settings, ensure_ascii=False, sort_keys=True).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    tags = "\n".join(f'<script src="{urls.path(s)}"></script>' for s in scripts)

    return f"""<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{policy['csp']}">
<meta name="referrer" content="{policy['referrer']}">
<meta name="robots" content="noindex, nofollow">
<title>{_escape(title)} · עריכה · Editing</title>
<link rel="icon" href="{urls.path(site.assets.output('favicon.svg')) if site.assets.has('favicon.svg') else 'data:,'}">
</head>
<body data-merhav="{data}">
{tags}
</body>
</html>
""".encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def admin_files(site: Site, source: Path) -> tuple[dict[str, bytes], list[str]]:
    """admin/ and the CMS's scripts, or nothing (and a note) when the CMS is not installed."""
    if not cms_installed(source):
        if not cms_wanted(source):
            return {}, []
        return {}, [f"the editing forms (/{ADMIN_DIR}/) left out: Decap CMS is not installed — run `npm ci` in {source}"]
    files, decap = _bundle(source)
    yaml_js = (source / YAML_SCRIPT).read_bytes()
    admin_js = ADMIN_SCRIPT.read_bytes()
    yaml_out = _hashed("admin", "js-yaml.js", yaml_js)
    admin_out = _hashed("admin", "admin.js", admin_js)
    files[yaml_out] = yaml_js
    files[admin_out] = admin_js
    urls = site.config.urls
    settings = {
        "config": urls.path(ADMIN_DIR + "/config.yml"),
        "languages": [[lang.code, lang.dir] for lang in site.config.languages],
        "styles": [urls.path(site.assets.output(rel)) for rel in ("style.css",) if site.assets.has(rel)],
    }
    files[f"{ADMIN_DIR}/index.html"] = admin_page(site, [yaml_out, admin_out, decap], settings)
    files[f"{ADMIN_DIR}/config.yml"] = config_yml(site, source)
    if not (site.config.settings.cms and site.config.settings.cms.repo):
        return files, [f"/{ADMIN_DIR}/ signs in to GitHub only once `cms: repo: OWNER/NAME` is in data/site.yaml "
                       "(the local backend, npx decap-server, works without it)"]
    return files, []
