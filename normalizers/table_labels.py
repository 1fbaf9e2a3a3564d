"""A roadmap table's column labels from its header rows: each column's label is its cells' texts
top to bottom (a merged parent's text carried over the columns it spans), and its sub-label the
text of its cell below the first header row. One label merged over two columns with no sub-labels
and naming two things (`Ожидаемый результат / форма контроля`) gives each column its own part."""
from __future__ import annotations

from typing import Optional, Sequence

from language.patterns import compiled
from normalizers.text import rejoin_wrapped
from normalizers.vocabulary import load, pattern

_TWO_NAMES = compiled(r"\s+/\s+")


def column_labels(rows: Sequence[Sequence[Optional[str]]], width: int) -> tuple[list[str], list[str]]:
    """(labels, sub_labels) of `width` columns from the header `rows`."""
    labels = [""] * width
    sub_labels = [""] * width
    for level, row in enumerate(rows):
        carry = ""
        for col in range(width):
            cell = row[col] if col < len(row) else None
            if cell is None:
                part = carry if level == 0 else ""
            else:
                part = " ".join(rejoin_wrapped(cell).split())  # `Срок\nначала`, `Ответств\nенный` in a narrow cell
                carry = part
            labels[col] = f"{labels[col]} {part}".strip() if part and part not in labels[col] else labels[col]
            if level > 0 and cell is not None and part:
                sub_labels[col] = part
    return _split_shared(labels, sub_labels, rows), sub_labels


def _split_shared(labels: list[str], sub_labels: list[str], rows: Sequence[Sequence[Optional[str]]]) -> list[str]:
    """Two neighbouring columns under one merged `X / Y` and nothing else: `X` and `Y`."""
    first = rows[0] if rows else []
    out = list(labels)
    for col in range(len(labels) - 1):
        parts = _TWO_NAMES.split(labels[col])
        if (len(parts) == 2 and labels[col + 1] == labels[col] and not sub_labels[col] and not sub_labels[col + 1]
                and col + 1 < len(first) and first[col + 1] is None
                and (col + 2 >= len(labels) or labels[col + 2] != labels[col])
                and (col == 0 or labels[col - 1] != labels[col])):
            out[col], out[col + 1] = parts
    return out


_LABELS = load("column_labels")
_INDICATOR = pattern("{}", _LABELS["indicator_named"], flags=0)
_BASELINE = pattern("{}", _LABELS["indicator_baseline"], flags=0)
_VALUE = pattern("{}", _LABELS["indicator_value"] + ["^целев"], flags=0)
_NAME = compiled(r"^наименовани\w*$")


def indicator_sub_role(label: str, sub_label: str) -> Optional[str]:
    """Under an indicator parent (`Показатель результативности` over `наименование` | `базовое
    значение` | `целевое значение`), what each sub-column holds: the indicator, a baseline (no
    field: `skip`), or its target value. None elsewhere."""
    sub = " ".join((sub_label or "").lower().split())
    if not sub or not _INDICATOR.search((label or "").lower()) or sub == (label or "").lower():
        return None
    if _NAME.match(sub):
        return "indicator"
    if _BASELINE.search(sub):
        return "skip"
    return "indicator_value" if _VALUE.search(sub) else None
