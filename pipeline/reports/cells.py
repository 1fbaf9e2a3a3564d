"""Cells a spreadsheet will never run: every CSV and XLSX the tool writes goes through here.

A text a document or a user file holds may start like a formula (`=cmd|' /C calc'!A0`,
`@SUM(…)`, or an ordinary indicator target `=100%`). OWASP's advice for CSV is a leading
apostrophe on any cell starting with `= + - @ TAB CR`: `defusedcsv` does that (and also for
`|` and `%`, leaving numbers and numeric texts such as `-5` alone); its triggers lack TAB and
CR, added here. XLSX cells are typed: a text is written as a string cell (never a formula)
and one that starts like a formula also gets Excel's own quote prefix, so Excel shows the
text unchanged and keeps it text when the cell is edited.
"""
from __future__ import annotations

import io
from datetime import date
from numbers import Number
from typing import Any, Iterable, Optional, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_UNCOVERED_BY_DEFUSEDCSV = ("\t", "\r")


def missing(value: Any) -> bool:
    """None, NaN or pandas' NA (which compares unequal to itself, or refuses to compare)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def plain(value: Any) -> Any:
    """A value as a CSV cell: None and missing numbers empty, dates ISO, numbers kept."""
    if missing(value):
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Number):
        return value
    return str(value)


def _guarded(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, str) and value.startswith(_UNCOVERED_BY_DEFUSEDCSV):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], lineterminator: str = "\r\n") -> str:
    """A header and rows as CSV text, every cell neutralised."""
    from defusedcsv import csv as defusedcsv

    buffer = io.StringIO()
    writer = defusedcsv.writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows([_guarded(v) for v in row] for row in rows)
    return buffer.getvalue()


def put(ws: Any, row: int, col: int, value: Any, *, number_format: Optional[str] = None) -> Any:
    """Write one XLSX cell: a text as a string (quote-prefixed when it starts like a formula,
    XML-illegal characters removed), a number or date as itself."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if missing(value):
        value = None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    return cell
