"""Aliases that spell their last letters from a clause: an abbreviation's letters found in the
participle clause or the `с …` attribute the defined words end with (`школы, показывающие
низкие образовательные результаты (далее – ШНОР)`), and the mixed alias of a common noun and
such an abbreviation (`… учреждениях района, показывающих низкие образовательные результаты
(далее – школы НОР)`), which stands for the whole phrase, the clause with it, and is printed in
other cases (`руководители школ НОР`)."""
from __future__ import annotations

from typing import Optional

from language.inflection import inflect_phrase
from language.morphology import parse_word
from language.patterns import compiled
from language.words import capitalize, is_abbreviation
from normalizers.parties.initials import letters_in_order

_CASES = ("gent", "datv", "ablt", "loct")
# a preposition or a verb's word before the defined noun phrase: where it starts
_PHRASE_OPENERS = frozenset({"в", "во", "на", "для", "по", "к", "ко", "с", "со", "из", "от", "при", "среди", "у"})
_LONGEST_PHRASE = 8


def spells_in_attribute(letters: str, tail: str) -> bool:
    """`с низкими образовательными результатами` for `НОР`: an attribute with `с` whose words'
    initials hold the letters in order."""
    words = tail.split()
    return len(words) >= 2 and words[0].lower() in ("с", "со") and initials_hold(letters, words[1:])


def spells_in_clause(letters: str, clause: str) -> bool:
    """`, имеющих низкие образовательные результаты` for `НОР`: a participle clause whose words'
    initials hold the letters in order."""
    words = clause.lstrip(", ").split()
    return clause.lstrip().startswith(",") and bool(words) and any(
        p.tag.POS == "PRTF" for p in parse_word(words[0].lower().strip(","))) and initials_hold(letters, words)


def initials_hold(letters: str, words: list[str]) -> bool:
    return bool(letters) and letters_in_order(letters.upper(), [word[:1].upper() for word in words])


def _noun_and_letters(alias: str) -> Optional[tuple[str, str]]:
    """(`школы`, `НОР`) for `школы НОР`: a plural common noun in the nominative, then an
    abbreviation; None for any other alias."""
    parts = alias.split()
    if len(parts) != 2 or not parts[0][:1].islower() or not is_abbreviation(parts[1]):
        return None
    if not any((p.tag.POS, p.tag.case, p.tag.number) == ("NOUN", "nomn", "plur") for p in parse_word(parts[0])):
        return None
    return parts[0], parts[1]


def by_noun_and_letters(alias: str, w: str) -> Optional[str]:
    """The phrase a mixed alias (`школы НОР`) stands for in the clause `w` before it: the noun
    phrase after its preposition and the participle clause (or `с …` attribute) that spells the
    abbreviation, in the nominative. None when no clause spells it."""
    split = _noun_and_letters(alias)
    if split is None:
        return None
    letters = split[1]
    for m in reversed(list(compiled(r",\s+|\s+(?=(?:с|со)\s)").finditer(w))):  # the nearest clause first
        tail = w[m.start():].rstrip(" ,")
        if not (spells_in_clause(letters, tail) or spells_in_attribute(letters, tail.lstrip(" ,"))):
            continue
        before = w[:m.start()].split()
        start = len(before)
        while start > 0 and len(before) - start < _LONGEST_PHRASE and before[start - 1].lower() not in _PHRASE_OPENERS:
            start -= 1
        if start == 0 or start == len(before):
            return None
        return capitalize(inflect_phrase(" ".join(before[start:]) + tail, "nomn"))
    return None


def alias_case_forms(alias: str) -> list[str]:
    """`школ НОР`, `школам НОР` … for `школы НОР`: the mixed alias as other cases print it."""
    split = _noun_and_letters(alias)
    if split is None:
        return []
    noun = next(p for p in parse_word(split[0]) if (p.tag.POS, p.tag.case, p.tag.number) == ("NOUN", "nomn", "plur"))
    forms = [noun.inflect({case, "plur"}) for case in _CASES]
    return [f"{form.word} {split[1]}" for form in forms if form is not None and form.word != split[0]]
