"""Corrections through the workbench: `POST /api/corrections` (the JSON contract other tools
use) and the review queue's form; a correction changes export, compare and the HTML report,
and survives a re-ingest of the folder. On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io

import pytest

from web_fixtures import copy_orders, empty_store
from web_fixtures import client_for, csrf_from

pytestmark = pytest.mark.slow


@pytest.fixture()
def store_url(backend, prefect_harness, tmp_path):
    from web.app import ingest_with_flow

    inbox = copy_orders(tmp_path / "inbox")
    with empty_store(backend, tmp_path) as url:
        ingest_with_flow(str(inbox), url)
        yield url, inbox


def _export(url: str) -> list[dict]:
    """`roadmap export -f csv` of the store, as rows."""
    from typer.testing import CliRunner

    from cli.app import app

    result = CliRunner().invoke(app, ["export", "--db", url, "-f", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_api_correction_changes_export_compare_and_report_and_survives_reingest(store_url):
    from pipeline.reports.html import render_html
    from pipeline.reports import build_report
    from pipeline.store import Store
    from web.app import ingest_with_flow

    url, inbox = store_url
    with client_for(url) as client:
        activities = client.get("/api/activities").json()
        target = next(a for a in activities if a["text"].startswith("Назначение кураторов проекта"))
        response = client.post("/api/corrections", json={"activity_id": target["activity_id"],
                                                         "field": "schedule.end", "value": "2022-01-10",
                                                         "comment": "по письму региона"})
        assert response.status_code == 201, response.text
        assert response.json()["new_value"] == "2022-01-10"
        again = {a["activity_id"]: a for a in client.get("/api/activities").json()}
        assert again[target["activity_id"]]["schedule"]["end"] == "2022-01-10"
        row = next(r for r in client.get("/api/compliance").json() if r["milestone_id"] == "2022-team-formation"
                   and r["evidence"] and r["evidence"]["activity_id"] == target["activity_id"])
        assert row["status"] == "on_time" and row["planned_end"] == "2022-01-10"
        assert row["corrections"] == [f"schedule.end: {target['schedule']['end']} → 2022-01-10 (anonymous, "
                                      f"{response.json()['created_at'][:10]})"]

    exported = {r["activity_id"]: r for r in _export(url)}
    assert exported[target["activity_id"]]["schedule_end"] == "2022-01-10"
    with Store(url) as store:
        docs, rows = store.current_documents(), store.compliance()
    from pipeline.timeline import load_timeline

    html = render_html(build_report(docs, rows, load_timeline()))
    assert "в срок (−7)" in html  # the Ivanovo row, late by 21 days as read, is now 7 days early
    assert "исправлено: schedule.end:" in html  # and says it rests on a person's word, not the order's

    ingest_with_flow(str(inbox), url)  # the folder again: nothing new, the correction stays
    with client_for(url) as client:
        after = {a["activity_id"]: a for a in client.get("/api/activities").json()}
    assert after[target["activity_id"]]["schedule"]["end"] == "2022-01-10"


@pytest.mark.parametrize("body,status,words", [
    ({"activity_id": "act-0000:nothing", "field": "schedule.end", "value": "2022-03-01"}, 422, "unknown"),
    ({"field": "schedule.end", "value": "2022-03-01"}, 422, ""),
    ({"activity_id": "{aid}", "field": "schedule.end", "value": "первое марта"}, 422, ""),
    ({"activity_id": "{aid}", "field": "no.such.field", "value": 1}, 422, ""),
    ({"activity_id": "{aid}", "field": "schedule.end", "value": "2022-03-01", "colour": "red"}, 422, ""),
    # what a correction may not do: a long comment or name, a status without why, a far-off date
    ({"activity_id": "{aid}", "field": "schedule.end", "value": "2022-03-01", "comment": "x" * 1001}, 422, "at most"),
    ({"activity_id": "{aid}", "field": "schedule.end", "value": "2022-03-01", "author": "y" * 101}, 422, "at most"),
    ({"activity_id": "{aid}", "field": "schedule.end", "value": "1900-01-01"}, 422, "not a plausible date"),
    # a body past the limit is refused before it is read
    ({"activity_id": "{aid}", "field": "schedule.end", "value": "2022-03-01", "comment": "z" * 2_000_000}, 413,
     "at most 1048576 bytes"),
])
def test_api_refuses_bad_corrections(filled_store, body, status, words):
    """A refused correction writes nothing, so these share the module's store."""
    with client_for(filled_store["url"]) as client:
        aid = client.get("/api/activities").json()[0]["activity_id"]
        body = {k: (v.replace("{aid}", aid) if isinstance(v, str) else v) for k, v in body.items()}
        response = client.post("/api/corrections", json=body)
        assert response.status_code == status and words in response.text.lower()
        assert client.get("/api/corrections").json() == []


def test_api_takes_only_json(filled_store):
    with client_for(filled_store["url"]) as client:
        response = client.post("/api/corrections", data={"activity_id": "x", "field": "schedule.end"})
        assert response.status_code == 415
        assert client.get("/api/corrections").json() == []


@pytest.mark.parametrize("fields, status, words", [
    ({"action": "correct", "value": ""}, 422, "укажите исправленный срок"),        # the date field emptied
    ({"action": "correct", "value": "   "}, 422, "укажите исправленный срок"),
    ({"action": "drop_tables", "value": "2022-03-01"}, 400, "неизвестное действие"),
    ({"value": "2022-03-01"}, 400, "неизвестное действие"),                          # no button named
    ({"action": "correct", "value": "{current}"}, 422, "значение не изменилось"),    # Enter in the comment
])
def test_queue_form_refuses_what_would_change_nothing_or_erase_a_date(filled_store, fields, status, words):
    """A refused form writes nothing, so these share the module's store: an emptied date, an
    unknown button and a date the activity already reads are refused with the reason."""
    with client_for(filled_store["url"]) as client:
        token = csrf_from(client.get("/review").text)
        item = next(r for r in client.get("/api/review").json() if r["evidence"])
        activity = next(a for a in client.get("/api/activities").json()
                        if a["activity_id"] == item["evidence"]["activity_id"])
        current = activity["schedule"]["end"]
        assert current, "the row's activity has a date to keep"
        data = {k: v.replace("{current}", current) for k, v in fields.items()}
        response = client.post("/review/correct", data={
            "csrf_token": token, "activity_id": item["evidence"]["activity_id"], "comment": "проверено", **data})
        assert response.status_code == status and words in response.text
        assert client.get("/api/corrections").json() == []


def test_queue_form_corrects_and_confirms(store_url):
    url, _ = store_url
    with client_for(url) as client:
        page = client.get("/review").text
        before = client.get("/api/review").json()
        assert before, "the sample orders leave rows to review"
        first = before[0]
        token = csrf_from(page)
        refused = client.post("/review/correct", data={"action": "confirm", "act_id": "x", "milestone_id": "y"})
        assert refused.status_code == 403
        confirmed = client.post("/review/correct", data={
            "csrf_token": token, "action": "confirm", "act_id": _act_of(client, first["document_id"]),
            "milestone_id": first["milestone_id"], "comment": "проверено"})
        assert confirmed.status_code == 200 and "подтверждена" in confirmed.text
        # done, the browser is sent back to the queue: a reload asks for it, never posts again
        assert [r.status_code for r in confirmed.history] == [303] and confirmed.url.path == "/review"
        remaining = client.get("/api/review").json()
        assert len(remaining) == len(before) - 1
        second = remaining[0]
        corrected = client.post("/review/correct", data={
            "csrf_token": token, "action": "correct", "activity_id": second["evidence"]["activity_id"],
            "value": "2022-01-05"})
        assert corrected.status_code == 200, corrected.text
        assert [r.status_code for r in corrected.history] == [303] and "срок исправлен на 05.01.2022" in corrected.text
        assert client.get("/api/corrections").json()[-1]["new_value"] == "2022-01-05"
        # the page counts the rows it lists
        page = corrected.text
        assert f'<b id="queue-count">{len(client.get("/api/review").json())}</b>' in page
        # a row whose match is in doubt takes a corrected status instead of a date
        third = client.get("/api/review").json()[0]
        status_set = client.post("/review/correct", data={
            "csrf_token": token, "action": "status", "act_id": _act_of(client, third["document_id"]),
            "milestone_id": third["milestone_id"], "status": "missing", "comment": "не то мероприятие"})
        assert status_set.status_code == 200 and "статус исправлен: «нет в плане»" in status_set.text
        last = client.get("/api/corrections").json()[-1]
        assert (last["field"], last["new_value"], last["target"]) == ("status", "missing", third["milestone_id"])
        rows = {(r["document_id"], r["milestone_id"]): r for r in client.get("/api/compliance").json()}
        assert rows[(third["document_id"], third["milestone_id"])]["status"] == "missing"
        bad = client.post("/review/correct", data={
            "csrf_token": token, "action": "status", "act_id": _act_of(client, third["document_id"]),
            "milestone_id": third["milestone_id"], "status": "soon"})
        assert bad.status_code == 422 and "не принято" in bad.text


def test_queue_signs_corrections_with_the_reviewer_named_on_the_page(store_url):
    """The name given once on /review (kept in a cookie of that browser) signs what the queue's
    forms send afterwards; without one they are `anonymous`; an empty name forgets it."""
    url, _ = store_url
    with client_for(url) as client:
        token = csrf_from(client.get("/review").text)
        assert client.post("/review/author", data={"author": "Иванова И. И."}).status_code == 403  # no CSRF token
        named = client.post("/review/author", data={"csrf_token": token, "author": "  Иванова   И. И. "})
        assert [r.status_code for r in named.history] == [303] and named.url.path == "/review"
        assert 'value="Иванова И. И."' in named.text and "<b>Иванова И. И.</b>" in named.text
        row = client.get("/api/review").json()[0]
        client.post("/review/correct", data={
            "csrf_token": token, "action": "confirm", "act_id": _act_of(client, row["document_id"]),
            "milestone_id": row["milestone_id"]})
        assert client.get("/api/corrections").json()[-1]["author"] == "Иванова И. И."
        forgotten = client.post("/review/author", data={"csrf_token": token, "author": ""})
        assert "«anonymous»" in forgotten.text
        row = client.get("/api/review").json()[0]
        client.post("/review/correct", data={
            "csrf_token": token, "action": "confirm", "act_id": _act_of(client, row["document_id"]),
            "milestone_id": row["milestone_id"]})
        assert client.get("/api/corrections").json()[-1]["author"] == "anonymous"


def _act_of(client, document_id: str) -> str:
    return client.get(f"/api/documents/{document_id}").json()["act_id"]


def test_queue_page_lists_a_corrected_row_an_amendment_changed_and_takes_its_confirmation(store_url):
    """`review export` lists a corrected activity that an amending act moved; the page did not.
    It now shows it in a section of its own, counts it, and takes a new date or a confirmation."""
    from pipeline.identity import activity_ids
    from pipeline.store import Store
    from web_fixtures import store_amendment

    url, _ = store_url
    with Store(url) as store:
        doc = next(d for d in store.current_documents() if d.source.path.endswith("tyumen-oblast-2022.docx"))
        store.add_correction(activity_id=activity_ids(doc)[1], field="schedule.end", value="2022-01-20",
                             author="Аудитор")
        queued = len(store.review_queue())
    store_amendment(url, "tyumen-oblast-2022.docx")
    with Store(url) as store:
        changed = [i for i in store.review_queue() if not i.milestone_id]
    assert len(changed) == 1 and changed[0].reasons[0].startswith("исправленная строка изменена в новой редакции")
    with client_for(url) as client:
        page = client.get("/review").text
        assert 'id="changed-table"' in page and "исправленная строка изменена в новой редакции" in page
        total = int(page.split('<b id="queue-count">')[1].split("<")[0])
        assert total == len(client.get("/api/review").json()) + 1
        [listed] = client.get("/api/review/changed").json()
        assert (listed["activity_id"], listed["milestone_id"]) == (changed[0].activity_id, None)
        confirmed = client.post("/review/correct", data={
            "csrf_token": csrf_from(page), "action": "confirm", "activity_id": changed[0].activity_id})
        assert confirmed.status_code == 200 and 'id="changed-table"' not in confirmed.text
        assert client.get("/api/review/changed").json() == []
        last = client.get("/api/corrections").json()[-1]
        assert (last["kind"], last["target"]) == ("confirm", changed[0].activity_id)
    assert queued  # the queue had rows before the amendment too


def test_a_document_page_corrects_a_row_nobody_queued(store_url):
    """A status the reader doubts need not wait for the queue: each row of a document's page has
    the queue's form; done, the browser goes back to that row of the page, which says so."""
    import re

    from pipeline.reports import STATUS_LABELS

    url, _ = store_url
    with client_for(url) as client:
        queued = {(r["document_id"], r["milestone_id"]) for r in client.get("/api/review").json()}
        row = next(r for r in client.get("/api/compliance").json()
                   if (r["document_id"], r["milestone_id"]) not in queued and r["status"] == "on_time" and r["evidence"])
        doc, milestone = row["document_id"], row["milestone_id"]
        page = client.get(f"/documents/{doc}").text
        forms = re.findall(r'<details class="fix-row">.*?</details>', page, re.S)
        assert len(forms) == page.count('<tr id="m-')  # one per compliance row
        token = csrf_from(page)
        done = client.post("/review/correct", data={
            "csrf_token": token, "action": "status", "act_id": _act_of(client, doc), "milestone_id": milestone,
            "status": "late", "comment": "срок перенесён письмом", "back": doc})
        assert [r.status_code for r in done.history] == [303] and done.url.path == f"/documents/{doc}"
        assert done.history[0].headers["location"].endswith(f"#m-{milestone}")
        assert f"статус исправлен: «{STATUS_LABELS['late']}»" in done.text
        assert re.search(rf'<tr id="m-{re.escape(milestone)}">.*?<details class="fix-row" open>', done.text, re.S)
        fixed = {(r["document_id"], r["milestone_id"]): r for r in client.get("/api/compliance").json()}
        assert fixed[(doc, milestone)]["status"] == "late"
        assert f"исправлено: статус: в срок → {STATUS_LABELS['late']}" in done.text
        # refused on the document's own page, the form left open
        again = client.post("/review/correct", data={
            "csrf_token": token, "action": "status", "act_id": _act_of(client, doc), "milestone_id": milestone,
            "status": "soon", "back": doc})
        assert again.status_code == 422 and '<p class="alert error" id="error">не принято' in again.text
        assert "<h2>Соответствие федеральному графику</h2>" in again.text
        # a status set aside must say why; a confirmation sent twice is recorded once
        silent = client.post("/review/correct", data={
            "csrf_token": token, "action": "status", "act_id": _act_of(client, doc), "milestone_id": milestone,
            "status": "missing", "back": doc})
        assert silent.status_code == 422
        assert "не принято: исправляя статус, напишите в комментарии почему" in silent.text
        twice = [client.post("/review/correct", data={
            "csrf_token": token, "action": "confirm", "act_id": _act_of(client, doc), "milestone_id": milestone,
            "author": "Иванова", "back": doc}) for _ in range(2)]
        assert [r.status_code for r in twice] == [200, 422]
        assert "не принято: уже подтверждено (Иванова), с тех пор ничего не исправлено" in twice[1].text
        kinds = [(c["kind"], c["field"]) for c in client.get("/api/corrections").json()]
        assert kinds == [("correct", "status"), ("confirm", "status")]
        # the page lists the act's corrections, newest first, with who, what and why
        listed = re.findall(r'<tr><td class="num">[\d.: ]+</td><td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>'
                            r'<td>([^<]*)</td></tr>', client.get(f"/documents/{doc}").text)
        assert listed == [("Иванова", f"веха {milestone}", "подтверждено", ""),
                          ("anonymous", f"веха {milestone}", f"статус: в срок → {STATUS_LABELS['late']}",
                           "срок перенесён письмом")]
        # a `back` naming no stored document is the queue's form as before
        stray = client.post("/review/correct", data={
            "csrf_token": token, "action": "confirm", "act_id": _act_of(client, doc), "milestone_id": milestone,
            "back": "../../etc/passwd"})
        assert stray.url.path == "/review"
