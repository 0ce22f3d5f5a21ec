"""Pagefind's service spoken to without asyncio (sitegen/output/pagefind_service.py): the pages numbered in the order
sent, whatever the machine; what goes wrong on Pagefind's side ends the index with Pagefind's own words, at once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sitegen.output.pagefind_service import ServiceFailed, index_pages
from sitegen.output.search import pagefind_binary

PAGES = [(f"en/page-{n}/index.html", f'<html lang="en"><body><main data-pagefind-body><h1>Page {n}</h1>'
                                     f"<p>Word {n} and common words.</p></main></body></html>") for n in range(30)]


def _binary() -> Path:
    binary = pagefind_binary()
    assert binary is not None
    return binary


def test_the_same_pages_in_the_same_order_give_the_same_bytes_and_the_order_is_the_callers() -> None:
    once, again = index_pages(_binary(), PAGES), index_pages(_binary(), iter(PAGES))
    assert once == again and "pagefind-entry.json" in once and "pagefind.js" in once
    reversed_order = index_pages(_binary(), PAGES[::-1])
    fragments = {path for path in once if path.startswith("fragment/")}
    assert fragments == {path for path in reversed_order if path.startswith("fragment/")}, "the same pages"
    assert once["pagefind-entry.json"] != reversed_order["pagefind-entry.json"], "numbered in the order sent"


def _fake(tmp_path: Path, script: str) -> Path:
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    fake.chmod(0o755)
    return fake


def test_pagefind_failing_ends_the_index_with_its_own_words(tmp_path: Path) -> None:
    fake = _fake(tmp_path, "echo 'Error: something Pagefind says' >&2\nexit 3\n")
    with pytest.raises(ServiceFailed, match="^Error: something Pagefind says$"):
        index_pages(fake, PAGES)
    with pytest.raises(ServiceFailed, match="^exit status 4$"):
        index_pages(_fake(tmp_path, "exit 4\n"), PAGES)


def test_an_answer_outside_the_protocol_ends_the_index_at_once_and_kills_what_it_started(tmp_path: Path) -> None:
    """A service that answers nonsense is killed with its process group: a child of its own (here a wrapper's
    `sleep`) holding the pipes would otherwise keep the build waiting until it ends."""
    fake = _fake(tmp_path, "sleep 30 &\nhead -c 10 >/dev/null\necho 'not base64 JSON,'\nsleep 30\n")
    started = time.monotonic()
    with pytest.raises(ServiceFailed, match="outside its protocol"):
        index_pages(fake, PAGES)
    assert time.monotonic() - started < 10


def test_an_answer_of_another_shape_is_a_failure_not_a_traceback(tmp_path: Path) -> None:
    """Valid base64 JSON without the fields this protocol has (another version of Pagefind): a message."""
    import base64
    import json

    answer = base64.b64encode(json.dumps({"message_id": 1, "payload": {"type": "NewIndex"}}).encode()).decode()
    fake = _fake(tmp_path, f"head -c 10 >/dev/null\nprintf '%s,' '{answer}'\nsleep 30\n")
    with pytest.raises(ServiceFailed, match="outside its protocol .KeyError: 'index_id'"):
        index_pages(fake, PAGES)
