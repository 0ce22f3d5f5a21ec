"""Templates compiled once per process: a template Jinja has compiled in this process from the same source is not
compiled again by the next build's environment, whichever folder the source is in.

Every build makes a Jinja environment of its own (output/render.make_environment), and a fresh environment compiles
each template it renders. A process that builds again (the preview; the tests, which build fixture sites made of the
same templates dozens of times in one worker) compiled the same templates again: in a whole run of the tests, 2,901
compiles (27.7 s of CPU), of which 1,396 the same source at the same path, and most of the others the same source
copied into another folder.

What is kept is Jinja's compiled code, in memory, by the template's name and a SHA-1 of its source (Jinja's own
checksum: an edited template is compiled again). Jinja's Python for a template does not depend on its file's path
(the same source at two paths gives the same Python: tests/test_compiled_templates.py); only the compiled code names its file, so code kept
from another folder is given this file's path before it is used (``at_path``): a template's runtime error, and
``Template.filename``, name the file the build read. Every environment that uses it is made by ``make_environment``,
with the same options, filters and globals, so the same name and source compile to the same code. Nothing is read
from or written to disk here (the sealed ``.cache/templates.pickle``, incremental/templates.py, is the disk's, and
still gets every template the build used). The output is the same byte for byte (tests/test_compiled_templates.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import CodeType
from typing import Any

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


def at_path(code: CodeType, filename: str) -> CodeType:
    """``code`` naming ``filename`` as its file, and so every function compiled in it (the template's blocks, macros)."""
    if code.co_filename == filename:
        return code
    consts = tuple(at_path(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


class _Bucket(Bucket):
    """Jinja's bucket, knowing which template it holds (Jinja's own key hashes the name with the path)."""

    def __init__(self, environment: jinja2.Environment, key: str, checksum: str, name: str, filename: str | None):
        super().__init__(environment, key, checksum)
        self.kept_as = (name, checksum)
        self.filename = filename


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

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        """Jinja's own (BytecodeCache.get_bucket), with the template's name kept on the bucket."""
        bucket = _Bucket(environment, self.get_cache_key(name, filename), self.get_source_checksum(source), name, filename)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        kept_as: Any = getattr(bucket, "kept_as", None)
        if self.disk is not None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                if kept_as:
                    _keep(kept_as, bucket.code)
                return
        code = _find(kept_as) if kept_as else None
        if code is None:
            return  # compiled by Jinja, then dump_bytecode
        filename = getattr(bucket, "filename", None)
        bucket.code = at_path(code, filename) if filename else code
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        kept_as: Any = getattr(bucket, "kept_as", None)
        if bucket.code is not None and kept_as:
            _keep(kept_as, bucket.code)
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)
