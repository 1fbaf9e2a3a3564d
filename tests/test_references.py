"""normalizers/parties/references.py: an executors cell pointing to another row's executors
(`те же`, `см. п. 4`) takes that row's parties."""
from __future__ import annotations

import pytest

from normalizers.parties import parse_parties
from normalizers.parties.references import resolve_references
from schema import Activity, RowSource, Schedule


def _activity(seq: str, cell: str) -> Activity:
    return Activity(seq=seq, text=f"мероприятие {seq}", schedule=Schedule(), source=RowSource(table=1, row=int(seq.split(".")[0])),
                    responsible=parse_parties(cell, definitions={"УО": "Управление образования"},
                                              issuer_level="municipal"))


@pytest.mark.parametrize("cells, expected", [
    # the row above's executors
    ([("1.", "УО, кураторы"), ("2.", "те же")], ["Управление образования|Кураторы", "Управление образования|Кураторы"]),
    ([("1.", "кураторы"), ("2.", "Те же"), ("3.", "то же")], ["Кураторы", "Кураторы", "Кураторы"]),
    # a row named by its number, before or after
    ([("1.", "УО"), ("2.", "кураторы"), ("3.", "см. п. 1")], ["Управление образования", "Кураторы",
                                                              "Управление образования"]),
    ([("1.1.", "см. п. 1.2"), ("1.2.", "кураторы")], ["Кураторы", "Кураторы"]),
    ([("1", "УО"), ("2", "См. пункт 1.")], ["Управление образования", "Управление образования"]),
    # a pointer to no row, or the first row's `те же`, stays as printed
    ([("1.", "те же")], ["Те же"]),
    ([("1.", "УО"), ("2.", "см. п. 9")], ["Управление образования", "См. п. 9"]),
    # a cell naming someone besides is no pointer
    ([("1.", "УО"), ("2.", "те же, кураторы")], ["Управление образования", "Те же|Кураторы"]),
])
def test_a_pointing_cell_takes_the_rows_parties(cells, expected):
    got = resolve_references([_activity(seq, cell) for seq, cell in cells])
    assert ["|".join(p.name for p in a.responsible) for a in got] == expected


def test_the_printed_pointer_stays_as_raw():
    got = resolve_references([_activity("1.", "УО, кураторы"), _activity("2.", "см. п. 1")])
    assert [(p.raw, p.name, p.kind) for p in got[1].responsible] == [
        ("см. п. 1", "Управление образования", "municipal"), ("см. п. 1", "Кураторы", "curator")]
