"""pymorphy3, loaded once for the whole project, and the few questions asked of it.

Normalizers, the OCR case repair and the lemmas used by compare all read Russian word forms
through this module, so the dictionary is loaded once per process, always the same way.
`inflect_phrase` is the one engine that declines a noun phrase (a party's name into the
genitive, a municipality or a defined phrase back into the nominative).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Optional


@lru_cache(maxsize=1)
def get_morph():
    """The shared pymorphy3 analyzer (loaded once), or None when it is missing.

    The dictionary path is passed explicitly: without it pymorphy3 finds the dictionary
    package by scanning every installed distribution's entry points, which costs more than
    loading the dictionary itself in an environment as large as this project's.
    """
    try:
        import pymorphy3
        import pymorphy3_dicts_ru
    except ImportError:  # pragma: no cover - both are declared dependencies
        return None
    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")


@lru_cache(maxsize=65536)
def parse_word(word: str) -> tuple:
    """pymorphy3 readings of a word, best first (cached: the analyzer is slow)."""
    morph = get_morph()
    return tuple(morph.parse(word)) if morph and word else ()


@lru_cache(maxsize=65536)
def is_dictionary_word(word: str) -> bool:
    """True when pymorphy3's dictionary knows `word` (no guessing of unknown words)."""
    morph = get_morph()
    return bool(morph and word and morph.word_is_known(word.lower()))


def lemma(word: str) -> str:
    """The most probable normal form of a word (the word itself when nothing reads it)."""
    parses = parse_word(word)
    return parses[0].normal_form if parses else word


def agrees(adjective: str, word: str, reads: Optional[Callable] = None) -> bool:
    """Whether `adjective` can be read in the case and number of one of `word`'s readings that
    `reads` accepts (by default its adjective and noun readings): `районной` / `администрации`."""
    accept = reads or (lambda p: p.tag.POS in ("ADJF", "NOUN"))
    wanted = {(p.tag.case, p.tag.number) for p in parse_word(word.lower()) if accept(p)}
    return any((p.tag.case, p.tag.number) in wanted for p in parse_word(adjective.lower()) if p.tag.POS == "ADJF")
