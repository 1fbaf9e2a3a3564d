"""Orders that arrive as bare spreadsheets (XLSX, XLS, ODS, CSV) or as image scans (JPEG, PNG,
TIFF): sniffed from their bytes, read through the same normalizers, and refused cheaply when
hostile. Their accuracy against the originals' gold: tests/test_renditions.py.
"""
from __future__ import annotations

import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from extractors.raw import ExtractionError, RawParagraph, RawTable
from extractors.sniff import sniff_format
from extractors.spreadsheet import cell_text, decode_text, extract_spreadsheet, sheet_blocks, sniff_delimiter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SHEETS = FIXTURES / "spreadsheets"
IMAGES = FIXTURES / "images"
GOLD = FIXTURES / "gold"
SHEET_FORMATS = ("xlsx", "xls", "ods", "csv")
SHEET_CASES = sorted(p for p in SHEETS.glob("*") if p.suffix[1:] in SHEET_FORMATS)
# The bars the DOCX/PDF renditions meet; a bare spreadsheet has no order text, so no metadata.
SHEET_BARS = {"activity_f1": 0.97, "schedule_end": 0.95}
SCAN_BARS = {"activity_f1": 0.90, "schedule_end": 0.85}

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")


def _gold(path: Path) -> dict:
    return json.loads((GOLD / f"{path.name.split('.')[0]}.json").read_text(encoding="utf-8"))


def _missed(score, bars: dict[str, float]) -> dict:
    return {k: score.figure(k) for k, bar in bars.items() if score.figure(k) is None or score.figure(k) < bar}


# ---------------------------------------------------------------- sniffing


def _png_header(width: int, height: int) -> bytes:
    """A valid PNG signature + IHDR claiming width × height grey pixels, one tiny IDAT."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("name,content,expected", [
    ("a.bin", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
    ("a.jpg", _png_header(10, 10), "png"),
    ("a.pdf", b"II*\x00\x08\x00\x00\x00", "tiff"),
    ("a.tif", b"MM\x00*\x00\x00\x00\x08", "tiff"),
    ("a.csv", "№;Мероприятие;Срок\n1;Совещание;до 17.01.2022\n2;Мониторинг;февраль\n".encode("utf-8"), "csv"),
    ("a.txt", "№,Мероприятие,Срок\r\n1,Совещание,январь\r\n".encode("cp1251"), "csv"),
    ("a.tsv", b"a\tb\tc\n1\t2\t3\n4\t5\t6\n", "csv"),
])
def test_sniff_new_formats(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert sniff_format(path) == expected


@pytest.mark.parametrize("content,reason", [
    (b"GIF89a\x01\x00\x01\x00", "GIF image"),
    (b"BM\x00\x00\x00\x00", "BMP image"),
    ("Заметка: позвонить в министерство до пятницы.\nНе забыть приложить письмо.\n".encode("utf-8"), "plain text"),
    (b"2026-12-01 02:00:01 INFO ingest started\n2026-12-01 02:00:05 INFO done\n", "plain text"),
    (bytes(range(256)) * 4, "unknown file format"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "HTML page"),
])
def test_sniff_refuses_what_is_no_order(tmp_path, content, reason):
    path = tmp_path / "x.dat"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=reason):
        sniff_format(path)


@pytest.mark.parametrize("path", SHEET_CASES, ids=lambda p: p.name)
def test_sniff_spreadsheet_fixtures(path, tmp_path):
    """The format comes from the bytes: the same file renamed .bin sniffs the same."""
    renamed = tmp_path / "renamed.bin"
    shutil.copy(path, renamed)
    assert sniff_format(renamed) == path.suffix[1:]


def test_sniff_tells_doc_from_xls():
    assert sniff_format(FIXTURES / "legacy" / "ivanovo-2022.doc") == "doc"
    assert sniff_format(SHEETS / "ivanovo-2022.xls") == "xls"


# ---------------------------------------------------------------- reading cells


@pytest.mark.parametrize("value,text", [
    (None, ""),
    ("  до 17.01.2022 ", "до 17.01.2022"),
    ("строка\r\nвторая", "строка\nвторая"),
    (3.0, "3"),
    (2022.0, "2022"),
    (0.5, "0,5"),
    (95.5, "95,5"),
    (True, "да"),
    (__import__("datetime").date(2022, 1, 17), "17.01.2022"),
    (__import__("datetime").datetime(2022, 2, 7), "07.02.2022"),
    (__import__("datetime").datetime(2022, 2, 7, 10, 30), "07.02.2022 10:30"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("text,delimiter", [
    ("a;b;c\n1;2;3\n", ";"),
    ("a,b,c\n1,2,3\n", ","),
    ("a\tb\n1\t2\n", "\t"),
    ("№;Мероприятие;Срок\n1;«Совещание, семинар»;до 17.01.2022\n", ";"),
    ("Просто текст без таблицы.\nЕщё одна строка.\n", None),
    ("одна;строка\n", None),
])
def test_sniff_delimiter(text, delimiter):
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize("data,text", [
    ("Срок".encode("utf-8"), "Срок"),
    (b"\xef\xbb\xbf" + "Срок".encode("utf-8"), "Срок"),
    ("Срок".encode("cp1251"), "Срок"),
    (b"\x00\x01binary", None),
])
def test_decode_text(data, text):
    assert decode_text(data) == text


def test_sheet_blocks_titles_tables_and_sections():
    rows = [
        ["План мероприятий («дорожная карта»)", "", ""],
        ["", "", ""],
        ["№", "Мероприятие", "Срок"],
        ["1. Организационные мероприятия", "", ""],
        ["1.1", "Совещание", "январь"],
        ["", "", ""],
        ["Раздел 2"],
        ["№", "Мероприятие", "Срок"],
        ["2.1", "Семинар", "март"],
    ]
    blocks = sheet_blocks(rows)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["RawParagraph", "RawTable", "RawParagraph", "RawTable"]
    assert isinstance(blocks[1], RawTable) and blocks[1].rows[1][0] == "1. Организационные мероприятия"
    assert isinstance(blocks[2], RawParagraph) and blocks[2].text == "Раздел 2"


def test_xlsx_merges_are_none_and_formulas_are_never_evaluated(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Задачи", None, "Срок"])
    sheet.merge_cells("A1:B1")
    sheet.append(["1.", "Совещание", "январь"])
    sheet.append(["2.", '=cmd|" /C calc"!A0', "=1+1"])
    book.save(tmp_path / "f.xlsx")
    raw = extract_spreadsheet(tmp_path / "f.xlsx", "x", "xlsx")
    table = raw.tables[0]
    assert table.rows[0] == ["Задачи", None, "Срок"]
    assert table.rows[1] == ["1.", "Совещание", "январь"]
    # openpyxl stores no cached value: calamine reads the value, never runs the formula
    assert all("calc" not in (c or "") and c != "2" for c in sum(table.rows[2:], []))


def test_csv_header_span_restored(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("Задачи;;Срок;Ответственные\n1.;Совещание;январь;Министерство\n".encode("cp1251"))
    raw = extract_spreadsheet(path, "x", "csv")
    assert raw.tables[0].rows[0] == ["Задачи", None, "Срок", "Ответственные"]
    assert raw.tables[0].rows[1] == ["1.", "Совещание", "январь", "Министерство"]


def test_a_huge_sheet_is_refused_before_it_is_read(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.cell(row=300_000, column=300, value="x")
    book.save(tmp_path / "big.xlsx")
    with pytest.raises(ExtractionError, match="too large for a roadmap"):
        extract_spreadsheet(tmp_path / "big.xlsx", "x", "xlsx")


@pytest.mark.parametrize("content,reason", [
    (b"PK\x03\x04garbage-not-a-zip", "corrupt"),
])
def test_corrupt_spreadsheet(tmp_path, content, reason):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=reason):
        from pipeline.extract import extract

        extract(path)


def test_an_empty_csv_table_is_not_a_roadmap(tmp_path):
    from pipeline.extract import extract

    path = tmp_path / "list.csv"
    path.write_text("Фамилия;Имя\nИванов;Иван\nПетров;Пётр\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match="not a roadmap"):
        extract(path)


# ---------------------------------------------------------------- what a rendition records


def test_spreadsheet_source_fields():
    from pipeline.extract import extract

    doc = extract(SHEETS / "tyumen-oblast-2022.ods")
    assert doc.source.format == "ods" and doc.source.pages is None and not doc.source.ocr
    assert all(a.source.page is None and a.source.row >= 0 for a in doc.activities)


# ---------------------------------------------------------------- image scans


def test_a_30000_px_image_is_refused_before_decoding(tmp_path):
    from extractors.image import extract_image

    path = tmp_path / "huge.png"
    path.write_bytes(_png_header(30_000, 30_000))
    assert sniff_format(path) == "png"
    with pytest.raises(ExtractionError, match="image too large to be a page"):
        extract_image(path, "x", "png")


def test_an_image_just_over_the_page_limit_is_refused(tmp_path):
    from extractors.image import ImageLimits, extract_image

    path = tmp_path / "wide.png"
    path.write_bytes(_png_header(4_000, 3_000))
    with pytest.raises(ExtractionError, match="image too large to be a page: 4000 × 3000 px"):
        extract_image(path, "x", "png", limits=ImageLimits(max_frame_pixels=10_000_000))


def test_a_corrupt_jpeg_is_refused(tmp_path):
    from pipeline.extract import extract

    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with pytest.raises(ExtractionError, match="corrupt image"):
        extract(path)


@pytest.mark.ocr
@needs_tesseract
def test_a_page_sent_as_jpeg_is_read(tmp_path):
    """One page of the scan as a JPEG: OCRed through the same path, its table rows found."""
    from PIL import Image

    from pipeline.extract import extract

    with Image.open(IMAGES / "tyumen-oblast-2022.scan.tiff") as tiff:
        tiff.seek(1)
        tiff.convert("L").save(tmp_path / "page2.jpg", quality=90, dpi=(200, 200))
    doc = extract(tmp_path / "page2.jpg")
    assert doc.source.format == "jpeg" and doc.source.pages == 1 and doc.source.ocr
    assert len(doc.activities) >= 5
    assert all(a.source.page == 1 for a in doc.activities)


def test_a_small_photo_is_not_a_scan(tmp_path):
    from PIL import Image

    from pipeline.extract import extract

    Image.new("RGB", (64, 48), (200, 30, 30)).save(tmp_path / "photo.pdf", format="JPEG")
    with pytest.raises(ExtractionError, match="not a scanned page: the file is a 64 × 48 px JPEG image"):
        extract(tmp_path / "photo.pdf")
