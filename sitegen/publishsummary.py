"""The publish's outcome where an editor finds it: the summary of the publishing workflow's run.

``python -m sitegen.publishsummary [--source DIR] [--out _site --address URL --outcome success]`` appends to
the file named by $GITHUB_STEP_SUMMARY (GitHub shows it on the run's page) — or prints, without it — in the site's
languages, the default (Hebrew) first:

- the site was built to be published: its address and how many pages it has (``--out`` holds a build and
  ``--outcome`` is ``success``);
- or it was not: each problem ``check`` finds, with its file and line (a link to that line of the commit on GitHub),
  and what to do; or, when check finds none, that the build failed for another reason (the run's log says which).

The publishing workflow (.github/workflows/pages.yml) runs it ``if: always()`` in the check job (the problems) and
after the build (the outcome). It never fails the run itself: the steps that check and build do.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sitegen.errors import ContentError, only_errors
from sitegen.messages import ENGLISH, direction_of, languages, msg
from sitegen.output.security import ADMIN_DIR


def summary_languages(codes: list[str]) -> list[str]:
    """The site's languages that messages can be shown in, the default first; English at least."""
    shown = [code for code in codes if code in languages()]
    return shown or [ENGLISH]


def line_link(problem: ContentError) -> str:
    """``path:line``, linked to that line of the commit on GitHub when the run says which (GITHUB_* variables)."""
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    server, repo, sha = (os.environ.get(name, "") for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if not (server and repo and sha) or problem.path.startswith("/") or ".." in problem.path.split("/"):
        return f"`{where}`"
    anchor = f"#L{problem.line}" if problem.line else ""
    return f"[`{where}`]({server}/{repo}/blob/{sha}/{problem.path}{anchor})"


def _section(lang: str, lines: list[str]) -> str:
    # a block of the summary in its language's direction (GitHub keeps dir and lang on a div)
    return f'<div dir="{direction_of(lang)}" lang="{lang}">\n\n' + "\n".join(lines) + "\n\n</div>\n"


def published_summary(address: str, pages: int, codes: list[str]) -> str:
    parts = []
    for lang in summary_languages(codes):
        parts.append(_section(lang, [
            "## " + msg("The site was built and sent to be published").localized(lang),
            "",
            msg("Address: {address}", address=address).localized(lang),
            "",
            msg("Pages: {count}", count=pages).localized(lang),
        ]))
    return "\n".join(parts)


def problems_summary(problems: list[ContentError], codes: list[str]) -> str:
    parts = []
    for lang in summary_languages(codes):
        lines = ["## " + msg("The site was not published: the content has problems").localized(lang), "",
                 msg("The site shows its last published version until these problems are fixed. Fix each one in the forms "
                     "(/admin/) or in the file named, and save: the next save publishes again.").localized(lang), ""]
        lines += [f"- {line_link(p)} — {p.message.localized(lang)}" for p in problems]
        parts.append(_section(lang, lines))
    return "\n".join(parts)


def failed_summary(codes: list[str]) -> str:
    parts = []
    for lang in summary_languages(codes):
        parts.append(_section(lang, [
            "## " + msg("The site was not published: the build failed").localized(lang), "",
            msg("The content has no problems; something else went wrong (the step marked with a red cross in this run's "
                "log says what). Run the workflow again; if it fails again, send this run's address to the site's "
                "developers.").localized(lang),
        ]))
    return "\n".join(parts)


def pages_in(out: Path) -> int:
    """The site's pages in a build: its HTML files, the editors' forms left out."""
    return sum(1 for path in out.rglob("*.html") if path.relative_to(out).parts[0] != ADMIN_DIR)


def summary(source: Path, out: Path | None, address: str, outcome: str) -> str:
    from sitegen.pipeline import Options, check
    from sitegen.sources.gather import read_config

    try:
        codes = read_config(source, None)[0].codes
    except Exception:  # noqa: BLE001 - data/site.yaml unreadable: check names it; the summary speaks the engine's languages
        codes = ["he", ENGLISH]
    if out is not None and outcome == "success" and (out / "index.html").is_file():
        return published_summary(address, pages_in(out), codes)
    errors = only_errors(check(Options(source=source, out=source / "site")).problems)
    if errors:
        return problems_summary(errors, codes)
    return failed_summary(codes) if out is not None else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen.publishsummary", description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path("."), help="the site's sources (default: here)")
    parser.add_argument("--out", type=Path, help="the folder the build wrote (the publishing job's _site)")
    parser.add_argument("--address", default="", help="the published address (the Pages base URL)")
    parser.add_argument("--outcome", default="success", help="the build step's outcome (steps.<id>.outcome)")
    args = parser.parse_args(argv)
    text = summary(args.source.resolve(), args.out.resolve() if args.out else None, args.address, args.outcome)
    if not text:
        return 0
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
