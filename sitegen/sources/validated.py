"""What a build uses of the schema's results and rules without importing pydantic.

pydantic and the schema's ~30 models (sources/schema.py) take ~0.1 s of CPU to import: as much as the rest of a build
in which one page's text was edited. Such a build validates nothing (every file's result is kept: incremental/
sources.py), so it needs the schema only for what it holds, not for what it checks. What leaves the schema is
therefore plain:

- a validated model's values, as a ``Record``: read-only attributes of the same names and values (nested models are
  records too; lists, text mappings, dates and numbers as pydantic gave them), equal to another record of the same
  values, and ``dump()`` giving what pydantic's ``model_dump()`` gives. ``record_of`` makes one from a model: it is
  what the kept sources hold (a pickle of plain classes), and what a build reads however the file was read;
- a page's front matter with its defaults (``page_meta``: the pages the engine makes itself, a cohort's or a
  listing's);
- the few constants the rest of the engine reads (the engine's layouts, the listings' default page size, the safe
  id's pattern, the known data files and whether each is a list).

schema.py imports its constants from here; tests/test_validated.py holds the two to each other (the defaults, the
data files, a record's values and dump against the model's).
"""

from __future__ import annotations

import re
from typing import Any

ENGINE_LAYOUTS = ("404", "untranslated", "search")
"""Layouts the engine itself uses (the page-not-found page, a missing translation's stand-in, the search page); no page
may choose them."""
DEFAULT_PROJECTS_PER_PAGE = 20
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATA_FILES: dict[str, bool] = {"testimonials": True, "faculty": True, "cohorts": True, "curriculum": False,
                               "ministries": True, "topics": True, "menu": True}
"""The data files whose shape the engine knows (schema.DATA_SCHEMAS), and whether each is a list."""


class Record:
    """A validated model's values (``model``: the model's name), as read-only attributes."""

    __slots__ = ("_model", "_values")

    def __init__(self, model: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy and pickle ask for hooks before the slots are set
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"{self._model} has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._model} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self._model} is read-only")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self._model == other._model and self._values == other._values

    def __hash__(self) -> int:
        return hash((self._model, tuple(self._values.items())))

    def __repr__(self) -> str:
        return f"{self._model}({', '.join(f'{name}={value!r}' for name, value in self._values.items())})"

    def __reduce__(self) -> tuple[Any, ...]:
        return Record, (self._model, self._values)

    def dump(self) -> dict[str, Any]:
        """The values as plain data: what pydantic's ``model_dump()`` gives for the model."""
        return {name: _dumped(value) for name, value in self._values.items()}


def _dumped(value: Any) -> Any:
    if isinstance(value, Record):
        return value.dump()
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    if isinstance(value, dict):
        return {key: _dumped(item) for key, item in value.items()}
    return value


def record_of(value: Any) -> Any:
    """``value`` with every pydantic model in it a ``Record`` of its fields, in the model's order."""
    fields = getattr(type(value), "model_fields", None)
    if isinstance(fields, dict):
        return Record(type(value).__name__, {name: record_of(getattr(value, name)) for name in fields})
    if isinstance(value, list):
        return [record_of(item) for item in value]
    if isinstance(value, dict):
        return {key: record_of(item) for key, item in value.items()}
    return value


def page_meta(title: str) -> Record:
    """The front matter of a page the engine makes itself: ``title``, every other field its default (schema.FrontMatter)."""
    return Record("FrontMatter", {"translation_checked": None, "title": title, "description": "", "weight": 0,
                                  "draft": False, "layout": "page"})
