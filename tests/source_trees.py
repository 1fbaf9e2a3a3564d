"""Reading the project's own source as syntax trees, for the tests that check what the code
does (patterns compiled once, layers, reasons with a Russian shape)."""
from __future__ import annotations

import ast
from pathlib import Path


def parse_file(path: Path) -> ast.Module:
    """`ast.parse` of a source file. CPython 3.11 may raise a spurious `SystemError: AST
    constructor recursion depth mismatch` when another thread of the process builds a tree
    at the same moment (gh-106905; a pytest worker has Prefect's threads): the parse is
    tried again, and a real error in the file still raises."""
    source = path.read_text(encoding="utf-8")
    for _ in range(4):
        try:
            return ast.parse(source, filename=str(path))
        except SystemError as exc:
            if "recursion depth mismatch" not in str(exc):
                raise
    return ast.parse(source, filename=str(path))
