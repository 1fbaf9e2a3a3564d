"""Labels of the stages a date cell gives each date to, taken out before the dates are read:
`1 этап: до 14.03`, `до 14.03 – разработка, до 30.03 – размещение`. The label names what is
done by then; left in, its dash reads as a range (`до 14.03 - разработка, до 30.03` as one
period from 14.03 to 30.03) where the cell lists two deadlines."""
from __future__ import annotations

import re

from language.morphology import parse_word
from language.patterns import compiled
from normalizers.vocabulary import load

_NUMBERED = compiled(r"(?<![\w.])(?:[1-9]|[ivx]+|перв\w*|втор\w*|трет\w*)\s*-?\s*(?:й\s*)?этап\w*\s*[-:]\s*")
# `до 14.03 - разработка,` (the cell lower case, its dashes `-`): a date, a dash spaced on a
# side (not `15-го`), one to three words, then a comma, a semicolon or the cell's end
_AFTER_A_DATE = compiled(r"(?<=\d)(?P<dot>\.?)(?:\s+-\s*|-\s+)(?P<label>[а-я]{3,}(?:\s+[а-я]+){0,2})\s*(?=[,;]|$)")
_MONTH_ROOTS = tuple(m["root"] for m in load("date_words")["months"])


def drop_stage_labels(text: str) -> str:
    """`text` (lower case, dashes as `-`) without the stage labels of its dates."""
    return _AFTER_A_DATE.sub(_drop_if_label, _NUMBERED.sub(" ", text))


def _drop_if_label(m: re.Match) -> str:
    """A label is a noun of action in the nominative (`разработка`, `размещение отчетов`),
    not a month (`- декабрь`) or words a date cell says when (`- ежемесячно`, `- по мере
    необходимости`, `- постоянно`)."""
    words = m.group("label").split()
    if any(word.startswith(_MONTH_ROOTS) for word in words):
        return m.group(0)
    first = words[0]
    readings = parse_word(first)
    if not readings or readings[0].tag.POS != "NOUN" or readings[0].tag.case != "nomn":
        return m.group(0)
    return m.group("dot") + " "
