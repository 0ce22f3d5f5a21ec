"""What each layout reads, found by reading the templates (not by running them).

A build and the live preview render a page again only when something it reads has changed. Here we
walk a layout's template and every template it extends, includes or imports, and note:

- ``template:<name>`` for each of those templates;
- ``data:<name>`` for each ``data.<name>`` / ``data["<name>"]`` it reads (``data:*`` when
  it reads ``data`` in a way we cannot name, e.g. ``data[variable]`` or passes it on);
- ``page:<key>`` for each ``page_of.<key>`` / ``page_of["<key>"]`` / ``"<key>" in page_of``
  it reads (one page of the same language, e.g. for a link with its title);
- ``pages`` when it reads the page listings as a whole (``pages``, or ``page_of`` in a way
  we cannot name);
- ``data:cohorts`` / ``data:testimonials`` for ``cohort_of`` / ``quotes_of`` (render.py's lookups, made from
  those data files).

Static reading over-approximates (a branch not taken still counts), which is the safe side:
a page may be re-rendered without need, never left stale.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache

import jinja2
from jinja2 import meta, nodes


def _named_reads(ast: nodes.Template, variable: str, prefix: str, otherwise: str) -> set[str]:
    """Keys read from ``variable`` by constant attribute, item or ``in`` test; ``otherwise``
    for any other use of it."""
    found: set[str] = set()
    named: set[int] = set()
    # Inside a macro that takes the variable as a parameter, it is the caller's value; the
    # caller passing it counts as a use there (and is seen in the caller's template).
    for macro in ast.find_all(nodes.Macro):
        if any(arg.name == variable for arg in macro.args):
            named.update(id(n) for n in macro.find_all(nodes.Name) if n.name == variable)
    for attr in ast.find_all(nodes.Getattr):
        if isinstance(attr.node, nodes.Name) and attr.node.name == variable:
            found.add(f"{prefix}{attr.attr}")
            named.add(id(attr.node))
    for item in ast.find_all(nodes.Getitem):
        if (isinstance(item.node, nodes.Name) and item.node.name == variable
                and isinstance(item.arg, nodes.Const) and isinstance(item.arg.value, str)):
            found.add(f"{prefix}{item.arg.value}")
            named.add(id(item.node))
    for compare in ast.find_all(nodes.Compare):
        for operand in compare.ops:
            if (operand.op in ("in", "notin") and isinstance(operand.expr, nodes.Name) and operand.expr.name == variable
                    and isinstance(compare.expr, nodes.Const) and isinstance(compare.expr.value, str)):
                found.add(f"{prefix}{compare.expr.value}")
                named.add(id(operand.expr))
    for name in ast.find_all(nodes.Name):
        if name.name == variable and name.ctx == "load" and id(name) not in named:
            found.add(otherwise)
    return found


DATA_INDEXES = {"cohort_of": "data:cohorts", "quotes_of": "data:testimonials"}
"""Lookups that render.py makes from a data file once per language (index_cohorts): reading one reads that file."""


class LayoutDependencies:
    """Dependencies of layouts, cached per environment (templates do not change under it)."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._closure = lru_cache(maxsize=None)(self._compute)

    def of(self, layout: str) -> frozenset[str]:
        return self._closure(f"{layout}.html")

    def _compute(self, name: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        tokens = {f"template:{name}"}
        if name in seen:
            return frozenset(tokens)
        own, children = self._own(name)
        tokens |= own
        for child in children:
            if child is None:  # a template chosen at run time: depend on every template
                tokens.add("template:*")
                continue
            tokens |= self._compute(child, seen | {name})
        return frozenset(tokens)

    @cache  # noqa: B019 - one environment's templates, read once each
    def _own(self, name: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
        """What this template reads itself, and the templates it extends, includes or imports."""
        if self.env.loader is None:
            return frozenset(), ()
        try:
            source, _filename, _uptodate = self.env.loader.get_source(self.env, name)
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):  # the loader's refusals (not UTF-8, a link out)
            return frozenset(), ()
        return reads_of(self.env, source)


def _syntax(env: jinja2.Environment) -> tuple[object, ...]:
    """What the parse of a source depends on in its environment: Jinja's own key for its lexer, and the extensions."""
    return (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
            tuple(sorted(env.extensions)))


_lock = threading.Lock()  # the preview renders in threads of its own
_read: dict[tuple[tuple[object, ...], str], tuple[frozenset[str], tuple[str | None, ...]]] = {}
MOST_KEPT = 256
"""Templates' reads kept in the process (a site has a few dozen templates; the tests build many sites in one
process, most of them copies of the same templates)."""


def reads_of(env: jinja2.Environment, source: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
    """What a template of this ``source`` reads itself, and the templates it names: the same for the same source in
    any folder, so kept in the process by the source (and the syntax it was parsed with), as its compiled code is
    (output/compiled.py); parsing and walking a template cost as much as compiling it."""
    key = (_syntax(env), source)
    with _lock:
        found = _read.get(key)
    if found is not None:
        return found
    try:
        ast = env.parse(source)
    except jinja2.TemplateSyntaxError:
        found = (frozenset(), ())
    else:
        tokens = _named_reads(ast, "data", "data:", "data:*") | _named_reads(ast, "page_of", "page:", "pages")
        loaded = {n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"}
        if "pages" in loaded:
            tokens.add("pages")
        tokens |= {token for name, token in DATA_INDEXES.items() if name in loaded}
        found = (frozenset(tokens), tuple(meta.find_referenced_templates(ast)))
    with _lock:
        if len(_read) >= MOST_KEPT:
            _read.pop(next(iter(_read)))
        _read[key] = found
    return found
