"""Pagefind's service (``pagefind --service``): pages sent in a fixed order over a pipe, the bundle read back.

Why not ``pagefind --site FOLDER``: Pagefind numbers the pages in the order it finds their files, the order the file
system lists a folder's entries — on ext4 a hash with a seed of each file system, on tmpfs (Linux 6.18 here) the
reverse of the order they were written — and the numbers are in the index's files. The same pages indexed from a folder on disk and from
one in /dev/shm gave another ``pf_meta`` and other ``pf_index`` files (the real site, 2026-12-07), so the bundle
depended on the machine, not only on the pages. The service takes the pages one message after the other (it
handles its messages in turn: ``pagefind/src/service/mod.rs``), so they are numbered in the order sent: the
caller's. Nothing is written to disk either: no copy of the pages, no bundle to read back.

The protocol is pagefind's own Python package's (``pagefind.service``), written here without asyncio, which that
package needs and which a build that indexes one edited page does not pay for (tests/test_search_binary.py): each
message is JSON in base64 followed by a comma, each way; ``NewIndex``, then ``AddFile`` a page (its path decides its
address, as with ``--site``), then ``GetFiles`` for the bundle. Responses carry the message's id; an ``Error`` fails
the index with Pagefind's message.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")
SECONDS = 600
"""The longest Pagefind may take."""
STOP_POLL_SECONDS = 0.05
"""How often a wait looks whether it is to stop."""


class ServiceFailed(Exception):
    """Pagefind's service said no, stopped, or was stopped."""


def index_pages(binary: Path, pages: Iterable[tuple[str, str]], stop: threading.Event | None = None) -> dict[str, bytes]:
    """(path inside the site, HTML) of each page, in the order given → the bundle's files, {path in the bundle: bytes}.
    ``stop`` set meanwhile, or SECONDS passed: Pagefind is killed and ServiceFailed raised."""
    try:
        process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)  # killed with whatever it started
    except OSError as exc:
        raise ServiceFailed(f"{type(exc).__name__}: {exc}") from exc
    service = _Service(process, stop or threading.Event(), time.monotonic() + SECONDS)
    try:
        index = _read(lambda: service.ask({"type": "NewIndex", "config": None})["index_id"])
        for path, html in pages:
            service.send({"type": "AddFile", "index_id": index, "file_path": path, "url": None, "file_contents": html})
        files = service.ask({"type": "GetFiles", "index_id": index})
        return _read(lambda: {file["path"]: base64.b64decode(file["content"], validate=True) for file in files["files"]})
    finally:
        service.end()


def _read(answer: Callable[[], T]) -> T:
    """What ``answer`` takes from the service's answers; answers of another shape (another version of Pagefind?) fail
    the index with a message, not a traceback."""
    try:
        return answer()
    except (KeyError, TypeError, ValueError) as exc:
        raise ServiceFailed(f"Pagefind answered outside its protocol ({type(exc).__name__}: {exc})") from None


class _Service:
    """One running service: requests written in turn; its answers read by a thread (unread, they would fill the pipe
    while later pages are sent, and the service would stop), its error output by another; a third kills it when the
    build stops it or it runs too long, which also ends a write it no longer reads."""

    def __init__(self, process: subprocess.Popen[bytes], stop: threading.Event, deadline: float):
        self.process, self.stop, self.deadline = process, stop, deadline
        self.sent = self.answered = 0
        self.failure: str | None = None
        self.last: dict[str, Any] = {}
        self.changed = threading.Condition()
        self.errors = b""
        self.done = threading.Event()
        self.threads = [threading.Thread(target=target, daemon=True) for target in (self._read_answers, self._read_errors, self._watch)]
        for thread in self.threads:
            thread.start()

    def send(self, payload: dict[str, Any]) -> None:
        self._check()
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}, ensure_ascii=False).encode("utf-8")
        try:
            _stdin(self.process).write(base64.b64encode(message) + b",")
        except (OSError, ValueError):  # it ended, or was killed: its answers, its error output or the stop say why
            self._wait_for(self.sent)

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send ``payload`` and wait for every answer up to its own; its answer's payload."""
        self.send(payload)
        try:
            _stdin(self.process).flush()
        except (OSError, ValueError):
            pass
        self._wait_for(self.sent)
        return self.last

    def end(self) -> None:
        """Kill the service if it is still running, wait for it and for the threads, close the pipes."""
        self.done.set()
        self._kill()
        self.process.wait()
        for thread in self.threads:
            thread.join()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                if stream is not None:
                    stream.close()
            except (OSError, ValueError):  # stdin: what was left in its buffer cannot be written
                pass

    def _check(self) -> None:
        if self.stop.is_set():
            raise ServiceFailed("stopped")
        if time.monotonic() >= self.deadline:
            raise ServiceFailed(f"Pagefind ran longer than {SECONDS} s")
        if self.failure is not None:
            raise ServiceFailed(self.failure)

    def _wait_for(self, message: int) -> None:
        with self.changed:
            while self.answered < message and self.failure is None and self.threads[0].is_alive():
                self._check()
                self.changed.wait(STOP_POLL_SECONDS)
        self._check()
        if self.answered < message:
            said = self.errors.decode("utf-8", "replace").strip()
            raise ServiceFailed(said.splitlines()[-1] if said else f"exit status {self.process.wait()}")

    def _watch(self) -> None:
        while not self.done.wait(STOP_POLL_SECONDS):
            if self.stop.is_set() or time.monotonic() >= self.deadline:
                self._kill()
                return

    def _kill(self) -> None:
        """Its process group: a child holding its pipes (a wrapper script's) would keep the readers waiting."""
        if self.process.returncode is not None:  # reaped: its number may be another's now
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # ended and reaped already
            pass

    def _read_answers(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        parts: list[bytes] = []  # of an answer not read whole yet (the bundle's is megabytes)
        while chunk := stdout.read1(1 << 20):  # type: ignore[attr-defined]
            *answers, rest = chunk.split(b",")
            if answers:
                answers[0] = b"".join([*parts, answers[0]])
                parts = []
            for answer in answers:
                self._take(answer)
            parts.append(rest)
        with self.changed:
            self.changed.notify_all()

    def _take(self, answer: bytes) -> None:
        failure = None
        try:
            payload = json.loads(base64.b64decode(answer))["payload"]
            if payload.get("type") == "Error":
                failure = str(payload.get("message") or "Pagefind failed")
        except (ValueError, KeyError, TypeError, AttributeError):
            payload, failure = {}, "Pagefind answered outside its protocol"
        with self.changed:
            self.failure = self.failure or failure
            self.answered += 1
            self.last = payload
            self.changed.notify_all()

    def _read_errors(self) -> None:
        stderr = self.process.stderr
        assert stderr is not None
        while chunk := stderr.read1(1 << 16):  # type: ignore[attr-defined]
            self.errors = (self.errors + chunk)[-4096:]


def _stdin(process: subprocess.Popen[bytes]) -> IO[bytes]:
    assert process.stdin is not None
    return process.stdin
