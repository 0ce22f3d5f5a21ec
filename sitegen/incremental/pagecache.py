"""What the last build made, kept in ``.cache/pages.pickle`` so that the next one redoes only what changed.

- **Pages.** Each page's HTML with the digests of what it was made from (incremental/inputs.py): a page whose
  inputs are the same is taken from here, the others are rendered again.
- **The search index.** Each language's part of Pagefind's bundle, with a digest of the pages it indexed
  (output/search.py's ``language_keys``): reused when none of that language's indexed pages changed.
- **The share images.** Each language's PNG by its output path (a digest of what it is drawn from): drawing one
  takes ~60 ms, as long as rendering a page; kept only while the engine and the site's settings are the same.
- **What was written.** For each file of the output folder: a digest of its bytes and the folder entry's
  size, modification time and inode right after the build. output/write.py links a file of the old
  folder into the new one, instead of writing it again, only when its bytes are the same and the entry
  is still the one the build wrote.

Deleting the file only makes the next build slower. It carries a checksum of its payload and is read by
an unpickler that admits no class at all (the payload is dicts, lists, tuples, strings, numbers and bytes):
a damaged or foreign file is ignored and replaced, never used.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from sitegen.incremental.inputs import RenderInputs
from sitegen.incremental.sealed import dump_sealed, load_sealed
from sitegen.output.write import Written

CACHE_NAME = "pages.pickle"
_MAGIC = b"merhav-pages-cache 3\n"

@dataclass
class LastBuild:
    inputs: RenderInputs
    pages: dict[str, bytes]
    """Output path → HTML of every page."""
    index: dict[str, tuple[str, dict[str, bytes]]] = field(default_factory=dict)
    """Language → (key, its part of the search index): output/search.py's SearchIndex.parts."""
    written: Written | None = None
    share: dict[str, bytes] = field(default_factory=dict)
    """Output path → PNG of the share images (output/share.py), drawn with ``inputs.common``."""


class _NoClasses(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


def _bytes_by_path(value: Any) -> TypeGuard[dict[str, bytes]]:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in value.items())


def _index_parts(value: Any) -> TypeGuard[dict[str, tuple[str, dict[str, bytes]]]]:
    return isinstance(value, dict) and all(
        isinstance(lang, str) and isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], str) and _bytes_by_path(part[1])
        for lang, part in value.items())


def _written(value: Any) -> Written | None:
    if not isinstance(value, dict) or not isinstance(value.get("out"), str) or not isinstance(value.get("files"), dict):
        return None
    files = value["files"]
    for rel, stamp in files.items():
        if not (isinstance(rel, str) and isinstance(stamp, tuple) and len(stamp) == 4 and isinstance(stamp[0], str)
                and all(isinstance(n, int) for n in stamp[1:])):
            return None
    return Written(out=value["out"], files=files)


class PageCache:
    """``.cache/pages.pickle`` under a folder (None: remember nothing)."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME if folder is not None else None
        self.rejected = ""

    def load(self) -> LastBuild | None:
        """What the last build stored, or None (no file, a damaged or foreign one)."""
        if self.path is None:
            return None
        stored, self.rejected = load_sealed(self.path, _MAGIC, _NoClasses)
        if not isinstance(stored, dict):
            return None
        inputs = RenderInputs.from_plain(stored.get("inputs"))
        pages, index, share = stored.get("pages"), stored.get("index"), stored.get("share", {})
        if inputs is None or not _bytes_by_path(pages) or not _index_parts(index) or not _bytes_by_path(share):
            return None
        return LastBuild(inputs=inputs, pages=pages, index=index, written=_written(stored.get("written")), share=share)

    def store(self, last: LastBuild) -> None:
        """Keep what this build made (one atomic write; a cache that cannot be written is no error)."""
        if self.path is None:
            return
        written = {"out": last.written.out, "files": dict(sorted(last.written.files.items()))} if last.written else None
        dump_sealed(self.path, _MAGIC, {"inputs": last.inputs.to_plain(), "pages": dict(sorted(last.pages.items())),
                                        "index": dict(sorted(last.index.items())), "written": written,
                                        "share": dict(sorted(last.share.items()))})
