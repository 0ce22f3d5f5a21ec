"""The live preview's incremental rebuild gives the bytes a full build gives, whatever changed.

Each test generates a small catalogue site (bench/generate.py: real templates, data and
pages plus generated projects), builds it once incrementally, applies a change, updates,
and compares the preview folder with a fresh full build of the same sources, file by file: what each path renders
and writes. Every kind of change, compared byte for byte with a cold build, is tests/test_every_change.py.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO  # noqa: E402
from PIL import Image

sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402

from sitegen.output.write import MANIFEST  # noqa: E402
from sitegen.pipeline import Options, make_site  # noqa: E402
from sitegen.preview.update import IncrementalBuild  # noqa: E402

BASE = "https://merhav.example"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("gen") / "src"
    generate.generate(24, src, cohorts=2, content_from=FIXTURE_SITE)
    return src


@pytest.fixture
def site(generated: Path, tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(generated, src)
    return src


def tree(folder: Path) -> dict[str, str]:
    """The files of an output folder but the writer's list of them (output/write.py MANIFEST), which make_site does not return."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def full_build(src: Path) -> dict[str, bytes]:
    """Every file a full build makes, by its bytes (a static file published as it is comes as its source: read here)."""
    files = make_site(Options(source=src, out=src.parent / "unused", base_url=BASE, drafts=True)).files
    return {rel: data if isinstance(data, bytes) else Path(data.path).read_bytes() for rel, data in files.items()}


def assert_same_as_full(src: Path, out: Path) -> None:
    # The search index is not the incremental build's: serve makes it after each build in a thread of its own
    # (preview/live.py SearchIndex; tests/test_serve.py).
    expected = {k: hashlib.sha256(v).hexdigest() for k, v in full_build(src).items() if not k.startswith("pagefind/")}
    got = tree(out)
    assert sorted(got) == sorted(expected), set(got) ^ set(expected)
    different = [k for k in expected if expected[k] != got[k]]
    assert not different, f"differs from a full build: {different[:5]}"


def touch(path: Path) -> None:
    """Make sure the edit is seen as new even on coarse clocks."""
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


def start(src: Path) -> tuple[IncrementalBuild, Path]:
    out = src.parent / "preview"
    build = IncrementalBuild(Options(source=src, out=out, base_url=BASE, drafts=True))
    outcome = build.full()
    assert outcome.problems == [] and outcome.path == "full"
    return build, out


def edit(src: Path, rel: str, old: str, new: str) -> None:
    path = src / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    touch(path)


def test_full_preview_equals_full_build(site: Path) -> None:
    _, out = start(site)
    assert_same_as_full(site, out)


def test_a_page_body_edit_renders_one_page(site: Path) -> None:
    build, out = start(site)
    page = site / "content/faculty.he.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nהסגל המעודכן.\n", encoding="utf-8")
    touch(page)
    outcome = build.update({"content/faculty.he.md"})
    assert outcome.problems == []
    assert (outcome.path, outcome.rendered) == ("body", 1)
    assert outcome.written == ["faculty/index.html"]
    assert "הסגל המעודכן" in (out / "faculty/index.html").read_text(encoding="utf-8")
    assert_same_as_full(site, out)


def test_a_project_text_edit_renders_one_page(site: Path) -> None:
    build, out = start(site)
    text_file = sorted((site / "content/projects").glob("*.en.md"))[0]
    rel = text_file.relative_to(site).as_posix()
    with text_file.open("a", encoding="utf-8") as f:
        f.write("\n## A new closing section\n\nAdded while previewing.\n")
    touch(text_file)
    outcome = build.update({rel})
    assert outcome.problems == []
    assert (outcome.path, outcome.rendered) == ("body", 1)
    page, *feed = outcome.written
    assert page.startswith("en/cohorts/") and feed in ([], ["en/projects/feed.xml"])  # the feed if it lists the project
    assert_same_as_full(site, out)


def test_front_matter_edit_updates_listings_and_menu(site: Path) -> None:
    build, out = start(site)
    edit(site, "content/programme.en.md", "title: The programme", "title: The Merhav programme")
    outcome = build.update({"content/programme.en.md"})
    assert outcome.problems == [] and outcome.path == "model"
    assert "The Merhav programme" in (out / "en/index.html").read_text(encoding="utf-8")  # the menu
    assert_same_as_full(site, out)


def test_data_edit_rerenders_what_reads_it(site: Path) -> None:
    build, out = start(site)
    edit(site, "data/curriculum.yaml", "change agents", "agents of change")
    outcome = build.update({"data/curriculum.yaml"})
    assert outcome.problems == [] and outcome.path == "model"
    assert {"en/programme/index.html", "en/index.html"} <= set(outcome.written)
    assert not any(w.startswith("en/cohorts/") for w in outcome.written)
    assert_same_as_full(site, out)


def test_template_edit_rerenders_its_pages(site: Path) -> None:
    build, out = start(site)
    edit(site, "templates/participants.html", '<ul class="checklist">', '<ul class="checklist criteria">')
    outcome = build.update({"templates/participants.html"})
    assert outcome.problems == [] and outcome.path == "template"
    assert outcome.rendered == 2 and sorted(outcome.written) == ["en/participants/index.html", "participants/index.html"]
    assert_same_as_full(site, out)


def test_static_edit_copies_the_file(site: Path) -> None:
    (site / "static/files").mkdir()
    (site / "static/files/programme.txt").write_text("The programme.\n", encoding="utf-8")
    build, out = start(site)
    with (site / "static/files/programme.txt").open("a", encoding="utf-8") as f:
        f.write("Edited.\n")
    touch(site / "static/files/programme.txt")
    outcome = build.update({"static/files/programme.txt"})
    assert (outcome.path, outcome.written) == ("static", ["files/programme.txt"])
    assert_same_as_full(site, out)


@pytest.mark.parametrize(("name", "data"), [("favicon.svg", None), ("files/notes.txt", "jpeg")])
def test_an_svg_or_a_picture_edited_goes_through_the_model(site: Path, name: str, data: str | None) -> None:
    """Never copied as it is (issue 24): an SVG is sanitised, a picture (whatever its name) re-encoded."""
    build, out = start(site)
    path = site / "static" / name
    path.parent.mkdir(exist_ok=True)
    if data is None:
        path.write_text(path.read_text(encoding="utf-8").replace("</svg>", "<script>alert(1)</script></svg>"), encoding="utf-8")
    else:
        image = io.BytesIO()
        Image.new("RGB", (20, 10), "red").save(image, "JPEG", comment=b"secret place")
        path.write_bytes(image.getvalue())
    touch(path)
    outcome = build.update({f"static/{name}"})
    assert outcome.problems == [] and outcome.path == "model"
    assert not (out / name).exists() or b"script" not in (out / name).read_bytes()
    assert_same_as_full(site, out)


def test_stylesheet_edit_gives_it_a_new_name_on_every_page(site: Path) -> None:
    build, out = start(site)
    before = sorted(p.relative_to(out).as_posix() for p in (out / "assets").glob("style.*.css"))
    with (site / "static/style.css").open("a", encoding="utf-8") as f:
        f.write("\n.preview-test { color: inherit; }\n")
    touch(site / "static/style.css")
    outcome = build.update({"static/style.css"})
    after = sorted(p.relative_to(out).as_posix() for p in (out / "assets").glob("style.*.css"))
    assert outcome.problems == [] and len(before) == len(after) == 1 and before != after
    assert all(after[0] in (out / page).read_text(encoding="utf-8") for page in ("index.html", "en/index.html"))
    assert_same_as_full(site, out)


def test_a_section_title_reaches_the_pages_under_it(site: Path) -> None:
    """A page's structured data names the pages above it: a title edit above, outside the menu, renders it again."""
    for lang, title in (("he", "אודות"), ("en", "About")):
        (site / "content/about").mkdir(exist_ok=True)
        (site / f"content/about/index.{lang}.md").write_text(f"---\ntitle: {title}\n---\nText.\n", encoding="utf-8")
        (site / f"content/about/team.{lang}.md").write_text(f"---\ntitle: {title} 2\n---\nText.\n", encoding="utf-8")
    build, out = start(site)
    edit(site, "content/about/index.en.md", "title: About", "title: About us")
    outcome = build.update({"content/about/index.en.md"})
    assert outcome.problems == [] and outcome.path == "model"
    assert "en/about/team/index.html" in outcome.written
    assert_same_as_full(site, out)


def test_an_error_keeps_the_last_good_build_and_the_fix_recovers(site: Path) -> None:
    build, out = start(site)
    before = tree(out)
    page = site / "content/faculty.en.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good + "\n[broken](nowhere.en.md)\n", encoding="utf-8")
    touch(page)
    outcome = build.update({"content/faculty.en.md"})
    assert [str(p) for p in outcome.problems] == [
        "content/faculty.en.md:12: link to a page that does not exist: content/nowhere.en.md — write the path of the "
        "target's .md file relative to this file (e.g. ../programme.en.md)"
    ] or outcome.problems and all(p.path == "content/faculty.en.md" for p in outcome.problems)
    assert outcome.written == [] and tree(out) == before
    page.write_text(good.replace("faculty", "faculty", 1) + "\nFixed.\n", encoding="utf-8")
    touch(page)
    outcome = build.update({"content/faculty.en.md"})
    assert outcome.problems == []
    assert_same_as_full(site, out)


def test_removing_an_anchor_that_another_page_links_to_is_an_error(site: Path) -> None:
    build, out = start(site)
    target = site / "content/faculty.en.md"
    target.write_text(target.read_text(encoding="utf-8") + "\n## Who teaches\n\nText.\n", encoding="utf-8")
    source = site / "content/participants.en.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nSee [the faculty](faculty.en.md#who-teaches).\n", encoding="utf-8")
    touch(target)
    touch(source)
    assert build.update({"content/faculty.en.md", "content/participants.en.md"}).problems == []
    edit(site, "content/faculty.en.md", "## Who teaches", "## Teachers")
    outcome = build.update({"content/faculty.en.md"})
    assert [p.path for p in outcome.problems] == ["content/participants.en.md"]
    assert "#who-teaches" in outcome.problems[0].message
