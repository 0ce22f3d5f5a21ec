"""Generated catalogue data for the tests: the big fixture (5 cohorts × 40 projects, from
bench/generate.py, built once per process) and small sites with N projects (from sitefactory).

The repository keeps only true data (cohort A, no projects); everything here is made up and
lives in temporary folders.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from conftest import FIXTURE_SITE, REPO
from shared_build import shared

sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402  (bench/generate.py: one generator for the benchmarks and the tests)

from sitegen.cli import main  # noqa: E402

COHORTS, PER_COHORT = 5, 40
BASE_URL = "https://merhav.example"


@dataclass(frozen=True)
class Built:
    source: Path
    out: Path
    code: int


def built_catalogue() -> Built:
    """The 5 × 40 catalogue, generated and built (with a base URL, so with feeds) once per test run, shared by its
    processes (shared_build.py): read it, never change it. ``code``: the build's exit status."""
    def make(folder: Path) -> None:
        generate.generate(COHORTS * PER_COHORT, folder / "src", cohorts=COHORTS, content_from=FIXTURE_SITE)
        code = main(["build", "--source", str(folder / "src"), "--out", str(folder / "site"), "--base-url", BASE_URL])
        (folder / "exit-code").write_text(str(code), encoding="utf-8")

    folder = shared("catalogue", make)
    return Built(folder / "src", folder / "site", int((folder / "exit-code").read_text(encoding="utf-8")))


def project_entry(slug: str, *, date: str = "2025-01-01", ministries: str = "[]", topics: str = "[]", team: str = "[]",
                  extra: str = "") -> str:
    """One project of a cohort in data/cohorts.yaml (indented for a cohort's projects: list)."""
    return (f"    - slug: {slug}\n      title:\n        he: פרוייקט {slug}\n        en: Project {slug}\n"
            f"      summary:\n        he: תקציר.\n        en: A summary.\n      date: {date}\n      status: active\n"
            f"      ministries: {ministries}\n      topics: {topics}\n      team: {team}\n{extra}")


def cohort_entry(cohort: str, projects: list[str], graduates: str = "") -> str:
    text = f"- id: {cohort}\n  name:\n    he: מחזור {cohort}\n    en: Cohort {cohort.upper()}\n{graduates}"
    return text + ("  projects:\n" + "".join(projects) if projects else "  projects: []\n")


VOCABULARIES = {
    "data/ministries.yaml": ("- id: health\n  name:\n    he: משרד הבריאות\n    en: Ministry of Health\n  kind: ministry\n"
                             "- id: jerusalem\n  name:\n    he: עיריית ירושלים\n    en: Jerusalem Municipality\n  kind: authority\n"),
    "data/topics.yaml": "- id: housing\n  name:\n    he: דיור\n    en: Housing\n",
}
GRADUATES = "  graduates:\n    - id: dana-levi\n      name:\n        he: דנה לוי\n        en: Dana Levi\n"


def many_projects(n: int, cohort: str = "a") -> dict[str, str]:
    """Files for a small site whose cohort has ``n`` projects (p01, p02, …; p01 the oldest)."""
    projects = [project_entry(f"p{i:02d}", date=f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}", ministries="[health]")
                for i in range(1, n + 1)]
    return {"data/cohorts.yaml": cohort_entry(cohort, projects), **VOCABULARIES}


class Links(HTMLParser):
    """The href of every <a> and <link> of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag in ("a", "link") and href:
            self.hrefs.append(href)


def file_for(out: Path, url: str) -> Path | None:
    """The built file a root-relative URL serves (as a static host would), or None if it is external."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:  # another site, or a place on the same page
        return None
    path = urldefrag(parts.path)[0]
    target = out / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target
