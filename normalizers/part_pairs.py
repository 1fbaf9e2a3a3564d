"""Two quarters or halves of a year joined by `и` or a comma: `во II и III кварталах`, `в
течение второго и третьего кварталов`, `1, 2 квартал`. Consecutive parts are one span, as
`II–III кварталы` is (`II квартал - III квартал`); others are two parts (`I кв., III кв.`).
Before this, only the last part was read (`II и III кварталы` → the third quarter alone)."""
from __future__ import annotations

import re

from language.patterns import compiled
from normalizers.vocabulary import load

_WORDS = load("date_words")
_NUMBERS: dict[str, int] = {**_WORDS["ordinal_stems"], **_WORDS["roman_numerals"]}
_NUMBER = (r"(?:[1-4]|" + "|".join(sorted(_WORDS["roman_numerals"], key=len, reverse=True))
           + "|" + "|".join(stem + r"[а-я]*" for stem in _WORDS["ordinal_stems"]) + ")")
_ENDING = r"(?:\s?-?\s?(?:й|ый|ий|ого|го|м|ом|е|ое|я|ая|ой|ей))?"
_PAIR = compiled(
    rf"(?<![\w.])(?P<a>{_NUMBER}){_ENDING}\s*(?:,|\bи\b)\s*(?P<b>{_NUMBER}){_ENDING}\s*"
    rf"(?P<part>{'|'.join(_WORDS['quarter'] + _WORDS['half'])})"
)


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token in _NUMBERS:
        return _NUMBERS[token]
    return next(n for stem, n in _NUMBERS.items() if token.startswith(stem) and not stem.isascii())


def spell_part_pairs(text: str) -> str:
    """`text` (lower case) with each pair of parts spelled as a range or as two parts."""
    def spelled(m: re.Match) -> str:
        a, b, part = m.group("a"), m.group("b"), m.group("part")
        joiner = " - " if _number(b) == _number(a) + 1 else ", "
        return f"{a} {part}{joiner}{b} {part}"

    return _PAIR.sub(spelled, text)
