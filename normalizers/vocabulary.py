"""The normalizers' Russian vocabularies, read from `normalizers/data/*.json` once.

Word lists live in data, like dateparser's language files: party kinds, body heads, legal
forms, act types, date words, column labels. Code keeps the grammar (how words combine);
this module is the one place that loads the lists and compiles what is compiled from them.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The JSON vocabulary `data/<name>.json`, parsed once per process."""
    return json.loads((DATA / f"{name}.json").read_text("utf-8"))


def alternation(words: list[str]) -> str:
    """A regex alternation of literal-or-pattern entries, in the order given (first wins)."""
    return "|".join(words)


@lru_cache(maxsize=None)
def compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """A vocabulary-built pattern, compiled once."""
    return re.compile(pattern, flags)
