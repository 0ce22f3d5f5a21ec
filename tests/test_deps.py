"""What a layout reads, found by reading its templates."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sitegen.incremental.deps import LayoutDependencies
from sitegen.output.render import make_environment


def deps(tmp_path: Path, templates: dict[str, str], layout: str) -> set[str]:
    for name, text in templates.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return set(LayoutDependencies(make_environment(tmp_path)).of(layout))


def test_data_keys_templates_and_pages_are_named(tmp_path: Path) -> None:
    found = deps(tmp_path, {
        "base.html": '{% import "_m.html" as m %}{{ page_of.graduates.title }}{% if "projects" in page_of %}x{% endif %}{% block main %}{% endblock %}',
        "_m.html": "{% macro card(page_of, key) %}{{ page_of[key].title }}{% endmacro %}",
        "home.html": '{% extends "base.html" %}{% block main %}{{ data.curriculum.goal }}{{ data["testimonials"] }}{% endblock %}',
    }, "home")
    assert found == {"template:home.html", "template:base.html", "template:_m.html", "data:curriculum",
                     "data:testimonials", "page:graduates", "page:projects"}


def test_uses_that_cannot_be_named_depend_on_everything_of_their_kind(tmp_path: Path) -> None:
    found = deps(tmp_path, {
        "x.html": '{% set k = "cohorts" %}{{ data[k] }}{% for p in pages %}{{ p.title }}{% endfor %}{% include page.layout ~ ".html" %}',
    }, "x")
    assert {"data:*", "pages", "template:*"} <= found


def test_passing_page_of_to_a_macro_counts_as_reading_all_pages(tmp_path: Path) -> None:
    found = deps(tmp_path, {
        "_m.html": "{% macro browse(page_of) %}{% for k in ['a'] %}{{ page_of[k].url }}{% endfor %}{% endmacro %}",
        "list.html": '{% import "_m.html" as m %}{{ m.browse(page_of) }}',
    }, "list")
    assert "pages" in found


def test_a_missing_or_broken_template_is_still_a_dependency(tmp_path: Path) -> None:
    found = deps(tmp_path, {"a.html": '{% extends "gone.html" %}', "b.html": "{% if %}"}, "a")
    assert found == {"template:a.html", "template:gone.html"}


def test_the_cohorts_lookups_read_the_data_files_they_are_made_from(tmp_path: Path) -> None:
    """cohort_of and quotes_of (render.index_cohorts) are made from data/cohorts and data/testimonials: a page that
    reads them is rendered again when those change (tests/test_page_reuse.py's "after a quote" failed without it)."""
    found = deps(tmp_path, {
        "cohort.html": "{% set c = cohort_of[page.params.cohort] %}{% for q in quotes_of.get(c.id, []) %}{{ q.name }}{% endfor %}",
    }, "cohort")
    assert found == {"template:cohort.html", "data:cohorts", "data:testimonials"}


def test_a_copy_in_another_folder_is_not_read_again_and_an_edit_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a template reads is kept in the process by its source (deps.reads_of): the same templates in another
    folder are not parsed again and read the same; an edited one is parsed again, and its new reads are found."""
    templates = {
        "base.html": "{# test_deps: a copy #}{{ data.faculty }}{% block main %}{% endblock %}",
        "page.html": '{% extends "base.html" %}{% block main %}{{ page_of.about.title }}{% endblock %}',
    }
    (tmp_path / "one").mkdir()
    first = deps(tmp_path / "one", templates, "page")
    assert first == {"template:page.html", "template:base.html", "data:faculty", "page:about"}
    parsed: list[str] = []
    real = jinja2.Environment.parse

    def counting(self: jinja2.Environment, source: str, *args: object, **kwargs: object) -> object:
        parsed.append(source)
        return real(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "parse", counting)
    (tmp_path / "other").mkdir()
    assert deps(tmp_path / "other", templates, "page") == first
    assert parsed == []
    edited = {**templates, "base.html": templates["base.html"].replace("data.faculty", "data.curriculum")}
    assert deps(tmp_path / "other", edited, "page") == {"template:page.html", "template:base.html", "data:curriculum", "page:about"}
    assert parsed == [edited["base.html"]]
