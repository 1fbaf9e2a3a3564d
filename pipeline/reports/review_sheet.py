"""The review queue as a workbook to fill in Excel, and the filled workbook read back.

One row per queue item: its ids, status, confidence, reasons, evidence and the activity's
current values, then the columns a reviewer fills: `field` (prefilled with the field the
doubt is about), `new_value`, `confirm`, `comment`, `author`. Every cell is written through
`cells.put` (nothing runs as a formula). Reading gives one CorrectionRequest per filled row,
or the problems with their row numbers; the store then validates the batch as a whole.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from schema import ReviewItem
from pipeline.corrections import CorrectionRequest
from pipeline.reports import STATUS_LABELS

INFO_COLUMNS = [
    "document_id", "act_id", "milestone_id", "activity_id", "status", "confidence", "reasons", "evidence",
    "date_text", "activity_text", "schedule.kind", "schedule.end", "responsible", "planned_end", "federal_deadline",
]
INPUT_COLUMNS = ["field", "new_value", "confirm", "comment", "author"]
COLUMNS = INFO_COLUMNS + INPUT_COLUMNS
WIDTHS = {"reasons": 50, "evidence": 30, "date_text": 24, "activity_text": 60, "responsible": 40, "act_id": 22,
          "activity_id": 36, "milestone_id": 26, "new_value": 20, "comment": 30, "field": 16}
DATE_COLUMNS = ("schedule.end", "planned_end", "federal_deadline")
YES = {"1", "x", "х", "+", "yes", "y", "true", "да", "д", "ok", "ок", "verified", "подтверждаю"}
STATUS_BY_LABEL = {label: key for key, label in STATUS_LABELS.items()}
HELP = [
    "Заполните по строке очереди: field — что исправить (schedule.end, schedule.kind, responsible, text, status …),",
    "new_value — новое значение (дата как дата или ГГГГ-ММ-ДД; status: в срок / позже срока / без даты / нет в плане),",
    "или confirm = да, если всё верно. comment и author — по желанию. Пустые строки пропускаются.",
    "Импорт: roadmap review import review.xlsx — применяется всё или ничего; ошибки указываются по номерам строк.",
]


def _place(item: ReviewItem) -> str:
    e = item.evidence
    if e is None:
        return ""
    parts = [e.path] + ([f"стр. {e.page}"] if e.page else []) + [f"табл. {e.table}", f"строка {e.row}"]
    return ", ".join(parts)


def _default_field(item: ReviewItem) -> str:
    """What a reviewer most often fixes: the activity's end date (extraction's usual slip);
    `status` for a row with no activity."""
    return "schedule.end" if item.activity_id else "status"


def _row(item: ReviewItem) -> list[Any]:
    from pipeline.versions import as_date

    v = item.values
    return [item.document_id, item.act_id, item.milestone_id, item.activity_id,
            STATUS_LABELS.get(item.status or "", ""), item.confidence, "; ".join(item.reasons), _place(item),
            item.evidence.date_text if item.evidence else v.get("schedule.raw"), v.get("text"), v.get("schedule.kind"),
            as_date(v.get("schedule.end")), v.get("responsible"), item.planned_end, item.federal_deadline,
            _default_field(item), None, None, None, None]


def render_review(items: Sequence[ReviewItem]) -> bytes:
    """The queue as an XLSX workbook: sheet `review` to fill, sheet `help` saying how."""
    from openpyxl import Workbook

    from pipeline.reports.cells import put
    from pipeline.reports.xlsx import write_table

    wb = Workbook()
    ws = wb.active
    ws.title = "review"
    widths = [WIDTHS.get(c, 12) for c in COLUMNS]
    dates = [j for j, c in enumerate(COLUMNS, start=1) if c in DATE_COLUMNS]
    write_table(ws, COLUMNS, widths, (_row(i) for i in items), dates)
    notes = wb.create_sheet("help")
    for k, line in enumerate(HELP, start=1):
        put(notes, k, 1, line)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> Optional[str]:
    return None if _blank(value) else str(value).strip()


def read_review(path: Union[str, Path], author: Optional[str] = None
                ) -> tuple[list[tuple[int, CorrectionRequest]], list[tuple[int, str]]]:
    """(row number, request) for each filled row of a review workbook, and (row number,
    problem) for rows that cannot be requests (no id, a value and a confirmation both)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)  # a formula typed in comes back as its text, never run
    except Exception as exc:  # a file that is no workbook: one line, not a traceback
        return [], [(0, f"not a review workbook: {type(exc).__name__}: {exc}")]
    ws = wb["review"] if "review" in wb.sheetnames else wb.active
    rows = ws.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = [c for c in ("act_id", "milestone_id", "activity_id", *INPUT_COLUMNS) if c not in header]
    if missing:
        wb.close()
        return [], [(1, f"not a review workbook: no column {', '.join(missing)}")]
    col = {name: header.index(name) for name in header if name}
    requests: list[tuple[int, CorrectionRequest]] = []
    problems: list[tuple[int, str]] = []
    for number, values in enumerate(rows, start=2):
        cell = {name: (values[k] if k < len(values) else None) for name, k in col.items()}
        value, confirm = cell["new_value"], _text(cell["confirm"])
        confirmed = confirm is not None and confirm.casefold() in YES
        if _blank(value) and confirm is None:
            continue
        if confirm is not None and not confirmed:
            problems.append((number, f"confirm: {confirm!r} is not a yes (да, x, 1)"))
            continue
        if confirmed and not _blank(value):
            problems.append((number, "give a new value or confirm, not both"))
            continue
        field = _text(cell["field"])
        if field == "status" and isinstance(value, str):
            value = STATUS_BY_LABEL.get(value.strip(), value.strip())
        requests.append((number, CorrectionRequest(  # a confirmation vouches for the item: its row, or its activity
            field=None if confirmed else field, value=None if confirmed else value, confirm=confirmed,
            author=_text(cell["author"]) or author or "", comment=_text(cell["comment"]),
            activity_id=_text(cell["activity_id"]), milestone_id=_text(cell["milestone_id"]),
            act_id=_text(cell["act_id"]))))
    wb.close()
    return requests, problems
