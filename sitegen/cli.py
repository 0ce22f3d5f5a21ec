"""``python build.py [build|check] [options]`` — exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from .errors import BuildFailed, ContentError
from .pipeline import Options, build, check_output_folder, make_site

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def parser(default_source: Path) -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="build.py", description="Build the bilingual Merhav site from content/, data/, templates/ and static/.")
    commands = main.add_subparsers(dest="command", metavar="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", type=Path, default=default_source, help="folder holding content/ data/ templates/ static/ (default: the folder of build.py)")
        p.add_argument("--base-url", help="absolute address of the published site, for canonical links and the sitemap (default: base_url in data/site.yaml)")
        p.add_argument("--drafts", action="store_true", help="include pages with draft: true")
        p.add_argument("--strict", action="store_true", help="treat missing translations as errors")

    build_cmd = commands.add_parser("build", help="build the site into the output folder (the default command)")
    common(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: <source>/site)")
    check_cmd = commands.add_parser("check", help="validate everything and write nothing; then list missing translations")
    common(check_cmd)
    return main


def main(argv: list[str] | None = None, default_source: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser(default_source or Path.cwd()).parse_args(argv)
    source: Path = args.source.resolve()
    if not source.is_dir():
        print(f"build.py: error: --source {args.source} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    out = (getattr(args, "out", None) or source / "site").resolve()
    options = Options(source=source, out=out, base_url=args.base_url, drafts=args.drafts, strict=args.strict,
                      progress=sys.stderr.isatty() and not os.environ.get("CI"))
    if args.command == "check":
        return _check(options)
    refusal = check_output_folder(source, out)
    if refusal:
        print(f"build.py: error: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = build(options)
    except BuildFailed as failed:
        _report(failed.errors)
        print(f"\nBuild failed: {len(failed.errors)} problem(s); nothing was written, {_shown(out)} is unchanged.", file=sys.stderr)
        return EXIT_CONTENT
    _report(result.warnings)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    pages = Counter(p.lang for p in result.site.pages if p.output.endswith(".html"))
    html = sum(1 for f in result.files if f.endswith(".html"))
    per_lang = ", ".join(f"{pages[l.code]} {l.code}" for l in result.site.config.languages)
    print(f"Built {_shown(out)}: pages {per_lang}; {len(result.files) - html} other files; {result.seconds:.2f} s.")
    return EXIT_OK


def _check(options: Options) -> int:
    try:
        result = make_site(options)
    except BuildFailed as failed:
        _report(failed.errors)
        print(f"\n{len(failed.errors)} problem(s).", file=sys.stderr)
        return EXIT_CONTENT
    print("No problems found.")
    print("\nTranslation status:")
    if not result.warnings:
        print("  every page and text exists in every language.")
    for warning in result.warnings:
        print(f"  {warning}")
    return EXIT_OK


def _report(problems: list[ContentError]) -> None:
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
        if annotate:
            print(problem.github_annotation(), file=sys.stderr)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
