"""How far the responsible-column reader looks: its scores, windows and length limits."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartySettings:
    """Tunables of normalizers.parties; the defaults are the values the fixtures were read with."""

    sentence_verb_score: float = 0.5  # a verb reading at least this likely makes a cell a sentence
    definition_window_chars: int = 500  # how far before `(далее – X)` its phrase is looked for
    org_form_lookback_words: int = 6  # words back from a name to the legal form printed before it
    owner_tail_max_words: int = 4  # `… «…» Минобразования Чувашии`: an owner tail's length
    territory_tail_max_words: int = 8  # `… администрации городского округа город Елец`: a body and its territory
    clause_max_words: int = 15  # a defined body found by its head noun, at most this long
    after_verb_max_words: int = 20  # an object after the clause's verb, at most this long
    parts_gap_max_words: int = 12  # words between the two parts of an alias (`НТФ` … `ИРО`), at most
    glossary_span_chars: int = 4000  # how far a printed list of abbreviations may run
    glossary_alias_max_chars: int = 20  # a longer entry head is not an abbreviation


PARTIES = PartySettings()
