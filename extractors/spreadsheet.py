"""A roadmap sent as a bare spreadsheet (XLSX, XLS, ODS, CSV) → RawDocument.

Each sheet is one table, every row of it a table row (cell values as the sheet shows them:
a date cell as `dd.mm.yyyy`, a whole number without `.0`); positions covered by a merged
cell are None, as the DOCX reader gives them. Lines above the table that hold a single
value (a title, «Приложение к приказу …») are paragraphs, so the header reader still sees
them. python-calamine reads all three workbook formats with one fast reader and never
evaluates a formula (only the cached value is read), so a formula bomb costs nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from extractors.containers import office_kind, open_checked
from extractors.raw import Cell, ExtractionError, RawDocument, RawParagraph, RawTable


@dataclass(frozen=True)
class SheetLimits:
    """What a spreadsheet may hold before it is refused: a roadmap has tens of rows."""

    max_rows: int = 20_000
    max_cols: int = 200
    max_cells: int = 400_000
    max_csv_bytes: int = 50 * 1024 * 1024


DEFAULT_LIMITS = SheetLimits()
CSV_DELIMITERS = ";,\t|"
MERGE_AWARE_FORMATS = ("xlsx", "xls")  # calamine reports merged ranges for these, not for ODS


def extract_spreadsheet(path: str | Path, sha256: str, fmt: str,
                        limits: SheetLimits = DEFAULT_LIMITS) -> RawDocument:
    """Sheets as tables (CSV: one sheet); ExtractionError with a one-line reason otherwise."""
    sheets = read_csv_rows(path, limits) if fmt == "csv" else _workbook_sheets(path, fmt, limits)
    raw = RawDocument(path=str(path), sha256=sha256, format=fmt, pages=None)
    for rows, merges_known in sheets:
        blocks = sheet_blocks(rows)
        if not merges_known:
            blocks = [_header_spans(b) if isinstance(b, RawTable) else b for b in blocks]
        raw.blocks.extend(blocks)
    if not raw.blocks:
        raise ExtractionError("empty spreadsheet: no sheet holds a value")
    return raw


def read_sheets(path: str | Path, fmt: str, limits: SheetLimits = DEFAULT_LIMITS) -> list[list[list[Cell]]]:
    """Every visible sheet's rows as printed strings (None where a merge covers a position)."""
    sheets = read_csv_rows(path, limits) if fmt == "csv" else _workbook_sheets(path, fmt, limits)
    return [rows for rows, _merges_known in sheets]


def sheet_blocks(rows: list[list[Cell]]) -> list:
    """A sheet's rows as blocks. An empty row ends a table (two tables pasted one under the
    other); single-value lines outside a table are paragraphs (a title, a heading between
    tables), inside one they stay rows (a section row spanning the columns)."""
    blocks: list = []
    table: list[list[Cell]] = []

    def close() -> None:
        if table:
            width = max(len(r) for r in table)
            padded = [r + [""] * (width - len(r)) for r in table]
            blocks.append(RawTable(rows=padded, row_pages=[None] * len(padded)))
            table.clear()

    for row in (_trim(r) for r in rows):
        values = [c for c in row if c]
        if not values:
            close()
        elif len(values) == 1 and not table:
            blocks.append(RawParagraph(text=values[0]))
        else:
            table.append(row)
    close()
    return blocks


def _header_spans(table: RawTable) -> RawTable:
    """CSV and ODS (as calamine reads it) lose merges: in a table's first row an empty cell
    right of a label is taken as covered by that label (a header spanning columns), as the
    DOCX and XLSX readers report it. A data column is never printed without a heading."""
    first = list(table.rows[0])
    for k in range(1, len(first)):
        if first[k] == "" and (first[k - 1] or first[k - 1] is None):
            first[k] = None
    return RawTable(rows=[first] + table.rows[1:], row_pages=table.row_pages)


def cell_text(value: Any) -> str:
    """A cell value as a reader sees it printed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
        if isinstance(value, dt.datetime):
            return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _trim(row: list[Cell]) -> list[Cell]:
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return row[:end]


def _workbook_sheets(path: str | Path, fmt: str, limits: SheetLimits) -> list[tuple[list[list[Cell]], bool]]:
    """Each visible sheet's rows, and whether the reader reported the sheet's merges."""
    from python_calamine import CalamineWorkbook

    if fmt in ("xlsx", "ods"):
        with open_checked(Path(path)) as zf:
            office_kind(zf)  # a bomb is refused before calamine inflates it
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise ExtractionError(_calamine_reason(exc)) from exc
    book_has_merges = fmt in MERGE_AWARE_FORMATS
    try:
        sheets = []
        for meta in book.sheets_metadata:
            if str(getattr(meta, "visible", "")).lower().endswith("hidden"):
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                rows = _sheet_rows(sheet, limits)
            except ExtractionError:
                raise
            except Exception as exc:
                raise ExtractionError(f"{_calamine_reason(exc)} (sheet {meta.name!r})") from exc
            sheets.append((rows, book_has_merges))
        return sheets
    finally:
        book.close()


def _sheet_rows(sheet, limits: SheetLimits) -> list[list[Cell]]:
    # rows are read from A1 (merged ranges count from there), so the extent is the last cell's
    height, width = sheet.total_height, sheet.total_width
    if height > limits.max_rows or width > limits.max_cols or height * width > limits.max_cells:
        raise ExtractionError(
            f"sheet {sheet.name!r} is {height} rows × {width} columns, too large for a roadmap "
            f"(limits {limits.max_rows} × {limits.max_cols})"
        )
    rows: list[list[Cell]] = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    for merged in _merged_ranges(sheet):
        (top, left), (bottom, right) = merged
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                if (r, c) != (top, left):
                    rows[r][c] = None
    return rows


def _merged_ranges(sheet) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:
        return []
    return [tuple(map(tuple, r)) for r in ranges]


def _calamine_reason(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if name == "PasswordError" or "password" in text.lower() or "encrypt" in text.lower():
        return "encrypted spreadsheet: a password is needed to open it"
    return f"corrupt spreadsheet: {name}: {text}" if text else f"corrupt spreadsheet: {name}"


def read_csv_rows(path: str | Path, limits: SheetLimits = DEFAULT_LIMITS) -> list[tuple[list[list[Cell]], bool]]:
    """A CSV file as one sheet: UTF-8 (with or without BOM) or Windows-1251, the delimiter sniffed."""
    data = Path(path).read_bytes()
    if len(data) > limits.max_csv_bytes:
        raise ExtractionError(f"CSV file of {len(data)} bytes is too large for a roadmap")
    text = decode_text(data)
    if text is None:
        raise ExtractionError("not a CSV table: the text is neither UTF-8 nor Windows-1251")
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        raise ExtractionError("not a CSV table: no delimiter separates its lines into columns")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > limits.max_rows or any(len(r) > limits.max_cols for r in rows):
        raise ExtractionError(f"CSV table too large for a roadmap (limits {limits.max_rows} × {limits.max_cols})")
    return [([[cell.strip() for cell in row] for row in rows], False)]


def decode_text(data: bytes) -> Optional[str]:
    """UTF-8 (BOM dropped) or Windows-1251 text, or None when the bytes are not text."""
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def sniff_delimiter(text: str) -> Optional[str]:
    """The delimiter that splits the first lines into the same number (≥ 2) of columns."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
    except csv.Error:
        return None
    rows = [r for r in csv.reader(io.StringIO(sample), delimiter=dialect.delimiter) if any(c.strip() for c in r)]
    wide = [r for r in rows if len(r) >= 2]
    if len(wide) < 2 or len(wide) * 2 < len(rows):
        return None
    return dialect.delimiter
