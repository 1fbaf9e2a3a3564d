"""Footnote marks after a party's name (`МОУО¹`, `ИРО*`): no part of the name, which is read
as if the mark were not printed (`МОУО¹` → `Муниципальные органы управления образованием`),
and put back at the end of the party's `raw`, which stays as printed."""
from __future__ import annotations

import re

from language.patterns import compiled
from schema import Party

# A run of superscript digits or one to three asterisks right after a word, a closing quote
# or parenthesis, before a space, a separator or the end.
_MARK = compiled(r"(?<=[\w»)])(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})(?=[\s,;.)]|$)")


def without_marks(cell: str) -> str:
    return _MARK.sub("", cell)


def with_marks(parties: list[Party], printed: str) -> list[Party]:
    """Each party's `raw` with the mark printed after it in `printed` (the cell as printed)."""
    out = []
    for party in parties:
        words = party.raw.split()
        found = re.search(r"\s+".join(map(re.escape, words)) + r"(?P<mark>[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})", printed) \
            if words else None
        out.append(party.model_copy(update={"raw": party.raw + found.group("mark")}) if found else party)
    return out
