"""The federal timeline as federal staff keep it: a spreadsheet (XLSX, XLS, ODS or CSV), one
milestone a row under a header naming the columns. `roadmap timeline -f xlsx -o t.xlsx` writes
the current timeline in this shape as a template; `--timeline t.xlsx` reads it back.

Columns are found by their header (English field names or the Russian ones of the template, any
order, case ignored); `keywords` and `sources` hold several values, one a line or separated by
`;`; dates as `dd.mm.yyyy` or ISO; an empty `year` is the deadline's year. Columns the reader
does not know are reported as warnings, not refused.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Optional, Union

from extractors.raw import Cell
from language.patterns import compiled
from schema import Milestone

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "Идентификатор"),
    ("year", "Год"),
    ("title", "Этап федерального проекта"),
    ("start", "Начало"),
    ("deadline", "Срок"),
    ("keywords", "Ключевые слова"),
    ("sources", "Источники"),
)
_ALIASES = {
    "id": ("id", "идентификатор", "код"),
    "year": ("year", "год"),
    "title": ("title", "этап федерального проекта", "этап", "мероприятие", "название"),
    "start": ("start", "начало", "дата начала"),
    "deadline": ("deadline", "срок", "дата окончания", "окончание"),
    "keywords": ("keywords", "ключевые слова"),
    "sources": ("sources", "source", "источники", "источник"),
}
_LIST_SPLIT = compiled(r"\s*(?:;|\n)\s*")
_RU_DATE = compiled(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def sheet_to_items(rows: list[list[Cell]], origin: str, warnings: list[str]) -> list[dict]:
    """Rows under the first header row that names `title` and `deadline` → milestone dicts."""
    for index, row in enumerate(rows):
        columns = _header_columns(row)
        if {"title", "deadline"} <= set(columns.values()):
            unknown = [str(c).strip() for k, c in enumerate(row) if c and k not in columns]
            if unknown:
                warnings.append(f"{origin}: unknown column(s) ignored: {', '.join(unknown)}")
            return [_item(r, columns) for r in rows[index + 1:] if any(c and str(c).strip() for c in r)]
    raise ValueError(f"{origin}: no header row naming the columns (a template: roadmap timeline -f xlsx -o t.xlsx)")


def _header_columns(row: list[Cell]) -> dict[int, str]:
    found = {}
    for k, cell in enumerate(row):
        label = " ".join(str(cell or "").lower().split())
        for field, names in _ALIASES.items():
            if label in names and field not in found.values():
                found[k] = field
    return found


def _item(row: list[Cell], columns: dict[int, str]) -> dict:
    item: dict = {}
    for k, field in columns.items():
        value = str(row[k]).strip() if k < len(row) and row[k] else ""
        if field in ("keywords", "sources"):
            item[field] = [v for v in _LIST_SPLIT.split(value) if v]
        elif field in ("start", "deadline"):
            item[field] = _iso_date(value) if value else None
        elif field == "year":
            item[field] = value or None
        else:
            item[field] = value
    if not item.get("year") and item.get("deadline"):
        item["year"] = str(item["deadline"])[:4]
    if not item.get("id") and item.get("title"):
        item["id"] = f"{item.get('year') or 'x'}-{_slug(item['title'])}"
    return item


def _iso_date(value: str) -> str:
    m = _RU_DATE.fullmatch(value)
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value


def _slug(title: str) -> str:
    words = compiled(r"[A-Za-zА-Яа-яЁё0-9]+").findall(title.lower())[:4]
    return "-".join(words) or "milestone"


def timeline_rows(milestones: list[Milestone]) -> list[list[str]]:
    """The template: a header of the Russian column names, then one milestone a row."""
    rows = [[ru for _field, ru in COLUMNS]]
    for m in milestones:
        rows.append([
            m.id, str(m.year), m.title,
            m.start.strftime("%d.%m.%Y") if m.start else "",
            m.deadline.strftime("%d.%m.%Y"),
            "\n".join(m.keywords),
            "\n".join(_LIST_SPLIT.split(m.source)) if m.source else "",
        ])
    return rows


def write_timeline_xlsx(milestones: list[Milestone], path: Union[str, Path, BinaryIO]) -> None:
    """The timeline as a workbook to edit in Excel: bold frozen header, filters, wrapped text;
    every value written as text (a title starting with `=` stays text)."""
    from openpyxl import Workbook

    from pipeline.reports.xlsx import write_table

    book = Workbook()
    sheet = book.active
    sheet.title = "Федеральный график"
    header, *rows = timeline_rows(milestones)
    write_table(sheet, header, (24, 8, 60, 12, 12, 40, 60), rows)
    book.save(path if hasattr(path, "write") else str(path))


def read_sheet_items(path: Path, fmt: str, warnings: Optional[list[str]] = None) -> list[dict]:
    """Milestone dicts from a timeline spreadsheet (the first sheet with a header row)."""
    from extractors.spreadsheet import read_sheets

    warnings = warnings if warnings is not None else []
    errors = []
    for rows in read_sheets(path, fmt):
        try:
            return sheet_to_items(rows, str(path), warnings)
        except ValueError as exc:
            errors.append(str(exc))
    raise ValueError(errors[0] if errors else f"{path}: an empty spreadsheet")
