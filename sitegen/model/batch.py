"""Markdown for many texts at once: texts converted before from a store, the others on every core.

Converting a text (Python-Markdown, then nh3) depends only on the text, the folder its links are
written from, and its first line (for messages), so every text of a build is converted at once:

- **The store**: a text converted before is asked of the ``TextStore`` the build gives (the build's is
  incremental/texts.py's MarkdownCache, ``.cache/markdown.pickle``), which is given each new result.
- **Workers**: what the store does not have is converted in worker processes (fork, so they start
  in milliseconds and share the parent's memory), one a core, when there are enough texts to pay for
  them (``PARALLEL_FROM``). The results come back in the jobs' order, so the output is the same
  byte for byte whatever the number of workers.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from sitegen.model.markup import MarkdownRenderer, Rendered

Job = tuple[str, str, int]
"""(text, folder of the source relative to content/, the text's first line in its file)."""

PARALLEL_FROM = 48
"""Below this many texts to convert, starting workers costs more than it saves."""



class TextStore(Protocol):
    """Where texts converted before are kept (incremental/texts.py's MarkdownCache)."""

    def get(self, job: Job) -> Rendered | None: ...

    def put(self, job: Job, value: Rendered) -> None: ...


class InMemory:
    """A store for one build only (what a build without a cache folder converts, converted once)."""

    def __init__(self) -> None:
        self.entries: dict[Job, Rendered] = {}

    def get(self, job: Job) -> Rendered | None:
        return self.entries.get(job)

    def put(self, job: Job, value: Rendered) -> None:
        self.entries[job] = value


def may_fork(workers: int) -> bool:
    """Worker processes are forked only from a process with one thread: forking a process whose other
    threads hold a lock (a preview's server, a test's) can leave the child waiting for ever. (multiprocessing is
    imported only where a pool may be started: a one-page build needs none.)"""
    import multiprocessing

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
    import multiprocessing

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


_worker: MarkdownRenderer | None = None


def _convert(job: Job) -> Rendered:
    global _worker
    if _worker is None:
        _worker = MarkdownRenderer()
    return _worker.render(*job)


def convert_all(jobs: Sequence[Job], renderer: MarkdownRenderer, store: TextStore, workers: int) -> list[Rendered]:
    """The results of ``jobs`` in their order: stored ones, then the others converted (in parallel when it pays)."""
    results: list[Rendered | None] = [store.get(job) for job in jobs]
    missing = sorted({job: i for i, job in reversed(list(enumerate(jobs))) if results[i] is None}.values())
    if len(missing) >= PARALLEL_FROM and may_fork(workers):
        with worker_pool(workers) as pool:
            converted = pool.map(_convert, [jobs[i] for i in missing], chunksize=max(1, len(missing) // (workers * 8)))
    else:
        converted = [renderer.render(*jobs[i]) for i in missing]
    done: dict[Job, Rendered] = {}
    for i, result in zip(missing, converted, strict=True):
        store.put(jobs[i], result)
        done[jobs[i]] = result
    return [result if result is not None else done[job] for result, job in zip(results, jobs, strict=True)]


class BatchRenderer(MarkdownRenderer):
    """A MarkdownRenderer that converts texts announced with ``prefetch`` all at once (store, then workers)."""

    def __init__(self, store: TextStore | None = None, workers: int = 1):
        super().__init__()
        self.store = store if store is not None else InMemory()
        self.workers = workers
        self.ready: dict[Job, Rendered] = {}

    def prefetch(self, jobs: Sequence[Job]) -> None:
        todo = [job for job in dict.fromkeys(jobs) if job not in self.ready]
        self.ready.update(zip(todo, convert_all(todo, self, self.store, self.workers), strict=True))

    def render(self, body: str, source_dir: str, first_line: int) -> Rendered:
        found = self.ready.get((body, source_dir, first_line))
        if found is not None:
            return found
        job = (body, source_dir, first_line)
        stored = self.store.get(job)
        if stored is not None:
            return stored
        result = super().render(body, source_dir, first_line)
        self.store.put(job, result)
        return result
