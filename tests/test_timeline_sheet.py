"""A federal timeline written by staff: JSON with fields the schema does not know or a list of
sources, or a spreadsheet in the template's shape (`roadmap timeline -f xlsx`)."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from pipeline.timeline import TimelineError, load_file, load_packaged
from pipeline.timeline_sheet import sheet_to_items, timeline_rows, write_timeline_xlsx


def test_unknown_fields_are_kept_out_with_a_warning(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": "a", "year": 2023, "title": "Опрос", "deadline": "2023-03-01",
                                 "colour": "red", "owner": "ФИОКО"}]), encoding="utf-8")
    warnings: list[str] = []
    [m] = load_file(path, warnings)
    assert m.id == "a"
    assert warnings == [f"{path}: milestone 1: unknown field(s) ignored: colour, owner"]


@pytest.mark.parametrize("fields,source", [
    ({"sources": ["письмо ФИОКО", "график 2023"]}, "письмо ФИОКО; график 2023"),
    ({"sources": "письмо ФИОКО"}, "письмо ФИОКО"),
    ({"source": "приказ", "sources": ["письмо"]}, "приказ; письмо"),
    ({"sources": []}, None),
])
def test_a_list_of_sources(tmp_path, fields, source):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"id": "a", "year": 2023, "title": "t", "deadline": "2023-03-01", **fields}]),
                    encoding="utf-8")
    [m] = load_file(path)
    assert m.source == source


def test_template_round_trip(tmp_path):
    """The packaged timeline written as the template and read back is the same timeline."""
    packaged = load_packaged()
    path = tmp_path / "t.xlsx"
    write_timeline_xlsx(packaged, path)
    back = load_file(path)
    assert [m.model_dump(exclude={"source"}) for m in back] == [m.model_dump(exclude={"source"}) for m in packaged]
    # a source's `;`-separated parts are one a line in the sheet and come back `; `-joined
    assert [a.source for a in back] == ["; ".join(re.split(r"\s*;\s*", b.source)) if b.source else None
                                       for b in packaged]


def test_template_cells_are_text(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    write_timeline_xlsx(load_packaged([2022]), path)
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet["A1"].font.bold
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None)


def test_staff_csv_with_russian_headers_in_any_order(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "Срок;Этап федерального проекта;Ключевые слова;Примечание\n"
        '01.03.2023;Опрос участников проекта;"опрос; анкетирование";звонить Ивановой\n'
        "2023-05-15;Разработка концептуальных документов;концепция;\n",
        encoding="cp1251")
    warnings: list[str] = []
    milestones = load_file(path, warnings)
    assert [(m.year, m.deadline, m.title) for m in milestones] == [
        (2023, date(2023, 3, 1), "Опрос участников проекта"),
        (2023, date(2023, 5, 15), "Разработка концептуальных документов"),
    ]
    assert milestones[0].keywords == ["опрос", "анкетирование"]
    assert milestones[0].id.startswith("2023-")
    assert any("unknown column(s) ignored: Примечание" in w for w in warnings)


@pytest.mark.parametrize("rows,message", [
    ([["a", "b"], ["1", "2"]], "no header row"),
])
def test_sheet_without_header(rows, message):
    with pytest.raises(ValueError, match=message):
        sheet_to_items(rows, "t.xlsx", [])


@pytest.mark.parametrize("row,error", [
    (["x", "2023", "Опрос", "", "31.02.2023", "", ""], "deadline"),
    (["x", "2023", "Опрос", "01.04.2023", "01.03.2023", "", ""], "is after deadline"),
    (["x", "две тысячи", "Опрос", "", "01.03.2023", "", ""], "year"),
])
def test_bad_rows_are_named(tmp_path, row, error):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(timeline_rows([])[0])
    book.active.append(row)
    book.save(tmp_path / "t.xlsx")
    with pytest.raises(TimelineError, match=error):
        load_file(tmp_path / "t.xlsx")


def test_an_order_is_not_a_timeline():
    from pathlib import Path

    with pytest.raises(TimelineError, match="not a timeline"):
        load_file(Path(__file__).resolve().parent.parent / "fixtures" / "orders" / "ivanovo-2022.pdf")
