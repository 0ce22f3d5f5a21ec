"""The engine's folders follow the pipeline: each package imports only from the stages before it, and
no module imports another in a circle (docs/engine.md, "The map", draws the same map)."""

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
    "tools": {"messages", "errors", "urls", "sources", "checks", "model", "output"},
    "incremental": {"messages", "errors", "urls", "sources", "checks", "model", "output"},  # what a build keeps for the next
    "pipeline": {"messages", "errors", "urls", "sources", "checks", "model", "output", "tools", "incremental"},
    "preview": {"messages", "errors", "urls", "sources", "checks", "model", "output", "tools", "pipeline"},
    "publishsummary": {"messages", "errors", "urls", "sources", "checks", "model", "output", "tools", "pipeline"},  # a command, as cli
    "cli": {"messages", "errors", "urls", "sources", "checks", "model", "output", "tools", "pipeline", "preview"},
    "__main__": {"cli"},
    "__init__": set(),
}


def imports() -> dict[str, set[str]]:
    """module (sitegen.x.y) → the sitegen modules it imports."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in ENGINE.rglob("*.py"):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sitegen"):
                found[module].add(node.module)
    return found


def test_each_package_imports_only_from_the_stages_before_it() -> None:
    wrong = []
    for module, targets in imports().items():
        part = module.split(".")[1] if "." in module else "__init__"
        for target in targets:
            other = target.split(".")[1]
            if other != part and other not in ALLOWED[part]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


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
