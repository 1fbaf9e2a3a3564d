"""Corrections as data: a person's fix (or confirmation) of one field of an act's activity or
of its compliance row, applied on every read.

A correction names the act (`pipeline.identity.act_id`) and the activity's stable id, never
a file, so it reaches the DOCX, the PDF and a scan of one order and survives a re-ingest. A
rendition that read the activity's wording differently (an OCR typo) gives it another id:
the correction keeps the wording it was made on and finds the counterpart by similarity
(`pipeline.diff.pair_activities`). Of several corrections of one (target, field) the latest
wins; a confirmation changes nothing but takes the row out of the review queue.

A value is validated like extracted data, through the schema's own models: `schedule.end`
must be an ISO date, `schedule.kind` one of the schema's kinds, `responsible` a list of
parties (or names separated by `;`, classified by the extractor's own rules).

Pure: documents, rows and corrections in, new documents and rows out. The store
(pipeline/store/corrections.py) keeps the table and calls these on each read.
"""
from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from pydantic import BaseModel, TypeAdapter, ValidationError

from language.patterns import compiled
from normalizers.dates import parse_date
from pipeline.diff import pair_activities
from pipeline.identity import act_id, pin_activity_ids
from schema import Activity, ComplianceRow, ComplianceStatus, Correction, Indicator, Party, RoadmapDocument, RowSource

MILESTONE_FIELDS: dict[str, Any] = {"status": ComplianceStatus}
NOT_CORRECTABLE = ("source",)       # provenance is what the file says, not an opinion
WHOLE_ROW = "*"                     # the field of a confirmation of a whole activity
DATED_FIELDS = ("schedule.start", "schedule.end", "schedule.dates")
_ISO_DATE = compiled(r"^\d{4}-\d{2}-\d{2}$")
# A day, month and year written as a day is (`30.02.2022`, `31 февраля 2021 г.`): when it is not
# a date, the calendar has no such day — not a shape the reader should be told to use.
_DAY_SHAPE = compiled(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\s+[а-яё]+\s+\d{4}(\s*г\.?)?)$")


class CorrectionError(ValueError):
    """One or more corrections cannot be applied: `problems` holds (index of the request or
    None, reason) for each, so a batch is refused as a whole with every reason."""

    def __init__(self, problems: Sequence[tuple[Optional[int], str]] | str) -> None:
        self.problems = [(None, problems)] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(reason for _, reason in self.problems))


class UnchangedCorrection(CorrectionError):
    """Every correction refused asks for the value its field already reads."""


@dataclass(frozen=True)
class CorrectionRequest:
    """What a person asks for, before the store resolves and validates it."""

    field: Optional[str] = None
    value: Any = None
    author: Optional[str] = None
    comment: Optional[str] = None
    confirm: bool = False
    activity_id: Optional[str] = None
    milestone_id: Optional[str] = None
    act_id: Optional[str] = None


# --------------------------------------------------------------------------- field paths

def _unwrap(annotation: Any) -> Any:
    """`Optional[X]` → X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _activity_paths(model: type[BaseModel] = Activity, prefix: str = "") -> list[str]:
    paths = []
    for name, info in model.model_fields.items():
        if not prefix and name in NOT_CORRECTABLE:
            continue
        inner = _unwrap(info.annotation)
        paths.append(prefix + name)
        if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in (Party, Indicator):
            paths += _activity_paths(inner, f"{prefix}{name}.")
    return paths


ACTIVITY_FIELDS = tuple(_activity_paths())


def field_annotation(field: str) -> Any:
    """The schema type of a correctable field path; CorrectionError for any other."""
    if field in MILESTONE_FIELDS:
        return MILESTONE_FIELDS[field]
    if field not in ACTIVITY_FIELDS:
        raise CorrectionError(f"unknown field {field!r}: an activity's field path (text, schedule.end, "
                              f"schedule.kind, responsible, … see docs/roadmap-schema.md) or a milestone "
                              f"row's {', '.join(MILESTONE_FIELDS)}")
    model: Any = Activity
    for part in field.split("."):
        annotation = model.model_fields[part].annotation
        model = _unwrap(annotation)
    return annotation


def _date(field: str, value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CorrectionError(f"{field}: expected a date, got a date and time {value.isoformat()}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip() if isinstance(value, str) else None
    if text and _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    day = parse_date(text) if text else None  # `29.04.2022`, `29 апреля 2022 г.`: as orders print a day
    if day is not None:
        return day
    no_such_day = "no such day: " if text and _DAY_SHAPE.match(text.lower()) else ""
    raise CorrectionError(f"{field}: {no_such_day}expected a date with its year (2022-04-29, 29.04.2022 or "
                          f"29 апреля 2022 г.), got {_shown(value)}")


def _shown(value: Any) -> str:
    """A value as a reviewer typed it: a date cell as its date, a text quoted."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def _text(value: Any) -> Any:
    """A spreadsheet's number read as text (`1` for a row number typed as a number)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value.strip() if isinstance(value, str) else value


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(";") if name.strip()]


def validate_value(field: str, value: Any) -> object:
    """The value as the schema types it, validated like extracted data; CorrectionError with
    the field and the reason otherwise (an unknown field path, a bad date, an unknown kind)."""
    annotation = field_annotation(field)
    inner = _unwrap(annotation)
    optional = inner is not annotation
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        if typing.get_origin(inner) is list:
            return []
        raise CorrectionError(f"{field}: a value is required")
    if inner is dt.date:
        return _date(field, value)
    if typing.get_origin(inner) is list:
        item = typing.get_args(inner)[0]
        if isinstance(value, str):
            value = _parse_list(item, value)
        elif not isinstance(value, (list, tuple)):
            value = [value]
        if item is dt.date:
            return [_date(field, v) for v in value]
    if inner is str:
        value = _text(value)
    try:
        return TypeAdapter(annotation).validate_python(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CorrectionError(f"{field}{'.' + where if where else ''}: {first['msg']} (got {_shown(value)})") from None


def _parse_list(item: Any, value: str) -> list:
    """A list typed into one cell: parties and indicators as the extractor reads them."""
    if item is Party:
        from normalizers.parties import classify_party

        return [Party(raw=name, name=name, kind=classify_party(name)) for name in _names(value)]
    if item is Indicator:
        from normalizers.indicators import parse_indicators

        return parse_indicators(value)
    return _names(value)


def value_json(field: str, value: Any) -> Any:
    """A validated value as JSON (dates ISO, models dicts): what the table stores."""
    return TypeAdapter(field_annotation(field)).dump_python(value, mode="json")


def current_value(activity: Activity, field: str) -> Any:
    """An activity's value at a field path, as JSON."""
    data: Any = activity.model_dump(mode="json")
    for part in field.split("."):
        if data is None:
            return None
        data = data[part]
    return data


# --------------------------------------------------------------------------- applying

def _order(c: Correction) -> tuple:
    return (c.created_at or dt.datetime.min.replace(tzinfo=dt.timezone.utc), c.id or 0)


def resolve_targets(doc: RoadmapDocument, corrections: Iterable[Correction]) -> dict[str, int]:
    """Activity id a correction names → index of that activity in `doc`: by id, else (the
    rendition read its wording differently) by pairing the wording the correction recorded."""
    ids = pin_activity_ids(doc)
    index = {aid: i for i, aid in enumerate(ids)}
    wanted = {c.target: c.target_text for c in corrections if c.target_kind == "activity"}
    missing = [(target, text) for target, text in wanted.items() if target not in index and text]
    if missing:
        free = [i for i, aid in enumerate(ids) if aid not in wanted]
        ghosts = [Activity(text=text, source=RowSource(table=0, row=0)) for _, text in missing]
        for k, j, _score in pair_activities(ghosts, [doc.activities[i] for i in free]):
            index[missing[k][0]] = free[j]
    return {target: index[target] for target in wanted if target in index}


def _set(data: dict, field: str, value: Any) -> None:
    parts = field.split(".")
    for part in parts[:-1]:
        if data.get(part) is None:
            data[part] = {}
        data = data[part]
    data[parts[-1]] = value


def _settle_schedule(activity: Activity, fields: set[str]) -> None:
    """A date put into a schedule read as `unspecified` gives it the kind the dates say (the
    kind itself corrected wins); a single date keeps its start and end equal."""
    s = activity.schedule
    if "schedule.kind" in fields or "schedule" in fields or not fields & set(DATED_FIELDS):
        return
    if s.kind == "unspecified":
        if s.dates:
            s.kind = "dates"
        elif s.start and s.end:
            s.kind = "date" if s.start == s.end else "period"
        elif s.end:
            s.kind = "deadline"
        elif s.start:
            s.kind = "after"
    elif s.kind == "date":
        if "schedule.end" in fields and "schedule.start" not in fields:
            s.start = s.end
        elif "schedule.start" in fields and "schedule.end" not in fields:
            s.end = s.start


def _corrected(activity: Activity, latest: list[Correction], warnings: list[str]) -> Activity:
    data = activity.model_dump()
    applied: set[str] = set()
    for c in latest:
        try:
            _set(data, c.field, validate_value(c.field, c.new_value))
            applied.add(c.field)
        except CorrectionError as exc:
            warnings.append(f"correction {c.id} not applied: {exc}")
    try:
        fixed = Activity.model_validate(data)
    except ValidationError as exc:
        warnings.append(f"corrections {[c.id for c in latest]} not applied: {exc.errors()[0]['msg']}")
        return activity
    fixed._stable_id = activity._stable_id
    _settle_schedule(fixed, applied)
    return fixed


def of_act(doc: RoadmapDocument, corrections: Iterable[Correction]) -> list[Correction]:
    """The corrections of the document's act, oldest first."""
    act = act_id(doc)
    return sorted((c for c in corrections if c.act_id == act), key=_order)


def _stored_value(value: Any) -> str:
    """A corrected value as the table prints it: parties and indicators by their names."""
    if isinstance(value, list):
        return "; ".join(_stored_value(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("text") or value)
    return "—" if value is None else str(value)


def correction_notes(doc: RoadmapDocument, corrections: Sequence[Correction]) -> dict[int, str]:
    """Activity index → what people did to it: each field's latest correction (`field: old →
    new (author, day)`), or `confirmed (author, day)`. The table's values are already the
    corrected ones; this says which they are and whose word they rest on."""
    mine = [c for c in of_act(doc, corrections) if c.target_kind == "activity"]
    if not mine:
        return {}
    return _notes(mine, resolve_targets(doc, mine))


def _notes(mine: Sequence[Correction], where: dict[str, int]) -> dict[int, str]:
    """correction_notes of an act's corrections (oldest first) whose targets are resolved."""
    latest: dict[int, dict[str, Correction]] = {}
    for c in mine:
        if c.target_kind == "activity" and c.target in where:
            latest.setdefault(where[c.target], {})[c.field if c.kind == "correct" else ""] = c
    return {index: "; ".join(_note(field, c) for field, c in sorted(by_field.items()))
            for index, by_field in latest.items()}


def _note(field: str, c: Correction) -> str:
    """`field: old → new (author, day)`, or `confirmed (author, day)` when `field` is empty."""
    who = ", ".join(filter(None, (c.author, c.created_at.date().isoformat() if c.created_at else None)))
    what = f"{field}: {_stored_value(c.old_value)} → {_stored_value(c.new_value)}" if field else "confirmed"
    return f"{what} ({who})" if who else what


def apply_corrections(doc: RoadmapDocument, corrections: list[Correction]) -> RoadmapDocument:
    """The document with its act's corrections applied (a new object when any apply; `doc`
    is never changed). Each activity keeps the id of its wording as read."""
    mine = of_act(doc, corrections)
    if not mine:
        return doc
    out = doc.model_copy(deep=True)
    where = resolve_targets(out, mine)
    latest: dict[int, dict[str, Correction]] = {}
    for c in mine:
        if c.target_kind == "activity" and c.kind == "correct" and c.target in where:
            latest.setdefault(where[c.target], {})[c.field] = c
    for i, by_field in latest.items():
        ordered = sorted(by_field.values(), key=lambda c: (c.field.count("."), _order(c)))
        out.activities[i] = _corrected(out.activities[i], ordered, out.warnings)
    return out


def correct_rows(doc: RoadmapDocument, rows: Sequence[ComplianceRow],
                 corrections: Iterable[Correction]) -> list[ComplianceRow]:
    """Compliance rows of a corrected document with its milestone corrections applied. A row
    a person settled (its status corrected, its status confirmed, its activity corrected or
    confirmed) no longer needs review."""
    mine = of_act(doc, corrections)
    if not mine:
        return list(rows)
    ids = pin_activity_ids(doc)
    where = resolve_targets(doc, mine)
    touched = {ids[where[c.target]] for c in mine if c.target_kind == "activity" and c.target in where}
    activity_notes = {ids[index]: note for index, note in _notes(mine, where).items()}
    out = []
    for row in rows:
        own = [c for c in mine if c.target_kind == "milestone" and c.target == row.milestone_id]
        fixes = [c for c in own if c.kind == "correct" and c.field == "status"]
        confirmations = [c for c in own if c.kind == "confirm" and c.old_value == row.status]
        on_activity = row.evidence is not None and row.evidence.activity_id in touched
        note = activity_notes.get(row.evidence.activity_id) if on_activity else None
        notes = [note] if note else []
        notes += [_note("", c) for c in confirmations[-1:]]
        notes += [_note("status", c) for c in fixes[-1:]]
        if fixes:
            row = with_status(row, validate_value("status", fixes[-1].new_value))
        if fixes or confirmations or on_activity:
            row = row.model_copy(update={"needs_review": False, "corrections": notes})
        out.append(row)
    return out


def with_status(row: ComplianceRow, status: str) -> ComplianceRow:
    """A row whose status a person set: `missing` drops the match, `undated` its date."""
    update: dict[str, Any] = {"status": status}
    if status == "missing":
        update.update(activity_seq=None, activity_text=None, match_score=None, planned_end=None, delta_days=None,
                      evidence=None, confidence=None, review_reasons=[])
    elif status == "undated":
        update.update(planned_end=None, delta_days=None)
    return row.model_copy(update=update)


REVIEW_VALUES = ("text", "schedule.raw", "schedule.kind", "schedule.start", "schedule.end", "responsible")


def review_values(activity: Activity) -> dict[str, Any]:
    """The values a reviewer checks, as JSON (`responsible` as names joined by `; `)."""
    values = {f: current_value(activity, f) for f in REVIEW_VALUES}
    values["responsible"] = "; ".join(p.name for p in activity.responsible)
    return values
