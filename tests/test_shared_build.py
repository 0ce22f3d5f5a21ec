"""tests/shared_build.py: a shared site is made once per run however many processes ask at once; a failed one is
made again by the next to ask; the run's folder belongs to the process that started the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import shared_build

TESTS = Path(__file__).resolve().parent
ASK = """
import sys, time
sys.path.insert(0, {tests!r})
from shared_build import shared

def make(folder):
    with open({log!r}, "a") as log:
        log.write("made\\n")
    time.sleep(1)  # long enough for the other processes to ask meanwhile
    (folder / "page.html").write_text("built")

print(shared("site", make))
"""


def test_processes_asking_at_once_share_one_build(tmp_path: Path) -> None:
    run, log = tmp_path / "run", tmp_path / "made.log"
    run.mkdir()
    env = {**os.environ, shared_build.RUN_VARIABLE: str(run)}
    script = ASK.format(tests=str(TESTS), log=str(log))
    askers = [subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    answers = [asker.communicate(timeout=120)[0].strip() for asker in askers]
    assert [asker.returncode for asker in askers] == [0, 0, 0]
    assert answers == [str(run / "site")] * 3
    assert log.read_text() == "made\n", "built once"
    assert (run / "site" / "page.html").read_text() == "built"


def test_a_failed_build_is_made_again_by_the_next_to_ask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(shared_build.RUN_VARIABLE, str(tmp_path))
    attempts: list[Path] = []

    def failing(folder: Path) -> None:
        attempts.append(folder)
        (folder / "half").write_text("")
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError):
        shared_build.shared("site", failing)
    folder = shared_build.shared("site", lambda f: attempts.append(f))
    assert attempts == [folder, folder]
    assert sorted(p.name for p in folder.iterdir()) == [shared_build.DONE], "the failed attempt's files are gone"
    shared_build.shared("site", lambda f: attempts.append(f))
    assert len(attempts) == 2, "then made once for the run"


def test_the_run_folder_belongs_to_the_process_that_started_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(shared_build.RUN_VARIABLE)
    owned = shared_build.start_run()
    assert owned is not None and owned.is_dir()
    assert shared_build.start_run() is None, "a worker, or a pytest a test starts, inherits it and does not own it"
    shared_build.end_run(owned)
    assert not owned.exists() and shared_build.RUN_VARIABLE not in os.environ
