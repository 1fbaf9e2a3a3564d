"""The normalizers' Russian vocabularies, read from `normalizers/data/*.json` and compiled once.

Word lists live in data, like dateparser's language files: party kinds and abbreviations,
body heads, legal forms, act types and other header words, date words, column labels,
indicator words, function words, regions. Code keeps the grammar (how words combine, case
endings); this module is the one place that loads the lists and compiles the patterns built
from them, so a list is written once and every reader sees the same one.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from language.patterns import compiled

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The JSON vocabulary `data/<name>.json`, parsed once per process."""
    return json.loads((DATA / f"{name}.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _compile(source: str, flags: int) -> re.Pattern:
    return compiled(source, flags)


def fill(template: str, *parts: Sequence[str]) -> str:
    """`template` with each `{}` in turn replaced by the alternation of one of `parts` (words
    in data order). Only the literal `{}` is a slot: regex quantifiers (`{0,3}`) stay."""
    pieces = template.split("{}")
    if len(pieces) != len(parts) + 1:
        raise ValueError(f"{template!r} has {len(pieces) - 1} slots for {len(parts)} word lists")
    out = [pieces[0]]
    for words, piece in zip(parts, pieces[1:]):
        out += ["|".join(words), piece]
    return "".join(out)


def pattern(template: str, *parts: Sequence[str], flags: int = 0) -> re.Pattern:
    """`fill(template, *parts)` compiled, once per process."""
    return _compile(fill(template, *parts), flags)


# ---------------------------------------------------------------- body heads


def body_heads(use: str) -> frozenset[str]:
    """Head nouns of bodies' names with this use (`letterhead`, `party`)."""
    return frozenset(h["word"] for h in load("body_heads")["heads"] if use in h["uses"])


def genitive_heads(use: Optional[str] = None) -> dict[str, str]:
    """Genitive → nominative of the body heads that have a genitive (and `use`, when given)."""
    return {h["genitive"]: h["word"] for h in load("body_heads")["heads"]
            if "genitive" in h and (use is None or use in h["uses"])}


# ---------------------------------------------------------------- legal forms


def spelled_form_stems(role: Optional[str] = None, letterhead: bool = False) -> list[str]:
    """Adjective stems of a legal form written out, in data order; by role (`owner`,
    `funding`); with `letterhead`, only those a letterhead line prints."""
    return [a["stem"] for a in load("legal_forms")["spelled"]["adjectives"]
            if (role is None or a["role"] == role) and (not letterhead or a.get("letterhead", True))]


# ---------------------------------------------------------------- party kinds


@dataclass(frozen=True)
class KindRule:
    """One rule of data/party_kinds.json, its patterns compiled."""

    test: str
    kind: Optional[str]
    regex: Optional[re.Pattern]
    first_words: frozenset[str] = frozenset()
    lists: dict[str, re.Pattern] = field(default_factory=dict)
    alone: tuple[tuple[str, re.Pattern], ...] = ()
    prefix: str = ""


@lru_cache(maxsize=1)
def party_kind_rules() -> tuple[KindRule, ...]:
    """The ordered party-kind rules (first match wins)."""
    rules = []
    for r in load("party_kinds")["rules"]:
        flags = 0 if r.get("case_sensitive") else re.IGNORECASE
        regex = pattern(r["template"], r["patterns"], flags=flags) if "patterns" in r else None
        lists = {k: pattern("{}", v, flags=re.IGNORECASE) for k, v in r.items()
                 if k in ("adult_education", "named_school", "region_named", "organisation", "unless")}
        alone = tuple((a["kind"], pattern("{}", a["patterns"], flags=re.IGNORECASE)) for a in r.get("alone", ()))
        rules.append(KindRule(r["test"], r.get("kind"), regex, frozenset(r.get("first_words", ())),
                              lists, alone, r.get("federal_form_prefix", "")))
    return tuple(rules)
