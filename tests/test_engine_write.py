"""Writing: all or nothing, only into the output folder, the same bytes for the same input."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE_URL, REPO, TinySite, tree


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(tiny: TinySite) -> None:
    assert tiny.run("--base-url", BASE_URL).code == 0
    before = tree(tiny.out)
    assert "about/index.html" in before and "sitemap.xml" in before
    tiny.write({
        "content/about.he.md": "---\ntitle: אודות חדש\n---\n",  # a good change ...
        "content/index.en.md": "---\ntitle: Home\n---\n[x](nowhere.en.md)\n",  # ... and a bad one
    })
    code, out, err = tiny.run("--base-url", BASE_URL)
    assert code == 1
    assert err.endswith("Build failed: 1 problem; nothing was written, src/site is unchanged.\n")
    assert tree(tiny.out) == before
    assert sorted(p.name for p in tiny.root.iterdir()) == [".cache", "content", "data", "site", "static", "templates"]
    kept = {p.name for p in (tiny.root / ".cache").iterdir()}  # what sitegen/incremental/ keeps, nothing half-written
    assert {"markdown.pickle", "pages.pickle", "sources.pickle", "templates.pickle"} <= kept
    assert kept <= {"markdown.pickle", "pages.pickle", "sources.pickle", "stamped.pickle", "templates.pickle", "texts.pickle"}, kept


def test_a_build_replaces_the_old_site_entirely_and_leaves_no_temporary_folder(tiny: TinySite) -> None:
    assert tiny.run().code == 0
    tiny.write({"content/about.he.md": None, "content/about.en.md": None, "data/site.yaml": (tiny.root / "data/site.yaml").read_text().replace("nav:\n  - page: about\n", "")})
    assert tiny.run().code == 0
    assert not (tiny.out / "about").exists()
    assert [p.name for p in tiny.root.iterdir() if p.name.startswith(".")] == [".cache"]  # kept on purpose (incremental/)


def test_the_output_folder_is_readable_by_a_web_server(tiny: TinySite) -> None:
    old = os.umask(0o022)
    try:
        assert tiny.run().code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(tiny.out.stat().st_mode) == 0o755
    assert stat.S_IMODE((tiny.out / "en").stat().st_mode) == 0o755
    assert stat.S_IMODE((tiny.out / "index.html").stat().st_mode) == 0o644


@pytest.mark.parametrize("where", [".", "..", "content", "static", "templates/out", "data"])
def test_an_output_folder_that_holds_or_is_inside_the_sources_is_refused(tiny: TinySite, where: str) -> None:
    before = tree(tiny.root)
    out = (tiny.root / where).resolve()
    code, _, err = tiny.run("--out", str(out))
    assert code == 2
    assert err.startswith(f"build.py: error: the output folder {out} ")
    assert tree(tiny.root) == before


def test_an_output_folder_with_other_files_is_refused(tiny: TinySite, tmp_path: Path) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    code, _, err = tiny.run("--out", str(precious))
    assert code == 2
    assert err == (
        f"build.py: error: the output folder {precious} holds files that no build wrote (notes.txt) — "
        "it would be replaced: choose a new or empty folder, or the site/ of an earlier build\n"
    )
    assert (precious / "notes.txt").read_text() == "keep me"


def test_a_web_folder_that_no_build_wrote_is_refused_and_a_git_checkout_too(tiny: TinySite, tmp_path: Path) -> None:
    web = tmp_path / "www"
    (web / "blog").mkdir(parents=True)
    (web / "index.html").write_text("<p>someone's home page</p>")
    assert tiny.run("--out", str(web)).code == 2
    assert tiny.run().code == 0
    (tiny.out / ".git").mkdir()  # e.g. a gh-pages checkout kept in site/
    code, _, err = tiny.run()
    assert code == 2
    assert err == f"build.py: error: the output folder {tiny.out} looks like a project, not a built site — choose another\n"
    assert (tiny.out / ".git").is_dir() and (web / "index.html").is_file()


def test_an_empty_or_new_output_folder_is_fine(tiny: TinySite, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert tiny.run("--out", str(tmp_path / "empty")).code == 0
    assert tiny.run("--out", str(tmp_path / "new" / "deeper")).code == 0
    assert tree(tmp_path / "empty") == tree(tmp_path / "new" / "deeper")


def test_two_builds_are_byte_identical(tiny: TinySite, tmp_path: Path) -> None:
    tiny.write({
        "content/guide/index.he.md": "---\ntitle: מדריך\n---\n## א\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[אודות](../about.he.md#רקע)\n",
        "content/only-english.en.md": "---\ntitle: Only English\n---\nText.\n",
        "static/style.css": "body { color: black }\n",
        "static/images/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    })
    assert tiny.run("--out", str(tmp_path / "one"), "--base-url", BASE_URL).code == 0
    assert tiny.run("--out", str(tmp_path / "two"), "--base-url", BASE_URL).code == 0
    one = tree(tmp_path / "one")
    assert len(one) == 16  # 4 pages x 2 languages, 2 not-found pages, 2 static files, robots.txt, sitemap.xml, _headers, the list of them
    assert one == tree(tmp_path / "two")


def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(tiny: TinySite, tmp_path: Path) -> None:
    """Set and dict order must not reach the output: each process salts str hashes differently."""
    tiny.write({
        "content/a/b.he.md": "---\ntitle: ב\n---\n## א {#one}\n## ב {#two}\n[אודות](../about.he.md#רקע)\n",
        "content/a/c.en.md": "---\ntitle: C\n---\n[b](b.he.md#two)\n",
        "data/things.yaml": "- name:\n    he: דבר\n- name:\n    en: thing\n",
    })
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "--source", str(tiny.root), "--out", str(out),
                                 "--base-url", BASE_URL], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outs.append(tree(out))
    assert outs[0] == outs[1]


def test_no_path_or_id_in_the_content_writes_outside_the_output_folder(tiny: TinySite, tmp_path: Path) -> None:
    tiny.write({
        "content/about.he.md": "---\ntitle: אודות\nlayout: ../../../evil\n---\n",
        "content/..hidden.he.md": "---\ntitle: x\n---\n",
    })
    code, out, err = tiny.run()
    assert code == 1
    # a name that starts with a dot is never read (an editor's or the system's file: sources/tree.py)
    assert [line.split(": ")[0] for line in err.splitlines()[:2]] == ["content/about.he.md:3", ""]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
    assert not tiny.out.exists()


def test_check_writes_nothing(tiny: TinySite) -> None:
    before = tree(tiny.root)
    code, out, err = tiny.run("check")
    assert (code, err) == (0, "")
    assert not tiny.out.exists()
    assert tree(tiny.root) == before
    assert sorted(p.name for p in tiny.root.iterdir()) == ["content", "data", "static", "templates"]


def test_a_listing_lists_what_every_writer_holds(tmp_path: Path) -> None:
    """output/write.py Listing: the preview's pages and its search index are written by two threads, and the folder's
    manifest lists both; a folder replaced holds the replacing writer's files alone."""
    from sitegen.output.write import MANIFEST, Listing, listed_files

    listing = Listing(tmp_path)
    listing.holds("pages", ["index.html", "en/index.html"])
    listing.holds("index", ["pagefind/pagefind-entry.json"])
    assert listed_files(tmp_path) == {"index.html", "en/index.html", "pagefind/pagefind-entry.json"}
    listing.holds("pages", ["index.html", "en/index.html", "en/new/index.html"])
    assert listed_files(tmp_path) == {"index.html", "en/index.html", "en/new/index.html", "pagefind/pagefind-entry.json"}
    written = (tmp_path / MANIFEST).stat().st_ino
    listing.holds("pages", ["en/new/index.html", "index.html", "en/index.html"])
    assert (tmp_path / MANIFEST).stat().st_ino == written, "the same files: the manifest is not written again"
    listing.holds("pages", ["index.html"], replaced=True)
    assert listed_files(tmp_path) == {"index.html"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST]
