"""``python -m tests.visual [--update] [--only TEXT] [--out FOLDER]``: photograph the visual tests' pages and compare
them with the references, or (``--update``) rewrite the references. ``--out`` writes the photographs there instead
(to look at them). Exit status 1 when a photograph differs from its reference."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

from browser_support import CHROMIUM_ARGS, chromium_path, serve_site  # noqa: E402
from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from visual.capture import FAILURES, REFERENCES, SHOTS, built_site, context_options, fonts_always_used, photograph, warm_fonts  # noqa: E402
from visual.compare import compare, write_failure  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.visual", description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite the references with new photographs")
    parser.add_argument("--only", default="", help="only the photographs whose name contains this text")
    parser.add_argument("--out", type=Path, help="write the photographs into this folder, compare nothing")
    args = parser.parse_args(argv)
    executable = chromium_path()
    if not executable:
        print("Chromium not found (bash .ci/setup.sh installs it)", file=sys.stderr)
        return 2
    shots = [shot for shot in SHOTS if args.only in shot.name]
    site = built_site()
    failed = 0
    with serve_site(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(**context_options())
        fonts_always_used(context)
        page = context.new_page()
        warm_fonts(page, server.origin)
        for shot in shots:
            image = photograph(page, server.origin, shot)
            if args.update or args.out:
                folder = args.out or REFERENCES
                folder.mkdir(parents=True, exist_ok=True)
                image.save(folder / shot.file, optimize=True)
                continue
            reference_file = REFERENCES / shot.file
            if not reference_file.is_file():
                print(f"{shot.name}: no reference (python -m tests.visual --update makes it)")
                failed += 1
                continue
            reference = Image.open(reference_file)
            verdict = compare(image, reference)
            if not verdict.same:
                written = write_failure(FAILURES, shot.name, image, reference, verdict)
                print(f"{shot.name}: {verdict.reason}; see {', '.join(map(str, written))}")
                failed += 1
        browser.close()
    done = "written" if args.update or args.out else "compared"
    print(f"{len(shots)} photographs {done}" + (f", {failed} differ" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
