"""Templates compiled once per process: a template Jinja has compiled in this process, from the same source at the
same path, is not compiled again by the next build's environment.

Every build makes a Jinja environment of its own (output/render.make_environment), and a fresh environment compiles
each template it renders. A process that builds again (the tests build the same fixture site dozens of times in one
worker) compiled the same templates again: in a whole run of
the tests, 1,396 of 2,901 compiles (13 s of CPU) were the same source at the same path in the same process.

What is kept is Jinja's own compiled code, in memory, under Jinja's own bucket: its key names the template and its
file's path (a runtime error in the template still names its own file), its checksum is a SHA-1 of the source (an
edited template is compiled again). Every environment that uses it is made by ``make_environment``, with the same
options, filters and globals, so the same source compiles to the same code; nothing is read from or written to disk
here (the sealed ``.cache/templates.pickle``, incremental/templates.py, is the disk's, and still gets every template
the build used). The output is the same byte for byte (tests/test_compiled_templates.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

MOST_KEPT = 256
"""At most this many compiled templates (the least recently used go first): a site has a few dozen templates, a
worker of the tests builds a few sites at a time."""

_kept: OrderedDict[tuple[str, str], CodeType] = OrderedDict()
_lock = threading.Lock()  # the preview renders in threads of its own


def _find(key: tuple[str, str]) -> CodeType | None:
    with _lock:
        code = _kept.get(key)
        if code is not None:
            _kept.move_to_end(key)
        return code


def _keep(key: tuple[str, str], code: CodeType) -> None:
    with _lock:
        _kept[key] = code
        _kept.move_to_end(key)
        while len(_kept) > MOST_KEPT:
            _kept.popitem(last=False)


def forget() -> None:
    """Nothing kept (for a test that counts compiles)."""
    with _lock:
        _kept.clear()


class CompiledInProcess(jinja2.BytecodeCache):
    """Jinja's bytecode cache: the templates compiled in this process, before ``disk`` (the build's .cache/, or None).

    A template found here that ``disk`` does not hold is given to ``disk`` as a compile would have given it, so the
    disk's file keeps every template the build used."""

    def __init__(self, disk: jinja2.BytecodeCache | None = None):
        self.disk = disk

    def load_bytecode(self, bucket: Bucket) -> None:
        key = (bucket.key, bucket.checksum)
        if self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                _keep(key, bucket.code)
                return
        code = _find(key)
        if code is None:
            return  # compiled by Jinja, then dump_bytecode
        bucket.code = code
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            _keep((bucket.key, bucket.checksum), bucket.code)
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)
