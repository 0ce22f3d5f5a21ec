"""What the forms need to refuse, before saving, what ``check`` would refuse across files: ``admin/checks.json``.

A form sees one entry; some of check's rules look at every file: a project's address used by a project of another
cohort, a cohort's or a quote's id already taken, a new page's address taken or kept for the build, a link in a
page's text to a page that does not exist. The build writes here what those rules need — the ids, addresses and page
files that exist (with where they are), the names kept for the build — and check's own messages for them, as
templates in each of the site's languages (from the catalogue, sitegen/messages/he.po), so that admin.js refuses with
check's words and does not keep a catalogue of its own. (sitegen/tools/admin.js ``refuseWhatOtherFilesSay``.)
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sitegen.checks.references import RESERVED_FOLDERS
from sitegen.messages import Message, msg, translation
from sitegen.output.security import ADMIN_DIR
from sitegen.sources.cohorts import entry_origins
from sitegen.sources.yamlfile import line_at, line_of

CHECKS_FILE = f"{ADMIN_DIR}/checks.json"

TEMPLATES = {
    # check's words (checks/catalogue.py, checks/references.py, model/markup.py, model/pages.py), the same templates
    "slug_elsewhere": "the project slug '{slug}' is also used in {where} (cohort '{other_cohort}') — each project needs a slug "
                      "of its own, its web address: change the slug of the one added last",
    "cohort_twice": "the cohort id '{id}' is used twice (first at {where}) — each must be unique",
    "testimonial_twice": "the testimonial id '{id}' is used twice (first at {where}) — each must be unique",
    "link_nowhere": "link to a page that does not exist: {path} — write the path of the target's .md file relative to "
                    "this file (e.g. ../programme.{lang}.md)",
    "link_out": "the link '{href}' leads out of content/ — write the path of a page's .md file relative to this file",
    "reserved": "the name '{first}' is kept for {what}, which the build makes itself — rename the file",
    "language": "the file '{first}' holds the pages of the language '{code}' — rename the file",
    "not_found": "the name '404' is kept for the page-not-found page — rename the file",
    # the forms' own: a new page's address that is another page's (its files would be overwritten; check cannot see it)
    "address_taken": msg("the address '{address}' is already another page's — choose another address", address="").template,
}
"""The messages the forms give, by name: check's templates (tests/test_forms_refuse.py holds each to check's own output)."""


def form_checks(files: Collection[str], sources: Any) -> dict[str, bytes]:
    """{admin/checks.json: …} when ``files`` (the output's paths) hold the forms (admin/index.html), else nothing."""
    return {CHECKS_FILE: checks_json(sources)} if f"{ADMIN_DIR}/index.html" in files else {}


def checks_json(sources: Any) -> bytes:
    """admin/checks.json of these sources (deterministic: keys sorted)."""
    codes = sources.config.codes
    cohorts: dict[str, Any] = {}
    slugs: dict[str, Any] = {}
    for cohort, origin in zip(sources.data.get("cohorts") or [], entry_origins(sources, "cohorts"), strict=False):
        cohorts.setdefault(cohort["id"], {"path": origin.path, "line": line_of(origin.raw, "id", 0)})
        for j, project in enumerate(cohort.get("projects") or []):
            slugs.setdefault(project["slug"], {"path": origin.path, "line": line_at(origin.raw, ("projects", j, "slug"), 0),
                                               "cohort": cohort["id"]})
    testimonials: dict[str, Any] = {}
    for quote, origin in zip(sources.data.get("testimonials") or [], entry_origins(sources, "testimonials"), strict=False):
        testimonials.setdefault(quote["id"], {"path": origin.path, "line": line_of(origin.raw, "id", 0)})
    body = {
        "languages": codes,
        "messages": {name: {code: translation(code, template) or template for code in codes} for name, template in TEMPLATES.items()},
        "cohorts": cohorts,
        "slugs": slugs,
        "testimonials": testimonials,
        "pages": sorted(sources.page_paths),
        "reserved": {name: _each(what, codes) for name, what in RESERVED_FOLDERS.items()},
        "prefixes": {language.prefix: language.code for language in sources.config.languages if language.prefix},
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _each(message: Message, codes: list[str]) -> dict[str, str]:
    return {code: message.localized(code) for code in codes}
