"""Every data file in the style the forms write it, so that a save through the forms changes only what the editor changed.

The forms (Decap CMS at /admin/) write a data file with admin.js's writer: js-yaml's output, long texts as
``>-`` blocks, empty optional fields left out, fields in the order of their model, and the comments at the
top of the file kept (none inside it). A file written by hand in another style would be re-written whole at
its first save through the forms. This module runs that very writer under node (sitegen/tools/datastyle.js)
on every YAML file under data/, with the configuration the forms get (tools/cms.py), and reports or writes
the files it would change:

    python -m sitegen.tools.datastyle [--source DIR]            # list the files not in the forms' style (exit 1)
    python -m sitegen.tools.datastyle --write [--source DIR]    # write them in it

Files the forms do not edit (data/site.yaml, data/strings/*.yaml) are written in the same style, their fields
in the order they are, with nothing left out.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.sources.gather import gather
from sitegen.tools import cms
from sitegen.tools.cmsfiles import YAML_SCRIPT

NODE_SCRIPT = Path(__file__).with_name("datastyle.js")
ENGINE_ROOT = Path(__file__).resolve().parents[2]
"""The repository of the engine: its node_modules serve a site that has none of its own (a test's fixture site)."""


@dataclass(frozen=True)
class DataFile:
    path: str
    """Relative to the source root, e.g. data/testimonials/dana-levi.yaml."""
    kind: str
    """"list", "mapping" (a form's entry) or "plain" (a file the forms do not edit)."""
    fields: list[dict[str, Any]]


def data_files(source: Path) -> list[DataFile]:
    """Every YAML file under data/, with the format and fields the forms read and write it with."""
    config = cms.cms_config(gather(source), source)
    found: dict[str, DataFile] = {}
    for collection in config["collections"]:
        kind = "list" if collection.get("format", "").startswith("merhav-list-") else \
            "mapping" if collection.get("format", "").startswith("merhav-mapping-") else ""
        if not kind:
            continue
        for entry in collection.get("files", []):
            if (source / entry["file"]).is_file():  # a site may leave a data file out
                found[entry["file"]] = DataFile(entry["file"], kind, entry["fields"])
        if "folder" in collection:
            for path in sorted((source / collection["folder"]).glob(f"*.{collection.get('extension', 'yaml')}")):
                rel = path.relative_to(source).as_posix()
                found[rel] = DataFile(rel, kind, collection["fields"])
    for path in sorted((source / "data").rglob("*.y*ml")):
        rel = path.relative_to(source).as_posix()
        if path.is_file() and rel not in found:
            found[rel] = DataFile(rel, "plain", [])
    return [found[k] for k in sorted(found)]


def as_the_forms_write(source: Path, files: list[DataFile], texts: list[str]) -> list[str | None]:
    """The texts the forms' writer makes of ``texts`` (None for a file it cannot read)."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is needed to run the forms' writer (sitegen/tools/admin.js) — install Node.js")
    jsyaml = next((root / YAML_SCRIPT for root in (source, ENGINE_ROOT) if (root / YAML_SCRIPT).is_file()), None)
    if jsyaml is None:
        raise SystemExit(f"js-yaml is not installed in {source} — run `npm ci` there")
    job = {"admin": str(cms.ADMIN_SCRIPT.resolve()), "jsyaml": str(jsyaml.resolve()), "codes": gather(source).config.codes,
           "files": [{"kind": f.kind, "fields": f.fields, "text": text} for f, text in zip(files, texts, strict=True)]}
    done = subprocess.run([node, str(NODE_SCRIPT)], input=json.dumps(job), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    sys.stderr.write(done.stderr)
    out: list[str | None] = json.loads(done.stdout)
    return out


def restyle(source: Path, write: bool) -> list[str]:
    """The data files not in the forms' style (written in it when ``write``)."""
    files = data_files(source)
    texts = [(source / f.path).read_text(encoding="utf-8") for f in files]
    changed = []
    for file, before, after in zip(files, texts, as_the_forms_write(source, files, texts), strict=True):
        if after is None:
            raise SystemExit(f"{file.path}: the forms cannot read this file (above) — correct it (`python build.py check` says how)")
        if after == before:
            continue
        changed.append(file.path)
        if write:
            (source / file.path).write_text(after, encoding="utf-8", newline="\n")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen.tools.datastyle", description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path.cwd(), help="the site's folder (default: the current one)")
    parser.add_argument("--write", action="store_true", help="write the files in the forms' style")
    args = parser.parse_args(argv)
    changed = restyle(args.source, args.write)
    for path in changed:
        print(("written: " if args.write else "not in the forms' style: ") + path)
    return 0 if args.write or not changed else 1


if __name__ == "__main__":
    sys.exit(main())
