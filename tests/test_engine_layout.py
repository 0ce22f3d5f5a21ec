"""The engine's folders follow the pipeline: each package imports only from the stages before it, and
no module imports another in a circle (docs/engine.md, "The map", draws the same map).

The incremental engine (sitegen/incremental/) keeps the results of several stages: as a package it comes after
model and output and before the build (pipeline) and the preview, which both ask it what to redo; each of its
modules sits right after the stages it reads, so a stage may use one that reads only the stages before it. Its two
leaves, the engine's fingerprint and the sealed file, import nothing of the engine and any stage may use them
(output/images.py keeps the photos' variants with sealed.open_cache_file)."""

from __future__ import annotations

import ast
from collections import defaultdict

from conftest import REPO

ENGINE = REPO / "sitegen"
ALLOWED = {
    "messages": set(),  # the catalogue of what an editor reads: every stage speaks through it
    "errors": {"messages"},
    "urls": {"messages"},
    "sources": {"messages", "errors", "urls"},
    "checks": {"messages", "errors", "urls", "sources"},
    "model": {"messages", "errors", "urls", "sources"},
    "output": {"messages", "errors", "urls", "sources", "model"},
    "incremental": {"messages", "errors", "urls", "sources", "model", "output"},
    "tools": {"messages", "errors", "urls", "sources", "checks", "model", "output"},
    "pipeline": {"messages", "errors", "urls", "sources", "checks", "model", "output", "incremental", "tools"},
    "preview": {"messages", "errors", "urls", "sources", "checks", "model", "output", "incremental", "tools", "pipeline"},
    "publishsummary": {"messages", "errors", "urls", "sources", "checks", "model", "output", "incremental", "tools",
                       "pipeline"},  # a command, as cli
    "cli": {"messages", "errors", "urls", "sources", "checks", "model", "output", "incremental", "tools", "pipeline",
            "preview"},
    "__main__": {"cli"},
    "__init__": set(),
}
LEAVES = {"sitegen.incremental.fingerprint", "sitegen.incremental.sealed"}
"""Modules that import nothing of the engine, so that every stage may use them."""


def imports() -> dict[str, set[str]]:
    """module (sitegen.x.y) → the sitegen modules it imports."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in ENGINE.rglob("*.py"):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
                found[module].add(node.module)
    return found


def _package(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def _stages_read(module: str, graph: dict[str, set[str]]) -> set[str]:
    """The packages but incremental that a module of incremental reads, itself or through the modules it imports."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += graph.get(current, ())
    return {_package(m) for m in seen} - {"incremental"}


def test_each_package_imports_only_from_the_stages_before_it() -> None:
    graph = imports()
    wrong = []
    for module, targets in graph.items():
        part = _package(module)
        for target in targets:
            other = _package(target)
            if other == part or other in ALLOWED[part]:
                continue
            if other == "incremental" and _stages_read(target, graph) <= ALLOWED[part] | {part}:
                continue  # a module of incremental/ that reads only the stages before this one
            wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_leaves_import_nothing_of_the_engine() -> None:
    found = imports()
    assert all(module in found or (REPO / (module.replace(".", "/") + ".py")).is_file() for module in LEAVES)
    assert {module: sorted(found[module]) for module in LEAVES if found.get(module)} == {}


def test_no_module_imports_another_in_a_circle() -> None:
    graph = imports()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, " → ".join([*path[path.index(module):], module])
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_every_module_is_in_a_package_of_the_map() -> None:
    top = {p.stem for p in ENGINE.glob("*.py")} | {p.name for p in ENGINE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert top == set(ALLOWED), top ^ set(ALLOWED)
