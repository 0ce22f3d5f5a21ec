"""sitegen/preview/reload.py: the preview's reload script and event stream (the browser side: tests/browser/test_preview_reload.py)."""

from __future__ import annotations

import threading

from sitegen.preview.reload import Reloader


def test_the_script_goes_before_the_end_of_head() -> None:
    reloader = Reloader()
    page = reloader.inject(b"<html><head><title>x</title></head><body></body></html>")
    assert page == b'<html><head><title>x</title><script src="/_preview/reload.js" data-generation="0" defer></script>\n</head><body></body></html>'
    assert reloader.inject(b"no head") == b"no head"


def test_a_rebuild_before_the_stream_starts_is_not_missed() -> None:
    reloader = Reloader()
    reloader.rebuilt()
    events = reloader.events(since=0)
    assert next(events) == b"retry: 500\n\n"
    assert next(events) == b"event: reload\ndata: 1\n\n"


def test_the_stream_waits_for_the_next_rebuild() -> None:
    reloader = Reloader()
    events = reloader.events(since=0)
    next(events)
    threading.Timer(0.1, reloader.rebuilt).start()
    assert next(events) == b"event: reload\ndata: 1\n\n"


def test_stopping_ends_every_stream() -> None:
    reloader = Reloader()
    events = reloader.events(since=0)
    next(events)
    threading.Timer(0.1, reloader.stop).start()
    assert list(events) == []
