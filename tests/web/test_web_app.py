"""The workbench through FastAPI's TestClient: pages, the JSON API, page images, CSRF,
uploads and escaping, on SQLite and PostgreSQL."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from web_fixtures import client_for, csrf_from

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def client(filled_store: dict, tmp_path_factory: pytest.TempPathFactory):
    with client_for(filled_store["url"], uploads=tmp_path_factory.mktemp("uploads")) as c:
        yield c


def _documents(client) -> list[dict]:
    response = client.get("/api/documents")
    assert response.status_code == 200
    return response.json()


def test_every_page_renders(client) -> None:
    for url, expected in [("/", "Соответствие планов"), ("/?year=2022&status=late", "Показать"),
                          ("/review", "Очередь проверки"), ("/amendments", "Редакции планов"),
                          ("/amendments?region=RU-TYU", "Тюменская"), ("/ledger", "Журнал файлов"),
                          ("/api/docs", "/api/activities")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.text, url
        assert "cdn" not in response.text.lower() and "https://" not in response.text.split("<main>")[0], url


def test_a_documents_warnings_read_in_russian(client) -> None:
    """The store keeps the pipeline's English warning (the API returns it); the page says it in
    Russian and keeps the English in the tooltip."""
    warned = [d for d in _documents(client)
              if "plan period taken from the table's dates: 2022" in client.get(f"/api/documents/{d['id']}").json()["warnings"]]
    assert warned
    page = client.get(f"/documents/{warned[0]['id']}").text
    assert "title=\"plan period taken from the table&#39;s dates: 2022\">период плана взят из дат таблицы: 2022<" in page


def test_overview_filters(client) -> None:
    everything = client.get("/").text
    assert everything.count('<td class="doc">') == 4
    one_region = client.get("/?region=RU-SAM").text
    assert one_region.count('<td class="doc">') == 1 and "RU-SAM" in one_region
    assert client.get("/?year=1999").text.count('<td class="doc">') == 0
    for status in ("late", "missing"):
        page = client.get(f"/?status={status}").text
        rows = re.findall(r'<td class="doc">.*?</tr>', page, re.S)
        assert rows and all("позже срока" in r or "нет в плане" in r for r in rows)


def test_documents_api_and_unknown_ids(client) -> None:
    docs = _documents(client)
    assert len(docs) == 8 and sum(d["current"] for d in docs) == 4
    first = client.get(f"/api/documents/{docs[0]['id']}").json()
    assert first["id"] == docs[0]["id"] and all("activity_id" in a for a in first["activities"])
    for bad in ("nope", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"):
        assert client.get(f"/api/documents/{bad}").status_code == 404
        assert client.get(f"/documents/{bad}").status_code == 404
        assert client.get(f"/documents/{bad}/pages/1.png").status_code == 404


def test_activities_contract(client) -> None:
    activities = client.get("/api/activities").json()
    current = {d["id"] for d in _documents(client) if d["current"]}
    assert activities and {a["document_id"] for a in activities} == current
    assert len({a["activity_id"] for a in activities}) == len(activities)
    for a in activities:
        assert a["text"] and "end" in a["schedule"] and "responsible" in a and "source" in a


def test_compliance_api_has_evidence(client) -> None:
    rows = client.get("/api/compliance").json()
    assert rows
    for row in rows:
        if row["status"] != "missing":
            assert row["evidence"]["path"] and row["evidence"]["row"] is not None
            assert row["confidence"] is not None and isinstance(row["review_reasons"], list)
    queue = client.get("/api/review").json()
    assert all(r["needs_review"] for r in queue)
    assert len(queue) == sum(r["needs_review"] for r in rows)


def test_diff_api(client) -> None:
    docs = {d["path"].rsplit("/", 1)[-1]: d["id"] for d in _documents(client)}
    diff = client.get(f"/api/diff?old={docs['ivanovo-2022.pdf']}&new={docs['ivanovo-2022.docx']}").json()
    assert {"moved", "changed", "added", "dropped", "milestones"} <= set(diff)
    assert client.get(f"/api/diff?old=nope&new={docs['ivanovo-2022.docx']}").status_code == 404


def test_document_page_shows_the_row_on_its_page(client) -> None:
    from PIL import Image

    docs = {d["path"].rsplit("/", 1)[-1]: d["id"] for d in _documents(client)}
    page = client.get(f"/documents/{docs['ivanovo-2022.pdf']}?activity=3")
    assert page.status_code == 200
    src = re.search(r'id="page-image"[^>]*\ssrc="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    image = client.get(src)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(image.content)).convert("RGB")
    document = client.get(f"/api/documents/{docs['ivanovo-2022.pdf']}").json()
    x0, top, x1, bottom = document["activities"][3]["source"]["bbox"]
    from web.images import FRAME, SCALE

    frame = [picture.getpixel((round(x0 * SCALE) + dx, round((top + bottom) / 2 * SCALE))) for dx in range(-3, 2)]
    assert FRAME in frame
    assert client.get(f"/documents/{docs['ivanovo-2022.pdf']}/pages/999.png").status_code == 404
    # A DOCX plan: its row in the table as read, and on the page of its PDF rendition.
    docx = client.get(f"/documents/{docs['ivanovo-2022.docx']}?activity=3").text
    assert 'id="page-image"' in docx and f"/documents/{docs['ivanovo-2022.pdf']}/pages/" in docx
    assert 'class="hit"' in docx


def test_missing_original_falls_back_to_the_table(client, filled_store: dict) -> None:
    """The inbox cleaned: the store's content-addressed copy draws the page; that gone too, the
    table is shown instead."""
    from pipeline.filestore import FileStore, default_root

    docs = {d["path"].rsplit("/", 1)[-1]: d for d in _documents(client)}
    pdf = docs["samara-cu-2021.pdf"]
    copy = FileStore(default_root(filled_store["url"])).find(pdf["sha256"])
    assert copy is not None, "ingest keeps the original beside the store"
    moved = Path(pdf["path"]).with_suffix(".away")
    shutil.move(pdf["path"], moved)
    try:
        assert 'id="page-image"' in client.get(f"/documents/{pdf['id']}?activity=2").text
        assert client.get(f"/documents/{pdf['id']}/pages/1.png").status_code == 200
        shutil.move(copy, copy.with_suffix(".away"))
        try:
            page = client.get(f"/documents/{pdf['id']}?activity=2").text
            assert 'id="page-image"' not in page and "source-table" in page
            assert client.get(f"/documents/{pdf['id']}/pages/1.png").status_code == 404
        finally:
            shutil.move(copy.with_suffix(".away"), copy)
    finally:
        shutil.move(moved, pdf["path"])


def test_review_queue_links_to_evidence(client) -> None:
    page = client.get("/review").text
    links = re.findall(r'class="evidence-link" href="([^"]+)"', page)
    queue = client.get("/api/review").json()
    assert len(re.findall(r"<tr><td><span class=\"badge", page)) == len(queue)
    if queue:
        assert links
        assert client.get(links[0].replace("&amp;", "&")).status_code == 200
        ranks = [0 if r["status"] in ("late", "undated", "missing") else 1 for r in queue]
        assert ranks == sorted(ranks)


def test_a_queued_date_names_the_other_steps_its_activity_plans(client) -> None:
    """A date corrected from the queue is the activity's: the row says which other steps of the
    same plan rest on that activity, so the reviewer knows they move too; rows whose activity
    plans one step say nothing."""
    rows = client.get("/api/compliance").json()
    plans: dict[tuple, list[str]] = {}
    for r in rows:
        if r["evidence"]:
            plans.setdefault((r["document_id"], r["evidence"]["activity_id"]), []).append(r["milestone_id"])
    page = client.get("/review").text
    said = {}
    for tr in re.findall(r"<tr><td><span class=\"badge.*?</tr>", page, re.S):
        doc, milestone = re.search(r'href="/documents/([^"#]+)#m-([^"]+)"', tr).groups()
        note = re.search(r'class="muted also-plans">срок мероприятия: он же у этапов ([^<]+)</div>', tr)
        said[(doc, milestone)] = note.group(1).split(", ") if note else []
    assert said
    by_row = {(r["document_id"], r["milestone_id"]): r for r in rows}
    for (doc, milestone), others in said.items():
        evidence = by_row[(doc, milestone)]["evidence"]
        expected = [m for m in plans.get((doc, evidence["activity_id"]), []) if m != milestone] if evidence else []
        assert sorted(others) == sorted(expected), (doc, milestone)
    assert any(said.values())  # the fixture orders have one: an activity planning two steps, one of them queued


def test_api_post_must_be_json(client) -> None:
    assert client.post("/api/compliance", data={"x": "1"}).status_code == 415
    assert client.post("/api/compliance", content=b"x=1",
                       headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 415


def test_upload_refused_without_a_valid_csrf_token(client) -> None:
    files = {"file": ("order.docx", (Path(__file__).parents[2] / "fixtures/orders/ivanovo-2022.docx").read_bytes())}
    assert client.post("/ledger/upload", files=files).status_code == 403
    token = csrf_from(client.get("/ledger").text)
    forged = token.split(".")[0] + "." + "0" * 64
    assert client.post("/ledger/upload", files=files, data={"csrf_token": forged}).status_code == 403
    client.cookies.clear()
    assert client.post("/ledger/upload", files=files, data={"csrf_token": token}).status_code == 403


def test_activity_ids_are_stable_across_a_re_ingest(client, filled_store: dict) -> None:
    from web_fixtures import copy_orders, empty_store
    from web.app import ingest_with_flow

    before = {(a["activity_id"], a["text"]) for a in client.get("/api/activities").json()}
    # The same folder again into the same store: every file a duplicate, nothing changes.
    report = ingest_with_flow(str(filled_store["inbox"]), filled_store["url"])
    assert set(report["counts"]) and report["counts"]["stored"] == 0
    assert {(a["activity_id"], a["text"]) for a in client.get("/api/activities").json()} == before
    # The files under other names into a new store: the same ids.
    folder = filled_store["folder"] / "again"
    inbox = copy_orders(folder / "inbox")
    for path in inbox.iterdir():
        path.rename(path.with_name("copy-" + path.name))
    with empty_store(filled_store["backend"], folder) as url:
        ingest_with_flow(str(inbox), url)
        with client_for(url) as other:
            assert {(a["activity_id"], a["text"]) for a in other.get("/api/activities").json()} == before


def test_an_amended_plan_shows_its_diff(client, filled_store: dict) -> None:
    """Last in the module: it adds an amending act to the shared store."""
    from web_fixtures import store_amendment

    before = client.get("/amendments").text
    assert "Ни один план в хранилище не изменён другим актом." in before and "amended-regions" not in before
    old_id, new_id = store_amendment(filled_store["url"], "ivanovo-2022.docx")
    # before a region is chosen, the page lists the regions whose plans an amendment changed
    listed = re.findall(r'<li><a href="/amendments\?region=([^"]+)">[^<]+</a>: актов (\d+), из них изменено поправкой (\d+)</li>',
                        client.get("/amendments").text)
    assert listed == [("RU-IVA", "2", "1")]
    docs = {d["id"]: d for d in _documents(client)}
    assert docs[old_id]["superseded_by"] == new_id and docs[new_id]["current"]
    diff = client.get(f"/api/diff?old={old_id}&new={new_id}").json()
    assert (len(diff["moved"]), len(diff["added"]), len(diff["dropped"])) == (1, 1, 1)
    for url in (f"/documents/{old_id}", "/amendments?region=RU-IVA"):
        page = client.get(url).text
        assert "перенесено" in page and "добавлено" in page and "исключено" in page, url
        assert "Дополнительный семинар для кураторов" in page, url
        assert "<b>результат</b>:" in page and "→ Итоги подведены на коллегии" in page, url
    assert f'/documents/{old_id}' in client.get(f"/documents/{new_id}").text


@pytest.mark.usefixtures("prefect_harness")
def test_a_missing_in_review_links_to_the_activity_that_came_near(tmp_path) -> None:
    """The queue and the document page link a `missing` whose reason names the nearest activity to
    that activity's row, as a status links to its evidence."""
    import shutil

    from web.app import ingest_with_flow
    from web_fixtures import ROOT

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ROOT / "fixtures" / "unseen" / "chuvashia-2022.docx", inbox)
    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    assert ingest_with_flow(str(inbox), url)["counts"]["stored"] == 1
    with client_for(url) as c:
        missing = [r for r in c.get("/api/review").json() if r["status"] == "missing"]
        assert missing and all("ближе всех п. " in r["review_reasons"][0] for r in missing)
        row = missing[0]
        seq = re.search(r"ближе всех п\. (\S+) «", row["review_reasons"][0]).group(1)
        queue = c.get("/review").text
        link = re.search(rf'href="/documents/{row["document_id"]}\?activity=(\d+)#evidence">ближайшее мероприятие</a>',
                         queue)
        assert link, "the queue links the missing row to the nearest activity"
        activity = c.get(f"/api/documents/{row['document_id']}").json()["activities"][int(link.group(1))]
        assert activity["seq"] == seq
        page = c.get(f"/documents/{row['document_id']}").text
        assert f'class="nearest" href="/documents/{row["document_id"]}?activity={link.group(1)}#evidence">ближайшее: {seq} ' \
            in page
