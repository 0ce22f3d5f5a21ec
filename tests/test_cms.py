"""The editors' forms at /admin/ (Decap CMS, sitegen/tools/cms.py and sitegen/tools/admin.js).

- The configuration is generated from the models: every field of a data file's model is a form field with
  the model's required flag; a field or a choice added to a model is in the forms; choices of references
  come from the data.
- The build ships the CMS from node_modules (no CDN) with a policy of its own; the public pages keep the site's;
  without the CMS installed the build leaves /admin/ out and says so.
- In headless Chromium, on a COPY of the real site that is a git repository, against Decap's local backend
  (decap-server, MODE=git: each save is a commit): an editor adds a graduate's quote and a new cohort (a file
  of its own) with a project, in Hebrew and English, through the forms only; then ``check`` and ``build``
  pass on the copy and the new quote and project are on the built site in both languages.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import time
import typing
import urllib.request
from pathlib import Path
from typing import Any, Literal
from unittest.mock import ANY

import pydantic
import pytest
import yaml
from browser_support import browser_type_launch_args, free_port, require, serve_site  # noqa: F401  (Debian's Chromium)
from conftest import FIXTURE_SITE, REPO, copy_fixture_site
from pydantic import create_model
from shared_build import key, shared

from sitegen.cli import main
from sitegen.output.security import ADMIN_DIR, admin_meta_policy, is_search_path, meta_policy
from sitegen.pipeline import Options, make_site
from sitegen.sources import schema
from sitegen.sources.cohorts import RESERVED_SLUGS
from sitegen.tools import cms
from sitegen.tools.cmsfiles import CMS_DIST, YAML_SCRIPT

DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"


def site_of(source: Path) -> Any:
    return make_site(Options(source=source, out=source / "site")).site


@pytest.fixture(scope="module")
def fixture_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture_site(tmp_path_factory.mktemp("cms") / "src")


def collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == name)


def fields_of(config: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The fields of one entry of a data collection (a file of its own, or inside the top-level list of a list file)."""
    found = collection(config, name)
    if "folder" in found:
        return found["fields"]  # type: ignore[no-any-return]
    fields = found["files"][0]["fields"]
    return fields[0]["fields"] if fields[0]["name"] == "items" and len(fields) == 1 else fields  # type: ignore[no-any-return]


def field(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(f for f in fields if f["name"] == name)


# --- the configuration follows the models ----------------------------------------------------------------


def in_form_order(model: Any) -> list[str]:
    """A model's fields in the forms' order: the model's, but 'translation_checked' (a Checked model's first field) last."""
    names = list(model.model_fields)
    return [n for n in names if n != cms.CHECKED] + [n for n in names if n == cms.CHECKED]


def test_every_field_of_every_data_model_is_a_form_field_with_its_required_flag(fixture_source: Path) -> None:
    config = cms.cms_config(site_of(fixture_source), fixture_source)
    for name, shape in schema.DATA_SCHEMAS.items():
        model = typing.get_args(shape)[0] if typing.get_origin(shape) is list else shape
        fields = fields_of(config, name)
        assert [f["name"] for f in fields] == in_form_order(model), name
        for f in fields:
            made = "merhav_from" in f  # an id the forms make from the English name when it is left empty (admin.js)
            assert f["required"] == (model.model_fields[f["name"]].is_required() and not made), (name, f["name"])
    cohort = collection(config, "cohorts")
    assert cohort["folder"] == "data/cohorts" and [f["name"] for f in cohort["fields"]] == in_form_order(schema.Cohort)
    assert collection(config, "testimonials")["folder"] == "data/testimonials"
    editing_cohorts = [c["name"] for c in config["collections"] if c.get("folder", "").startswith("data/cohorts")
                       or any(f["file"].startswith("data/cohorts") for f in c.get("files", []))]
    assert editing_cohorts == ["cohorts"], "one cohorts collection"
    projects = field(cohort["fields"], "projects")
    assert [f["name"] for f in projects["fields"]] == in_form_order(schema.Project)


def test_libyamls_writer_and_the_pure_python_one_write_the_same_configuration(fixture_source: Path) -> None:
    """config_text writes with libyaml when PyYAML has it: a machine without it must write the same file. The fixture's
    configuration, with choices whose names hold what editors write (gershayim, a geresh, quotes, a colon, a hash,
    a leading dash, a line longer than the writer's width, mixed directions)."""
    config = cms.cms_config(site_of(fixture_source), fixture_source)
    names = ['מנכ"ל משרד הפנים', "ג'וינט ישראל", '"מרחב": תוכנית # 1', "- רשות מקומית", "Ministry of the Interior (משרד הפנים)",
             "א" * 70 + " " + "ב" * 70, "it's a \"quoted\" name: yes", "  spaced  ", "שורה\nשנייה", "~", "yes", "2027-01-01"]
    config["collections"].append({"name": "probe", "label": "בדיקה", "files": [{"name": "probe", "file": "data/probe.yaml",
                                  "fields": [{"name": "pick", "widget": "select", "options": [{"label": n, "value": f"v{i}"} for i, n in enumerate(names)]}]}]})
    assert getattr(yaml, "CSafeDumper", None) is not None, "PyYAML without libyaml: the wheels have it"

    class PurePython(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    written = cms.config_text(config)
    assert written == yaml.dump(config, Dumper=PurePython, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    assert yaml.safe_load(written) == config


def test_texts_in_every_language_dates_choices_and_patterns_are_what_check_enforces(fixture_source: Path) -> None:
    site = site_of(fixture_source)
    config = cms.cms_config(site, fixture_source)
    codes = site.config.codes
    project = {f["name"]: f for f in field(collection(config, "cohorts")["fields"], "projects")["fields"]}
    assert [f["name"] for f in project["title"]["fields"]] == codes and project["title"]["widget"] == "object"
    assert all(f["required"] for f in project["title"]["fields"])
    assert not any(f["required"] for f in project["body"]["fields"])  # optional text: both languages optional
    assert project["status"]["options"] == list(typing.get_args(schema.Project.model_fields["status"].annotation))
    assert project["date"]["widget"] == "datetime" and project["date"]["format"] == "YYYY-MM-DD" and not project["date"]["time_format"]
    assert re.match(project["slug"]["pattern"][0], "shared-clinics") and not re.match(project["slug"]["pattern"][0], "מרפאות")
    assert RESERVED_SLUGS and not any(re.match(project["slug"]["pattern"][0], slug) for slug in RESERVED_SLUGS)
    assert all(re.match(project["slug"]["pattern"][0], slug + "s") for slug in RESERVED_SLUGS)  # only the word itself
    ministries = [m["id"] for m in site.data.get("ministries", [])]
    if ministries:
        assert [o["value"] for o in project["ministries"]["options"]] == sorted(ministries) and project["ministries"]["multiple"]
        names = {m["id"]: m["name"] for m in site.data["ministries"]}
        assert all(o["label"] == (names[o["value"]][codes[0]] if isinstance(names[o["value"]], dict) else names[o["value"]])
                   for o in project["ministries"]["options"]), "chosen by their name in the default language, not by id"
    cohort_ids = sorted(c["id"] for c in site.data["cohorts"])
    assert [o["value"] for o in field(fields_of(config, "testimonials"), "cohort")["options"]] == cohort_ids
    assert config["i18n"] == {"structure": "multiple_files", "locales": codes, "default_locale": codes[0]}
    pages = collection(config, "pages")
    assert pages["folder"] == "content" and pages["i18n"] is True and pages["format"] == "merhav-page"
    assert field(pages["fields"], "layout")["widget"] == field(pages["fields"], "weight")["widget"] == "hidden"  # out of sight
    title = field(pages["fields"], "title")  # check refuses a title of spaces alone
    assert title["required"] and re.search(title["pattern"][0], "היסטוריה") and not re.search(title["pattern"][0], "   ")
    assert not {"cohort", "project", "listing", "404", "untranslated", "base"} & set(cms.layouts(fixture_source))
    assert project["date"]["date_format"] == "DD/MM/YYYY" and project["date"]["picker_utc"] is False  # no "UTC" beside a date


def test_a_field_added_to_a_model_is_in_the_forms(fixture_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_of(fixture_source)
    before = fields_of(cms.cms_config(site, fixture_source), "testimonials")
    assert not {"subtitle", "since"} & {f["name"] for f in before}
    wider = create_model("Testimonial", __base__=schema.Testimonial, subtitle=(schema.Localized | None, None),
                         since=(datetime.date, ...))
    monkeypatch.setitem(schema.DATA_SCHEMAS, "testimonials", list[wider])
    after = fields_of(cms.cms_config(site, fixture_source), "testimonials")
    subtitle, since = field(after, "subtitle"), field(after, "since")
    assert subtitle["widget"] == "object" and [f["name"] for f in subtitle["fields"]] == site.config.codes
    assert subtitle["required"] is False and since == {**since, "widget": "datetime", "required": True}


def test_a_quotes_optional_cohort_and_its_caption_are_in_the_forms(fixture_source: Path) -> None:
    """Issue 14 made a quote's cohort optional and let role and organisation be one caption: the forms follow."""
    site = site_of(fixture_source)
    quote = fields_of(cms.cms_config(site, fixture_source), "testimonials")
    cohort, caption = field(quote, "cohort"), field(quote, "caption")
    assert cohort["required"] is schema.Testimonial.model_fields["cohort"].is_required() is False and cohort["widget"] == "select"
    assert caption["required"] is False and [f["name"] for f in caption["fields"]] == site.config.codes
    assert not any(f["required"] for f in caption["fields"])
    assert {f["name"]: f["required"] for f in quote if f["name"] in ("role", "organisation")} == {"role": False, "organisation": False}
    quotes = collection(cms.cms_config(site, fixture_source), "testimonials")
    assert quotes["merhav_rules"] == [{"one_of": [["caption"], ["role", "organisation"]], "message": quotes["merhav_rules"][0]["message"]}]


def one_of_holds(rule: dict[str, Any], data: dict[str, Any]) -> bool:
    """What admin.js asks of an entry for a one_of rule: one group touched, and that group complete."""
    touched = [g for g in rule["one_of"] if any(data.get(n) for n in g)]
    return len(touched) == 1 and all(data.get(n) for n in touched[0])


def test_every_rule_of_a_whole_entry_in_the_models_is_in_the_forms_and_agrees_with_check() -> None:
    """A model validator (a rule between fields) that the forms do not know would let them save what check refuses."""
    models = [m for m in vars(schema).values() if isinstance(m, type) and issubclass(m, schema.BaseModel)
              and m.__module__ == schema.__name__]
    with_validators = sorted(m.__name__ for m in models if m.__pydantic_decorators__.model_validators)
    assert with_validators == sorted(cms.ALTERNATIVES), "a model validator in schema.py needs its rule in cms.ALTERNATIVES"
    for name in with_validators:
        model = getattr(schema, name)
        (rule,) = [r for r in cms.model_rules(model) if "one_of" in r]
        names = [n for group in rule["one_of"] for n in group]
        base = {n: "x" if n == "id" else {"he": "א", "en": "a"} for n, f in model.model_fields.items() if f.is_required()}
        for filled in itertools.product([False, True], repeat=len(names)):
            data = {**base, **{n: {"he": "א", "en": "a"} for n, on in zip(names, filled, strict=True) if on}}
            try:
                model.model_validate(data)
                valid = True
            except pydantic.ValidationError:
                valid = False
            assert one_of_holds(rule, data) == valid, (name, data)
    for (owner, name), other in cms.NEEDS.items():  # the pairs checks/ enforce: still fields of their models
        assert {name, other} <= set(getattr(schema, owner).model_fields), (owner, name, other)
        assert {"needs": [name, other], "message": ANY} in cms.model_rules(getattr(schema, owner))


def test_a_choice_added_to_a_model_is_in_the_forms(fixture_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_of(fixture_source)
    paused = create_model("Project", __base__=schema.Project,
                          status=(Literal["planned", "active", "completed", "paused"], ...))
    cohort = create_model("Cohort", __base__=schema.Cohort, projects=(list[paused], []))  # type: ignore[valid-type]
    monkeypatch.setitem(schema.DATA_SCHEMAS, "cohorts", list[cohort])
    items = fields_of(cms.cms_config(site, fixture_source), "cohorts")
    assert field(field(items, "projects")["fields"], "status")["options"] == ["planned", "active", "completed", "paused"]


def test_a_ministry_added_to_the_data_is_a_choice_at_the_next_build(tmp_path: Path) -> None:
    source = copy_fixture_site(tmp_path / "src")
    path = source / "data" / "ministries.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: new-authority\n  name:\n    he: רשות חדשה\n    en: A new authority\n"
                    "  kind: authority\n", encoding="utf-8")
    project = field(field(collection(cms.cms_config(site_of(source), source), "cohorts")["fields"], "projects")["fields"],
                    "ministries")
    assert {"label": "רשות חדשה", "value": "new-authority"} in project["options"]


def test_labels_hints_and_refusals_speak_hebrew_first_without_file_names_or_commands(fixture_source: Path) -> None:
    site = site_of(fixture_source)  # once: the model of the whole site, not once per field
    config = cms.cms_config(site, fixture_source)
    assert config["locale"] == "he"
    assert config["backend"]["commit_messages"]["create"] == config["backend"]["commit_messages"]["update"] == "{{collection}}: {{slug}}"
    assert collection(config, "testimonials")["label_singular"] == "ציטוט" and collection(config, "cohorts")["label_singular"] == "מחזור"

    def every(fields: list[dict[str, Any]]) -> Any:
        for f in fields:
            yield f
            yield from every(f.get("fields", []))
    seen = 0
    for c in config["collections"]:
        for f in every(c.get("fields", []) + [x for entry in c.get("files", []) for x in entry["fields"]]):
            for text in (f.get("label", ""), f.get("hint", "")):
                seen += 1
                assert not re.search(r"\.ya?ml|\.md\b|data/|content/|static/|python |build\.py|ISO 8601|\bid\b|\bslug\b", text), (f["name"], text)
            if f["widget"] != "hidden" and f["name"] not in site.config.codes:
                assert re.match("[\u0590-\u05ff]", f["label"]) and " · " in f["label"], (f["name"], f["label"])  # Hebrew, then English
    assert seen > 100
    quote = collection(config, "testimonials")
    assert quote["summary"] == "{{fields.name.he}}" and collection(config, "pages")["summary"] == "{{title}}"
    (rule,) = quote["merhav_rules"]
    assert rule["message"] == "מלאו את 'תפקיד וארגון' או את 'תפקיד' ואת 'ארגון', לא את שניהם"


def test_the_translations_check_is_a_date_and_time_in_utc_last_in_its_form(fixture_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key the status of translations reads (issue 20, the messages' half): the forms give it its field wherever a model has it."""
    site = site_of(fixture_source)
    checked = create_model("Testimonial", __base__=schema.Testimonial, translation_checked=(str, ""))
    monkeypatch.setitem(schema.DATA_SCHEMAS, "testimonials", list[checked])
    fields = fields_of(cms.cms_config(site, fixture_source), "testimonials")
    last = fields[-1]
    assert last["name"] == "translation_checked" and last["widget"] == "datetime" and last["picker_utc"] is True
    assert last["format"] == "YYYY-MM-DDTHH:mm:ss[Z]" and last["label"].startswith("התרגום נבדק")


# --- what the build writes -------------------------------------------------------------------------------


def build_py(*args: str) -> subprocess.CompletedProcess[str]:
    """``python build.py ARGS``, run in this process (``sitegen.cli.main``, the command line's own entry) with its
    output captured. The forms' tests build and check their copies many times, and the command line's process is not
    what they test: a new Python importing the engine cost more than most of those builds (docs/testing.md, "Keeping
    the tests fast"). Where the process is the subject (the output's byte-identity across hash seeds), the tests still
    start one. The messages' language is chosen at each call, from ``--messages`` or ``MERHAV_MESSAGES`` (the tests'
    English) or else the site's default."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


def build(source: Path, out: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    done = build_py("build", "--source", str(source), "--out", str(out), "--base-url", base_url)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def build_in_a_process(source: Path, out: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    """The same build by ``python build.py`` in a process of its own (another hash seed)."""
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--source", str(source), "--out", str(out), "--base-url", base_url],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_without_the_cms_installed_the_build_leaves_admin_out_and_says_so(tmp_path: Path) -> None:
    source = copy_fixture_site(tmp_path / "src")
    note = "the editing forms (/admin/) left out: Decap CMS is not installed — run `npm ci`"
    done = build(source, tmp_path / "out", "https://example.org/merhav/")  # a site that does not ask for the forms
    assert not (tmp_path / "out" / ADMIN_DIR).exists() and note not in done.stdout + done.stderr
    shutil.copy(REPO / "package.json", source / "package.json")  # the repository's: it names decap-cms
    done = build(source, tmp_path / "out", "https://example.org/merhav/")
    assert not (tmp_path / "out" / ADMIN_DIR).exists()
    assert note in done.stdout + done.stderr


def built_forms_fixture(base_url: str) -> tuple[Path, Path]:
    """The fixture site with the forms installed (``src``) and built for ``base_url`` (``out``), once per test run
    whichever process asks first (shared_build.shared): read both, change neither (copy ``src`` to build it again)."""
    require("node_modules/decap-cms (npm ci)", cms.cms_installed(REPO), "the forms' tests")

    def make(folder: Path) -> None:
        install_forms(copy_fixture_site(folder / "src"))
        build(folder / "src", folder / "out", base_url)

    folder = shared("forms-fixture-" + key(FIXTURE_SITE, base_url), make)
    return folder / "src", folder / "out"


def test_the_cms_is_shipped_from_node_modules_with_a_policy_of_its_own(tmp_path: Path) -> None:
    shared_source, out = built_forms_fixture("https://example.org/merhav/")
    source = tmp_path / "src"  # a copy, with the shared build's cache: built again below, in another process
    shutil.copytree(shared_source, source, ignore=shutil.ignore_patterns("node_modules"))
    install_forms(source)
    page = (out / ADMIN_DIR / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{admin_meta_policy()["csp"]}">' in page
    scripts = re.findall(r'<script src="([^"]+)"></script>', page)
    assert len(scripts) == 3 and all(s.startswith("/merhav/assets/") for s in scripts), scripts
    assert "<script>" not in page and "<style" not in page and "style=" not in page
    for src in scripts:  # fingerprinted, from npm (or the engine), nothing from a CDN
        assert (out / src.removeprefix("/merhav/")).is_file()
        assert re.search(r"\.[0-9a-f]{10}(/|\.js$)", src), src
    assert "unpkg" not in page and "cdn" not in page.lower()
    decap = next(s for s in scripts if s.endswith("/decap-cms.js"))
    assert (out / decap.removeprefix("/merhav/")).read_bytes() == (REPO / "node_modules/decap-cms/dist/decap-cms.js").read_bytes()
    shipped = sorted(p.name for p in (out / decap.removeprefix("/merhav/")).parent.iterdir())
    dist = REPO / "node_modules/decap-cms/dist"
    chunks = sorted(p.name for p in dist.glob("*.decap-cms.js"))  # what decap-cms.js loads: "<n>.decap-cms.js"
    assert chunks and shipped == sorted(["decap-cms.js", "decap-cms.js.LICENSE.txt", *chunks])  # not cms.js's, not the maps
    config = yaml.safe_load((out / ADMIN_DIR / "config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] is True and config["site_url"] == "https://example.org/merhav/"
    # every public page keeps the site's policy (the search pages theirs, output/security.py); only admin/ has the looser one
    for path in out.rglob("*.html"):
        policies = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', path.read_text(encoding="utf-8"))
        rel = path.relative_to(out).as_posix()
        want = admin_meta_policy() if path.parent.name == ADMIN_DIR else meta_policy(search=is_search_path(rel))
        assert [html.unescape(p) for p in policies] == [want["csp"]], path
    assert "'unsafe-eval'" not in meta_policy()["csp"] and "'unsafe-inline'" not in meta_policy()["csp"]
    headers = (out / "_headers").read_text(encoding="utf-8")
    assert "/merhav/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: " in headers
    again = tmp_path / "again"
    build_in_a_process(source, again, "https://example.org/merhav/")  # another process: the same bytes whatever the hash seed
    assert (again / ADMIN_DIR / "config.yml").read_bytes() == (out / ADMIN_DIR / "config.yml").read_bytes()
    assert (again / ADMIN_DIR / "index.html").read_bytes() == (out / ADMIN_DIR / "index.html").read_bytes()


def test_a_page_may_not_take_the_address_of_the_forms(tmp_path: Path) -> None:
    source = copy_fixture_site(tmp_path / "src")
    for lang in ("he", "en"):
        (source / "content" / f"admin.{lang}.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    done = build_py("check", "--source", str(source))
    assert done.returncode == 1 and "would overwrite the admin/index.html the build makes" in done.stderr, done.stderr


# --- an editor's session in the browser, against the local git backend -----------------------------------


def install_forms(source: Path) -> None:
    """The forms' packages (Decap CMS, js-yaml) in ``source``/node_modules, as `npm ci` leaves them: copies of the
    repository's files (~5 MB). Not a link to the repository's node_modules: the build reads the forms' bundle only
    from inside the project (a link out of it is refused). Not hard links either: a new link to a file changes its
    status (the link count, so its change time), and the build publishes Decap's files by reference and stops when a
    file it publishes changes during the build (sources/streamed.py) — so a test linking the same files while another
    test's build (or the real site's, whose node_modules they are) is copying them made that build fail, seen under
    -n 3 ("node_modules/decap-cms/dist/103.decap-cms.js: the file changed while the site was being built")."""
    for package in (CMS_DIST, YAML_SCRIPT.parent):
        shutil.copytree(REPO / package, source / package, copy_function=shutil.copy2)


def copy_real_site(dest: Path) -> Path:
    """The repository's content and data (the real site, whatever it holds today), as a git repository."""
    for folder in ("content", "data", "templates", "static"):
        shutil.copytree(REPO / folder, dest / folder)
    install_forms(dest)
    (dest / ".gitignore").write_text("node_modules\n.cache/\nsite/\n.preview/\n", encoding="utf-8")  # what builds, serve leave
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "the site as it is"], cwd=dest, check=True)
    return dest


def a_page_in_hebrew_only(repo: Path) -> str:
    """Take the English file of a page out of the copy (and commit that): a page in one language, which the engine allows."""
    stem = next(p.name.removesuffix(".he.md") for p in sorted((repo / "content").glob("*.he.md"))
                if (repo / "content" / p.name.replace(".he.md", ".en.md")).is_file() and p.name != "index.he.md")
    (repo / "content" / f"{stem}.en.md").unlink()
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qam", "a page in Hebrew only"],
                   cwd=repo, check=True)
    return stem


def cohort_ids(source: Path) -> list[str]:
    return [p.stem for p in sorted((source / "data" / "cohorts").glob("*.yaml"))]


def unused(name: str, taken: set[str]) -> str:
    n = 1
    while (candidate := name if n == 1 else f"{name}-{n}") in taken:
        n += 1
    return candidate


class DecapServer:
    """``decap-server`` (npm) in git mode, on a free port of 127.0.0.1, started once per worker (the ``decap_server``
    fixture, tests/conftest.py) and stopped by its own process id at the end of the run.

    It serves the repository a symbolic link of its own points to (decap-server resolves its folder at each request):
    ``open(repo)`` points it at a test's own git copy, ``stop()`` at an empty repository again, so every test still saves
    into its own copy, and nothing a test's page still sends after ``stop()`` reaches that copy. What is saved: a node
    process and decap-server's start per test (1-6 s each under load, docs/testing.md "Keeping the tests fast")."""

    def __init__(self, folder: Path) -> None:
        self.link = folder / "repository"
        self.idle = folder / "idle"  # a repository with one empty commit: what the server serves between tests
        self.idle.mkdir(parents=True)
        git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=self.idle, check=True)
        subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "nothing"], cwd=self.idle, check=True)
        self._point_at(self.idle)
        self.port = free_port()
        env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(self.link), "PORT": str(self.port),
               "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
        self.log = folder / "decap-server.log"
        with self.log.open("w", encoding="utf-8") as log:  # a file, not a pipe nobody reads: it lives all the run
            self.process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(self.url, data=b'{"action":"info"}', headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.shutdown()
        raise AssertionError(f"decap-server did not start: {self.log.read_text(encoding='utf-8')}")

    def _point_at(self, repo: Path) -> None:
        new = self.link.with_name(self.link.name + ".new")
        new.unlink(missing_ok=True)
        new.symlink_to(repo.resolve(), target_is_directory=True)
        os.replace(new, self.link)  # at once: a request sees one repository or the other

    def open(self, repo: Path) -> DecapServer:
        """Serve ``repo`` (a test's own git copy) until ``stop()``."""
        assert self.process.poll() is None, f"decap-server has stopped: {self.log.read_text(encoding='utf-8')}"
        self._point_at(repo)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def serve(self, page: Any) -> None:
        """Send what the forms ask of Decap's local backend (``localhost:8081``, fixed in Decap) to this server."""
        page.route("http://localhost:8081/**", lambda route: route.continue_(url=route.request.url.replace("http://localhost:8081/api/v1", self.url)))

    def stop(self) -> None:
        """The test is done with its copy: the server serves the empty repository again."""
        self._point_at(self.idle)

    def shutdown(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def require_the_forms_tools() -> None:
    """node, decap-server and the forms' bundle (``npm ci``): what a browser test of the forms needs."""
    require("node (for decap-server)", shutil.which("node"))
    require("node_modules/decap-server (npm ci)", DECAP_SERVER.is_file())
    require("node_modules/decap-cms (npm ci)", cms.cms_installed(REPO))


@pytest.mark.browser
@pytest.mark.slow
def test_an_editor_adds_a_cohort_with_a_project_and_a_page_through_the_forms_and_check_passes(tmp_path: Path, page: Any, decap_server: DecapServer) -> None:
    """(A graduate's quote: tests/test_cms_hebrew.py.)"""
    require_the_forms_tools()
    repo = copy_real_site(tmp_path / "copy")
    new_cohort = unused("cms-cohort", set(cohort_ids(repo)))
    hebrew_only = a_page_in_hebrew_only(repo)
    page_address = unused("cms-page", {p.name.split(".")[0] for p in (repo / "content").glob("*.md")} | {p.name for p in (repo / "content").iterdir()})
    www = tmp_path / "www"
    port = free_port()
    build(repo, www / "merhav", f"http://127.0.0.1:{port}/merhav/")
    server = decap_server.open(repo)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('CSP violation: ' + e.effectiveDirective + ' ' + e.blockedURI))")
    # The published configuration says `local_backend: true` (Decap's http://localhost:8081): send those
    # requests to this test's own decap-server — through the page's real Content-Security-Policy.
    server.serve(page)
    try:
        with serve_site(www / "merhav", prefix="/merhav/", port=port) as served:
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(served.url + "admin/")
            page.get_by_role("button", name="התחברות").click()
            page.get_by_role("link", name=re.compile("ציטוטי בוגרים")).first.wait_for()
            fill_a_cohort(page, served.url, new_cohort)
            add_a_page(page, served.url, page_address)
            touch_a_page_in_one_language(page, served.url, hebrew_only)
    finally:
        server.stop()
    refused = [p for p in problems if cms.FORM_TEXTS["he"]["refused"] + ": " in p]
    assert len(refused) == 2, problems  # the refused saves: Decap logs the reason as an error
    assert "בגרסה 'אנגלית': מלאו את 'כותרת' (הטפסים שומרים עמוד בכל השפות)" in refused[0]
    assert "בגרסה 'אנגלית': מלאו את 'כותרת' (הטפסים שומרים עמוד בכל השפות)" in refused[1]
    assert not (repo / "content" / f"{hebrew_only}.en.md").exists()  # the page in one language was not given an empty one
    assert (repo / "content" / f"{page_address}.he.md").read_text(encoding="utf-8") == "---\ntitle: היסטוריה\n---\n"
    assert (repo / "content" / f"{page_address}.en.md").read_text(encoding="utf-8") == "---\ntitle: History\ndescription: A description\n---\n"
    assert [p for p in problems if p not in refused] == [], "\n".join(problems)

    log = subprocess.run(["git", "log", "--format=%s"], cwd=repo, capture_output=True, text=True, check=True).stdout.splitlines()
    assert log[:2] == [f"עמוד: {page_address}", f"מחזור: {new_cohort}"], log  # a commit for each save (none for a refused one)
    assert len(log) == 4, log
    cohort = yaml.safe_load((repo / "data" / "cohorts" / f"{new_cohort}.yaml").read_text(encoding="utf-8"))
    assert cohort["id"] == new_cohort and cohort["name"] == {"he": "מחזור חדש", "en": "A new cohort"}
    (project,) = cohort["projects"]
    assert project["slug"] == "shared-clinics" and project["status"] in typing.get_args(schema.Project.model_fields["status"].annotation)
    assert project["title"] == {"he": "מרפאות משותפות", "en": "Shared clinics"}

    checked = build_py("check", "--source", str(repo))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = tmp_path / "out"
    build(repo, out, "https://example.org/merhav/")
    for lang, prefix, title in (("he", "", "מרפאות משותפות"), ("en", "en/", "Shared clinics")):
        html = (out / prefix / "cohorts" / new_cohort / "shared-clinics" / "index.html").read_text(encoding="utf-8")
        assert title in html, lang


def last(page: Any, name: str) -> Any:
    """The last input of a field (Decap names an input's id after its field: `<name>-field-<n>`)."""
    return page.locator(f'[id^="{name}-field-"]').last


def choose(page: Any, name: str, value: str) -> None:
    box = last(page, name)
    box.click()
    box.fill(value)
    page.keyboard.press("Enter")


def texts(page: Any, values: list[tuple[str, str]], start: int | None = None) -> None:
    """Fill {he, en} texts: the inputs of the Hebrew and English texts, from ``start`` (default: the last ones)."""
    he, en = page.locator('[id^="he-field-"]'), page.locator('[id^="en-field-"]')
    first = he.count() - len(values) if start is None else start
    for i, (hebrew, english) in enumerate(values):
        assert he.nth(first + i).get_attribute("dir") == "rtl" and en.nth(first + i).get_attribute("dir") == "ltr"
        he.nth(first + i).fill(hebrew)
        en.nth(first + i).fill(english)


def publish(page: Any) -> None:
    page.get_by_role("button", name="פרסום", exact=True).first.click()
    page.get_by_text("פרסום מיידי").click()
    page.get_by_text(re.compile("האייטם פורסם|השינויים נשמרו|האייטם נשמר")).first.wait_for(timeout=20000)


def refused_to_publish(page: Any, words: str) -> None:
    page.get_by_role("button", name="פרסום", exact=True).first.click()
    page.get_by_text("פרסום מיידי").click()
    page.get_by_text(re.compile(words)).first.wait_for(timeout=20000)


def fill_a_cohort(page: Any, url: str, cohort_id: str) -> None:
    page.goto(url + "admin/#/collections/cohorts/new")
    last(page, "id").fill(cohort_id)
    texts(page, [("מחזור חדש", "A new cohort")], start=0)
    last(page, "start").fill("2027-03-01")
    the_cohorts_own = page.locator('[id^="he-field-"]').count()  # the project's texts come after the cohort's (however many)
    page.get_by_role("button", name=re.compile("פרוייקטים")).click()
    last(page, "slug").fill("shared-clinics")
    texts(page, [("מרפאות משותפות", "Shared clinics"), ("מרפאות שמשרד ועמותה מנהלים יחד.", "Clinics a ministry and a charity run together.")],
          start=the_cohorts_own)
    last(page, "date").fill("2027-05-01")
    choose(page, "status", "active")
    preview = page.frame_locator("iframe").first  # the preview: the site's stylesheet, each language in its direction
    for lang, direction, title in (("he", "rtl", "מרפאות משותפות"), ("en", "ltr", "Shared clinics")):
        card = preview.locator(f'section[lang="{lang}"][dir="{direction}"] .project-card .card-title')
        assert card.inner_text() == title
    publish(page)


def add_a_page(page: Any, url: str, address: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # The new page's editor, loaded afresh (coming from another entry, its inputs kept being replaced). Right after the
    # cohort was published, Decap sometimes leaves that editor empty for 30 s (2 of 10 runs here; never after a second
    # load): load it again then; the form itself is what is tested below.
    for attempt in range(3):
        page.goto(url + "admin/#/collections/pages/new")
        page.reload()
        try:
            page.locator('[id^="address-field-"]').nth(1).wait_for(timeout=15000)  # both languages' sides
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.locator('[id^="address-field-"]').first.fill(address)
    page.locator('[id^="title-field-"]').first.fill("היסטוריה")
    page.locator('[id^="description-field-"]').nth(1).fill("A description")  # the English side, without its title
    refused_to_publish(page, "בגרסה 'אנגלית': מלאו")
    page.locator('[id^="title-field-"]').nth(1).fill("History")
    publish(page)


def open_entry(page: Any, admin: str, collection: str, name: str) -> None:
    """The forms opened afresh on one entry (``admin`` ends with ``admin/``).

    Right after a new entry is published, Decap moves the address from ``.../new`` to that entry's; when that comes
    after our ``goto``, the reload opens the entry just published (seen once in ten runs: the page History, which has
    an English side, saved where the test expected a refusal). Loaded afresh, the address is the one we asked for:
    open it again until it is."""
    wanted = f"#/collections/{collection}/entries/{name}"
    for _attempt in range(3):
        page.goto(admin + wanted)
        page.reload()
        page.wait_for_load_state()
        if page.url.endswith(wanted):
            return
    raise AssertionError(f"the forms kept opening {page.url} instead of {wanted}")


def touch_a_page_in_one_language(page: Any, url: str, stem: str) -> None:
    """A page that has no English file: saving it would write one without a title, so the forms refuse (and save nothing)."""
    open_entry(page, url + "admin/", "pages", stem)
    title = page.locator('[id^="title-field-"]').first
    title.wait_for()
    title.fill(title.input_value() + " ")
    refused_to_publish(page, "בגרסה 'אנגלית': מלאו")
