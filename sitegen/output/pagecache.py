"""The pages of the last build, reused when nothing that makes them has changed.

A page's HTML is made from the whole Site (the menu reads other pages' titles, listings read the data,
a template may show any page), the templates and the engine. So the pages are reused all together,
never one by one: ``site_fingerprint`` hashes every input of rendering — the engine's code and the
converters' versions (model/batch.py's fingerprint), every file under templates/, the settings, the
data, the UI strings, the published names of static files, and every page with all its fields — and
when it equals the one stored in ``.cache/pages.pickle``, the stored files are the build's pages, and the
stored Pagefind index (made from those pages only) its index; any change, anywhere, renders every page again. A build in which nothing changed then costs reading,
checking and writing only.

The file has a checksum of its payload and is read by an unpickler that admits no class at all (the
payload is made of dicts, strings and bytes): a damaged or foreign file is ignored and replaced.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import os
import pickle
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sitegen.model.batch import engine_fingerprint
from sitegen.model.site import Site

CACHE_NAME = "pages.pickle"
_MAGIC = b"merhav-pages-cache 2\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return repr(value)


def site_fingerprint(site: Site, templates: Path) -> str:
    digest = hashlib.sha256(engine_fingerprint().encode())
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(b"\0template\0" + path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    inputs = {
        "settings": site.config.settings.model_dump(mode="json"),
        "base_url": site.config.base_url,
        "data": site.data,
        "strings": site.strings,
        "static": list(site.static_files),
        "assets": site.assets,  # published names of static files; photos' variants, sizes and digests
    }
    digest.update(json.dumps(inputs, sort_keys=True, default=_plain, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    for page in site.pages:
        digest.update(b"\0page\0" + json.dumps(page, default=_plain, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class _NoClasses(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")


class PageCache:
    """``.cache/pages.pickle`` under a folder (None: remember nothing)."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_NAME if folder is not None else None
        self.rejected = ""

    def files_for(self, fingerprint: str) -> tuple[dict[str, bytes], dict[str, bytes]] | None:
        """(the pages, the search index) stored for a site with this fingerprint, or None."""
        if self.path is None:
            return None
        try:
            raw = self.path.read_bytes()
        except OSError:
            return None
        header, _, payload = raw.partition(b"\n\n")
        if header != _MAGIC + hashlib.sha256(payload).hexdigest().encode():
            self.rejected = "its checksum does not match (a truncated or damaged file)"
            return None
        try:
            stored = _NoClasses(io.BytesIO(payload)).load()
        except Exception as exc:  # noqa: BLE001 - an unreadable cache is ignored, never used
            self.rejected = f"it cannot be read ({type(exc).__name__})"
            return None
        if not isinstance(stored, dict) or stored.get("site") != fingerprint:
            return None
        parts: tuple[Any, Any] = (stored.get("files"), stored.get("index"))
        if not all(isinstance(part, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in part.items())
                   for part in parts):
            return None
        return dict(parts[0]), dict(parts[1])

    def store(self, fingerprint: str, files: dict[str, bytes], index: dict[str, bytes]) -> None:
        """Keep the pages and search index of this build (one atomic write; a cache that cannot be written is no error)."""
        if self.path is None:
            return
        payload = pickle.dumps({"site": fingerprint, "files": dict(sorted(files.items())), "index": dict(sorted(index.items()))},
                               protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{CACHE_NAME}.", dir=self.path.parent)
            with os.fdopen(handle, "wb") as file:
                file.write(_MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n\n" + payload)
            os.replace(temporary, self.path)
        except OSError:
            return
