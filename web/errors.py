"""What a page of the workbench says when the address asks for something it cannot give: a
page in Russian, not the JSON body the API answers with (a stale link to a document, a typo in
`?activity=`, an address that names no page)."""
from __future__ import annotations

from typing import Any, Optional, Sequence

# The English detail a route raises → what the page says of it.
_DETAILS = {
    "no such document": "Такого документа нет в хранилище: ссылка устарела, или хранилище другое.",
    "the original file is not available": "Исходного файла этого документа нет ни в папке входящих, ни в копиях хранилища.",
}
_TITLES = {404: "Не найдено", 405: "Так эту страницу не открыть", 422: "Неверный адрес"}
_EXPECTED = {"int_parsing": "целое число", "int_type": "целое число", "missing": "значение",
             "date_parsing": "дата ГГГГ-ММ-ДД", "date_from_datetime_parsing": "дата ГГГГ-ММ-ДД"}


def wants_json(path: str) -> bool:
    """The API's and the static files' answers stay as the framework gives them."""
    return path.startswith(("/api/", "/static/"))


def title_for(status: int) -> str:
    return _TITLES.get(status, f"Ошибка {status}")


def http_message(status: int, detail: Optional[Any], method: str = "GET") -> str:
    if isinstance(detail, str) and detail in _DETAILS:
        return _DETAILS[detail]
    if status == 404:
        return "Такой страницы в рабочем месте нет."
    if status == 405:
        if method == "GET":
            return "Этот адрес не открывают: он принимает только отправку формы со своей страницы."
        return f"Этот адрес не принимает запрос {method}."
    return str(detail or "")


def validation_message(errors: Sequence[dict]) -> str:
    """Which of the address's parameters is wrong and what it should be."""
    parts = []
    for error in errors:
        name = str(error.get("loc", ["", "?"])[-1])
        expected = _EXPECTED.get(str(error.get("type")), "другое значение")
        given = error.get("input")
        parts.append(f"параметр «{name}»: ожидается {expected}" + (f", а не «{given}»" if isinstance(given, str) else ""))
    return "Неверный адрес: " + "; ".join(parts) + "."
