"""What a body row of a roadmap table is by its shape, before its cells are read: a row of
column numbers (`1 | 2 | 3 | 4`), a closing note merged over the № and activity columns
(`Контроль за исполнением плана мероприятий` | a person), or the rest of the activity text of the
numbered row above (`– обучающихся и родителей`, its other cells merged down or empty)."""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from language.patterns import compiled

Cell = Optional[str]


def cell_text(row: Sequence[Cell], col: Optional[int]) -> str:
    """The stripped text at column `col` of `row` ("" where there is none)."""
    return (row[col] or "").strip() if col is not None and col < len(row) else ""


def is_column_numbering(row: Sequence[Cell]) -> bool:
    """The row of column numbers under a header (`1 | 2 | 3 | 4 | 5`): part of the header."""
    values = [(c or "").strip().rstrip(".") for c in row]
    filled = [v for v in values if v]
    return len(filled) >= 3 and filled == [str(k) for k in range(1, len(filled) + 1)]


def is_closing_note(row: Sequence[Cell], seq: Optional[int], text: Optional[int]) -> bool:
    """Words in the № column merged over the activity column: a note closing the plan."""
    return seq is not None and text is not None and text < len(row) and row[text] is None \
        and bool(compiled(r"[а-яё]{3}", re.I).search(row[seq] or ""))


def continues_above(row: Sequence[Cell], i: int, continued: set[tuple[int, int]], seq: Optional[int],
                    text: Optional[int], columns: Iterable[int], above_numbered: bool) -> bool:
    """Row `i` holds text only, its № and its other cells merged down from the numbered row above
    (`continued`) or empty."""
    if seq is None or text is None or not above_numbered or not cell_text(row, text):
        return False
    return all((i, c) in continued or not cell_text(row, c) for c in columns if c != text)
