"""What the kernel says of a process's signals, for the message of a test that sent one and saw nothing happen.

Two tests have failed, rarely and only in whole runs, in a way that looks as if SIGINT were ignored or blocked: an
interrupted build (``os.kill`` of the pytest worker itself) finished with 0, and a preview sent SIGINT did not stop
in 10 s. Python's own table (``signal.getsignal``) cannot tell: ``system()`` or a library's ``sigaction`` change what
the kernel does without Python knowing, and a child inherits an ignored signal (a Python started with SIGINT ignored
never installs its KeyboardInterrupt handler). So these tests print the kernel's view when they fail."""

from __future__ import annotations

import os
import signal
import threading


def _mask_has(mask: str, signum: int) -> bool:
    return bool(int(mask, 16) >> (signum - 1) & 1)


def described(pid: int | None = None, signum: int = signal.SIGINT) -> str:
    """'SIGINT: ignored …, blocked …, caught …' for ``pid`` (default: this process, and its calling thread's mask)."""
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
