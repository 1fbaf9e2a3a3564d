"""Put tables back together where the page layout cut them.

Printed orders split one appendix table over pages: the header row repeats on each page
and a row cut by the page break continues on the next page with its number and date cells
empty. Working only on cell shapes (short, almost always filled key columns), not on
what the columns mean, keeps this an extraction step rather than an interpretation.
"""
from __future__ import annotations

from statistics import median
from typing import Optional

from extractors.raw import Block, Cell, RawParagraph, RawTable

from language.patterns import compiled

PAGE_NUMBER = compiled(r"^\s*[-–—]?\s*\d{1,3}\s*[-–—]?\s*$")
HEADER_ROWS_CHECKED = 3


def _fold(cell: Cell) -> str:
    return compiled(r"\s+").sub(" ", cell or "").strip().lower()


def _empty(cell: Cell) -> bool:
    return not (cell or "").strip()


def key_column(rows: list[list[Cell]], min_fill: float, max_median_len: int) -> Optional[int]:
    """Leftmost column whose cells are short and filled in most rows (a № or date column)."""
    if not rows:
        return None
    width = max(len(r) for r in rows)
    for col in range(width):
        values = [r[col] for r in rows if col < len(r) and not _empty(r[col])]
        if not values or len(values) / len(rows) < min_fill:
            continue
        if median(len(v.strip()) for v in values) <= max_median_len:
            return col
    return None


def _join_row(upper: list[Cell], lower: list[Cell]) -> list[Cell]:
    merged: list[Cell] = []
    for i in range(max(len(upper), len(lower))):
        a = upper[i] if i < len(upper) else None
        b = lower[i] if i < len(lower) else None
        if _empty(b):
            merged.append(a)
        elif _empty(a):
            merged.append(b)
        else:
            merged.append(f"{a}\n{b}")
    return merged


_ROMAN_HEADING = compiled(r"^\s*[IVX]{1,5}\.\s+\S")


def _is_roman_heading_line(row: list[Cell]) -> bool:
    """A line holding only `II. Методическое …` starts a section row, never continues a cell."""
    filled = [c for c in row if not _empty(c)]
    return len(filled) == 1 and bool(_ROMAN_HEADING.match(filled[0]))


def is_spanning(row: list[Cell]) -> bool:
    """One text merged over the whole row (the first cell set, every other one merged away)."""
    return len(row) > 1 and not _empty(row[0]) and all(c is None for c in row[1:])


_CAPITALIZED = compiled(r"^[«\"(]?(?:[А-ЯЁA-Z][а-яёa-z]|\d)")


def merge_continuation_lines(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Fold line-rows (one per text line, as a borderless table reads) into table rows."""
    out: list[list[Cell]] = []
    for group in continuation_groups(rows):
        row = list(rows[group[0]])
        for k in group[1:]:
            row = _join_row(row, rows[k])
        out.append(row)
    return out


def continuation_groups(rows: list[list[Cell]]) -> list[list[int]]:
    """Which line-rows make each table row (indices, in order): see merge_continuation_lines.

    A line starts a row when its key column (a № or date column: short, mostly filled) has
    text. When the key is not the first column (no № column: `Мероприятие | Срок | …`), a
    wrapped date (`17 февраля` / `2022 г.`) also fills it, so the first column must start
    too, with a capitalized word or a number (`Совещание …`, not `ОО – участников …`).
    A spanning line (a section heading) always stands alone."""
    key = key_column(rows, min_fill=0.1, max_median_len=15)
    if key is None:
        return [[k] for k in range(len(rows))]
    groups: list[list[int]] = []
    for k, row in enumerate(rows):
        starts = key < len(row) and not _empty(row[key]) and (
            key == 0 or bool(_CAPITALIZED.match((row[0] or "").strip()))
        )
        if groups and not starts and not is_spanning(row) and not _is_roman_heading_line(row) \
                and not is_spanning(rows[groups[-1][0]]):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def _is_page_furniture(block: Block) -> bool:
    return isinstance(block, RawParagraph) and bool(PAGE_NUMBER.match(block.text))


def _widest_column(rows: list[list[Cell]]) -> Optional[int]:
    """The column of the longest cells (by median): the activity text's."""
    width = max((len(r) for r in rows), default=0)
    lengths = {col: median(len(r[col].strip()) for r in rows if col < len(r) and not _empty(r[col]))
               for col in range(width) if any(col < len(r) and not _empty(r[col]) for r in rows)}
    return max(lengths, key=lengths.get) if lengths else None


def _starts_mid_sentence(upper: list[Cell], lower: list[Cell], key: Optional[int] = None,
                         widest: Optional[int] = None) -> bool:
    """The row's first text begins in lower case where the row above did not end a sentence.
    A short key column beside the text column is passed over when in lower case: a date
    column first (`ноябрь – декабрь` | `Анализ …`) starts a new row so too, and the text
    beside it decides."""
    for col, (a, b) in enumerate(zip(upper, lower)):
        if _empty(b) or (col == key and col != widest and b.strip()[0].islower()):
            continue
        b = b.strip()
        return b[0].islower() and not _empty(a) and not a.strip().endswith((".", ";", "!", "?"))
    return False


_ROW_NUMBER = compiled(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _numbers_run_on(upper: list[Cell], lower: list[Cell], key: Optional[int]) -> bool:
    """Both rows carry a row number in the key column (`10` then `11`): the next page starts
    a row of its own, whatever else its first line holds — a cut row leaves its number cell
    empty, so a lower-case first word there is the rest of a merged cell, not of the row."""
    if key is None or key >= len(upper) or key >= len(lower):
        return False
    return all(_ROW_NUMBER.match((cell or "").strip()) for cell in (upper[key], lower[key]))


def _carry_merged_cells(upper: list[Cell], lower: list[Cell], body: list[list[Cell]]) -> None:
    """A cell merged down over several rows (`Направление` beside its rows) that the page
    break cut prints its last words in the next page's first row: they go back to the cell's
    first part. Only in a column mostly merged away (None below each merged cell, as the PDF
    reader leaves it), and only words that continue a sentence."""
    for col, (a, b) in enumerate(zip(upper, lower)):
        merged_away = sum(1 for r in body if col < len(r) and r[col] is None)
        if _empty(a) or _empty(b) or merged_away * 2 < len(body):
            continue
        if b.strip()[0].islower() and not a.strip().endswith((".", ";", "!", "?")):
            upper[col] = f"{a}\n{b}"
            lower[col] = None


def _continue_table(table: RawTable, nxt: RawTable) -> None:
    """Append the next page's part of a table: header repeats dropped, cut row rejoined."""
    header = {tuple(_fold(c) for c in row) for row in table.rows[:HEADER_ROWS_CHECKED]}
    rows, pages = list(nxt.rows), list(nxt.row_pages)
    boxes = [nxt.box(k) for k in range(len(nxt.rows))]
    dropped = 0
    while rows and tuple(_fold(c) for c in rows[0]) in header:
        rows.pop(0)
        pages.pop(0)
        boxes.pop(0)
        dropped += 1
    if not rows:
        return
    body = table.rows[HEADER_ROWS_CHECKED:] or table.rows
    key = key_column(body, min_fill=0.6, max_median_len=30)
    if table.rows and _numbers_run_on(table.rows[-1], rows[0], key):
        _carry_merged_cells(table.rows[-1], rows[0], body)
    elif table.rows and (
        (key is not None and key < len(rows[0]) and _empty(rows[0][key]))
        or _starts_mid_sentence(table.rows[-1], rows[0], key, _widest_column(body))
    ):
        table.rows[-1] = _join_row(table.rows[-1], rows.pop(0))
        pages.pop(0)
        boxes.pop(0)  # a row cut by the page keeps the box of its first part, on its first page
        dropped += 1
    offset = len(table.rows) - dropped
    table.continued |= {(r + offset, c) for r, c in nxt.continued if r >= dropped}
    table.row_boxes = [table.box(k) for k in range(len(table.rows))] + boxes
    table.rows.extend(rows)
    table.row_pages.extend(pages)


def stitch_page_tables(per_page: list[list[Block]]) -> list[Block]:
    """Flatten pages into one block list, joining a table that continues on the next page."""
    out: list[Block] = []
    for blocks in per_page:
        content = [b for b in blocks if not _is_page_furniture(b)]
        for index, block in enumerate(content):
            last = out[-1] if out else None
            if (
                index == 0
                and isinstance(block, RawTable)
                and isinstance(last, RawTable)
                and block.n_cols == last.n_cols
            ):
                _continue_table(last, block)
            else:
                out.append(RawTable(rows=list(block.rows), row_pages=list(block.row_pages),
                                    continued=set(block.continued), row_boxes=list(block.row_boxes))
                           if isinstance(block, RawTable) else block)
    return out
