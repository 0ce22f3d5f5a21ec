"""Sources read once and kept by their content (sitegen/incremental/sources.py), templates kept compiled
(incremental/templates.py), the forms' configuration kept by its data (incremental/derived.py).

A build that takes a file's parsed and validated form from ``.cache/sources.pickle`` gives exactly what a cold build
gives, for every kind of file an editor changes; an unchanged file is not parsed again; a problem and a warning of an
unchanged file are reported again at the same line; a file changed with the same size and time is seen; and a cache
file this machine's builds did not seal is not used.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE_URL, REPO, TinySite, copy_fixture_site, tree
from test_cms import install_forms

from sitegen.cli import main
from sitegen.incremental import derived
from sitegen.incremental import sources as kept_sources
from sitegen.incremental.derived import KeptTexts
from sitegen.sources import files, gather, schema
from sitegen.tools.cmsfiles import CMS_DIST, CMS_SCRIPT

pytestmark = pytest.mark.slow


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _photo(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


EDITS = {
    "a page's text": lambda root: _append(root / "content" / "faculty.en.md", "\nOne more sentence.\n"),
    "a page's front matter": lambda root: _replace(root / "content" / "programme.en.md", "title: ", "title: The "),
    "a data file": lambda root: _replace(root / "data" / "ministries.yaml", "Prime Minister's Office", "The Prime Minister's Office"),
    "a cohort's file": lambda root: _append(root / "data" / "cohorts" / "a.yaml", "\n# a comment\n"),
    "a quote's file": lambda root: _replace(root / "data" / "testimonials" / "bonnie-goldberg.yaml", "Partnership is", "A partnership is"),
    "a UI string": lambda root: _replace(root / "data" / "strings" / "en.yaml", "skip_link: ", "skip_link: Go "),
    "the settings": lambda root: _replace(root / "data" / "site.yaml", "  en: Merhav\n", "  en: Merhav site\n"),
    "a photo": lambda root: (root / "static" / "group.jpg").write_bytes(_photo((40, 120, 90))),
    "a template": lambda root: _replace(root / "templates" / "base.html", "</footer>", "<!-- f --></footer>"),
}


def test_every_kind_of_change_builds_what_a_cold_build_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    source = copy_fixture_site(tmp_path / "src")
    (source / "static" / "group.jpg").write_bytes(_photo((200, 30, 30)))
    parsed: list[str] = []
    real_load = files._load_page

    def counting(path: Path, *args: object) -> object:
        parsed.append(path.name)
        return real_load(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "_load_page", counting)
    out = tmp_path / "site"

    def built(folder: Path, *more: str) -> dict[str, str]:
        parsed.clear()
        assert main(["build", "--source", str(source), "--base-url", BASE_URL, "--out", str(folder), "-j", "1", *more]) == 0, \
            capsys.readouterr().err
        return tree(folder)

    first = built(out)
    pages = len(parsed)
    assert pages > 10 and {"sources.pickle", "templates.pickle"} <= set(os.listdir(source / ".cache"))
    for number, (what, edit) in enumerate(EDITS.items()):
        edit(source)
        kept = built(out)
        expected = 1 if what.startswith("a page's") else 0
        assert len(parsed) == expected, f"after {what}: pages parsed again: {parsed}"
        assert kept == built(tmp_path / f"cold {number}", "--no-cache"), f"after {what}"
        assert len(parsed) == pages, "a cold build parses every page"
    assert kept != first


def test_a_problem_and_a_warning_of_an_unchanged_file_are_reported_again(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny.write({"data/ministries.yaml": "- id: health\n  name:\n    he: משרד הבריאות\n  kind: ministry\n",  # no English name
                "content/about.en.md": "---\ntitle: About\nweight: heavy\n---\nText.\n",  # an error at line 3
                "content/access.en.md": "---\ntitle: Accessibility\nlayout: accessibility\n---\nText.\n",
                "data/site.yaml": (tiny.root / "data" / "site.yaml").read_text(encoding="utf-8")
                + "accessibility:\n  coordinator:\n    name: Dana\n"})  # warnings: no phone, no email, no date
    first = tiny.run("check")  # (check keeps nothing)
    assert first.code == 1 and "content/about.en.md:3:" in first.err, first.err
    assert "data/site.yaml:34: warning:" in first.err and "data/ministries.yaml:2:" in first.out, (first.err, first.out)
    assert tiny.run().code == 1  # the build fails, and keeps what it read

    parsed: list[str] = []
    monkeypatch.setattr(gather, "read_data_file", lambda *args, **kwargs: parsed.append("data") or pytest.fail("parsed again"))
    monkeypatch.setattr(files, "_load_page", lambda path, *args: parsed.append(path.name) or pytest.fail("parsed again"))
    again = tiny.run("check")  # nothing changed: every file taken from the cache
    assert parsed == []
    assert again == first, "the same problems, warnings and translation gaps, at the same lines"
    monkeypatch.undo()

    tiny.write({"content/about.en.md": "---\ntitle: About\n---\nText.\n"})
    fixed = tiny.run("check")
    assert "content/about.en.md" not in fixed.err and "data/site.yaml:34: warning:" in fixed.err, fixed.err


def test_a_change_with_the_same_size_and_time_is_seen(tiny: TinySite) -> None:
    assert tiny.run().code == 0
    page = tiny.root / "content" / "about.en.md"
    status = page.stat()
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("About the programme.", "About the Programme."), encoding="utf-8")  # the same size
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert page.stat().st_size == status.st_size and page.stat().st_mtime_ns == status.st_mtime_ns
    assert tiny.run().code == 0
    assert "About the Programme." in tiny.html("en/about/index.html")


def _forge(path: Path, change: bytes, to: bytes) -> None:
    """Change every entry of the sources' cache that holds ``change`` — and keep the old seal (the key is not known)."""
    data = path.read_bytes()
    head = len(kept_sources._MAGIC) + 64 + 2
    engine, entries = pickle.loads(data[head:])
    forged = {key: (digest, value.replace(change, to), used) for key, (digest, value, used) in entries.items()}
    assert forged != entries
    path.write_bytes(data[:head] + pickle.dumps((engine, forged), protocol=pickle.HIGHEST_PROTOCOL))


def test_a_forged_or_damaged_cache_is_not_used(tiny: TinySite, tmp_path: Path) -> None:
    assert tiny.run().code == 0
    cold = tree(tiny.out)
    cache = tiny.root / ".cache" / kept_sources.CACHE_NAME
    _forge(cache, b"About the programme.", b"<script>alert(1)</script>.")
    assert tiny.run("--out", str(tmp_path / "forged")).code == 0
    assert tree(tmp_path / "forged") == cold, "a forged entry is read from the file again"

    cache.write_bytes(cache.read_bytes()[:-20])  # cut short
    assert tiny.run("--out", str(tmp_path / "damaged")).code == 0
    assert tree(tmp_path / "damaged") == cold
    entries = kept_sources.KeptSources(cache.parent)
    entries.load()
    assert entries.entries, "replaced by a whole file that this build sealed"


def test_a_kept_text_is_the_text_of_the_same_data(tmp_path: Path) -> None:
    made: list[object] = []

    def make(value: object) -> str:
        made.append(value)
        return repr(value)

    value = {"collections": [{"name": "pages", "create": True, "fields": [1, 2.5, None]}]}
    first = KeptTexts(tmp_path)
    assert first.of(make, value) == repr(value) and len(made) == 1
    first.save()
    assert KeptTexts(tmp_path).of(make, value) == repr(value) and len(made) == 1, "kept"
    other = {"collections": [{"name": "pages", "create": 1, "fields": [1, 2.5, None]}]}  # True and 1: not the same data
    assert KeptTexts(tmp_path).of(make, other) == repr(other) and len(made) == 2
    assert KeptTexts(tmp_path).of(make, {"a": Path("x")}) == repr({"a": Path("x")}) and len(made) == 3, "not plain data: made"

    path = tmp_path / derived.CACHE_NAME
    data = path.read_bytes()
    head = len(derived._MAGIC) + 64 + 2
    engine, entries = pickle.loads(data[head:])
    path.write_bytes(data[:head] + pickle.dumps((engine, {key: "forged" for key in entries})))
    assert KeptTexts(tmp_path).of(make, value) == repr(value) and len(made) == 4, "a forged file is not used"


def test_equal_data_is_the_same_key_whichever_objects_it_shares(tmp_path: Path) -> None:
    """The same plain data, one string object written in two places or two equal strings: the same key. (Its pickle
    was the key: pickle writes a shared object once and refers to it after, so data read back from the cache, whose
    equal strings are one object, was another key than the same data parsed afresh, and the forms' configuration was
    made again in a whole run of the tests.)"""
    made: list[object] = []

    def make(value: object) -> str:
        made.append(value)
        return repr(value)

    label = "".join(["עב", "רית"])
    shared = {"languages": [[label, label]], "names": {"he": label}}
    apart = {"languages": [["עברית", "".join(["עבר", "ית"])]], "names": {"he": "".join(["ע", "ברית"])}}
    assert shared == apart and pickle.dumps(shared) != pickle.dumps(apart)
    first = KeptTexts(tmp_path)
    assert first.of(make, shared) == repr(shared) and len(made) == 1
    first.save()
    assert KeptTexts(tmp_path).of(make, apart) == repr(apart) and len(made) == 1, "the same data: kept"


def test_a_page_whose_text_alone_changed_keeps_its_front_matter_and_its_problems(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny.write({"content/about.en.md": "---\ntitle: About\nweight: heavy\n---\nText.\n"})  # an error at line 3
    first = tiny.run()
    assert first.code == 1 and "content/about.en.md:3:" in first.err, first.err  # (the build keeps what it read)
    validated: list[str] = []
    real_validate = schema.validate

    def counting(shape: object, raw: object, path: str, languages: list[str]) -> object:
        validated.append(path)
        return real_validate(shape, raw, path, languages)

    monkeypatch.setattr(schema, "validate", counting)  # (files.py imports it when it reads a front matter)
    _append(tiny.root / "content" / "about.en.md", "More text.\n")  # the text below the front matter alone
    again = tiny.run()
    assert validated == [] and again.err == first.err, "the same problem at the same line, without validating again"

    tiny.write({"content/about.en.md": "---\ntitle: About\nweight: 3\n---\nText.\n"})  # the front matter fixed
    assert tiny.run().code == 0 and validated == ["content/about.en.md"]
    validated.clear()
    _append(tiny.root / "content" / "about.en.md", "\nA sentence added.\n")
    assert tiny.run().code == 0 and validated == []
    assert "A sentence added." in tiny.html("en/about/index.html")


def test_a_page_read_unchanged_keeps_its_front_matter_for_the_next_edit(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps only the entries it used: a page taken whole keeps its front matter's entry too, so that an edit
    of its text after a build that read it unchanged (here: its time alone changed) does not read the front matter
    again. (It did: the benchmark's edits, each after such a build, imported pydantic every time.)"""
    page = tiny.root / "content" / "about.en.md"
    tiny.write({"content/about.en.md": "---\ntitle: About\n---\nText.\n"})
    assert tiny.run().code == 0
    _append(page, "An edit.\n")  # the page read again, its front matter taken from the cache
    assert tiny.run().code == 0
    stamp = page.stat().st_mtime_ns + 5_000_000_000
    os.utime(page, ns=(stamp, stamp))  # not "Up to date": a build that reads the page, unchanged
    assert tiny.run().code == 0
    validated: list[str] = []
    real_validate = schema.validate
    monkeypatch.setattr(schema, "validate", lambda shape, raw, path, languages: validated.append(path) or real_validate(shape, raw, path, languages))
    _append(page, "Another edit.\n")
    assert tiny.run().code == 0 and validated == [], validated
    assert "Another edit." in tiny.html("en/about/index.html")


def test_the_forms_configuration_kept_by_its_inputs_is_the_one_made_afresh(tmp_path: Path) -> None:
    """/admin/config.yml is kept by its inputs (tools/cms.py ``config_inputs``), not made from the schema in every build:
    each kind of input changed gives a new configuration, and the last is the very one a --no-cache build makes."""
    if not (REPO / CMS_DIST / CMS_SCRIPT).is_file():
        pytest.skip("Decap CMS is not installed (npm ci): the build makes no /admin/")
    source = copy_fixture_site(tmp_path / "src")
    install_forms(source)

    def config(out: str, *extra: str) -> bytes:
        assert main(["build", "--source", str(source), "--out", str(tmp_path / out), *extra]) == 0
        return (tmp_path / out / "admin" / "config.yml").read_bytes()

    def write(rel: str, text: str, append: bool = False) -> None:
        path = source / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((path.read_text(encoding="utf-8") if append else "") + text, encoding="utf-8")

    changes = {
        "a ministry (a reference's choices)": lambda: write("data/ministries.yaml", "\n- id: new-body\n  name:\n    he: גוף חדש\n"
                                                                                      "    en: A new body\n  kind: authority\n", append=True),
        "a page in a new folder": lambda: [write(f"content/about/index.{lang}.md", f"---\ntitle: About {lang}\n---\nText.\n")
                                           for lang in ("he", "en")],
        "a base URL": lambda: write("data/site.yaml", (source / "data" / "site.yaml").read_text(encoding="utf-8").replace(
            "base_url: ''", "base_url: https://merhav.example.org/"), append=False),
        "the sign-in settings": lambda: write("data/site.yaml", "cms:\n  repo: owner/name\n  auth_url: https://auth.example.org/auth\n",
                                              append=True),
        "a page's title (the menu's choices)": lambda: write("content/faculty.he.md", (source / "content" / "faculty.he.md").read_text(
            encoding="utf-8").replace("title: סגל המרצים והמנחים", "title: הסגל")),
    }
    before = config("site")
    for change, make in changes.items():  # a key that missed one of them would give the text before it
        make()
        kept = config("site")
        assert kept != before, f"{change}: not seen in the forms' configuration"
        before = kept
    assert before == config("cold", "--no-cache"), "not the configuration made afresh"


_BUILD_AND_LIST_MODELS = """
import sys
from sitegen.cli import main
code = main(["build", "--source", sys.argv[1], "--out", sys.argv[2], "--base-url", sys.argv[3]])
print(code, sorted(name for name in sys.modules if name in ("pydantic", "sitegen.sources.schema", "yaml", "multiprocessing")))
"""


def test_a_page_whose_text_alone_changed_does_not_import_pydantic_or_yaml(tmp_path: Path) -> None:
    """Neither the page's front matter (kept by its text) nor the settings (their values kept as records, dumped for the
    templates, the feeds and the pages' digests) nor the forms' configuration (its text kept by its inputs) need the
    schema or a YAML parser: neither pydantic, the schema's module nor PyYAML is imported (in a process of its own: this
    one imported them before), ~0.15 s of CPU of such a build, nor multiprocessing (no pool for one page). That the
    site is the one a cold build makes: test_every_kind_of_change_builds_what_a_cold_build_builds."""
    source = copy_fixture_site(tmp_path / "src")
    forms = (REPO / CMS_DIST / CMS_SCRIPT).is_file()
    if forms:  # the forms' configuration too (without Decap the build makes no /admin/)
        install_forms(source)

    def build(out: Path) -> str:
        done = subprocess.run([sys.executable, "-c", _BUILD_AND_LIST_MODELS, str(source), str(out), BASE_URL],
                              capture_output=True, text=True, cwd=REPO)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert main(["build", "--source", str(source), "--base-url", BASE_URL, "--out", str(tmp_path / "site")]) == 0
    _append(source / "content" / "faculty.en.md", "\nOne more sentence.\n")
    assert build(tmp_path / "site") == "0 []"
    assert "One more sentence." in (tmp_path / "site" / "en" / "faculty" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "admin" / "config.yml").is_file() == forms
