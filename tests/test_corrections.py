"""Corrections applied to documents and compliance rows, without a store: values validated like
extracted data, the latest correction of a field wins, an activity read differently in another
rendition still found, a confirmed or corrected row settled."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from pipeline.corrections import CorrectionError, apply_corrections, correct_rows, validate_value
from pipeline.identity import act_id, activity_ids
from schema import ComplianceRow, Correction, Evidence, Party

sys.path.insert(0, str(Path(__file__).resolve().parent / "store"))
from store_fixtures import make_doc  # noqa: E402


@pytest.mark.parametrize("field, value, expected", [
    ("schedule.end", "2022-03-01", dt.date(2022, 3, 1)),
    ("schedule.end", dt.datetime(2022, 3, 1), dt.date(2022, 3, 1)),          # an Excel date cell
    ("schedule.end", dt.date(2022, 3, 1), dt.date(2022, 3, 1)),
    ("schedule.end", "", None),                                             # optional: cleared
    ("schedule.start", " 2021-12-01 ", dt.date(2021, 12, 1)),
    ("schedule.end", "01.03.2022", dt.date(2022, 3, 1)),                    # as orders print a day
    ("schedule.end", "29 апреля 2022 г.", dt.date(2022, 4, 29)),
    ("schedule.dates", "2022-01-10; 2022-02-10", [dt.date(2022, 1, 10), dt.date(2022, 2, 10)]),
    ("schedule.kind", "deadline", "deadline"),
    ("status", "missing", "missing"),
    ("seq", 3.0, "3"),                                                       # a number typed in Excel
    ("text", "  Совещание  ", "Совещание"),
    ("responsible", [], []),
    ("indicators", "не менее 60% школ", [{"text": "не менее 60% школ", "target": 60.0, "unit": "%",
                                          "comparator": ">="}]),
])
def test_valid_values(field, value, expected):
    got = validate_value(field, value)
    if isinstance(got, list) and got and hasattr(got[0], "model_dump"):
        got = [g.model_dump() for g in got]
    assert got == expected


def test_responsible_names_are_classified_like_extracted_parties():
    parties = validate_value("responsible", "Департамент образования; МОУО")
    assert [p.name for p in parties] == ["Департамент образования", "МОУО"]
    assert all(isinstance(p, Party) for p in parties) and parties[1].kind == "municipal"


@pytest.mark.parametrize("field, value, message", [
    ("schedule.end", "до 01.03.2022", "schedule.end: expected a date with its year (2022-04-29, 29.04.2022 or "
                                      "29 апреля 2022 г.), got 'до 01.03.2022'"),   # a date cell: a schedule, not a day
    ("schedule.end", "01.03", "expected a date with its year"),
    ("schedule.end", "2022-02-30", "schedule.end: no such day: expected a date with its year"),
    ("schedule.end", "30.02.2022", "no such day"),
    ("schedule.end", "31 февраля 2021", "schedule.end: no such day: expected a date with its year"),
    ("schedule.end", "31 Февраля 2021 г.", "no such day"),
    ("schedule.end", "01.13.2022", "no such day"),
    ("schedule.end", "февраль 2022", "schedule.end: expected a date with its year"),   # a month, not a day
    ("schedule.end", dt.datetime(2022, 3, 1, 14, 30), "a date and time"),
    ("schedule.end", 20220301, "expected a date with its year"),
    ("schedule.kind", "soon", "schedule.kind: Input should be"),
    ("status", "в срок", "status: Input should be 'on_time'"),
    ("text", "", "text: a value is required"),
    ("schedule.finish", "2022-03-01", "unknown field 'schedule.finish'"),
    ("source.page", 3, "unknown field 'source.page'"),                    # provenance is not an opinion
    ("", 1, "unknown field ''"),
])
def test_bad_values_say_why(field, value, message):
    with pytest.raises(CorrectionError) as err:
        validate_value(field, value)
    assert message in str(err.value)


def _fix(doc, index, field, value, *, minute=0, text=None, kind="correct", target=None) -> Correction:
    return Correction(act_id=act_id(doc), target_kind="activity", target=target or activity_ids(doc)[index],
                      field=field, new_value=value, kind=kind, author="t",
                      created_at=dt.datetime(2026, 1, 1, 12, minute, tzinfo=dt.timezone.utc),
                      target_text=text or doc.activities[index].text)


def test_latest_correction_wins_and_the_document_is_untouched():
    doc = make_doc("a")
    before = doc.model_dump()
    fixed = apply_corrections(doc, [_fix(doc, 1, "schedule.end", "2022-01-31", minute=5),
                                    _fix(doc, 1, "schedule.end", "2022-01-15", minute=1)])
    assert fixed.activities[1].schedule.end == dt.date(2022, 1, 31)
    assert doc.model_dump() == before
    other = make_doc("b", number="2")  # another act: untouched
    assert apply_corrections(other, [_fix(doc, 1, "schedule.end", "2022-01-31")]) == other


@pytest.mark.parametrize("kind_before, field, value, kind_after, start, end", [
    ("unspecified", "schedule.end", "2022-03-01", "deadline", None, dt.date(2022, 3, 1)),
    ("date", "schedule.end", "2022-03-01", "date", dt.date(2022, 3, 1), dt.date(2022, 3, 1)),
    ("deadline", "schedule.end", "2022-03-01", "deadline", None, dt.date(2022, 3, 1)),
])
def test_a_date_gives_the_schedule_its_kind(kind_before, field, value, kind_after, start, end):
    doc = make_doc("a")
    doc.activities[0].schedule = doc.activities[0].schedule.model_copy(
        update={"kind": kind_before, "start": None if kind_before != "date" else dt.date(2021, 11, 25),
                "end": None if kind_before == "unspecified" else doc.activities[0].schedule.end})
    s = apply_corrections(doc, [_fix(doc, 0, field, value)]).activities[0].schedule
    assert (s.kind, s.start, s.end) == (kind_after, start, end)


def test_a_corrected_wording_keeps_its_id():
    doc = make_doc("a")
    ids = activity_ids(doc)
    fixed = apply_corrections(doc, [_fix(doc, 2, "text", "Назначение координаторов")])
    assert fixed.activities[2].text == "Назначение координаторов" and activity_ids(fixed) == ids


def test_a_rendition_read_differently_is_found_by_its_wording():
    docx = make_doc("a")
    pdf = make_doc("a-pdf", fmt="pdf")     # the same act, its third row misread by OCR
    pdf.activities[2].text = pdf.activities[2].text.replace("муниципальных", "муниципапьных")
    assert act_id(pdf) == act_id(docx) and activity_ids(pdf)[2] != activity_ids(docx)[2]
    fixed = apply_corrections(pdf, [_fix(docx, 2, "responsible", "МОУО")])
    assert [p.name for p in fixed.activities[2].responsible] == ["МОУО"]
    assert [a.responsible for a in fixed.activities[:2]] == [a.responsible for a in pdf.activities[:2]]


def _row(doc, milestone, index, status="on_time") -> ComplianceRow:
    a = doc.activities[index]
    return ComplianceRow(document_id=doc.id, milestone_id=milestone, federal_deadline=dt.date(2022, 1, 1),
                         status=status, planned_end=a.schedule.end, delta_days=-3, confidence=0.4, needs_review=True,
                         evidence=Evidence(path="x", table=1, row=index + 2, activity_text=a.text,
                                           activity_id=activity_ids(doc)[index]))


@pytest.mark.parametrize("fixes, status, needs_review, notes", [
    ([], "on_time", True, []),
    ([("milestone", "m1", "status", "late", "correct", "on_time")], "late", False, ["status: on_time → late (t)"]),
    ([("milestone", "m1", "status", None, "confirm", "on_time")], "on_time", False, ["confirmed (t)"]),
    ([("milestone", "m1", "status", None, "confirm", "late")], "on_time", True, []),     # confirmed another status
    ([("milestone", "m2", "status", None, "confirm", "on_time")], "on_time", True, []),  # another row
    ([("activity", 0, "*", None, "confirm", None)], "on_time", False, ["confirmed (t)"]),  # its activity checked
    ([("activity", 1, "*", None, "confirm", None)], "on_time", True, []),
    ([("milestone", "m1", "status", "missing", "correct", "on_time")], "missing", False,
     ["status: on_time → missing (t)"]),
    ([("activity", 0, "schedule.end", "2021-12-20", "correct", "2021-12-29"),
      ("milestone", "m1", "status", None, "confirm", "on_time")], "on_time", False,
     ["schedule.end: 2021-12-29 → 2021-12-20 (t)", "confirmed (t)"]),
])
def test_settled_rows_leave_review_and_say_who_settled_them(fixes, status, needs_review, notes):
    doc = make_doc("a")
    corrections = [Correction(act_id=act_id(doc), target_kind=kind,
                              target=activity_ids(doc)[target] if kind == "activity" else target,
                              field=field, new_value=value, kind=ckind, old_value=old, author="t",
                              target_text=doc.activities[target].text if kind == "activity" else None)
                   for kind, target, field, value, ckind, old in fixes]
    [row] = correct_rows(doc, [_row(doc, "m1", 0)], corrections)
    assert (row.status, row.needs_review, row.corrections) == (status, needs_review, notes)
    if status == "missing":
        assert row.evidence is None and row.planned_end is None
