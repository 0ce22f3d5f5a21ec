"""Markdown for many texts at once: from the cache when a text was converted before, else on every core.

Converting a text (Python-Markdown, then nh3) depends only on the text, the folder its links are
written from, and its first line (for messages): not on other pages, the base URL or the templates,
because links and images come out as placeholders that ``resolve_links`` fills in later. So:

- **The cache** (``.cache/markdown.pickle`` under the source folder; git-ignored, safe to delete)
  keeps each result under the SHA-256 of (engine fingerprint, folder, line, text). The engine
  fingerprint hashes every module of ``sitegen/`` and the versions of Python, Markdown and nh3, so a
  new engine never reuses an old result. The file is written whole and atomically, sealed with a key
  kept outside ``.cache/`` (model/sealed.py: the seal proves that a build of this machine, or of CI with
  its secret, wrote it; a checksum alone proved it whole, not who wrote it), and unpickled by an
  unpickler that knows only the result classes: a truncated, corrupt, foreign or forged file is ignored
  (and replaced), never used. What the build wrote had passed the sanitiser, so it is not sanitised
  again (that cost 0.15 s of CPU a build at 1,000 projects, ~0.08 ms a text).
  Only the results the build used are kept, so it never grows beyond one site's texts.
- **Workers**: what the cache does not have is converted in worker processes (fork, so they start
  in milliseconds and share the parent's memory), one a core, when there are enough texts to pay for
  them (``PARALLEL_FROM``). The results come back in the jobs' order, so the output is the same
  byte for byte whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sitegen.messages import _rebuild
from sitegen.model.fingerprint import engine_fingerprint
from sitegen.model.markup import LinkRef, MarkdownRenderer, Rendered
from sitegen.model.sealed import dump_sealed, load_sealed

Job = tuple[str, str, int]
"""(text, folder of the source relative to content/, the text's first line in its file)."""

PARALLEL_FROM = 48
"""Below this many texts to convert, starting workers costs more than it saves."""

CACHE_NAME = "markdown.pickle"
_MAGIC = b"merhav-markdown-cache 1\n"


def may_fork(workers: int) -> bool:
    """Worker processes are forked only from a process with one thread: forking a process whose other
    threads hold a lock (a preview's server, a test's) can leave the child waiting for ever."""
    return workers > 1 and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _worker_start() -> None:
    """A worker leaves Ctrl-C to the build (which stops the pool) and dies at once when the pool ends it: the
    build's own SIGTERM/SIGHUP handlers (cli.py), inherited through fork, would keep it waiting for a task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


@contextmanager
def worker_pool(workers: int) -> Iterator[Any]:
    """A pool of ``workers`` forked processes, closed and joined when done (terminated only on an error)."""
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
    try:
        yield pool
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def job_key(job: Job) -> str:
    text, folder, line = job
    return hashlib.sha256(f"{engine_fingerprint()}\0{folder}\0{line}\0".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()


class _OnlyResults(pickle.Unpickler):
    """Unpickles the cache's own classes and nothing else: a file that names another class is refused."""

    ALLOWED = {("sitegen.model.markup", "Rendered"): Rendered, ("sitegen.model.markup", "LinkRef"): LinkRef,
               ("builtins", "set"): set,
               ("sitegen.messages", "_rebuild"): _rebuild}

    def find_class(self, module: str, name: str) -> Any:
        found = self.ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return found


class MarkdownCache:
    """Converted texts by job_key, kept in one file under ``folder`` (None: remember nothing)."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME if folder is not None else None
        self.entries: dict[str, Rendered] = {}
        self.used: set[str] = set()
        self.loaded = False
        self.changed = False
        self.rejected = ""
        """Why an existing cache file was not used ('' if it was, or there was none)."""

    def load(self) -> None:
        if self.loaded or self.path is None:
            return
        self.loaded = True
        entries, why = load_sealed(self.path, _MAGIC, _OnlyResults)
        if why or entries is None:
            self.rejected = why
            self.changed = bool(why)
            return
        if isinstance(entries, dict) and all(isinstance(k, str) and isinstance(v, Rendered) and isinstance(v.html, str)
                                             for k, v in entries.items()):
            self.entries = entries  # sealed by a build of this machine's: sanitised when it was converted
        else:
            self.rejected = "it does not hold converted texts"
            self.changed = True

    def get(self, key: str) -> Rendered | None:
        self.load()
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: str, value: Rendered) -> None:
        self.load()
        self.entries[key] = value
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Keep what this build used, in one atomic write. A cache that cannot be written is no error."""
        if self.path is None or not self.loaded:
            return
        if set(self.entries) != self.used:
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.changed = True
        if not self.changed:
            return
        dump_sealed(self.path, _MAGIC, dict(sorted(self.entries.items())))
        self.changed = False


_worker: MarkdownRenderer | None = None


def _convert(job: Job) -> Rendered:
    global _worker
    if _worker is None:
        _worker = MarkdownRenderer()
    return _worker.render(*job)


def convert_all(jobs: Sequence[Job], renderer: MarkdownRenderer, cache: MarkdownCache, workers: int) -> list[Rendered]:
    """The results of ``jobs`` in their order: cached ones, then the others converted (in parallel when it pays)."""
    keys = [job_key(job) for job in jobs]
    results: list[Rendered | None] = [cache.get(key) for key in keys]
    missing = sorted({key: i for i, key in reversed(list(enumerate(keys))) if results[i] is None}.values())
    if len(missing) >= PARALLEL_FROM and may_fork(workers):
        with worker_pool(workers) as pool:
            converted = pool.map(_convert, [jobs[i] for i in missing], chunksize=max(1, len(missing) // (workers * 8)))
    else:
        converted = [renderer.render(*jobs[i]) for i in missing]
    for i, result in zip(missing, converted, strict=True):
        cache.put(keys[i], result)
    return [result if result is not None else cache.entries[key] for result, key in zip(results, keys, strict=True)]


class BatchRenderer(MarkdownRenderer):
    """A MarkdownRenderer that converts texts announced with ``prefetch`` all at once (cache, then workers)."""

    def __init__(self, cache: MarkdownCache | None = None, workers: int = 1):
        super().__init__()
        self.cache = cache or MarkdownCache(None)
        self.workers = workers
        self.ready: dict[Job, Rendered] = {}

    def prefetch(self, jobs: Sequence[Job]) -> None:
        todo = [job for job in dict.fromkeys(jobs) if job not in self.ready]
        self.ready.update(zip(todo, convert_all(todo, self, self.cache, self.workers), strict=True))

    def render(self, body: str, source_dir: str, first_line: int) -> Rendered:
        found = self.ready.get((body, source_dir, first_line))
        if found is not None:
            return found
        key = job_key((body, source_dir, first_line))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        result = super().render(body, source_dir, first_line)
        self.cache.put(key, result)
        return result
