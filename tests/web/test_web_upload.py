"""Uploads through the ledger page (ingested by the `roadmap ingest` flow), the size limit,
and hostile text in a stored document shown escaped on every page."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from web_fixtures import ORDERS, empty_store
from web_fixtures import client_for, csrf_from

pytestmark = [pytest.mark.slow]

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def store_url(backend: str, tmp_path: Path):
    with empty_store(backend, tmp_path) as url:
        yield url


def _post(client, data: bytes, name: str = "order.bin", token: str | None = None):
    token = token or csrf_from(client.get("/ledger").text)
    return client.post("/ledger/upload", files={"file": (name, data)}, data={"csrf_token": token})


@pytest.mark.usefixtures("prefect_harness")
def test_upload_ingests_a_good_order(store_url: str, tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    with client_for(store_url, uploads=uploads) as client:
        response = _post(client, (ORDERS / "samara-cu-2021.docx").read_bytes(), name="../../evil<b>.docx")
        assert response.status_code == 200, response.text
        assert "сохранён" in response.text and "evil&lt;b&gt;" in response.text
        assert '<p class="alert ok" role="status">' in response.text
        docs = client.get("/api/documents").json()
        assert [d["region_code"] for d in docs] == ["RU-SAM"]
        saved = Path(docs[0]["path"])
        # The uploaded name, made safe, so the ledger says which file it was; the suffix from the bytes.
        assert saved.is_relative_to(uploads) and re.fullmatch(r"evil_b-[0-9a-f]{16}\.docx", saved.name), saved
        assert saved.read_bytes() == (ORDERS / "samara-cu-2021.docx").read_bytes()
        assert client.get("/api/activities").json()
        ledger = client.get("/ledger").text
        assert saved.name in ledger
        # The same bytes again: a duplicate, nothing new stored.
        again = _post(client, (ORDERS / "samara-cu-2021.docx").read_bytes())
        assert again.status_code == 200 and "дубликат" in again.text
        assert len(client.get("/api/documents").json()) == 1


@pytest.mark.usefixtures("prefect_harness")
def test_upload_of_a_readable_non_roadmap_says_why_in_russian(store_url: str, tmp_path: Path) -> None:
    """Recorded in the ledger like any failed file; the page says why in Russian and keeps
    the pipeline's own words (what the CLI and the API print) in the tooltip."""
    import docx

    order = docx.Document()
    for line in ("ПРИКАЗ", "Об утверждении дорожной карты", "Утвердить дорожную карту согласно приложению."):
        order.add_paragraph(line)
    path = tmp_path / "no-table.docx"
    order.save(str(path))
    with client_for(store_url, uploads=tmp_path / "uploads") as client:
        response = _post(client, path.read_bytes(), name="no-table.docx")
        assert response.status_code == 422
        assert "не прочитан — не дорожная карта: в документе нет таблицы" in response.text
        assert '<p class="alert error" role="alert">«no-table.docx» принят как DOCX' in response.text  # not green
        ledger = client.get("/ledger").text
        assert "<td>не прочитан</td>" in ledger
        assert 'title="not a roadmap: the document has no table">не дорожная карта: в документе нет таблицы<' in ledger
        assert client.get("/api/documents").json() == []


@pytest.mark.usefixtures("prefect_harness")
def test_the_same_file_uploaded_again_is_the_same_ledger_row(store_url: str, tmp_path: Path) -> None:
    """Named after its bytes: a failed file uploaded twice keeps one row with its reason (not a
    row per upload), and the same bytes under another name are a row of their own."""
    from pipeline.store import Store

    bad = b"%PDF-1.4\n" + b"0" * 500  # a PDF header and no PDF
    with client_for(store_url, uploads=tmp_path / "uploads") as client:
        first = _post(client, bad, name="broken.pdf")
        second = _post(client, bad, name="broken.pdf")
        assert first.status_code == second.status_code == 422
        assert "«broken.pdf» принят как PDF: не прочитан — " in first.text and "уже загружали" not in first.text
        assert "«broken.pdf» принят как PDF: не прочитан (этот файл уже загружали, причина та же) — " in second.text
        other_name = _post(client, bad, name="copy.pdf")
        assert other_name.status_code == 422
        # the page speaks of this upload only, not of the same bytes uploaded before under another name
        alert = re.search(r'<p class="alert error" role="alert">(.*?)</p>', other_name.text, re.S).group(1)
        assert alert.count("PDF повреждён") == 1, alert
    with Store(store_url) as store:
        rows = [(Path(e.path).name, e.status) for e in store.ledger()]
    digits = hashlib.sha256(bad).hexdigest()[:16]
    assert sorted(rows) == [(f"broken-{digits}.pdf", "failed"), (f"copy-{digits}.pdf", "failed")]


@pytest.mark.usefixtures("prefect_harness")
def test_a_zip_of_orders_is_ingested_member_by_member(store_url: str, tmp_path: Path) -> None:
    """As an inbox takes one: each member its own ledger row; the page counts the statuses and
    lists the members, each with its reason or its document."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Самара/samara.docx", (ORDERS / "samara-cu-2021.docx").read_bytes())
        zf.writestr("ivanovo.docx", (ORDERS / "ivanovo-2022.docx").read_bytes())
        zf.writestr("notes.pdf", b"%PDF-1.4\n" + b"0" * 500)
    with client_for(store_url, uploads=tmp_path / "uploads") as client:
        response = _post(client, archive.getvalue(), name="orders.zip")
        assert response.status_code == 200, response.text
        text = response.text
        assert "«orders.zip» принят как ZIP: файлов в архиве 3 — " in text
        assert "сохранён 2" in text and "не прочитан 1" in text
        assert '<div class="alert error" role="alert">' in text  # one member could not be read
        items = re.findall(r'<li><span class="path">([^<]+)</span>: ([^<—·]+)', text)
        assert sorted((m, s.strip()) for m, s in items) == [
            ("ivanovo.docx", "сохранён"), ("notes.pdf", "не прочитан"), ("Самара/samara.docx", "сохранён")]
        assert text.count('">документ</a>') == 2
        assert sorted(d["region_code"] for d in client.get("/api/documents").json()) == ["RU-IVA", "RU-SAM"]
        again = _post(client, archive.getvalue(), name="orders.zip")
        assert "дубликат 2" in again.text and len(client.get("/api/documents").json()) == 2


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_zip_is_a_zip_however_it_was_packed(store_url: str, tmp_path: Path, compression: int) -> None:
    """Stored uncompressed, a ZIP of PDFs carries `%PDF-` in its first bytes: still a ZIP. Its
    duplicates and a skipped stray file are no failure (a green answer)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=compression) as zf:
        zf.writestr("ivanovo.pdf", (ORDERS / "ivanovo-2022.pdf").read_bytes())
        zf.writestr("readme.txt", "список приказов")
    with client_for(store_url, uploads=tmp_path / "uploads") as client:
        response = _post(client, archive.getvalue(), name="batch.zip")
        assert response.status_code == 200, response.text
        assert "«batch.zip» принят как ZIP: файлов в архиве 2 — сохранён 1, пропущен 1" in response.text
        assert '<div class="alert ok" role="status">' in response.text
        again = _post(client, archive.getvalue(), name="batch.zip")
        assert "дубликат 1, пропущен 1" in again.text and '<div class="alert ok" role="status">' in again.text


@pytest.mark.usefixtures("prefect_harness")
def test_a_zip_of_nothing_readable_is_a_failure(store_url: str, tmp_path: Path) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "не приказ")
    with client_for(store_url, uploads=tmp_path / "uploads") as client:
        response = _post(client, archive.getvalue(), name="junk.zip")
        assert response.status_code == 422
        assert "«junk.zip» принят как ZIP: файлов в архиве 1 — пропущен 1" in response.text


def test_upload_refuses_what_is_no_order(store_url: str, tmp_path: Path) -> None:
    with client_for(store_url, uploads=tmp_path / "uploads") as client:
        for data in (b"\x00\x01\x02garbage" * 100, b"%!PS-Adobe-3.0\n" + b"x" * 100):
            response = _post(client, data)
            assert response.status_code == 400 and "файл не принят" in response.text
        assert client.get("/api/documents").json() == []
        assert not any((tmp_path / "uploads").rglob("order-*"))


def test_upload_size_limit(store_url: str, tmp_path: Path) -> None:
    with client_for(store_url, uploads=tmp_path / "uploads", max_upload=4096) as client:
        response = _post(client, b"%PDF-1.4\n" + b"0" * 70_000)
        assert response.status_code == 413 and "файл больше 4 КБ" in response.text   # refused while read
        response = _post(client, b"%PDF-1.4\n" + b"0" * 5000)
        assert response.status_code == 413 and "файл больше 4 КБ" in response.text   # the file part alone
        assert client.get("/api/documents").json() == []


def test_hostile_text_is_escaped_everywhere(store_url: str) -> None:
    from schema import Activity, Party, Region, RoadmapDocument, RowSource, Schedule, Source
    from pipeline.ingest import refresh_compliance
    from pipeline.store import Store

    doc = RoadmapDocument(
        id="hostile", source=Source(path=f"/nowhere/{HOSTILE}.docx", sha256="ab" * 32, format="docx"),
        region=Region(code="RU-XSS", name=HOSTILE), level="regional", doc_type=HOSTILE,
        number='1"><img src=x onerror=alert(1)>', date=date(2022, 1, 10), title=HOSTILE, issuer=HOSTILE,
        activities=[Activity(
            seq="1", text=f"Формирование перечня школ {HOSTILE}",
            schedule=Schedule(raw=f'до 01.03.2022 {HOSTILE}', kind="deadline", end=date(2022, 3, 1)),
            responsible=[Party(raw=HOSTILE, name=HOSTILE)], source=RowSource(table=1, row=2),
        )],
        warnings=[HOSTILE],
    )
    with Store(store_url) as store:
        store.store_document(doc, path=doc.source.path, size=10)
        refresh_compliance(store)
    with client_for(store_url) as client:
        for url in ("/", "/documents/hostile", "/documents/hostile?activity=0", "/review", "/ledger",
                    "/amendments?region=RU-XSS", "/api/docs"):
            page = client.get(url)
            assert page.status_code == 200, url
            assert "<script>alert" not in page.text and "<img src=x" not in page.text, url
        assert "&lt;script&gt;" in client.get("/documents/hostile?activity=0").text


def test_the_ledger_marks_the_row_of_a_file_replaced_since(store_url: str, tmp_path: Path) -> None:
    """As `roadmap status` says `failed (older bytes)`: the path's earlier bytes keep their row,
    marked, and the current bytes' row is not."""
    from pipeline.store import Store

    with Store(store_url) as store:
        store.record_failure("/inbox/order.pdf", "a" * 64, 10, "pdf", "encrypted PDF: a password is needed to open it")
        store.record_failure("/inbox/order.pdf", "b" * 64, 12, "pdf", "not a roadmap: the document has no table")
        store.record_failure("/inbox/other.pdf", "c" * 64, 12, "pdf", "not a roadmap: the document has no table")
    with client_for(store_url, uploads=tmp_path / "uploads") as client:
        rows = re.findall(r'<tr class="st-failed( older-bytes)?"><td class="path">([^<]+)</td>\s*<td>([^<]+)(<span)?',
                          client.get("/ledger").text)
    assert sorted((path, status.strip(), bool(older), bool(span)) for older, path, status, span in rows) == [
        ("/inbox/order.pdf", "не прочитан", False, False),
        ("/inbox/order.pdf", "не прочитан", True, True),
        ("/inbox/other.pdf", "не прочитан", False, False),
    ]
