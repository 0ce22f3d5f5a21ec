"""What ``serve`` calls after each change: the incremental build, plus the dashboard page."""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from sitegen.errors import BuildFailed
from sitegen.messages import msg
from sitegen.model.site import Site
from sitegen.output.search import search_index
from sitegen.output.security import ADMIN_DIR
from sitegen.output.write import Listing, in_memory, sync_site, write_site
from sitegen.pipeline import Options
from sitegen.preview.serve import error_page
from sitegen.preview.update import IncrementalBuild, Outcome
from sitegen.sources.gather import gather
from sitegen.tools.cms import admin_files
from sitegen.tools.formchecks import form_checks
from sitegen.tools.status import format_html, translation_status


class LiveBuild:
    def __init__(self, options: Options):
        self.options = replace(options, drafts=True, progress=False)  # the preview shows drafts, badged
        self.incremental = IncrementalBuild(self.options)

        self.search = SearchIndex(self.options.out, self.incremental.listing)

    def build(self, changed: set[str] | None) -> Outcome:
        outcome = self.incremental.full() if changed is None else self.incremental.update(changed)
        state = self.incremental.state
        if not outcome.problems and state is not None:
            self.search.schedule(state.site, in_memory(state.files), whole=self.incremental.replaced)
        elif state is None:
            self.forms_anyway()
        return outcome

    def stop(self) -> None:
        """The preview is stopping: no search index is made any more, and a Pagefind running is stopped."""
        self.search.stop()

    def join(self) -> None:
        """Wait, after stop, for the search index's thread (its temporary folder removed, its files all written or none)."""
        self.search.join()

    def forms_anyway(self) -> None:
        """No good build yet in this session and the content has problems: the editors' forms are written all the same
        (from the sources as far as they could be read), unless the preview folder holds them from an earlier build, so
        that an editor can fix the content in the forms. Nothing when even data/site.yaml cannot be read (its
        languages and settings make the forms)."""
        out = self.options.out
        if (out / ADMIN_DIR / "index.html").is_file():
            return
        try:
            sources = gather(self.options.source, self.options.base_url)
            files, _notes = admin_files(_FormsOnly(sources), self.options.source)  # type: ignore[arg-type]
            files.update(form_checks(files, sources))
            if files:
                write_site(files, out)
        except Exception as exc:  # noqa: BLE001 - a best effort beside the error pages: the preview lives on
            print(msg("serve: the editing forms could not be made: {reason}", reason=exc).localized(), file=sys.stderr)

    @property
    def languages(self) -> list[str]:
        state = self.incremental.state
        return state.sources.config.codes if state is not None else []

    def status_page(self, lang: str) -> bytes:
        """The translation dashboard at /_status/, computed when asked for (it reads git)."""
        try:
            sources = gather(self.options.source, self.options.base_url)
        except BuildFailed as failed:
            return error_page(failed.errors, self.options.source, lang)
        return format_html(translation_status(sources), lang)


class _FormsOnly:
    """What the forms' files read of a site (its settings, languages, data and stylesheet), from sources whose pages
    could not be made: no stylesheet or icon then (the forms work without them)."""

    class _NoAssets:
        def has(self, rel: str) -> bool:
            return False

    def __init__(self, sources: Any) -> None:
        self.config = sources.config
        self.data = sources.data
        self.assets = self._NoAssets()


class SearchIndex:
    """The preview's search index (output/search.py), made again after every build in a thread of its own, so a
    change shows at once and the search catches up a moment later. Only the index's files are written."""

    def __init__(self, out: Path, listing: Listing):
        self.out = out
        self.listing = listing
        """The preview folder's manifest, which lists the index's files beside the pages'."""
        self._lock = threading.Lock()
        self._next: tuple[Site, dict[str, bytes]] | None = None
        self._busy = False
        self.written: dict[str, bytes] = {}
        """The index's files as they are in the preview folder."""
        self.done = threading.Event()
        """Set whenever the latest index asked for is written (for tests and benchmarks)."""
        self.stopping = threading.Event()
        """Set by stop: Pagefind stops (output/search.py), no index is made or written any more."""
        self._thread: threading.Thread | None = None

    def schedule(self, site: Site, files: dict[str, bytes], whole: bool = False) -> None:
        """Index these pages (the latest call wins); ``whole``: the folder was just replaced, index files included."""
        with self._lock:
            if whole:
                self.written = {}
            if self.stopping.is_set():
                return
            self._next = (site, dict(files))
            self.done.clear()
            if self._busy:
                return
            self._busy = True
            self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self.stopping.set()

    def join(self) -> None:
        """After stop: wait for the thread to end (at once unless it was writing the index's files)."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._next = self._next, None
                if job is None or self.stopping.is_set():
                    self._busy = False
                    self.done.set()
                    return
            try:
                index, problems = search_index(*job, stop=self.stopping)
            except Exception as exc:  # noqa: BLE001 - the preview goes on without a fresh index
                print(msg("serve: the search index was not made: {reason}", reason=exc).localized(), file=sys.stderr)
                continue
            if self.stopping.is_set():  # Pagefind stopped: nothing to say or write
                continue
            if problems:
                print("\n".join(str(p) for p in problems), file=sys.stderr)
                continue
            try:
                sync_site(index, self.out, self.written, manifest=False)
                self.written = index
                self.listing.holds("index", index)
            except (OSError, BuildFailed) as exc:
                print(msg("serve: the search index was not written: {reason}", reason=exc).localized(), file=sys.stderr)
