"""The shared roadmap schema (see the spec roadmap-schema.md): one shape for every order.

Field names are a contract with the CLI's JSON, the database and the reports: never rename.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

DocFormat = Literal["pdf", "docx", "doc", "odt", "rtf", "xlsx", "xls", "ods", "csv", "jpeg", "png", "tiff"]
Level = Literal["regional", "municipal", "territorial"]
ScheduleKind = Literal[
    "date", "deadline", "period", "dates", "after", "recurring", "ongoing", "as_needed", "unspecified"
]
PartyKind = Literal[
    "federal", "regional_authority", "regional_operator", "municipal", "school", "curator", "other"
]
ComplianceStatus = Literal["on_time", "late", "undated", "missing"]


class _Model(BaseModel):
    """Validators are built on first use (`defer_build`), so a command pays only for the
    models it touches: `roadmap extract` never builds Milestone or ComplianceRow."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Source(_Model):
    path: str
    sha256: str
    format: DocFormat
    pages: Optional[int] = None
    ocr: bool = False


class Region(_Model):
    code: str
    name: str


class ActRef(_Model):
    """A reference to another act (what an amending order amends)."""

    number: Optional[str] = None
    date: Optional[dt.date] = None


class Period(_Model):
    start: dt.date
    end: dt.date


class Schedule(_Model):
    raw: str = ""
    kind: ScheduleKind = "unspecified"
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    dates: list[dt.date] = Field(default_factory=list)
    recurrence: Optional[str] = None


class Party(_Model):
    raw: str
    name: str
    kind: PartyKind = "other"


class Indicator(_Model):
    text: str
    target: Optional[float] = None
    unit: Optional[str] = None
    comparator: Optional[Literal[">=", "=", "<="]] = None


class RowSource(_Model):
    """Where an activity was printed: 1-based page, table and row; for PDFs (text layer and
    scans) the row's box on its page in points, [x0, top, x1, bottom] from the top left."""

    page: Optional[int] = None
    table: int
    row: int
    bbox: Optional[list[float]] = None


class Activity(_Model):
    seq: Optional[str] = None
    section: Optional[str] = None
    text: str
    schedule: Schedule = Field(default_factory=Schedule)
    federal_schedule: Optional[Schedule] = None
    responsible: list[Party] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    result: Optional[str] = None
    source: RowSource
    # The stable id of the activity as read (pipeline/identity.py), pinned when a correction
    # rewrites the wording the id is derived from; never serialized.
    _stable_id: Optional[str] = PrivateAttr(default=None)


class RoadmapDocument(_Model):
    id: str
    source: Source
    issuer: Optional[str] = None
    region: Optional[Region] = None
    level: Optional[Level] = None
    municipality: Optional[str] = None
    doc_type: Optional[str] = None
    number: Optional[str] = None
    date: Optional[dt.date] = None
    title: Optional[str] = None
    amends: list[ActRef] = Field(default_factory=list)
    period: Optional[Period] = None
    activities: list[Activity] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")


class Milestone(_Model):
    id: str
    year: int
    title: str
    deadline: dt.date
    start: Optional[dt.date] = None
    keywords: list[str] = Field(default_factory=list)
    source: Optional[str] = None


class Evidence(_Model):
    """What a compliance status rests on: the matched activity as printed, and where."""

    path: str
    sha256: Optional[str] = None
    page: Optional[int] = None
    table: int
    row: int
    bbox: Optional[list[float]] = None
    activity_text: str
    date_text: str = ""
    activity_id: Optional[str] = None


class ComplianceRow(_Model):
    document_id: str
    region_code: Optional[str] = None
    milestone_id: str
    federal_deadline: dt.date
    activity_seq: Optional[str] = None
    activity_text: Optional[str] = None
    match_score: Optional[float] = None
    planned_end: Optional[dt.date] = None
    status: ComplianceStatus
    delta_days: Optional[int] = None
    evidence: Optional[Evidence] = None
    confidence: Optional[float] = None
    needs_review: bool = False
    review_reasons: list[str] = Field(default_factory=list)
    corrections: list[str] = Field(default_factory=list)  # what people did to it, and on whose word


CorrectionKind = Literal["correct", "confirm"]
CorrectionTarget = Literal["activity", "milestone"]


class Correction(_Model):
    """A person's correction (or confirmation, `new_value` null) of one field of an act's
    activity or of its compliance row for a milestone. Keyed by the act and the activity's
    stable id, not by a file, so it reaches every rendition and survives a re-ingest."""

    id: Optional[int] = None
    act_id: str
    target_kind: CorrectionTarget
    target: str                       # an activity id, or a milestone id
    field: str                        # a schema field path: `schedule.end`, `responsible`, `status`
    old_value: Any = None
    new_value: Any = None
    kind: CorrectionKind = "correct"
    author: str
    created_at: Optional[dt.datetime] = None
    comment: Optional[str] = None
    target_text: Optional[str] = None  # the activity's wording as read: finds it in a rendition read differently
    document_id: Optional[str] = None  # the rendition it was made on


class ReviewItem(_Model):
    """One entry of the review queue: a compliance row that needs a person, or a corrected
    activity an amending act changed (then `milestone_id` and `status` are null)."""

    document_id: str
    act_id: str
    region_code: Optional[str] = None
    milestone_id: Optional[str] = None
    activity_id: Optional[str] = None
    status: Optional[ComplianceStatus] = None
    confidence: Optional[float] = None
    reasons: list[str] = Field(default_factory=list)
    evidence: Optional[Evidence] = None
    federal_deadline: Optional[dt.date] = None
    planned_end: Optional[dt.date] = None
    values: dict[str, Any] = Field(default_factory=dict)  # the activity's current values, by field path


# The models a document is built of, leaves first.
DOCUMENT_MODELS = (Source, Region, ActRef, Period, Schedule, Party, Indicator, RowSource, Activity, RoadmapDocument)


def build_document_validators() -> None:
    """Build now the validators `defer_build` leaves for a document's first use (≈ 20 ms):
    for a caller with time to spare before its first document (`roadmap extract` while its
    reader process reads)."""
    for model in DOCUMENT_MODELS:
        model.model_rebuild()

