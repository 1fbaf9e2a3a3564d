"""A body cell merged down over several rows (a tall date or responsible cell) belongs to
every row it spans: the readers print its text in the first row and mark the positions below
as continuing it; here those positions get the text. Header rows are left alone (a label
spanning two header rows is one label), and so are columns whose merge means something else
(a grouping or activity cell over its rows names their section)."""
from __future__ import annotations

from extractors.raw import Cell, RawTable

SHARED_ROLES = ("date", "date_start", "date_end", "federal_date", "regional_date", "responsible", "responsible_post",
                "co_responsible")


def fill_merged_down(table: RawTable, columns: dict[str, int], header_rows: int) -> list[list[Cell]]:
    """The table's rows with each continued body cell of a shared column filled from above."""
    shared = {col for role, col in columns.items() if role in SHARED_ROLES}
    rows = [list(row) for row in table.rows]
    for r, c in sorted(table.continued):
        if c in shared and r > header_rows and c < len(rows[r]) and rows[r][c] is None:
            rows[r][c] = rows[r - 1][c] if c < len(rows[r - 1]) else None
    return rows
