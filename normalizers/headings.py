"""Whether a numbered paragraph right above a table is the section of its rows.

It is not when it is an amending order's instruction (`… изложить в следующей редакции:`), when
it names the plan itself (`2. План мероприятий`, `II. Дорожная карта …`: the table's title), or
when it is the order's own numbered instruction and the table stands inside the order's text
(`1. Утвердить план мероприятий («дорожную карту») … на 2021 год:`): an instruction opens with
its verb, which no heading does."""
from __future__ import annotations

import re

from language.morphology import parse_word
from language.patterns import compiled

_INSTRUCTION_OR_TITLE = compiled(
    r"в\s+следующей\s+редакции|следующего\s+содержания|(?:изложить|дополнить)\s|^\s*(?:\d{1,2}|"
    r"[IVX]{1,5})\s*\.?\s*[«\"]?(?:план(?:-график)?\s+мероприятий|план-график|дорожн\w+\s+карт)", re.I)
_FIRST_WORD = compiled(r"^\s*(?:\d{1,2}|[IVX]{1,5})\s*\.?\s*(?P<word>[А-ЯЁа-яё]+)")


def names_no_section(heading: str) -> bool:
    if _INSTRUCTION_OR_TITLE.search(heading):
        return True
    first = _FIRST_WORD.match(heading)
    if first is None:
        return False
    parses = parse_word(first.group("word").lower())
    return bool(parses) and parses[0].tag.POS == "INFN"
