"""Cells merged down over several rows: the readers mark the positions a tall cell covers,
and a date or responsible cell then belongs to every body row it spans (headers, activity and
grouping columns keep their own meaning)."""
from __future__ import annotations

import io

import pytest

from extractors.raw import RawTable
from extractors.stitch import stitch_page_tables
from normalizers.spans import fill_merged_down
from normalizers.tables import find_roadmap_rows

COLUMNS = {"seq": 0, "text": 1, "date": 2, "responsible": 3}


@pytest.mark.parametrize("rows,continued,header_rows,expected", [
    # a date merged over three rows
    ([["1", "a", "март", "X"], ["2", "b", None, "Y"], ["3", "c", None, "Z"]], {(1, 2), (2, 2)}, 0,
     [["1", "a", "март", "X"], ["2", "b", "март", "Y"], ["3", "c", "март", "Z"]]),
    # a responsible merged over two rows, the date not
    ([["1", "a", "март", "X"], ["2", "b", "май", None]], {(1, 3)}, 0,
     [["1", "a", "март", "X"], ["2", "b", "май", "X"]]),
    # a None that no tall cell covers (a wide cell's right part) stays None
    ([["1", "a", "март", "X"], ["2", "b", "май", None]], set(), 0,
     [["1", "a", "март", "X"], ["2", "b", "май", None]]),
    # the activity and № columns are never filled
    ([["1", "a", "март", "X"], [None, None, "май", "Y"]], {(1, 0), (1, 1)}, 0,
     [["1", "a", "март", "X"], [None, None, "май", "Y"]]),
    # a header label spanning two header rows is not copied, nor into the first body row
    ([["№", "Мероприятие", "Срок", "Исполнитель"], [None, None, None, None], ["1", "a", None, "X"]],
     {(1, 0), (1, 1), (1, 2), (1, 3), (2, 2)}, 2,
     [["№", "Мероприятие", "Срок", "Исполнитель"], [None, None, None, None], ["1", "a", None, "X"]]),
    # two header rows, then a merge inside the body
    ([["№", "Мероприятие", "Срок", "Исполнитель"], [None, None, None, None], ["1", "a", "до 1 марта", "X"],
      ["2", "b", None, "X"]], {(1, 0), (1, 1), (1, 2), (1, 3), (3, 2)}, 2,
     [["№", "Мероприятие", "Срок", "Исполнитель"], [None, None, None, None], ["1", "a", "до 1 марта", "X"],
      ["2", "b", "до 1 марта", "X"]]),
])
def test_fill_merged_down(rows, continued, header_rows, expected):
    table = RawTable(rows=rows, row_pages=[1] * len(rows), continued=continued)
    assert fill_merged_down(table, COLUMNS, header_rows) == expected
    assert table.rows == rows, "the raw table is not changed"


def test_stitching_keeps_marks_in_place():
    first = RawTable(rows=[["№", "Мероприятие", "Срок"], ["1", "a", "март"]], row_pages=[1, 1])
    second = RawTable(rows=[["№", "Мероприятие", "Срок"], ["2", "b", "май"], ["3", "c", None]],
                      row_pages=[2, 2, 2], continued={(2, 2)})
    [table] = stitch_page_tables([[first], [second]])
    assert table.rows[-1] == ["3", "c", None]
    assert table.continued == {(3, 2)}


def _docx_with_merges() -> bytes:
    import docx

    document = docx.Document()
    table = document.add_table(rows=5, cols=4)
    table.style = "Table Grid"  # ruled, as printed orders are
    for c, label in enumerate(["№", "Мероприятие", "Срок", "Ответственный"]):
        table.cell(0, c).text = label
    for r, (seq, text) in enumerate([("1", "Совещание"), ("2", "Мониторинг"), ("3", "Семинар"), ("4", "Отчёт")],
                                    start=1):
        table.cell(r, 0).text = seq
        table.cell(r, 1).text = text
    table.cell(1, 2).merge(table.cell(3, 2)).text = "до 01.03.2022"
    table.cell(4, 2).text = "декабрь 2022"
    table.cell(1, 3).text = "Министерство образования"
    table.cell(2, 3).merge(table.cell(4, 3)).text = "руководители ОО"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_vertical_merge_reaches_every_row(tmp_path):
    from extractors.docx import extract_docx

    path = tmp_path / "m.docx"
    path.write_bytes(_docx_with_merges())
    raw = extract_docx(path, "x")
    [table] = raw.tables
    assert table.continued == {(2, 2), (3, 2), (3, 3), (4, 3)}
    rows = find_roadmap_rows(raw.blocks).rows
    assert [r.cells["date"] for r in rows] == ["до 01.03.2022"] * 3 + ["декабрь 2022"]
    assert [r.cells["responsible"] for r in rows] == ["Министерство образования"] + ["руководители ОО"] * 3


@pytest.mark.slow
def test_pdf_tall_cells_reach_every_row(tmp_path):
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (needed to print the DOCX as a PDF)")
    from extractors.pdf import extract_pdf

    (tmp_path / "m.docx").write_bytes(_docx_with_merges())
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "m.docx")], check=True, capture_output=True,
                   timeout=180)
    raw = extract_pdf(tmp_path / "m.pdf", "x")
    [table] = raw.tables
    assert table.continued == {(2, 2), (3, 2), (3, 3), (4, 3)}
    rows = find_roadmap_rows(raw.blocks).rows
    assert [r.cells["date"] for r in rows] == ["до 01.03.2022"] * 3 + ["декабрь 2022"]
