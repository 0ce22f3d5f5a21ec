"""File-system events for the live preview (watchdog: inotify on Linux), batched per save.

The operating system says which files changed; the changes of one save (often several
events: a temporary file, a rename, a write) are gathered for ``SETTLE_SECONDS``, then
``on_changes(paths)`` runs in this watcher's own thread, one batch after the other, so two
rebuilds never overlap. A change that arrives during a rebuild starts the next batch.
Editors' temporary and lock files (``.#x``, ``x~``, ``.x.swp``) are not changes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

SETTLE_SECONDS = 0.05
"""How long to gather the events of one save before rebuilding."""


class EventWatcher:
    """Watches ``folders`` of ``root``; ``on_changes`` gets the paths (relative to ``root``) changed since its last call."""

    def __init__(self, root: Path, folders: list[str], on_changes: Callable[[set[str]], None]):
        self.root = root.resolve()
        self.folders = [f for f in folders if (self.root / f).is_dir()]
        self.on_changes = on_changes
        self.pending: set[str] = set()
        self.wake = threading.Condition()
        self.stopped = False
        self.observer = Observer()
        self.worker = threading.Thread(target=self._run, name="preview-rebuilds", daemon=True)

    def start(self) -> None:
        handler = _Handler(self)
        for folder in self.folders:
            self.observer.schedule(handler, str(self.root / folder), recursive=True)
        self.observer.daemon = True
        self.observer.start()
        self.worker.start()

    def stop(self) -> None:
        with self.wake:
            self.stopped = True
            self.wake.notify_all()
        self.observer.stop()

    def noticed(self, path: str) -> None:
        """Called from watchdog's thread."""
        name = os.path.basename(path)
        if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):  # editors' temporary files
            return
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return
        with self.wake:
            self.pending.add(rel)
            self.wake.notify_all()

    def _run(self) -> None:
        while True:
            with self.wake:
                while not self.pending and not self.stopped:
                    self.wake.wait()
                if self.stopped:
                    return
            threading.Event().wait(SETTLE_SECONDS)  # let the other events of the same save arrive
            with self.wake:
                changed, self.pending = self.pending, set()
            if changed:
                self.on_changes(changed)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: EventWatcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        self.watcher.noticed(str(event.src_path))
        dest = getattr(event, "dest_path", "")
        if dest:
            self.watcher.noticed(str(dest))
