"""``python build.py [build|check|serve|status|new] [options]`` — exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.errors import BuildFailed, ContentError, capped, only_errors, unread_note
from sitegen.incremental.uptodate import Report, UpToDate, up_to_date
from sitegen.messages import Message, languages, localized, msg
from sitegen.messages.language import ENVIRONMENT, choose_language
from sitegen.tools.cmsfiles import admin_inputs
from sitegen.urls import BadBaseUrl, parse_base_url, preview_base_url

if TYPE_CHECKING:
    from sitegen.pipeline import Options

# The rest of the engine is imported where it is used: a build in which nothing changed (incremental/uptodate.py)
# is told and reported without it, in a fraction of the time its import takes.

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
SOURCE_TEXT = "docs/source/programme.he.txt"
"""The programme's source text, for ``fidelity`` (tools/fidelity.py)."""
CACHE_FOLDER = ".cache"  # pipeline.CACHE_FOLDER (tests/test_uptodate.py checks they agree), not imported: see above


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C (a KeyboardInterrupt, so whatever lets Ctrl-C through lets it through).
    During a build the writer puts the previous site back and removes its temporary folders (output/write.py); the
    preview stops as on Ctrl-C (preview/serve.py). Process managers (systemd, docker stop), CI cancelling a job and
    the tests stop a command with SIGTERM."""

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
        raise argparse.ArgumentTypeError(localized(exc.args[0])) from exc
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 256:
        raise argparse.ArgumentTypeError(msg("'{text}' is not a number of processes — give a number from 0 (one a core) to 256",
                                             text=text).localized())
    return value


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(msg("'{value}' is not a port — give a number from 1 to 65535, e.g. 8000", value=value).localized())
    return int(value)


@functools.lru_cache(maxsize=8)
def parser(default_source: Path, prog: str = "build.py") -> argparse.ArgumentParser:
    """The command line's parser (made once per folder and name in a process: parse_args changes nothing in it, and
    making it, with its eight commands, took ~3 ms, paid by every command the tests run in-process)."""
    main = argparse.ArgumentParser(prog=prog, description="Build the bilingual Merhav site from content/, data/, templates/ and static/.")
    commands = main.add_subparsers(dest="command", metavar="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", type=Path, default=default_source, help="folder holding content/ data/ templates/ static/ (default: the folder of build.py)")
        p.add_argument("--base-url", type=_base_url, help="absolute address of the published site, for canonical links and the sitemap (default: base_url in data/site.yaml)")
        p.add_argument("--drafts", action="store_true", help="include pages with draft: true")
        p.add_argument("--strict", action="store_true", help="treat missing translations as errors")
        _messages_option(p)

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
    launch_cmd = commands.add_parser("launch", help="list the facts the programme must still supply before the site goes live "
                                                    "(exit 0 whatever it lists)")
    common(launch_cmd)
    launch_cmd.add_argument("--markdown", action="store_true", help="a Markdown list, for the publishing workflow's summary")
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
        _messages_option(sub, default=argparse.SUPPRESS)
    _messages_option(new)


def _messages_option(p: argparse.ArgumentParser, default: Any = None) -> None:
    p.add_argument("--messages", metavar="LANG", default=default,
                   help=f"the language of the messages: {', '.join(languages())} (default: ${ENVIRONMENT}, else the site's first language)")


def main(argv: list[str] | None = None, default_source: Path | None = None, prog: str = "build.py") -> int:
    argv = _command_first(list(sys.argv[1:] if argv is None else argv))
    try:
        working = default_source or Path.cwd()
    except OSError:  # e.g. a shell still in site/ after a build replaced it
        _error(prog, msg("the current folder no longer exists (a build replaces site/) — go to the project's folder again, "
                         "e.g. cd .. then cd back in"))
        return EXIT_USAGE
    choose_language(_early_source(argv, working), _early_option(argv, "--messages"))  # argparse's own refusals too
    try:
        args = parser(working, prog).parse_args(argv)
    except SystemExit as stop:  # argparse has printed the usage and the error (or the help)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    source: Path = args.source.resolve()
    choose_language(source, args.messages)
    if not source.is_dir():
        _error("build.py", msg("--source {folder} is not a folder", folder=args.source))
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
    if args.command == "launch":
        return _launch(options, args.markdown)
    try:
        refusal = check_output_folder(source, out)
    except OSError as exc:  # a name too long, a loop of links, a folder we may not look into
        refusal = msg("cannot use the output folder {out} ({reason}) — choose another, e.g. {example}",
                      out=_shown(out), reason=exc.strerror or exc, example=_shown(source / "site"))
    if refusal:
        _error("build.py", refusal)
        return EXIT_USAGE
    if args.command == "serve":
        from sitegen.preview.live import LiveBuild
        from sitegen.preview.serve import serve

        # The preview is served at the root of its own address, whatever path the published site has.
        preview = replace(options, base_url=preview_base_url(args.host, args.port))
        with _interruptible():  # SIGTERM and SIGHUP stop it as Ctrl-C does
            return serve(LiveBuild(preview), source, out, args.host, args.port, _report)
    try:
        with _interruptible():
            outcome = build_if_changed(options, unchanged)
    except KeyboardInterrupt as stop:  # Ctrl-C, or Interrupted
        signum = stop.signum if isinstance(stop, Interrupted) else signal.SIGINT
        print("\n" + msg("build.py: interrupted ({signal}) — nothing was written, {out} is unchanged",
                         signal=signal.Signals(signum).name, out=_shown(out)).localized(), file=sys.stderr)
        return 128 + signum
    except BuildFailed as failed:
        _report(failed.errors)
        print("\n" + msg("Build failed: {problems}; nothing was written, {out} is unchanged.",
                         problems=_problems(len(failed.errors)), out=_shown(out)).localized(), file=sys.stderr)
        note = unread_note(failed.errors)
        if note:
            print(f"{msg('note').localized()}: {localized(note)}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:  # a full disk, a folder we may not write to: the old site is still there
        _error("build.py", msg("cannot write {out}: {reason} ({file})", out=_shown(out), reason=exc.strerror or exc, file=exc.filename or out))
        return EXIT_CONTENT
    _say(outcome.report, out, outcome.seconds, outcome.built)
    return EXIT_OK


def _say(report: Report, out: Path, seconds: float, built: bool) -> None:
    """A build's warnings and notes on the standard error, its summary on the standard output."""
    _report([w for w in report.warnings if w not in report.gaps])
    if report.gaps:
        lists = (msg("{gaps} — python build.py check lists it", gaps=_gaps_in_words(report.gaps)) if len(report.gaps) == 1
                 else msg("{gaps} — python build.py check lists them", gaps=_gaps_in_words(report.gaps)))
        print(f"{msg('note').localized()}: {lists.localized()}", file=sys.stderr)
    for note in report.notes:
        print(f"{msg('note').localized()}: {localized(note)}", file=sys.stderr)
    print(_summary(report, out, seconds, built))


COMMANDS = ("build", "check", "fidelity", "launch", "new", "serve", "status")
VALUE_OPTIONS = ("--source", "--out", "--base-url", "--port", "--host", "--source-text", "--messages")


def _early_option(argv: list[str], name: str) -> str | None:
    """The value of ``name`` in ``argv`` (``--name X`` or ``--name=X``), before argparse reads it."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _early_source(argv: list[str], working: Path) -> Path:
    given = _early_option(argv, "--source")
    return Path(given) if given else working


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
        text = (msg("1 page in {code}", code=code) if pages == 1 else msg("{count} pages in {code}", count=pages, code=code)) if i == 0 \
            else msg("{count} in {code}", count=pages, code=code)
        if stand_ins:
            text = msg("{pages} (1 stand-in)", pages=text) if stand_ins == 1 else msg("{pages} ({count} stand-ins)", pages=text, count=stand_ins)
        per_lang.append(text.localized())
    said = msg("{out}: {languages}; {other} other files; {seconds:.2f} s", out=_shown(out), languages=", ".join(per_lang),
               other=report.other_files, seconds=seconds)
    return (msg("Built {said}.", said=said) if built
            else msg("Up to date {said} — no source changed since the last build, nothing was written.", said=said)).localized()


def _check(options: Options) -> int:
    from sitegen.pipeline import check

    checked = check(options)
    _report(checked.problems)
    errors = only_errors(checked.problems)
    if errors:
        note = unread_note(errors)
        print(f"\n{_problems(len(errors)).localized()}." + (f"\n{msg('note').localized()}: {localized(note)}" if note else ""),
              file=sys.stderr)
    else:
        print(msg("No problems found.").localized() + "\n")
    if errors and not checked.gaps:
        return EXIT_CONTENT
    if not checked.gaps:
        print(msg("Translation status:").localized() + "\n  " + msg("every page and text exists in every language.").localized())
        return EXIT_OK
    print(msg("Translation status: {gaps}:", gaps=_gaps_in_words(checked.gaps)).localized())
    for gap in checked.gaps:
        print(f"  {gap.path}{f':{gap.line}' if gap.line else ''}: {gap.message.localized()}")
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
    print(msg("Translation status:").localized())
    print(format_text(report))
    return EXIT_CONTENT if options.strict and report.entries() else EXIT_OK


def _fidelity(options: Options, source_text: Path | None) -> int:
    """The report of sitegen/tools/fidelity.py on the standard output; exit 0 whatever it finds (it is no gate)."""
    from sitegen.output.write import in_memory
    from sitegen.pipeline import make_site
    from sitegen.tools.fidelity import fidelity_report

    text = source_text or options.source / SOURCE_TEXT
    if not text.is_file():
        _error("build.py fidelity", msg("no source text at {path} — pass --source-text PATH", path=_shown(text)))
        return EXIT_USAGE
    try:
        result = make_site(options)
    except BuildFailed as failed:
        _report(failed.errors)
        return EXIT_CONTENT
    shown = _shown(text) if source_text else SOURCE_TEXT
    print(fidelity_report(result.site, in_memory(result.files), text, shown).format(), end="")
    return EXIT_OK


def _launch(options: Options, markdown: bool) -> int:
    """The facts still to supply (sitegen/checks/launch.py) on the standard output, in the messages' language; exit 0
    whatever it lists (it is no gate), 1 only when the content cannot be read."""
    from sitegen.checks.launch import format_list, missing_facts
    from sitegen.sources.gather import gather

    try:
        sources = gather(options.source, options.base_url)
    except BuildFailed as failed:
        _report(failed.errors)
        return EXIT_CONTENT
    errors = only_errors(sources.problems)
    if errors:  # a file that cannot be read: what it lacks cannot be told (check lists every problem)
        _report(errors)
        return EXIT_CONTENT
    config = sources.config
    print(format_list(missing_facts(sources), config.default.code, config.codes, markdown), end="")
    return EXIT_OK


def _gaps_in_words(gaps: list[ContentError]) -> Message:
    """'1 page and 4 texts exist in one language only'."""
    pages = sum(1 for g in gaps if g.path.startswith("content/"))
    texts = len(gaps) - pages
    counts = [c for n, c in ((pages, msg("1 page") if pages == 1 else msg("{count} pages", count=pages)),
                             (texts, msg("1 text") if texts == 1 else msg("{count} texts", count=texts))) if n]
    things = counts[0] if len(counts) == 1 else msg("{first} and {second}", first=counts[0], second=counts[1])
    if len(gaps) == 1:
        return msg("{things} exists in one language only", things=things)
    return msg("{things} exist in one language only", things=things)


def _problems(count: int) -> Message:
    return msg("1 problem") if count == 1 else msg("{count} problems", count=count)


def _error(prog: str, message: Message) -> None:
    """``prog: error: message`` on the standard error, in the editor's language."""
    print(f"{prog}: {msg('error').localized()}: {message.localized()}", file=sys.stderr)


def _report(problems: list[ContentError]) -> None:
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in capped(problems):
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
