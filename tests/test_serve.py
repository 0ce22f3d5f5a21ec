"""``python build.py serve`` driven over HTTP on 127.0.0.1, as an editor's browser would use it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture_site
from signal_state import ctrl_c_as_in_a_terminal, described


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")  # fonts too
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def wait_for(url: str, predicate, seconds: float = 15.0) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        try:
            last = get(url)
            if predicate(*last):
                return last
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never matched; last answer {last[0]}: {last[1][:300]}")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = copy_fixture_site(tmp_path / "src")
    return src


@pytest.fixture
def server(source: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """A preview of its own, for a test that edits its source or stops it."""
    yield from _serve(source)


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """One preview for the tests that only read from it (each preview is a build of the fixture site)."""
    yield from _serve(copy_fixture_site(tmp_path_factory.mktemp("read-only") / "src"))


def _serve(source: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    with ctrl_c_as_in_a_terminal():  # Ctrl-C reaches it even when this run was started with SIGINT ignored
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", lambda code, body: code == 200)
        yield base, source, proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """End a preview started by a test: asked to stop, killed if it has not within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 1
    os.utime(path, (stamp, stamp))


def test_serves_the_site_with_its_reload_script_and_drafts(read_only_server) -> None:
    base, source, _ = read_only_server
    code, body = get(base + "/")
    assert code == 200 and '<html lang="he" dir="rtl">' in body
    assert '<script src="/_preview/reload.js" data-generation="' in body, "the reload script is added"
    code, body = get(base + "/en/programme/")
    assert code == 200 and '<html lang="en" dir="ltr">' in body
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', body)
    assert stylesheet and get(base + stylesheet[1])[0] == 200
    assert '<meta http-equiv="Content-Security-Policy"' in body, "the preview keeps the published pages' policy"
    assert get(base + "/_preview/reload.js")[0] == 200
    assert get(base + "/nowhere/")[0] == 404
    assert not (source / "site").exists(), "the preview never writes into site/"
    assert (source / ".preview" / "index.html").is_file()


def cache_control(url: str) -> tuple[int, str | None]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers.get("Cache-Control")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Cache-Control")


def test_the_fingerprinted_assets_are_kept_a_year_and_everything_else_is_asked_again(read_only_server) -> None:
    """What a reload after each save fetches again: the pages, the forms' configuration, the search index; never the
    files under assets/, whose names change with their bytes (the forms' ~5 MB Decap bundle among them)."""
    from sitegen.output.security import IMMUTABLE

    base, source, _ = read_only_server
    out = source / ".preview"
    assets = sorted("/" + path.relative_to(out).as_posix() for path in (out / "assets").rglob("*") if path.is_file())
    assert any(path.endswith(".css") for path in assets) and any(path.endswith(".woff2") for path in assets), assets
    for path in assets:
        assert cache_control(base + path) == (200, IMMUTABLE), path
    others = [path for path in ("/", "/en/programme/", "/sitemap.xml", "/pagefind/pagefind.js", "/_preview/reload.js")
              if path.endswith("/") or path.startswith("/_preview/") or (out / path.lstrip("/")).is_file()]
    assert len(others) >= 4, others
    for path in [*others, "/assets/../sitemap.xml", "/assets/no-such-file.css"]:
        code, value = cache_control(base + path)
        assert value == "no-store", (path, code, value)


def test_an_edit_shows_then_an_error_page_then_the_fix(server) -> None:
    base, source, _ = server
    page = source / "content/faculty.en.md"
    good = page.read_text(encoding="utf-8")
    save(page, good + "\nA sentence added while previewing.\n")
    wait_for(base + "/en/faculty/", lambda code, body: "A sentence added while previewing." in body)

    save(page, good.replace("title: Faculty", "title: Faculty\nweigth: 3", 1))
    code, body = wait_for(base + "/en/faculty/", lambda code, body: code == 500)
    assert "content/faculty.en.md" in body and "unknown field" in body and "weigth" in body and "did you mean" in body
    assert '<html lang="en" dir="ltr">' in body and "/_preview/reload.js" in body, "the error page reloads by itself"
    code, hebrew = get(base + "/programme/")
    assert code == 500 and '<html lang="he" dir="rtl">' in hebrew and "שגיאה בתוכן" in hebrew
    assert "content/faculty.en.md" in hebrew
    line = next(i for i, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("weigth"))
    assert f"line {line}" in body and '<span class="hit" dir="auto">' in body, "the file, the line and the lines around it"
    assert (source / ".preview/en/faculty/index.html").is_file(), "the last good build stays on disk"

    save(page, good)
    wait_for(base + "/en/faculty/", lambda code, body: code == 200 and "A sentence added" not in body)


def test_the_preview_is_served_at_its_root_whatever_the_published_path(source: Path) -> None:
    site_yaml = source / "data/site.yaml"
    site_yaml.write_text(re.sub(r'(?m)^base_url: .*$', 'base_url: "https://user.github.io/merhav/"', site_yaml.read_text(encoding="utf-8")),
                         encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        code, body = wait_for(base + "/en/", lambda code, body: code == 200)
        links = re.findall(r'(?:href|src)="(/[^"]*)"', body)
        assert links and not [link for link in links if link.startswith("/merhav/")]
        assert all(get(base + link)[0] == 200 for link in links if "#" not in link)
    finally:
        proc.terminate()
        proc.wait(10)


def test_status_page_only_in_serve(read_only_server) -> None:
    base, source, _ = read_only_server
    code, body = get(base + "/_status/")
    assert code == 200 and "מצב התרגום" in body
    assert not (source / ".preview/_status").exists()


def test_a_port_in_use_is_a_clear_message(source: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use — stop the other server or choose another with --port" in result.stderr


def test_ctrl_c_stops_cleanly(server) -> None:
    import signal

    _, _, proc = server
    before = described(proc.pid)  # the kernel's view of the preview, if it does not stop (tests/signal_state.py)
    proc.send_signal(signal.SIGINT)
    try:
        output, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the preview did not stop within 10 s of SIGINT; before: {before}; after: {described(proc.pid)}; "
                    f"the test's worker: {described()}")
    assert proc.returncode == 0
    assert "serve: stopped" in output and "Traceback" not in output


def test_a_new_draft_page_appears_with_its_badge(server) -> None:
    base, source, _ = server
    save(source / "content/news.he.md", "---\ntitle: חדשות\ndraft: true\n---\nטיוטה של עמוד חדש.\n")
    code, body = wait_for(base + "/news/", lambda code, body: code == 200 and "טיוטה של עמוד חדש" in body)
    assert '<p class="wrap draft-badge">טיוטה</p>' in body
    assert '<meta name="robots" content="noindex">' in body
    code, english = wait_for(base + "/en/news/", lambda code, body: code == 200)
    assert "not yet available in English" in english, "the other language gets the stand-in"


def test_the_preview_indexes_the_pages_for_search_and_again_after_an_edit(server) -> None:
    """serve indexes like build (output/search.py), in a thread of its own: a new page joins its language's index."""
    import json

    base, source, _ = server
    entry = base + "/pagefind/pagefind-entry.json"
    _, body = wait_for(entry, lambda code, body: code == 200, seconds=30)
    before = json.loads(body)["languages"]
    assert get(base + "/search/")[0] == 200 and get(base + "/en/search/")[0] == 200
    save(source / "content/news.en.md", "---\ntitle: News\n---\nA page added while previewing.\n")
    _, body = wait_for(entry, lambda code, body: code == 200 and json.loads(body)["languages"]["en"]["page_count"]
                       == before["en"]["page_count"] + 1, seconds=30)
    assert json.loads(body)["languages"]["he"]["page_count"] == before["he"]["page_count"], "the stand-in is not indexed"
