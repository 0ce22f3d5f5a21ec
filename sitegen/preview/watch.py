"""File-system events for the live preview (watchdog: inotify on Linux), batched per save.

The operating system says which files changed; the changes of one save (often several
events: a temporary file, a rename, a write) are gathered for ``SETTLE_SECONDS``, then
``on_changes(paths)`` runs in this watcher's own thread, one batch after the other, so two
rebuilds never overlap. A change that arrives during a rebuild starts the next batch.
Editors' temporary and lock files (``.#x``, ``x~``, ``.x.swp``) are not changes.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from sitegen.messages import msg

SETTLE_SECONDS = 0.05
"""How long to gather the events of one save before rebuilding."""


class EventWatcher:
    """Watches ``folders`` of ``root``; ``on_changes`` gets the paths (relative to ``root``) changed since its last call."""

    def __init__(self, root: Path, folders: list[str], on_changes: Callable[[set[str]], None]):
        self.root = root.resolve()
        self.folders = list(folders)
        """Watched while they exist; one deleted and made again (git checkout, a restore) is watched again."""
        self.on_changes = on_changes
        self.pending: set[str] = set()
        self.wake = threading.Condition()
        self.stopped = False
        self.observer = Observer()
        self.handler = _Handler(self)
        self.watches: dict[str, ObservedWatch] = {}
        self.worker = threading.Thread(target=self._run, name="preview-rebuilds", daemon=True)

    def start(self) -> None:
        self.observer.schedule(_TopHandler(self), str(self.root), recursive=False)  # the folders themselves coming and going
        for folder in self.folders:
            self.watch(folder)
        self.observer.daemon = True
        self.observer.start()
        self.worker.start()

    def watch(self, folder: str) -> None:
        """(Re)start watching ``folder`` when it is a real folder of the project (not a link out of it)."""
        path = self.root / folder
        old = self.watches.pop(folder, None)
        if old is not None:
            try:
                self.observer.unschedule(old)
            except Exception:  # noqa: BLE001, S110 - its folder is gone, and its watch with it
                pass
        if path.is_dir() and not path.is_symlink():
            try:
                self.watches[folder] = self.observer.schedule(self.handler, str(path), recursive=True)
            except OSError:  # removed again meanwhile: the next event of the top folder retries
                pass

    def stop(self) -> None:
        """No batch starts after this (a rebuild under way goes on: join waits for it)."""
        with self.wake:
            self.stopped = True
            self.wake.notify_all()
        self.observer.stop()

    def join(self) -> None:
        """Wait for the rebuild under way, if any, after stop."""
        if self.worker.is_alive():
            self.worker.join()

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
                if self.stopped:
                    return
                changed, self.pending = self.pending, set()
            if changed:
                try:
                    self.on_changes(changed)
                except Exception as exc:  # noqa: BLE001 - one failed rebuild must not stop the preview for good
                    print(msg("serve: the rebuild failed ({name}: {reason}) — save a file to try again", name=type(exc).__name__,
                              reason=exc).localized(), file=sys.stderr)


class _TopHandler(FileSystemEventHandler):
    """The project's own folder, not recursive: a watched folder deleted, made or moved in."""

    def __init__(self, watcher: EventWatcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write", "modified"):
            return
        for path in (str(event.src_path), str(getattr(event, "dest_path", "") or "")):
            name = os.path.basename(path)
            if path and name in self.watcher.folders and os.path.dirname(os.path.abspath(path)) == str(self.watcher.root):
                self.watcher.watch(name)
                self.watcher.noticed(path)  # a full rebuild: everything in it may have changed


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
