"""Ctrl-C as a terminal delivers it, for the tests that send SIGINT; and the kernel's view of a process's signals,
for their message when they fail.

A shell running a command in the background without job control (``cmd &`` in a script, a CI runner's wrapper)
starts it with SIGINT and SIGQUIT ignored (POSIX), and a Python started so keeps SIGINT ignored instead of raising
KeyboardInterrupt; pytest's workers inherit it, and so does every command a test starts. Seen: in whole runs started
so, an interrupted build (``os.kill`` of the worker itself) finished with 0 and a preview sent SIGINT never stopped,
both with "SigIgn yes" and Python's handler SIG_IGN in the worker (from its start: no test had changed it). What these
tests check is the engine's answer to Ctrl-C in a terminal, so they put Ctrl-C's usual handling back themselves
(``ctrl_c_as_in_a_terminal``) whatever the run inherited."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


def _mask_has(mask: str, signum: int) -> bool:
    return bool(int(mask, 16) >> (signum - 1) & 1)


def described(pid: int | None = None, signum: int = signal.SIGINT) -> str:
    """'SIGINT in process 123: SigIgn yes, SigBlk no, SigCgt no, SigPnd no, ShdPnd no' for ``pid``, from /proc (default:
    this process, with its calling thread's mask and Python's handler)."""
    own = pid is None
    path = f"/proc/self/task/{threading.get_native_id()}/status" if own else f"/proc/{pid}/status"
    try:
        with open(path, encoding="ascii") as status:
            fields = dict(line.rstrip("\n").split(":\t", 1) for line in status if line.startswith(("Sig", "Shd")))
    except OSError as exc:
        return f"no status for {'this process' if own else pid}: {exc}"
    name = signal.Signals(signum).name
    said = [f"{key} {'yes' if _mask_has(fields[key], signum) else 'no'}" for key in ("SigIgn", "SigBlk", "SigCgt", "SigPnd", "ShdPnd")
            if key in fields]
    if own:
        said.append(f"Python's handler {signal.getsignal(signum)!r} in thread {threading.current_thread().name!r}")
    return f"{name} in {'this process' if own else f'process {pid}'}: " + ", ".join(said)


@contextlib.contextmanager
def ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """Within: SIGINT raises KeyboardInterrupt in this process (Python's own handler), and a command started here
    starts with SIGINT at its default (a handled signal is reset by exec), as from a terminal. Main thread only."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
