"""The house has one direction: schema, language → extractors → normalizers → pipeline → flows → web → cli.

Every import in the production packages (module level or inside a function: a lazy import is
still a dependency) must point to the same layer or one below, and no modules may import each
other in a circle. Read with `ast`, so nothing is executed; see docs/architecture.md.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from source_trees import parse_file

ROOT = Path(__file__).resolve().parents[1]
# Ranked groups, bottom first: packages of one group may import each other only where no
# circle forms; `schema` (the contract) and `language` (Russian morphology) are both bottom.
LAYER_GROUPS = [["schema", "language"], ["extractors"], ["normalizers"], ["pipeline"], ["flows"], ["web"], ["cli"]]
LAYERS = [package for group in LAYER_GROUPS for package in group]
RANK = {package: rank for rank, group in enumerate(LAYER_GROUPS) for package in group}
MAX_MODULE_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Project modules `name` imports (resolved to the longest known module name)."""
    tree = parse_file(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for full in names:
            parts = full.split(".")
            for k in range(len(parts), 0, -1):
                candidate = ".".join(parts[:k])
                if candidate in MODULES:
                    if candidate != name:
                        targets.add(candidate)
                    break
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> int:
    return RANK[module.split(".")[0]]


def test_every_layer_is_found():
    assert {m.split(".")[0] for m in MODULES} == set(LAYERS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    upward = sorted(t for t in GRAPH[module] if _layer(t) > _layer(module))
    assert not upward, f"{module} ({module.split('.')[0]}) imports a higher layer: {upward}"


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle():
    assert _cycles() == []


def test_cycle_finder_sees_a_circle():
    saved = dict(GRAPH)
    try:
        GRAPH["extractors.raw"] = GRAPH["extractors.raw"] | {"extractors.pdf"}
        assert any({"extractors.pdf", "extractors.raw"} <= set(c) for c in _cycles())
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module}: {lines} lines (at most {MAX_MODULE_LINES})"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.split(".")[0] == "language"))
def test_language_imports_nothing_of_the_project(module):
    outside = sorted(t for t in GRAPH[module] if t.split(".")[0] != "language")
    assert not outside, f"{module} is a bottom package but imports {outside}"
