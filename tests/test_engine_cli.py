"""The command line: the summary, drafts, the progress bar, the default command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TinySite

from sitegen import cli


def test_a_build_ends_with_a_summary(tiny: TinySite) -> None:
    tiny.write({"content/news.en.md": "---\ntitle: News\n---\n", "static/style.css": "body {}\n"})
    code, out, err = tiny.run()
    assert code == 0
    assert re.fullmatch(r"Built src/site: 3 pages in he \(1 stand-in\), 3 in en; 5 other files; \d+\.\d\d s\.\n", out), out


def test_build_is_the_default_command(tiny: TinySite, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--source", str(tiny.root)]) == 0
    assert capsys.readouterr().out.startswith("Built src/site: 2 pages in he, 2 in en;")


def test_options_may_come_before_the_command(tiny: TinySite, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--source", str(tiny.root), "check"]) == 0
    assert capsys.readouterr().out.startswith("No problems found.")
    assert not tiny.out.exists()


def test_the_summary_shows_an_output_folder_elsewhere_in_full(tiny: TinySite, tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("elsewhere") / "site"
    code, stdout, _ = tiny.run("--out", str(out))
    assert code == 0
    assert stdout.startswith(f"Built {out}: ")


def test_drafts_are_left_out_unless_asked_for(tiny: TinySite) -> None:
    tiny.write({
        "content/plans.he.md": "---\ntitle: תכניות\ndraft: true\n---\n",
        "content/plans.en.md": "---\ntitle: Plans\ndraft: true\n---\n",
    })
    code, out, _ = tiny.run()
    assert code == 0 and "2 pages in he" in out
    assert not (tiny.out / "plans").exists() and not (tiny.out / "en/plans").exists()
    code, out, _ = tiny.run("--drafts")
    assert code == 0 and "3 pages in he" in out
    assert '<meta name="robots" content="noindex">' in tiny.html("plans/index.html")
    assert '<meta name="robots" content="noindex">' in tiny.html("en/plans/index.html")


class _Terminal:
    """A stand-in for sys.stderr on a terminal."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_a_slow_build_on_a_terminal_shows_progress_and_ci_stays_quiet(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny.write({f"content/p{i}.he.md": f"---\ntitle: עמוד {i}\n---\n" for i in range(60)})
    tiny.write({f"content/p{i}.en.md": f"---\ntitle: Page {i}\n---\n" for i in range(60)})
    clock = iter(range(0, 10_000))
    monkeypatch.setattr("sitegen.output.render.time.monotonic", lambda: float(next(clock)))  # every look at the clock: a second later
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert cli.main(["build", "--source", str(tiny.root)]) == 0
    assert "\rrendering [" in terminal.text and "] 100/126" in terminal.text
    assert terminal.text.endswith("\r" + " " * 60 + "\r" + "note: no base URL: sitemap.xml and canonical links left out — set base_url in data/site.yaml or pass --base-url\n")
    monkeypatch.setenv("CI", "true")
    terminal.text = ""
    assert cli.main(["build", "--source", str(tiny.root)]) == 0
    assert "rendering" not in terminal.text


def test_build_py_runs_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, str(repo / "build.py"), "check", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "--strict" in result.stdout
