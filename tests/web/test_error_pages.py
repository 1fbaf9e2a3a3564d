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
