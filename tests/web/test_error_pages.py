"""A page address that asks for what the workbench cannot give answers with a page in Russian
(web/errors.py); the API and the static files keep their JSON answers."""
from __future__ import annotations

from pathlib import Path

import pytest

from web_fixtures import client_for


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    from pipeline.store import Store

    folder = tmp_path_factory.mktemp("errors")
    url = f"sqlite:///{folder / 'roadmaps.db'}"
    Store(url).close()
    with client_for(url, uploads=folder / "uploads") as c:
        yield c


@pytest.mark.parametrize("method, address, status, title, said", [
    ("GET", "/documents/RU-XXX-1?activity=abc", 422, "Неверный адрес",
     "параметр «activity»: ожидается целое число, а не «abc»"),
    ("GET", "/documents/RU-XXX-1?activity=1.5", 422, "Неверный адрес", "ожидается целое число, а не «1.5»"),
    ("GET", "/documents/RU-XXX-1", 404, "Не найдено", "Такого документа нет в хранилище"),
    ("GET", "/documents/RU-XXX-1?activity=2", 404, "Не найдено", "Такого документа нет в хранилище"),
    ("GET", "/no-such-page", 404, "Не найдено", "Такой страницы в рабочем месте нет"),
    ("GET", "/ledger/upload", 405, "Так эту страницу не открыть", "принимает только отправку формы"),
    ("DELETE", "/ledger", 405, "Так эту страницу не открыть", "не принимает запрос DELETE"),
])
def test_a_page_address_gets_a_page(client, method: str, address: str, status: int, title: str, said: str) -> None:
    response = client.request(method, address)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in response.text and said in response.text
    assert '<a href="/">К сводке</a>' in response.text


@pytest.mark.parametrize("address, status", [
    ("/api/documents/RU-XXX-1", 404),
    ("/static/no-such.css", 404),
])
def test_the_api_and_static_files_keep_json(client, address: str, status: int) -> None:
    response = client.get(address)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert "detail" in response.json()


def test_a_link_past_a_documents_rows_or_to_no_region_says_so(tmp_path) -> None:
    """`?activity=` past the document's activities, `?region=` of no stored document: a 404 page
    saying so, not the page shown as if the link were right."""
    from pipeline.store import Store

    from test_review import _doc, _activity

    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    with Store(url) as store:
        store.store_document(_doc([_activity(), _activity()]))
        doc_id = store.documents()[0].id
    with client_for(url, uploads=tmp_path / "uploads") as c:
        fine = c.get(f"/documents/{doc_id}?activity=1")
        assert fine.status_code == 200 and 'role="alert"' not in fine.text
        past = c.get(f"/documents/{doc_id}?activity=99999")
        assert past.status_code == 404
        assert "в документе нет мероприятия с номером 99999 по порядку (их 2, от 0 до 1)" in past.text
        assert c.get(f"/documents/{doc_id}?activity=-1").status_code == 404
        region = c.get("/amendments?region=ZZ")
        assert region.status_code == 404 and "в хранилище нет документов региона «ZZ»" in region.text
        assert c.get("/amendments?region=RU-TYU").status_code == 200
