"""Corrections in the store, on SQLite and PostgreSQL: applied on every read (documents, the
export, compliance), kept across re-ingests and renditions, validated as a whole; the review
queue without what a person settled; an amendment's changes to corrected rows flagged; the
review workbook's round trip."""
from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from pipeline.corrections import CorrectionError, CorrectionRequest
from pipeline.identity import act_id, activity_ids
from pipeline.reports.activities import activities_frame
from pipeline.store import Store
from pipeline.store.corrections import CHANGED, DROPPED
from store_fixtures import ROOT, gold_documents, make_doc

ORDERS = ROOT / "fixtures" / "orders"


def _with_compliance(store: Store, docs) -> None:
    for doc in docs:
        store.store_document(doc, size=1)
    store.refresh_compliance()


def _on_time_row(store: Store):
    return next(r for r in store.compliance() if r.status == "on_time" and r.evidence and not r.needs_review)


def test_a_correction_changes_documents_export_and_compliance(store: Store) -> None:
    _with_compliance(store, gold_documents())
    row = _on_time_row(store)
    late = row.federal_deadline + dt.timedelta(days=30)
    made = store.add_correction(activity_id=row.evidence.activity_id, field="schedule.end", value=late.isoformat(),
                                author="аудитор", comment="дата в приложении 2")
    assert (made.kind, made.new_value, made.old_value) == ("correct", late.isoformat(), row.planned_end.isoformat())
    assert store.corrections() == [made] and store.corrections(made.act_id) == [made]
    after = next(r for r in store.compliance()
                 if (r.document_id, r.milestone_id) == (row.document_id, row.milestone_id))
    assert (after.status, after.planned_end, after.delta_days) == ("late", late, 30)
    doc = store.document(row.document_id)
    index = activity_ids(doc).index(row.evidence.activity_id)
    assert doc.activities[index].schedule.end == late
    assert store.document(row.document_id, corrected=False).activities[index].schedule.end == row.planned_end
    frame = activities_frame(store)
    assert list(frame.loc[frame.activity_id == row.evidence.activity_id, "schedule_end"]) == [late]
    day = made.created_at.date().isoformat()
    assert list(frame.loc[frame.activity_id == row.evidence.activity_id, "corrections"]) == [
        f"schedule.end: {row.planned_end.isoformat()} → {late.isoformat()} (аудитор, {day})"]
    assert set(frame.loc[frame.activity_id != row.evidence.activity_id, "corrections"]) == {""}
    store.add_correction(activity_id=row.evidence.activity_id, author="второй", confirm=True)
    frame = activities_frame(store)
    assert list(frame.loc[frame.activity_id == row.evidence.activity_id, "corrections"]) == [
        f"confirmed (второй, {day}); schedule.end: {row.planned_end.isoformat()} → {late.isoformat()} (аудитор, {day})"]
    assert not store.pending_compliance_regions()


def test_confirming_a_row_takes_it_out_of_the_queue(store: Store) -> None:
    _with_compliance(store, gold_documents())
    queue = store.review_queue()
    assert queue and all(i.milestone_id and i.evidence for i in queue)
    first = queue[0]
    store.add_correction(act_id=first.act_id, milestone_id=first.milestone_id, author="a", confirm=True)
    left = store.review_queue()
    assert (first.document_id, first.milestone_id) not in {(i.document_id, i.milestone_id) for i in left}
    assert len(left) == len(queue) - 1
    row = next(r for r in store.compliance() if r.milestone_id == first.milestone_id
               and r.document_id == first.document_id)
    assert row.status == first.status and not row.needs_review     # confirmed: the status stands


def test_the_queue_puts_the_consequential_first(store: Store) -> None:
    _with_compliance(store, gold_documents())
    queue = store.review_queue()
    rank = {"late": 0, "undated": 1, "missing": 2, "on_time": 4}
    keys = [(rank[i.status], i.confidence) for i in queue]
    assert keys == sorted(keys)


@pytest.mark.parametrize("request_, message", [
    (dict(activity_id="act-0000000000000000:000000000000", field="schedule.end", value="2022-03-01"),
     "unknown activity_id"),
    (dict(activity_id="{aid}", field="schedule.end", value="2022-02-30"), "expected a date with its year"),
    (dict(activity_id="{aid}", field="schedule.finish", value="2022-03-01"), "unknown field"),
    (dict(activity_id="{aid}", field="status", value="late", comment="x"), "milestone row's field"),
    (dict(act_id="{act}", milestone_id="no-such-milestone", field="status", value="late", comment="x"),
     "no compliance row"),
    (dict(milestone_id="2022-team-formation", field="status", value="late", comment="x"), "give the act_id"),
    (dict(act_id="{act}", field="status", value="late", comment="x"), "give an activity_id"),
    # what a correction may not do (roadmap-schema.md, Correction)
    (dict(act_id="{act}", milestone_id="2022-team-formation", field="status", value="late"), "must say why"),
    (dict(act_id="{act}", milestone_id="2022-team-formation", field="status", value="late", comment="   "),
     "must say why"),
    (dict(activity_id="{aid}", field="schedule.end", value="1900-01-01"), "not a plausible date"),
    (dict(activity_id="{aid}", field="schedule.end", value="2035-01-01"), "not a plausible date"),
    (dict(activity_id="{aid}", field="schedule.end", value="2022-01-10", comment="x" * 1001), "at most 1000"),
    (dict(activity_id="{aid}", field="schedule.end", value="2022-01-10", author="x" * 101), "at most 100"),
    (dict(activity_id="{aid}", field="text", value=""), "text: a value is required"),
])
def test_bad_requests_are_refused_with_the_reason(store: Store, request_, message) -> None:
    doc = gold_documents()[0]
    _with_compliance(store, [doc])
    fill = {"aid": activity_ids(doc)[0], "act": act_id(doc)}
    given = {k: v.format(**fill) if isinstance(v, str) else v for k, v in request_.items()}
    with pytest.raises(CorrectionError) as err:
        store.add_correction(**{"author": "a", **given})
    assert message in str(err.value)
    assert store.corrections() == []


def test_an_unsigned_correction_is_anonymous(store: Store) -> None:
    doc = gold_documents()[0]
    _with_compliance(store, [doc])
    made = store.add_correction(activity_id=activity_ids(doc)[0], field="schedule.end", value="2022-03-01")
    assert made.author == "anonymous" and store.corrections()[0].author == "anonymous"


def test_a_batch_with_one_bad_request_applies_nothing(store: Store) -> None:
    doc = gold_documents()[0]
    _with_compliance(store, [doc])
    ids = activity_ids(doc)
    with pytest.raises(CorrectionError) as err:
        store.add_corrections([
            CorrectionRequest(activity_id=ids[0], field="schedule.end", value="2022-03-01", author="a"),
            CorrectionRequest(activity_id=ids[1] + "x", field="schedule.end", value="2022-03-01", author="a"),
            CorrectionRequest(activity_id=ids[2], field="schedule.end", value="31.02.2022", author="a"),
        ])
    assert [index for index, _ in err.value.problems] == [1, 2]
    assert store.corrections() == []
    assert store.document(doc.id) == doc


def test_an_amendment_flags_corrected_rows_it_changed(store: Store) -> None:
    old = make_doc("plan", number="10", date="2022-01-10", activities=3)
    store.store_document(old, size=1)
    ids = activity_ids(old)
    store.add_correction(activity_id=ids[0], field="responsible", value="МОУО", author="a")
    store.add_correction(activity_id=ids[1], field="schedule.end", value="2021-12-15", author="a")
    store.add_correction(activity_id=ids[2], field="schedule.end", value="2021-12-18", author="a")
    new = make_doc("amendment", number="11", date="2022-03-01", activities=3,
                   amends=[{"number": "10", "date": "2022-01-10"}])
    new.activities[1].schedule = new.activities[1].schedule.model_copy(update={"raw": "до 01.02.2022",
                                                                               "end": dt.date(2022, 2, 1)})
    del new.activities[2]
    store.store_document(new, size=1)
    store.refresh_compliance()
    flagged = {i.activity_id: i for i in store.review_queue() if i.milestone_id is None}
    moved_id = activity_ids(new)[1]
    assert set(flagged) == {moved_id, ids[2]}          # the unchanged corrected row is not flagged
    assert flagged[moved_id].reasons[0].startswith(CHANGED) and "до 01.02.2022" in flagged[moved_id].reasons[0]
    assert flagged[ids[2]].reasons[0].startswith(DROPPED) and flagged[ids[2]].document_id == new.id
    store.add_correction(activity_id=moved_id, field="schedule.end", value="2021-12-15", author="a")
    store.add_correction(activity_id=ids[2], author="a", confirm=True)
    assert [i for i in store.review_queue() if i.milestone_id is None] == []


# --------------------------------------------------------------------------- real orders

def _ingest(inbox: Path, url: str):
    from pipeline.batch import extract_item
    from pipeline.ingest import process_inbox

    def resolve(item):
        try:
            return extract_item(item), None
        except Exception as exc:  # reported by the run, as the flow does
            return None, exc

    return process_inbox(str(inbox), url, lambda items: items, resolve)


@pytest.mark.slow
def test_corrections_survive_a_reingest_and_reach_every_rendition(db_url: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(ORDERS, inbox)
    _ingest(inbox, db_url)
    with Store(db_url) as store:
        docs = store.documents()
        pdf = next(d for d in docs if d.source.path.endswith("tyumen-oblast-2022.pdf"))
        docx = next(d for d in docs if d.source.path.endswith("tyumen-oblast-2022.docx"))
        target = activity_ids(docx)[4]
        store.add_correction(activity_id=target, field="schedule.end", value="2022-03-01", author="a")
        store.add_correction(activity_id=target, field="responsible", value="Департамент образования", author="a")
        before = store.compliance()
    report = _ingest(inbox, db_url)                             # the same folder again
    assert {f.status for f in report.files} == {"duplicate"}
    with Store(db_url) as store:
        for doc in (store.document(docx.id), store.document(pdf.id)):   # both renditions
            index = activity_ids(doc).index(target)
            assert doc.activities[index].schedule.end == dt.date(2022, 3, 1)
            assert [p.name for p in doc.activities[index].responsible] == ["Департамент образования"]
        frame = activities_frame(store)
        assert list(frame.loc[frame.activity_id == target, "schedule_end"]) == [dt.date(2022, 3, 1)]
        assert store.compliance() == before


@pytest.mark.slow
def test_a_correction_made_on_one_rendition_reaches_another_stored_later(db_url: str, tmp_path: Path) -> None:
    """Correct the act while only its DOCX is stored; its PDF, ingested later, shows it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ORDERS / "ivanovo-2022.docx", inbox)
    _ingest(inbox, db_url)
    with Store(db_url) as store:
        [docx] = store.documents()
        target = activity_ids(docx)[3]
        store.add_correction(activity_id=target, field="text", value="Исправленный текст", author="a")
    shutil.copy(ORDERS / "ivanovo-2022.pdf", inbox)
    _ingest(inbox, db_url)
    with Store(db_url) as store:
        pdf = next(d for d in store.documents() if d.source.format == "pdf")
        index = activity_ids(pdf).index(target)
        assert pdf.activities[index].text == "Исправленный текст"


# --------------------------------------------------------------------------- the workbook

def _sheet(data: bytes):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb["review"]
    return wb, ws, [c.value for c in ws[1]]


def test_review_workbook_round_trip(store: Store, db_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.app import app

    _with_compliance(store, gold_documents())
    queue = store.review_queue()
    assert len(queue) >= 2
    runner = CliRunner()
    out = runner.invoke(app, ["review", "export", "--db", db_url, "-o", str(tmp_path / "review.xlsx")])
    assert out.exit_code == 0, out.output
    wb, ws, header = _sheet((tmp_path / "review.xlsx").read_bytes())
    col = {name: k + 1 for k, name in enumerate(header)}
    assert ws.max_row == len(queue) + 1
    assert [ws.cell(k + 2, col["milestone_id"]).value for k in range(len(queue))] == [i.milestone_id for i in queue]
    ws.cell(2, col["new_value"], dt.datetime(2022, 1, 20))                    # a date cell, field schedule.end
    ws.cell(3, col["confirm"], "да")
    ws.cell(3, col["comment"], "=HYPERLINK(\"x\")")                           # kept as text, never run
    wb.save(tmp_path / "filled.xlsx")
    out = runner.invoke(app, ["review", "import", str(tmp_path / "filled.xlsx"), "--db", db_url, "--author", "ревизор"])
    assert out.exit_code == 0, out.output
    made = store.corrections()
    assert [(c.kind, c.field, c.new_value, c.author) for c in made] == [
        ("correct", "schedule.end", "2022-01-20", "ревизор"), ("confirm", "status", None, "ревизор")]
    assert made[1].comment == "=HYPERLINK(\"x\")"
    settled = {(queue[0].document_id, queue[0].milestone_id), (queue[1].document_id, queue[1].milestone_id)}
    assert not settled & {(i.document_id, i.milestone_id) for i in store.review_queue()}


def test_the_same_workbook_imported_again_changes_nothing(store: Store, db_url: str, tmp_path: Path) -> None:
    """Importing a filled workbook twice records its rows once: a correction to the value the
    store already reads, or a confirmation of a row confirmed already, is left out and counted;
    a row filled since is applied."""
    from typer.testing import CliRunner

    from cli.app import app

    _with_compliance(store, gold_documents())
    runner = CliRunner()
    runner.invoke(app, ["review", "export", "--db", db_url, "-o", str(tmp_path / "review.xlsx")])
    wb, ws, header = _sheet((tmp_path / "review.xlsx").read_bytes())
    col = {name: k + 1 for k, name in enumerate(header)}
    ws.cell(2, col["new_value"], "2022-01-20")
    ws.cell(3, col["confirm"], "да")
    wb.save(tmp_path / "filled.xlsx")
    first = runner.invoke(app, ["review", "import", str(tmp_path / "filled.xlsx"), "--db", db_url])
    assert first.exit_code == 0 and "applied 1 correction(s) and 1 confirmation(s)" in first.stderr
    again = runner.invoke(app, ["review", "import", str(tmp_path / "filled.xlsx"), "--db", db_url])
    assert again.exit_code == 0, again.output
    assert "applied 0 correction(s) and 0 confirmation(s); 2 row(s) left out" in again.stderr
    assert len(store.corrections()) == 2
    ws.cell(4, col["new_value"], "2022-03-15")                                  # filled since
    wb.save(tmp_path / "filled.xlsx")
    third = runner.invoke(app, ["review", "import", str(tmp_path / "filled.xlsx"), "--db", db_url])
    assert "applied 1 correction(s) and 0 confirmation(s); 2 row(s) left out" in third.stderr
    assert [c.new_value for c in store.corrections()] == ["2022-01-20", None, "2022-03-15"]


def test_a_correction_that_changes_nothing_is_refused(store: Store) -> None:
    """Through the store (the API, the queue's form): a correction to the value the field
    already reads is refused with the reason; a confirmation says the reading is right."""
    from pipeline.corrections import CorrectionError, UnchangedCorrection

    _with_compliance(store, gold_documents())
    doc = store.documents()[0]
    target = activity_ids(doc)[0]
    end = doc.activities[0].schedule.end
    with pytest.raises(UnchangedCorrection, match="already reads .*nothing to correct"):
        store.add_correction(activity_id=target, field="schedule.end", value=end.isoformat())
    store.add_correction(activity_id=target, field="schedule.end", value="2022-12-30")
    with pytest.raises(CorrectionError, match="already reads 2022-12-30"):
        store.add_correction(activity_id=target, field="schedule.end", value="2022-12-30")
    with pytest.raises(CorrectionError) as mixed:  # beside another problem: not only an unchanged value
        store.add_corrections([CorrectionRequest(activity_id=target, field="schedule.end", value="2022-12-30"),
                               CorrectionRequest(activity_id=target, field="schedule.end", value="первое марта")])
    assert not isinstance(mixed.value, UnchangedCorrection)
    assert [c.new_value for c in store.corrections()] == ["2022-12-30"]


def test_review_import_refuses_the_whole_sheet_with_one_line_per_problem(store: Store, db_url: str,
                                                                          tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.app import app

    _with_compliance(store, gold_documents())
    runner = CliRunner()
    out = runner.invoke(app, ["review", "export", "--db", db_url, "-o", str(tmp_path / "review.xlsx")])
    wb, ws, header = _sheet((tmp_path / "review.xlsx").read_bytes())
    col = {name: k + 1 for k, name in enumerate(header)}
    ws.cell(2, col["new_value"], "2022-01-20")                                    # good
    ws.cell(3, col["activity_id"], "act-0000000000000000:000000000000")           # unknown id
    ws.cell(3, col["new_value"], "2022-01-20")
    ws.cell(4, col["new_value"], "2022-02-30")                                    # bad date
    wb.save(tmp_path / "filled.xlsx")
    out = runner.invoke(app, ["review", "import", str(tmp_path / "filled.xlsx"), "--db", db_url])
    assert out.exit_code == 2
    lines = [line for line in out.stderr.splitlines() if line.startswith("filled.xlsx: row")]
    assert len(lines) == 2, out.stderr
    assert lines[0].startswith("filled.xlsx: row 3: ") and "act-0000000000000000" in lines[0]
    assert lines[1].startswith("filled.xlsx: row 4: ") and "expected a date with its year" in lines[1]
    assert store.corrections() == []


def test_compare_from_the_store_reports_the_corrected_plans(store: Store, db_url: str) -> None:
    """`roadmap compare --db`: the stored rows, every correction applied (a corrected date, a
    corrected status); with --year (or --timeline) the plans scored again, the corrections
    applied the same way."""
    import json

    from typer.testing import CliRunner

    from cli.app import app

    _with_compliance(store, gold_documents())
    row = _on_time_row(store)
    late = row.federal_deadline + dt.timedelta(days=30)
    store.add_correction(activity_id=row.evidence.activity_id, field="schedule.end", value=late.isoformat())
    other = next(r for r in store.compliance() if r.status == "late" and r.document_id != row.document_id)
    store.add_correction(act_id=act_id(store.document(other.document_id)), milestone_id=other.milestone_id,
                         field="status", value="on_time", comment="по письму региона")
    runner = CliRunner()

    def rows(*args: str) -> dict:
        result = runner.invoke(app, ["compare", "--db", db_url, "-f", "json", *args])
        assert result.exit_code == 0, result.output
        return {(r["document_id"], r["milestone_id"]): r for r in json.loads(result.stdout)}

    stored = rows()
    assert len(stored) == len(store.compliance())
    assert stored[row.document_id, row.milestone_id]["status"] == "late"
    assert stored[row.document_id, row.milestone_id]["planned_end"] == late.isoformat()
    assert stored[other.document_id, other.milestone_id]["status"] == "on_time"
    year = row.federal_deadline.year
    rescored = rows("--year", str(year))
    assert rescored[row.document_id, row.milestone_id]["status"] == "late"
    if other.federal_deadline.year == year:
        assert rescored[other.document_id, other.milestone_id]["status"] == "on_time"
    assert all(r["milestone_id"].startswith(str(year)) for r in rescored.values())
    both = runner.invoke(app, ["compare", str(ORDERS), "--db", db_url])
    assert both.exit_code == 2 and "not both" in both.output


def test_a_confirmation_given_twice_by_the_same_person_is_unchanged(store: Store) -> None:
    """A form sent twice records one confirmation; another reviewer's is a confirmation of its own,
    and after a correction the row may be confirmed again."""
    from pipeline.corrections import UnchangedCorrection

    doc = gold_documents()[0]
    _with_compliance(store, [doc])
    aid = activity_ids(doc)[0]
    store.add_correction(activity_id=aid, confirm=True, author="Иванова")
    with pytest.raises(UnchangedCorrection, match="already confirmed by Иванова"):
        store.add_correction(activity_id=aid, confirm=True, author="Иванова")
    store.add_correction(activity_id=aid, confirm=True, author="Петров")
    store.add_correction(activity_id=aid, field="schedule.end", value="2022-03-01", author="Иванова")
    store.add_correction(activity_id=aid, confirm=True, author="Иванова")
    assert [(c.kind, c.author) for c in store.corrections()] == [
        ("confirm", "Иванова"), ("confirm", "Петров"), ("correct", "Иванова"), ("confirm", "Иванова")]
