"""The preview (``build.py serve``) under hostile input: a request for /%00, a Host header of another site (DNS
rebinding), content/ deleted and restored, a loop of links appearing while serving or there from the start, and
an impossible --port or --host. It answers, keeps watching, and says what is wrong; never a traceback."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from test_serve import save, wait_for
from test_serve import server as server  # noqa: F401 - the fixtures
from test_serve import source as source  # noqa: F401

from sitegen.preview.serve import allowed_hosts, host_allowed


def ask(base: str, path: str, host: str | None = None) -> tuple[int, str]:
    address = base.removeprefix("http://")
    connection = http.client.HTTPConnection(address, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def test_odd_addresses_are_not_found_not_a_crash(server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    base, _, proc = server
    for path in ("/%00", "/a%00b/", "/" + "x" * 5000, "/%2e%2e/%2e%2e/etc/passwd"):
        code, _ = ask(base, path)
        assert code == 404, path
    assert ask(base, "/")[0] == 200
    proc.terminate()
    output, _ = proc.communicate(timeout=10)
    assert "Traceback" not in output


def test_only_its_own_host_names_are_answered(server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    base, _, _ = server
    port = base.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
        assert ask(base, "/", host)[0] == 200, host
    for host in (f"evil.example:{port}", "evil.example", "127.0.0.1.evil.example", "", f"attacker.test:{port}"):
        code, body = ask(base, "/_status/", host)
        assert code == 421, host
        assert "only the addresses it was started for" in body


@pytest.mark.parametrize("host, header, allowed", [
    ("127.0.0.1", "LOCALHOST:8000", True), ("127.0.0.1", "127.0.0.1.:8000", True), ("127.0.0.1", "evil.test:8000", False),
    ("192.168.1.5", "192.168.1.5:8000", True), ("192.168.1.5", "localhost:8000", False), ("::1", "[::1]:8000", True),
])
def test_host_names(host: str, header: str, allowed: bool) -> None:
    hosts = allowed_hosts(host)
    assert hosts is not None and host_allowed(header, hosts) == allowed
    assert allowed_hosts("0.0.0.0") is None  # exposed to the network on purpose: reached by any address


def test_content_deleted_and_restored_is_watched_again(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    base, source, _ = server
    shutil.move(source / "content", tmp_path / "content-aside")
    wait_for(base + "/", lambda code, body: code == 500 and "content" in body)
    shutil.move(tmp_path / "content-aside", source / "content")  # as git checkout or a restore does
    wait_for(base + "/", lambda code, body: code == 200)
    page = source / "content/faculty.en.md"
    save(page, page.read_text(encoding="utf-8") + "\nA line added after the restore.\n")
    wait_for(base + "/en/faculty/", lambda code, body: code == 200 and "A line added after the restore." in body)


def test_a_loop_of_links_while_serving_is_a_message_and_the_preview_lives_on(server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    base, source, proc = server
    os.symlink("b.png", source / "static/a.png")
    os.symlink("a.png", source / "static/b.png")
    wait_for(base + "/", lambda code, body: code == 500 and "a loop of links" in body)
    (source / "static/a.png").unlink()
    (source / "static/b.png").unlink()
    wait_for(base + "/", lambda code, body: code == 200)
    page = source / "content/faculty.en.md"
    save(page, page.read_text(encoding="utf-8") + "\nStill rebuilding.\n")
    wait_for(base + "/en/faculty/", lambda code, body: code == 200 and "Still rebuilding." in body)
    proc.terminate()
    output, _ = proc.communicate(timeout=10)
    assert "Traceback" not in output


def test_a_loop_of_links_at_start_is_the_error_page(source: Path) -> None:  # noqa: F811
    from test_serve import free_port

    os.symlink("loop", source / "static/loop")
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda code, body: code == 500 and "static/loop" in body and "a loop of links" in body)
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=10)
    assert "Traceback" not in output
    assert "static/loop: a link that leads back to itself (a loop of links)" in output


@pytest.mark.parametrize("argv, message", [
    (["--port", "99999"], "argument --port: '99999' is not a port — give a number from 1 to 65535, e.g. 8000"),
    (["--port", "-1"], "argument --port: '-1' is not a port — give a number from 1 to 65535, e.g. 8000"),
    (["--host", "no.such.host.invalid"], "build.py serve: cannot serve on 'no.such.host.invalid' ("),
], ids=["port too big", "negative port", "unknown host"])
def test_an_impossible_port_or_host_is_a_message(source: Path, argv: list[str], message: str) -> None:  # noqa: F811
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--source", str(source), *argv],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_template_that_is_not_utf8_while_serving_is_the_error_page(server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    base, source, proc = server
    template = source / "templates/base.html"
    good = template.read_bytes()
    template.write_bytes(good + b"\n{# caf\xe9 #}\n")
    line = good.count(b"\n") + 2
    code, body = wait_for(base + "/en/faculty/", lambda code, body: code == 500 and "not UTF-8" in body)
    assert "templates/base.html" in body and f"line {line}" in body
    template.write_bytes(good)
    wait_for(base + "/en/faculty/", lambda code, body: code == 200)
    proc.terminate()
    output, _ = proc.communicate(timeout=10)
    assert "Traceback" not in output
    assert f"templates/base.html:{line}: the file is not UTF-8 text — save it again with the encoding UTF-8" in output
