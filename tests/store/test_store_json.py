"""The store's JSON columns: written by orjson (UTF-8 as it is), read back whatever wrote them."""
from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import select

from pipeline.store import Store
from pipeline.store.dialects import json_text, json_value
from pipeline.store.tables import documents

from store_fixtures import gold_documents

VALUES = [
    None, True, False, 0, -7, 2**63 - 1, 1.5, 0.1, 1e-7, 12345678.25, "", "ascii",
    "Министерство образования", "ё Ё й «кавычки» — тире", "tab\tnew\nline \"quote\" \\ slash",
    "\u2028 \u2029 \x00 \x1f", "😀 emoji", [], {}, [1, "два", None, [3.0]],
    {"ключ": "значение", "nested": {"a": [True, False]}}, {"a": 1, "b": [{"c": None}]},
    {1: "int key", 2: "read back as a string key"},
]


@pytest.mark.parametrize("value", VALUES)
def test_written_values_read_back_as_json_dumps_would_give_them(value) -> None:
    text = json_text(value)
    assert json.loads(text) == json.loads(json.dumps(value))
    assert json_value(text) == json.loads(json.dumps(value))


@pytest.mark.parametrize("value, word", [
    ("Министерство", "Министерство"), (["Ивановская область"], "Ивановская"), ({"орган": "ДО"}, "орган"),
])
def test_cyrillic_is_written_as_it_is(value, word) -> None:
    text = json_text(value)
    assert "\\u" not in text
    assert word in text


@pytest.mark.parametrize("value", [2**64, -(2**70), {"big": [2**100]}])
def test_what_orjson_refuses_is_written_by_json_dumps(value) -> None:
    assert json.loads(json_text(value)) == value


@pytest.mark.parametrize("text, expected", [
    (json.dumps("Министерство"), "Министерство"),  # the escaped form earlier versions stored
    (json.dumps({"a": ["\u0434\u043e"]}), {"a": ["до"]}),
    ('{"confidence": NaN}', {"confidence": math.nan}),
    ("[Infinity, -Infinity]", [math.inf, -math.inf]),
])
def test_what_json_dumps_wrote_reads_back(text, expected) -> None:
    # compared as json.dumps writes them: NaN equals nothing, not even itself
    assert json.dumps(json_value(text)) == json.dumps(expected)


def test_a_stored_document_keeps_its_cyrillic_unescaped(store: Store) -> None:
    doc = gold_documents()[0]
    store.store_document(doc, size=1000)
    with store.engine.connect() as conn:
        text = conn.exec_driver_sql("SELECT CAST(document AS TEXT) FROM documents").scalar_one()
    assert "\\u04" not in text
    assert doc.activities[0].text[:20] in text.replace("\\n", "\n")
    assert store.document(doc.id) == doc


def test_a_document_stored_escaped_by_an_earlier_version_reads_back(store: Store) -> None:
    doc = gold_documents()[0]
    store.store_document(doc, size=1000)
    escaped = json.dumps(doc.model_dump(mode="json"))
    assert "\\u04" in escaped
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE documents SET document = CAST(? AS TEXT)" if store.engine.dialect.name == "sqlite"
                             else "UPDATE documents SET document = CAST(%s AS JSON)", (escaped,))
        stored = conn.exec_driver_sql("SELECT CAST(document AS TEXT) FROM documents").scalar_one()
    assert "\\u04" in stored
    assert store.document(doc.id, corrected=False) == doc
    with store.engine.connect() as conn:
        assert conn.execute(select(documents.c.document)).scalar_one() == doc.model_dump(mode="json")
