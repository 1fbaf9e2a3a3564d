"""The auditor's workbook: a regions × milestones summary coloured by status, one sheet per
document with the matched activity and dates, and the timeline the plans were checked against.

Every cell goes through `cells.put`: a text from a document is a string cell (never a formula;
quote-prefixed when it starts like one) with characters that XML forbids removed, so the file
opens in Excel and LibreOffice without repair. `write_table` lays out a plain table (the
export's activities, the timeline template) in the same style.
"""
from __future__ import annotations

import io
from copy import copy
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from language.patterns import compiled
from schema import ComplianceRow, Milestone, RoadmapDocument
from pipeline.reports.activities import COLUMNS as ACTIVITY_COLUMNS, DATE_COLUMNS, frame_rows
from pipeline.reports.cells import put
from pipeline.reports import (
    NOT_APPLICABLE_COLOUR, STATUS_COLOURS, STATUS_LABELS, STATUS_ORDER, Report, ReportRow, build_report,
    counts_text, evidence_place, signed, status_label,
)

if TYPE_CHECKING:
    import pandas as pd

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_SHEET_FORBIDDEN = compiled(r"[\[\]:*?/\\]")


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _put(ws, row: int, col: int, value, *, bold: bool = False, align: Alignment = _WRAP,
         fill: Optional[str] = None, number_format: Optional[str] = None):
    """Write one cell through `cells.put` (a text is never a formula), with the report's style."""
    cell = put(ws, row, col, value, number_format=number_format)
    cell.alignment = align
    cell.border = _BORDER
    if bold:
        cell.font = _BOLD
    if fill:
        cell.fill = _fill(fill)
    return cell


def status_text(r: ReportRow) -> str:
    label = status_label(r.row)
    if r.row.delta_days is not None:
        return f"{label} ({signed(r.row.delta_days)} дн.)"
    return label


def sheet_title(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", label)).strip(" '") or "Документ"
    base = base[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _summary(ws, report: Report) -> None:
    _put(ws, 1, 1, "Соответствие планов федеральному графику проекта 500+", bold=True,
         align=Alignment(vertical="top"))
    ws.cell(row=1, column=1).border = Border()
    header = 3
    _put(ws, header, 1, "Документ", bold=True, align=_CENTER)
    _put(ws, header, 2, "Регион", bold=True, align=_CENTER)
    for j, m in enumerate(report.milestones, start=3):
        _put(ws, header, j, f"{m.title}\n{m.deadline:%d.%m.%Y}", bold=True, align=_CENTER)
        _put(ws, header + 1, j, m.id, align=_CENTER)
    _put(ws, header + 1, 1, "", align=_CENTER)
    _put(ws, header + 1, 2, "", align=_CENTER)
    first_count = 3 + len(report.milestones)
    for k, status in enumerate(STATUS_ORDER):
        _put(ws, header, first_count + k, STATUS_LABELS[status], bold=True, align=_CENTER,
             fill=STATUS_COLOURS[status])
        _put(ws, header + 1, first_count + k, status, align=_CENTER)
    for i, doc in enumerate(report.documents, start=header + 2):
        _put(ws, i, 1, doc.label)
        _put(ws, i, 2, doc.region_code or "")
        for j, m in enumerate(report.milestones, start=3):
            r = report.cell(doc.id, m.id)
            if r is None:
                _put(ws, i, j, "—", align=_CENTER, fill=NOT_APPLICABLE_COLOUR)
            else:
                _put(ws, i, j, status_text(r), align=_CENTER, fill=STATUS_COLOURS[r.row.status])
        for k, status in enumerate(STATUS_ORDER):
            _put(ws, i, first_count + k, report.counts(doc.id)[status], align=_CENTER)
    total_row = header + 2 + len(report.documents)
    _put(ws, total_row, 1, "Итого по вехе (все документы)", bold=True)
    _put(ws, total_row, 2, "")
    for j, m in enumerate(report.milestones, start=3):
        _put(ws, total_row, j, counts_text(report.milestone_counts(m.id)), align=_CENTER)
    ws.row_dimensions[total_row].height = 60
    legend = total_row + 2
    _put(ws, legend, 1, "Статусы:", bold=True)
    for k, status in enumerate(STATUS_ORDER, start=1):
        _put(ws, legend + k, 1, STATUS_LABELS[status], fill=STATUS_COLOURS[status])
        _put(ws, legend + k, 2, {
            "on_time": "плановый срок не позже федерального",
            "late": "плановый срок позже федерального",
            "undated": "мероприятие есть, срока нет (постоянно, по мере необходимости)",
            "missing": "в плане нет такого мероприятия",
        }[status])
    _put(ws, legend + 5, 1, "—", fill=NOT_APPLICABLE_COLOUR)
    _put(ws, legend + 5, 2, "веха другого года, план её не охватывает")
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 12
    for j in range(3, first_count + len(STATUS_ORDER)):
        ws.column_dimensions[get_column_letter(j)].width = 16 if j < first_count else 11
    ws.row_dimensions[header].height = 90
    ws.freeze_panes = ws.cell(row=header + 2, column=3)


DETAIL_COLUMNS = [
    ("Веха", 24), ("Федеральное мероприятие", 40), ("Федеральный срок", 12), ("Статус", 16),
    ("№", 7), ("Мероприятие плана", 60), ("Срок в плане", 22), ("Плановое окончание", 12),
    ("Отклонение, дн.", 11), ("Совпадение, %", 11), ("Уверенность", 11), ("Где напечатано", 22),
    ("Почему проверить", 50), ("Исправлено", 50),
]


def _detail(ws, report: Report, doc) -> None:
    _put(ws, 1, 1, doc.label, bold=True, align=Alignment(vertical="top"))
    ws.cell(row=1, column=1).border = Border()
    if doc.path:
        put(ws, 2, 1, doc.path)
    for j, (name, width) in enumerate(DETAIL_COLUMNS, start=1):
        _put(ws, 4, j, name, bold=True, align=_CENTER)
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, r in enumerate(report.rows_for(doc.id), start=5):
        row = r.row
        _put(ws, i, 1, row.milestone_id)
        _put(ws, i, 2, r.milestone.title)
        _put(ws, i, 3, row.federal_deadline, number_format="DD.MM.YYYY")
        _put(ws, i, 4, status_label(row), fill=STATUS_COLOURS[row.status], align=_CENTER)
        _put(ws, i, 5, row.activity_seq or "")
        _put(ws, i, 6, row.activity_text or "")
        _put(ws, i, 7, r.planned_raw or "")
        _put(ws, i, 8, row.planned_end, number_format="DD.MM.YYYY")
        _put(ws, i, 9, row.delta_days, align=_CENTER)
        _put(ws, i, 10, row.match_score, align=_CENTER)
        _put(ws, i, 11, row.confidence, align=_CENTER)
        _put(ws, i, 12, evidence_place(row))
        _put(ws, i, 13, "; ".join(row.review_reasons))
        _put(ws, i, 14, "; ".join(row.corrections))
    ws.freeze_panes = "A5"


def _timeline(ws, report: Report) -> None:
    columns = [("Веха", 26), ("Год", 6), ("Мероприятие", 60), ("Начало", 12), ("Срок", 12),
               ("Ключевые слова", 30), ("Источник", 80)]
    rows = ([m.id, m.year, m.title, m.start, m.deadline, ", ".join(m.keywords), m.source or ""]
            for m in report.milestones)
    write_table(ws, [c for c, _ in columns], [w for _, w in columns], rows, date_columns=(4, 5))


def write_xlsx(report: Report, path: Union[str, Path, io.BytesIO]) -> None:
    wb = Workbook()
    summary = wb.active
    summary.title = "Сводка"
    taken = {"сводка", "федеральный график"}
    _summary(summary, report)
    for doc in report.documents:
        _detail(wb.create_sheet(sheet_title(doc.short_label, taken)), report, doc)
    _timeline(wb.create_sheet("Федеральный график"), report)
    wb.save(path if isinstance(path, io.BytesIO) else str(path))


def render_compliance(rows: Sequence[ComplianceRow], documents: Sequence[RoadmapDocument],
                      milestones: Sequence[Milestone]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(build_report(documents, rows, milestones), buffer)
    return buffer.getvalue()


ACTIVITY_WIDTHS = {"corrections": 40, "text": 60, "title": 40, "issuer": 30, "responsible": 40, "indicators": 40, "result": 30,
                   "schedule_raw": 24, "federal_schedule_raw": 24, "source_path": 30, "indicator_targets": 16,
                   "responsible_kinds": 20, "section": 24, "municipality": 20, "region_name": 20, "activity_id": 36}
_DATE_FORMAT = "DD.MM.YYYY"


def write_table(ws, names: Sequence[str], widths: Sequence[float], rows: Iterable[Sequence],
                date_columns: Iterable[int] = ()) -> None:
    """A sheet as one table, styled like compare's sheets: a bold centred header frozen in
    row 1 with a filter, the column widths, wrapped text, the given columns (1-based) as dates."""
    for j, (name, width) in enumerate(zip(names, widths), start=1):
        _put(ws, 1, j, name, bold=True, align=_CENTER)
        ws.column_dimensions[get_column_letter(j)].width = width
    dates = set(date_columns)
    styles: dict = {}  # number format → the body style, copied per cell (setting styles one by one is slow)
    last = 1
    for last, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            fmt = _DATE_FORMAT if j in dates else None
            if fmt in styles:
                ws.cell(row=last, column=j)._style = copy(styles[fmt])
                put(ws, last, j, value)
            else:
                styles[fmt] = copy(_put(ws, last, j, value, number_format=fmt)._style)
                styles[fmt].quotePrefix = 0
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{last}"


def render_activities(frame: "pd.DataFrame") -> bytes:
    """The export table on one sheet, `activities`, styled like compare's workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = "activities"
    widths = [ACTIVITY_WIDTHS.get(c, 12 if c in DATE_COLUMNS else 10) for c in ACTIVITY_COLUMNS]
    dates = [j for j, c in enumerate(ACTIVITY_COLUMNS, start=1) if c in DATE_COLUMNS]
    write_table(ws, ACTIVITY_COLUMNS, widths, frame_rows(frame), dates)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
