"""``python build.py [build|check|serve|status|new] [options]`` — exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.errors import BuildFailed, ContentError, only_errors, unread_note
from sitegen.output.uptodate import Report, UpToDate, up_to_date
from sitegen.tools.cmsfiles import admin_inputs
from sitegen.urls import BadBaseUrl, parse_base_url, preview_base_url

if TYPE_CHECKING:
    from sitegen.pipeline import Options

# The rest of the engine is imported where it is used: a build in which nothing changed (output/uptodate.py)
# is told and reported without it, in a fraction of the time its import takes.

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
SOURCE_TEXT = "docs/source/programme.he.txt"
"""The programme's source text, for ``fidelity`` (tools/fidelity.py)."""
CACHE_FOLDER = ".cache"  # pipeline.CACHE_FOLDER (tests/test_uptodate.py checks they agree), not imported: see above


class Interrupted(BaseException):
    """SIGTERM or SIGHUP during a build: unwinds like Ctrl-C, so the writer puts the previous site back and
    removes its temporary folders (output/write.py)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    saved = {}
    try:
        for number in (signal.SIGTERM, signal.SIGHUP):
            saved[number] = signal.signal(number, stop)
    except ValueError:  # not the main thread: the caller handles its own signals
        pass
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _base_url(value: str) -> str:
    try:
        parse_base_url(value)
    except BadBaseUrl as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 256:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes — give a number from 0 (one a core) to 256")
    return value


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port — give a number from 1 to 65535, e.g. 8000")
    return int(value)


def parser(default_source: Path, prog: str = "build.py") -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog=prog, description="Build the bilingual Merhav site from content/, data/, templates/ and static/.")
    commands = main.add_subparsers(dest="command", metavar="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", type=Path, default=default_source, help="folder holding content/ data/ templates/ static/ (default: the folder of build.py)")
        p.add_argument("--base-url", type=_base_url, help="absolute address of the published site, for canonical links and the sitemap (default: base_url in data/site.yaml)")
        p.add_argument("--drafts", action="store_true", help="include pages with draft: true")
        p.add_argument("--strict", action="store_true", help="treat missing translations as errors")

    build_cmd = commands.add_parser("build", help="build the site into the output folder (the default command)")
    common(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: <source>/site)")
    check_cmd = commands.add_parser("check", help="validate everything and write nothing; then list missing translations")
    common(check_cmd)
    for p in (build_cmd, check_cmd):
        p.add_argument("--jobs", "-j", type=_jobs, default=0, help="worker processes for Markdown and templates (default: one a core; 1: none)")
        p.add_argument("--no-cache", action="store_true", help="convert every text again, neither reading nor writing <source>/.cache/")
    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change (drafts shown)")
    common(serve_cmd)
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port to serve on (default 8000)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1; 0.0.0.0 exposes the preview to the network)")
    serve_cmd.add_argument("--out", type=Path, help="preview folder (default: <source>/.preview; never site/)")
    status_cmd = commands.add_parser("status", help="translation status: one-language pages, empty texts, stale translations (from git)")
    common(status_cmd)
    fidelity_cmd = commands.add_parser("fidelity", help="a report: where each line of the programme's source text is on the site")
    common(fidelity_cmd)
    fidelity_cmd.add_argument("--source-text", type=Path, help=f"the source text (default: <source>/{SOURCE_TEXT})")
    add_new_command(commands, default_source)                                  # new project / new page (tools/scaffold.py)
    return main


def add_new_command(commands: Any, default_source: Path) -> None:
    """``new project --cohort <id> <slug>`` and ``new page <path>`` (carried out by tools/scaffold.py)."""
    new = commands.add_parser("new", help="add a project entry or a page, with TODO where the text goes (like hugo new)")
    new.add_argument("--source", type=Path, default=default_source, help="folder holding content/ data/ templates/ static/")
    kinds = new.add_subparsers(dest="kind", metavar="kind", required=True)
    project = kinds.add_parser("project", help="append a project to a cohort in data/cohorts/<id>.yaml")
    project.add_argument("--cohort", required=True, help="the cohort's id, e.g. a")
    project.add_argument("slug", help="the project's web address under the cohort: lowercase Latin letters, digits, hyphens")
    page = kinds.add_parser("page", help="create content/<path>.<lang>.md in every language")
    page.add_argument("path", help="the page's path under content/ without language and .md, e.g. about/history")
    for sub in (project, page):
        sub.add_argument("--source", type=Path, default=argparse.SUPPRESS, help="folder holding content/ data/ templates/ static/")


def main(argv: list[str] | None = None, default_source: Path | None = None, prog: str = "build.py") -> int:
    argv = _command_first(list(sys.argv[1:] if argv is None else argv))
    try:
        working = default_source or Path.cwd()
    except OSError:  # e.g. a shell still in site/ after a build replaced it
        print(f"{prog}: error: the current folder no longer exists (a build replaces site/) — go to the project's folder again, "
              "e.g. cd .. then cd back in", file=sys.stderr)
        return EXIT_USAGE
    try:
        args = parser(working, prog).parse_args(argv)
    except SystemExit as stop:  # argparse has printed the usage and the error (or the help)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    source: Path = args.source.resolve()
    if not source.is_dir():
        print(f"build.py: error: --source {args.source} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "new":
        from sitegen.tools.scaffold import run_new

        return run_new(args, source)
    default_out = source / (".preview" if args.command == "serve" else "site")
    out = (getattr(args, "out", None) or default_out).resolve()
    unchanged: UpToDate | None = None
    if args.command == "build" and not args.no_cache:  # nothing changed since the last build: say so, import nothing more
        unchanged = up_to_date(source, out, (args.base_url, args.drafts, args.strict), admin_inputs(source), source / CACHE_FOLDER)
        if unchanged.report is not None:
            _say(unchanged.report, out, unchanged.seconds, built=False)
            return EXIT_OK
    from sitegen.pipeline import Options, build_if_changed, check_output_folder

    options = Options(source=source, out=out, base_url=args.base_url, drafts=args.drafts, strict=args.strict,
                      progress=sys.stderr.isatty() and not os.environ.get("CI"),
                      jobs=getattr(args, "jobs", 0), cache=not getattr(args, "no_cache", False))
    if args.command == "check":
        return _check(options)
    if args.command == "status":
        return _status(options)
    if args.command == "fidelity":
        return _fidelity(options, args.source_text)
    try:
        refusal = check_output_folder(source, out)
    except OSError as exc:  # a name too long, a loop of links, a folder we may not look into
        refusal = f"cannot use the output folder {_shown(out)} ({exc.strerror or exc}) — choose another, e.g. {_shown(source / 'site')}"
    if refusal:
        print(f"build.py: error: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "serve":
        from sitegen.preview.live import LiveBuild
        from sitegen.preview.serve import serve

        # The preview is served at the root of its own address, whatever path the published site has.
        preview = replace(options, base_url=preview_base_url(args.host, args.port))
        return serve(LiveBuild(preview), source, out, args.host, args.port, _report)
    try:
        with _interruptible():
            outcome = build_if_changed(options, unchanged)
    except (KeyboardInterrupt, Interrupted) as stop:
        signum = stop.signum if isinstance(stop, Interrupted) else signal.SIGINT
        print(f"\nbuild.py: interrupted ({signal.Signals(signum).name}) — nothing was written, {_shown(out)} is unchanged",
              file=sys.stderr)
        return 128 + signum
    except BuildFailed as failed:
        _report(failed.errors)
        print(f"\nBuild failed: {_count(len(failed.errors), 'problem')}; nothing was written, {_shown(out)} is unchanged.", file=sys.stderr)
        note = unread_note(failed.errors)
        if note:
            print(f"note: {note}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:  # a full disk, a folder we may not write to: the old site is still there
        print(f"build.py: error: cannot write {_shown(out)}: {exc.strerror or exc} ({exc.filename or out})", file=sys.stderr)
        return EXIT_CONTENT
    _say(outcome.report, out, outcome.seconds, outcome.built)
    return EXIT_OK


def _say(report: Report, out: Path, seconds: float, built: bool) -> None:
    """A build's warnings and notes on the standard error, its summary on the standard output."""
    _report([w for w in report.warnings if w not in report.gaps])
    if report.gaps:
        pronoun = "it" if len(report.gaps) == 1 else "them"
        print(f"note: {_gaps_in_words(report.gaps)} — python build.py check lists {pronoun}", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(_summary(report, out, seconds, built))


COMMANDS = ("build", "check", "fidelity", "new", "serve", "status")
VALUE_OPTIONS = ("--source", "--out", "--base-url", "--port", "--host", "--source-text")


def _command_first(argv: list[str]) -> list[str]:
    """``--source x check`` means ``check --source x``; no command at all means ``build``."""
    for i, arg in enumerate(argv):
        if arg in COMMANDS and (i == 0 or argv[i - 1] not in VALUE_OPTIONS):
            return [arg, *argv[:i], *argv[i + 1:]]
    if argv and (argv[0] in ("-h", "--help") or not argv[0].startswith("-")):
        return argv  # help, or an unknown command that argparse names
    return ["build", *argv]


def _summary(report: Report, out: Path, seconds: float, built: bool = True) -> str:
    """Built site: 7 pages in he (1 stand-in), 7 in en; 5 other files; 0.21 s. ("Up to date" when nothing changed.)"""
    per_lang = []
    for i, (code, pages, stand_ins) in enumerate(report.pages):
        text = f"{_count(pages, 'page')} in {code}" if i == 0 else f"{pages} in {code}"
        if stand_ins:
            text += f" ({_count(stand_ins, 'stand-in')})"
        per_lang.append(text)
    said = f"{_shown(out)}: {', '.join(per_lang)}; {report.other_files} other files; {seconds:.2f} s"
    return f"Built {said}." if built else f"Up to date {said} — no source changed since the last build, nothing was written."


def _check(options: Options) -> int:
    from sitegen.pipeline import check

    checked = check(options)
    _report(checked.problems)
    errors = only_errors(checked.problems)
    if errors:
        note = unread_note(errors)
        print(f"\n{_count(len(errors), 'problem')}." + (f"\nnote: {note}" if note else ""), file=sys.stderr)
    else:
        print("No problems found.\n")
    if errors and not checked.gaps:
        return EXIT_CONTENT
    if not checked.gaps:
        print("Translation status:\n  every page and text exists in every language.")
        return EXIT_OK
    print(f"Translation status: {_gaps_in_words(checked.gaps)}:")
    for gap in checked.gaps:
        print(f"  {gap.path}{f':{gap.line}' if gap.line else ''}: {gap.message}")
    if os.environ.get("GITHUB_ACTIONS") == "true" and not options.strict:
        for gap in checked.gaps:
            print(gap.github_annotation(), file=sys.stderr)
    return EXIT_CONTENT if errors else EXIT_OK


def _status(options: Options) -> int:
    """The translation dashboard in the terminal; with --strict, exit 1 when it lists anything."""
    from sitegen.sources.gather import gather
    from sitegen.tools.status import format_text, translation_status

    try:
        sources = gather(options.source, options.base_url)
    except BuildFailed as failed:
        _report(failed.errors)
        return EXIT_CONTENT
    report = translation_status(sources)
    print("Translation status:")
    print(format_text(report))
    return EXIT_CONTENT if options.strict and report.entries() else EXIT_OK


def _fidelity(options: Options, source_text: Path | None) -> int:
    """The report of sitegen/tools/fidelity.py on the standard output; exit 0 whatever it finds (it is no gate)."""
    from sitegen.pipeline import make_site
    from sitegen.tools.fidelity import fidelity_report

    text = source_text or options.source / SOURCE_TEXT
    if not text.is_file():
        print(f"build.py fidelity: error: no source text at {_shown(text)} — pass --source-text PATH", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = make_site(options)
    except BuildFailed as failed:
        _report(failed.errors)
        return EXIT_CONTENT
    shown = _shown(text) if source_text else SOURCE_TEXT
    print(fidelity_report(result.site, result.files, text, shown).format(), end="")
    return EXIT_OK


def _gaps_in_words(gaps: list[ContentError]) -> str:
    """'1 page and 4 texts exist in one language only'."""
    pages = sum(1 for g in gaps if g.path.startswith("content/"))
    counts = [_count(n, noun) for n, noun in ((pages, "page"), (len(gaps) - pages, "text")) if n]
    return f"{' and '.join(counts)} {'exists' if len(gaps) == 1 else 'exist'} in one language only"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _report(problems: list[ContentError]) -> None:
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
        if annotate:
            print(problem.github_annotation(), file=sys.stderr)


def _shown(path: Path) -> str:
    """The output folder as the editor typed it: relative below the working folder, else in full."""
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):  # OSError: the working folder was the output folder, replaced by the build
        return str(path)


def console() -> int:
    """The ``merhav-site`` command (and ``python -m sitegen``): the sources are the current folder unless --source says otherwise."""
    return main(prog="merhav-site")
