"""Reports for auditors and programs. Here: the compliance report's data bundle. Beside it:
one module per output format (json, csv, xlsx, html, parquet), chosen through
`formats.REGISTRY`; `activities` (the one activity table of `extract -f csv` and `export`),
`cells` (every CSV and XLSX cell written so that none runs as a formula) and `ingest` (an
ingest run's summary).

`build_report` joins the compliance rows with what a reader needs beside them (a label per
document, milestone titles, the plan's date cell as printed); the renderers only lay it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional, Sequence

from schema import Activity, ComplianceRow, Milestone, RoadmapDocument

STATUS_ORDER = ("on_time", "late", "undated", "missing")
STATUS_LABELS = {
    "on_time": "в срок",
    "late": "позже срока",
    "undated": "без даты",
    "missing": "нет в плане",
}
# An activity's fields a plan diff compares, as its reports name them.
FIELD_LABELS = {"text": "формулировка", "section": "раздел", "responsible": "ответственные",
                "indicators": "показатели", "result": "результат"}
STATUS_COLOURS = {  # fill colours, hex RGB without '#'
    "on_time": "C6EFCE",
    "late": "F8CBAD",
    "undated": "FFEB9C",
    "missing": "FF9C9C",
}
NOT_APPLICABLE_COLOUR = "EDEDED"


UNSURE_MARK = "?"  # after a status that needs review: an uncertain «в срок» is not a certain one


def status_label(row: ComplianceRow) -> str:
    """`в срок`, or `в срок?` when the row needs review."""
    return STATUS_LABELS[row.status] + (UNSURE_MARK if row.needs_review else "")


def evidence_place(row: ComplianceRow) -> str:
    """Where the status's activity was printed: `стр. 4, табл. 1, стр. табл. 12`."""
    e = row.evidence
    if e is None:
        return ""
    parts = ([f"стр. {e.page}"] if e.page else []) + [f"табл. {e.table}", f"строка {e.row}"]
    return ", ".join(parts)


COMPLIANCE_TABLE_COLUMNS = [
    "document_id", "region_code", "document", "milestone_id", "federal_deadline", "activity_seq", "activity_text",
    "match_score", "planned_end", "status", "delta_days", "confidence", "needs_review", "review_reasons",
    "corrections", "evidence_path", "evidence_sha256", "evidence_page", "evidence_table", "evidence_row",
    "evidence_bbox", "evidence_date_text", "evidence_activity_id",
]


def compliance_record(row: ComplianceRow, document: Optional[str] = None) -> dict:
    """A compliance row flattened for a table (CSV, a sheet): evidence in columns of its own,
    the reasons `; `-joined, and `document`, the act's label (`document_label`: region or
    municipality, type, number, date) when given — what tells Тюмень's plan from Тюменская
    область's, both RU-TYU, in a spreadsheet."""
    data = row.model_dump(mode="json")
    data["document"] = document
    evidence = data.pop("evidence") or {}
    data["review_reasons"] = "; ".join(data["review_reasons"])
    data["corrections"] = "; ".join(data["corrections"])
    for key in ("path", "sha256", "page", "table", "row", "date_text", "activity_id"):
        data[f"evidence_{key}"] = evidence.get(key)
    bbox = evidence.get("bbox")
    data["evidence_bbox"] = " ".join(f"{v:g}" for v in bbox) if bbox else None
    return {c: data.get(c) for c in COMPLIANCE_TABLE_COLUMNS}


def some_names(names: Sequence[str], shown: int = 5) -> str:
    """`a.pdf, b.pdf and 3 more`: the first few of many names in a one-line message."""
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def signed(days: int) -> str:
    """`+44`, `−3`, `0`: a delta in days as an auditor reads it."""
    return f"{days:+d}".replace("-", "−") if days else "0"


@dataclass
class DocumentInfo:
    id: str
    label: str
    short_label: str
    region_code: Optional[str]
    region_name: Optional[str]
    level: Optional[str]
    municipality: Optional[str]
    path: Optional[str]
    years: list[int] = field(default_factory=list)


@dataclass
class ReportRow:
    row: ComplianceRow
    milestone: Milestone
    activity: Optional[Activity] = None

    @property
    def planned_raw(self) -> Optional[str]:
        return self.activity.schedule.raw if self.activity is not None else None


@dataclass
class Report:
    documents: list[DocumentInfo]
    milestones: list[Milestone]
    rows: list[ReportRow]
    generated: date = field(default_factory=date.today)

    def rows_for(self, document_id: str) -> list[ReportRow]:
        return [r for r in self.rows if r.row.document_id == document_id]

    def cell(self, document_id: str, milestone_id: str) -> Optional[ReportRow]:
        for r in self.rows:
            if r.row.document_id == document_id and r.row.milestone_id == milestone_id:
                return r
        return None

    def counts(self, document_id: str) -> dict[str, int]:
        """Statuses of one document's milestones."""
        counts = {s: 0 for s in STATUS_ORDER}
        for r in self.rows_for(document_id):
            counts[r.row.status] += 1
        return counts

    def milestone_counts(self, milestone_id: str) -> dict[str, int]:
        """Statuses of one milestone across all documents whose plans cover its year."""
        counts = {s: 0 for s in STATUS_ORDER}
        for r in self.rows:
            if r.row.milestone_id == milestone_id:
                counts[r.row.status] += 1
        return counts


def counts_text(counts: dict[str, int], sep: str = "\n") -> str:
    """`в срок: 3` … one line per status that occurs."""
    return sep.join(f"{STATUS_LABELS[s]}: {n}" for s, n in counts.items() if n)


def _who(doc: RoadmapDocument) -> str:
    return doc.municipality or (doc.region.name if doc.region else None) or doc.issuer or Path(doc.source.path).stem


def short_label(doc: RoadmapDocument) -> str:
    """`Тюменская область 918/02`: for sheet names and chart captions."""
    return f"{_who(doc)} {doc.number}" if doc.number else _who(doc)


def document_label(doc: RoadmapDocument) -> str:
    """`Тюменская область — приказ № 918/02 от 30.12.2021` (whatever parts are known)."""
    who = _who(doc)
    act = " ".join(p for p in (doc.doc_type, f"№ {doc.number}" if doc.number else None) if p)
    if doc.date:
        act = f"{act} от {doc.date:%d.%m.%Y}".strip()
    return f"{who} — {act}" if act else who


def _find_activity(doc: RoadmapDocument, row: ComplianceRow) -> Optional[Activity]:
    if row.activity_text is None and row.activity_seq is None:
        return None
    same = [a for a in doc.activities if a.seq == row.activity_seq and a.text == row.activity_text]
    if len(same) > 1 and row.planned_end is not None:
        # Identical rows (two «Опрос участников» rows) differ by their dates.
        dated = [a for a in same if row.planned_end in (a.schedule.end, a.schedule.start, *a.schedule.dates)]
        same = dated or same
    return same[0] if same else None


def build_report(documents: Sequence[RoadmapDocument], rows: Sequence[ComplianceRow],
                 milestones: Sequence[Milestone]) -> Report:
    by_id = {m.id: m for m in milestones}
    docs = {d.id: d for d in documents}
    used = {r.milestone_id for r in rows}
    infos = []
    for d in documents:
        years = sorted({by_id[r.milestone_id].year for r in rows if r.document_id == d.id and r.milestone_id in by_id})
        infos.append(DocumentInfo(
            id=d.id, label=document_label(d), short_label=short_label(d), region_code=d.region.code if d.region else None,
            region_name=d.region.name if d.region else None, level=d.level,
            municipality=d.municipality, path=d.source.path, years=years,
        ))
    report_rows = [
        ReportRow(r, by_id[r.milestone_id], _find_activity(docs[r.document_id], r) if r.document_id in docs else None)
        for r in rows if r.milestone_id in by_id
    ]
    shown = [m for m in milestones if m.id in used]
    shown.sort(key=lambda m: (m.year, m.deadline, m.id))
    return Report(infos, shown, report_rows)
