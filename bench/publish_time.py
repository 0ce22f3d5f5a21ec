#!/usr/bin/env python3
"""From push to published, for a content-only change: the workflows' content path, replayed on this machine.

``python bench/publish_time.py [--rev REV] [--no-pip-cache] [--keep]``

In a temporary folder: ``git clone`` of this repository (the whole history, as ``fetch-depth: 0``), a
content-only commit on top (one sentence added to content/faculty.he.md), then each step the workflows
run for it, in a fresh virtual environment standing for the container's bare Python, every step timed by
GNU time (``/usr/bin/time``):

  test job (test.yml)   .ci/scope.sh → pip install -r requirements.txt → build.py check →
                        bash .ci/setup.sh (apt: only when something is missing; pip: requirements-dev.txt;
                        npm) → python -m pytest tests/real_site tests/test_hosting.py
                        (before tests/real_site exists: the real-site tests as they are today)
  build job (pages.yml) pip install -r requirements.txt → npm (js-yaml and Decap's bundle, for /admin/) →
                        build.py --out _site --base-url …
                        (in parallel with the test job on GitHub, after the check job)

What it cannot measure (GitHub's queue, runner start, container pull, the artifact upload and the Pages
deployment) is listed in bench/RESULTS.md. Nothing is timed in the unit tests.

``python bench/publish_time.py --cache [--projects N]`` replays pages.yml's build job for the same one-page change
twice, on fresh clones: cold (no .cache/, as before the workflows kept it) and from a restored cache (the previous
publish's .cache/, saved and restored as actions/cache does: a zstd tar). The previous publish is the build of
the commit before the change, in a clone of its own. ``--projects N`` first commits a catalogue of N generated
projects (bench/generate.py, from the clone's own content) as the site the change is made to. Both outputs are
compared byte for byte. The build runs with this Python (its packages are installed: pip's step is the same
either way and is timed by the replay above).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"
TODAYS_REAL_SITE_TESTS = ["tests/test_site_content.py", "tests/test_engine_real.py", "tests/browser/test_browser_pages.py",
                          "tests/browser/test_browser_axe.py", "tests/browser/test_browser_vnu.py", "tests/test_hosting.py"]
"""The tests that build the real content, before they move to tests/real_site/."""


@dataclass
class Step:
    job: str
    name: str
    command: str
    wall: float = 0.0
    user: float = 0.0
    system: float = 0.0
    rss_mb: float = 0.0
    code: int = 0
    tail: str = ""


def run(step: Step, cwd: Path, env: dict[str, str], log: Path) -> Step:
    stats = log.with_suffix(".time")
    with log.open("w") as out:
        done = subprocess.run([GNU_TIME, "-f", "%e %U %S %M", "-o", str(stats), "bash", "-c", step.command],
                              cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    fields = stats.read_text().split()[-4:]
    step.wall, step.user, step.system = (float(x) for x in fields[:3])
    step.rss_mb = int(fields[3]) / 1024
    step.code = done.returncode
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    step.tail = lines[-1] if lines else ""
    return step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="HEAD", help="the commit to start from (default HEAD)")
    parser.add_argument("--no-pip-cache", action="store_true", help="pip without its cache (PIP_NO_CACHE_DIR=1)")
    parser.add_argument("--tests", help="the tests to run instead of the content path's (e.g. tests/real_site at another --rev)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--cache", action="store_true", help="the build job only, cold and from a restored .cache/")
    parser.add_argument("--projects", type=int, default=0, help="with --cache: a catalogue of N generated projects first")
    args = parser.parse_args(argv)
    if not Path(GNU_TIME).is_file():
        raise SystemExit(f"{GNU_TIME} is missing: apt-get install time")
    if args.cache:
        return build_job_with_cache(args)
    if args.projects:
        raise SystemExit("--projects goes with --cache")

    tmp = Path(tempfile.mkdtemp(prefix="publish-time-"))
    clone, venv, logs = tmp / "clone", tmp / "venv", tmp / "logs"
    logs.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "GITHUB_ACTIONS")}
    env.update(PATH=f"{venv / 'bin'}:{env['PATH']}", VIRTUAL_ENV=str(venv), CI="true", BASE_URL="https://user.github.io/merhav/")
    if args.no_pip_cache:
        env["PIP_NO_CACHE_DIR"] = "1"
    git_env = "GIT_AUTHOR_NAME=Editor GIT_AUTHOR_EMAIL=e@example.invalid GIT_COMMITTER_NAME=Editor GIT_COMMITTER_EMAIL=e@example.invalid"
    edit = ("printf '\\nמשפט חדש שנוסף לבדיקת זמן הפרסום.\\n' >> content/faculty.he.md && "
            f"{git_env} git commit -q -am 'faculty: one more sentence' && git rev-parse HEAD~1 > ../before")
    tests = "tests/real_site tests/test_hosting.py"
    pytest = (f"if [ -d tests/real_site ]; then python -m pytest -q -p no:cacheprovider --durations=5 {tests}; "
              f"else python -m pytest -q -p no:cacheprovider --durations=5 {' '.join(TODAYS_REAL_SITE_TESTS)}; fi")
    if args.tests:
        pytest = f"python -m pytest -q -p no:cacheprovider --durations=5 {args.tests}"
    steps = [
        Step("-", "fresh clone (whole history)", f"git clone -q --no-local {shlex.quote(str(ROOT))} {clone} && "
                                                 f"git -C {clone} checkout -q {shlex.quote(args.rev)}"),
        Step("-", "a content-only commit", edit),
        Step("-", "fresh Python environment (the container's bare Python; not a workflow step)", f"{sys.executable} -m venv {venv}"),
        Step("test", "scope (.ci/scope.sh)", 'if [ -f .ci/scope.sh ]; then test "$(bash .ci/scope.sh "$(cat ../before)")" = content; '
                                             'else echo "no .ci/scope.sh at this commit"; fi'),
        Step("test", "pip install -r requirements.txt", "python -m pip install -q -r requirements.txt"),
        Step("test", "python build.py check", "python build.py check"),
        Step("test", "bash .ci/setup.sh (apt present; pip dev; npm)", "bash .ci/setup.sh"),
        Step("test", f"real-site tests ({args.tests or 'the content path'})", pytest),
        Step("build", "pip install -r requirements.txt (build job; already there)", "python -m pip install -q -r requirements.txt"),
        Step("build", "npm for /admin/ (build job: pages.yml's step at this commit)",
             # pages.yml's npm step at the replayed commit: before .ci/decap-bundle.sh, one npm ci of Decap's whole tree
             "if [ -f .ci/decap-bundle.sh ]; then npm ci -s --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund "
             "&& bash .ci/decap-bundle.sh; else npm ci -s --omit=dev --ignore-scripts --no-audit --no-fund; fi"),
        Step("build", "python build.py --base-url …", 'python build.py --out _site --base-url "$BASE_URL"'),
    ]
    started = time.strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[0]
    for i, step in enumerate(steps):
        cwd = tmp if i == 0 else clone
        run(step, cwd, env, logs / f"{i:02d}.log")
        print(f"{step.wall:7.1f} s  {'ok' if step.code == 0 else f'exit {step.code}':>7}  {step.name}: {step.tail[:100]}", flush=True)
        if step.code != 0 and step.job == "-":
            raise SystemExit(f"{step.name} failed: see {logs}")

    test_job = sum(s.wall for s in steps if s.job == "test")
    build_job = sum(s.wall for s in steps if s.job == "build")
    print(f"\n{started}, load average {load:.2f} at the start, {os.cpu_count()} cores; "
          f"rev {subprocess.run(['git', '-C', str(clone), 'rev-parse', '--short', 'HEAD~1'], capture_output=True, text=True).stdout.strip()}"
          f"{', pip without cache' if args.no_pip_cache else ', pip with its cache'}\n")
    print("| job | step | wall | user | sys | max RSS | result |\n|---|---|---:|---:|---:|---:|---|")
    for s in steps:
        print(f"| {s.job} | {s.name} | {s.wall:.1f} s | {s.user:.1f} s | {s.system:.1f} s | {s.rss_mb:.0f} MB | "
              f"{'ok' if s.code == 0 else f'exit {s.code}'}: {s.tail[:90].replace('|', '/')} |")
    print(f"\ntest job steps: {test_job:.1f} s; build job steps: {build_job:.1f} s (in parallel on GitHub)")
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.invalid", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "e@example.invalid"}
BUILD = 'python build.py --out _site --base-url "$BASE_URL"'
"""pages.yml's build step."""


def build_job_with_cache(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="publish-cache-"))
    logs = tmp / "logs"
    logs.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "GITHUB_ACTIONS")}
    env.update(GIT_ENV, CI="true", BASE_URL="https://user.github.io/merhav/",
               PATH=f"{Path(sys.executable).parent}:{env['PATH']}")
    catalogue = ""
    if args.projects:
        # as bench/compare.py: a cohort's own file stays under the 2 MB limit
        catalogue = (f"rm -rf ../generated && {shlex.quote(sys.executable)} bench/generate.py {args.projects} ../generated "
                     f"--cohorts {max(5, -(-args.projects // 400))} --content-from . >/dev/null && rm -rf content data && cp -a ../generated/content ../generated/data . && "
                     f"git add -A content data && git commit -q -m 'a catalogue of {args.projects} projects' && ")
    edit = ("printf '\nמשפט חדש שנוסף לבדיקת זמן הפרסום.\n' >> content/faculty.he.md && "
            "git commit -q -am 'faculty: one more sentence'")
    tar = "tar --zstd" if shutil.which("zstd") else "tar -z"
    steps = [
        Step("-", "the repository" + (f" with {args.projects} generated projects" if args.projects else ""),
             f"git clone -q --no-local {shlex.quote(str(ROOT))} origin && cd origin && git checkout -q {shlex.quote(args.rev)} && "
             f"{catalogue}true"),
        Step("previous", "fresh clone of the commit before the change", "git clone -q --no-local origin previous"),
        Step("previous", "build (the previous publish, cold)", f"cd previous && {BUILD}"),
        Step("previous", "save .cache/ (actions/cache: a zstd tar)", f"cd previous && {tar} -cf ../cache.tar .cache && du -sh ../cache.tar"),
        Step("-", "the one-page content change", f"cd origin && {edit}"),
        Step("cold", "fresh clone", "git clone -q --no-local origin cold"),
        Step("cold", "build, cold", f"cd cold && {BUILD}"),
        Step("cached", "fresh clone", "git clone -q --no-local origin cached"),
        Step("cached", "restore .cache/ (actions/cache)", f"cd cached && {tar} -xf ../cache.tar"),
        Step("cached", "build, from the restored cache", f"cd cached && {BUILD}"),
        Step("-", "the two outputs byte for byte", "diff -r cold/_site cached/_site && echo identical"),
    ]
    started, load = time.strftime("%Y-%m-%d %H:%M"), os.getloadavg()[0]
    for i, step in enumerate(steps):
        run(step, tmp, env, logs / f"{i:02d}.log")
        print(f"{step.wall:7.1f} s  {'ok' if step.code == 0 else f'exit {step.code}':>7}  {step.name}: {step.tail[:100]}", flush=True)
        if step.code != 0:
            raise SystemExit(f"{step.name} failed: see {logs}")
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.rev], capture_output=True, text=True).stdout.strip()
    size = f"{args.projects} generated projects" if args.projects else "the real content"
    print(f"\n{started}, load average {load:.2f} at the start, {os.cpu_count()} cores; {size}; on {rev}\n")
    print("| run | step | wall | user | sys | max RSS | result |\n|---|---|---:|---:|---:|---:|---|")
    for s in steps:
        print(f"| {s.job} | {s.name} | {s.wall:.1f} s | {s.user:.1f} s | {s.system:.1f} s | {s.rss_mb:.0f} MB | {s.tail[:60].replace('|', '/')} |")
    cold = next(s for s in steps if s.name == "build, cold")
    cached = [s for s in steps if s.job == "cached"]
    print(f"\nbuild job, cold: {cold.wall:.1f} s; from the restored cache: {sum(s.wall for s in cached[1:]):.1f} s "
          f"(restore {cached[1].wall:.1f} s + build {cached[2].wall:.1f} s)")
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
