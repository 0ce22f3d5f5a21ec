"""Where the editors' forms (tools/cms.py) find Decap CMS and js-yaml: files a build reads outside content/,
data/, templates/ and static/. Kept apart so that ``build`` can stamp them before it imports the engine."""

from __future__ import annotations

from pathlib import Path

CMS_DIST = Path("node_modules/decap-cms/dist")
CMS_SCRIPT = "decap-cms.js"
YAML_SCRIPT = Path("node_modules/js-yaml/dist/js-yaml.min.js")
PACKAGE = "package.json"


def admin_inputs(source: Path) -> list[Path]:
    """Every file outside the four source folders that the forms may read (incremental/uptodate.py stamps them)."""
    dist = source / CMS_DIST
    try:
        scripts = sorted(dist.iterdir())
    except OSError:
        scripts = []
    return [source / PACKAGE, source / YAML_SCRIPT, dist, *scripts]
