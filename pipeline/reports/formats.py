"""The registry of output formats: which module renders which subject in which format.

Four subjects leave the pipeline: extracted `documents` (`roadmap extract`), `compliance`
rows against the federal timeline (`roadmap compare`), the store's current `activities`
(`roadmap export`) and the `diff` of two versions of a plan (`roadmap diff`). Each format has one module in this package with a `render_<subject>`
function per subject it supports, returning text or bytes. Modules are imported only when
their format is asked for, so rendering JSON never loads openpyxl or pandas.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, Callable, Optional, Union

Rendered = Union[str, bytes]

# subject → format → module (under pipeline.reports) holding `render_<subject>`.
REGISTRY: dict[str, dict[str, str]] = {
    "documents": {"json": "json", "csv": "csv"},
    "compliance": {"table": "text", "json": "json", "csv": "csv", "xlsx": "xlsx", "html": "html"},
    "activities": {"csv": "csv", "xlsx": "xlsx", "parquet": "parquet"},
    "diff": {"table": "text", "json": "json", "html": "html"},
}


def formats(subject: str) -> list[str]:
    """The formats a subject can be rendered in."""
    return list(REGISTRY[subject])


def renderer(subject: str, fmt: str) -> Callable[..., Rendered]:
    """The function rendering `subject` as `fmt` (ValueError for a pair nobody renders)."""
    module = REGISTRY.get(subject, {}).get(fmt)
    if module is None:
        raise ValueError(f"unknown {subject} format: {fmt}")
    return getattr(importlib.import_module(f"pipeline.reports.{module}"), f"render_{subject}")


def render(subject: str, fmt: str, *args: Any) -> Rendered:
    return renderer(subject, fmt)(*args)


def write_output(data: Rendered, output: Optional[Path], fmt: Optional[str] = None) -> None:
    """Text as UTF-8, bytes as they are, to `output` or to stdout when None. A CSV file
    (`fmt` "csv") starts with a byte-order mark: Excel, which auditors open it in, reads a
    CSV without one in the system's code page and shows the Cyrillic as mojibake. Standard
    output gets none (a pipe's reader expects none)."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
    elif isinstance(data, bytes):
        Path(output).write_bytes(data)
    else:
        Path(output).write_text(data, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
