"""The engine tests' fixture site keeps up with the templates: the small test sites render the real
templates with the fixture's UI strings (tests/fixtures/site/data/strings), so both must have the
same names — a string a template starts to use is added to both; the fixture keeps its own wording."""

from __future__ import annotations

import yaml
from conftest import FIXTURE_STRINGS, REPO


def test_the_fixture_strings_have_the_names_of_the_real_ones() -> None:
    for real in sorted((REPO / "data" / "strings").glob("*.yaml")):
        fixture = FIXTURE_STRINGS / real.name
        assert fixture.is_file(), f"tests/fixtures/site/data/strings/{real.name} is missing"
        names = set(yaml.safe_load(real.read_text(encoding="utf-8")))
        kept = set(yaml.safe_load(fixture.read_text(encoding="utf-8")))
        assert names == kept, (f"{real.name}: add to the fixture {sorted(names - kept)}, remove from it {sorted(kept - names)}")
