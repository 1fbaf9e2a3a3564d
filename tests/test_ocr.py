"""OCR path: text-layer heuristics, case repair, page geometry on synthetic scans, and (with
tesseract installed) real OCR of a scanned fixture page, its cache and its error messages."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

cv2 = pytest.importorskip("cv2")
np = pytest.importorskip("numpy")

from extractors import ocr, ocr_layout as layout  # noqa: E402
from extractors.ocr_words import Word  # noqa: E402
from extractors.textlayer import needs_ocr  # noqa: E402
from extractors.ocr_text import fix_case, fix_tags  # noqa: E402
from extractors.raw import ExtractionError, RawDocument, RawParagraph, RawTable  # noqa: E402

SCANS = Path(__file__).resolve().parent.parent / "fixtures" / "scans"
HAS_TESSERACT = shutil.which("tesseract") is not None
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed (Debian: tesseract-ocr tesseract-ocr-rus)")

RUSSIAN = ("Об утверждении плана мероприятий по работе со школами с низкими образовательными "
           "результатами в 2022 году")


@pytest.mark.parametrize("text, expected", [
    ("", True),
    ("   \n\t ", True),
    ("- 2 -", True),
    ("Приложение", True),
    (RUSSIAN, False),
    ("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ И НАУКИ ТЮМЕНСКОЙ ОБЛАСТИ\nП Р И К А З\n30 декабря 2021 г. № 918/02", False),
    ("1.1 Проведение совещания до 17.01.2022 ДОН ТО Руководители ОО 100%", False),
    ("Order on the approval of the roadmap for schools with low results in 2022", False),
    ("№ п/п Мероприятие Срок Ответственный 1. 2. 3. 4. 5. 17.01.2022 20.06.2022", False),
    ("(cid:31)(cid:45)(cid:12)(cid:88)(cid:3)(cid:99)(cid:17)(cid:41)(cid:5)(cid:66)(cid:9)", True),
    (RUSSIAN + " " + "(cid:12)" * 40, True),
    ("Ïðèêàç Äåïàðòàìåíòà îáðàçîâàíèÿ è íàóêè Òþìåíñêîé îáëàñòè îò 30.12.2021", True),
    ("\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd", True),
    ("\ue001\ue002\ue003 \ue004\ue005 \ue006\ue007\ue008\ue009 \ue00a\ue00b\ue00c\ue00d\ue00e", True),
    ("Бврнтк Гджзклм Пстфхц Шщбвг Джзкл Мнпрст Фхцчш Бвгд Жзклм", True),
    ("Пркз Дпртмнт брзвн нк Тмнскй блст т 30.12.2021 № 918/02", True),
    ("12.01.2022 15.02.2022 17.03.2022 20.04.2022 25.05.2022 30.06.2022", False),
    ("~~~ ||| ### @@@ ^^^ ~~~ ||| ### @@@ ^^^ ~~~ |||", True),
    ("Утвердить «дорожную карту» согласно приложению к настоящему приказу.", False),
    ("Контроль за исполнением приказа возложить на заместителя директора", False),
])
def test_needs_ocr(text, expected):
    assert needs_ocr(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("документов ШКОЛ В информационную систему", "документов школ в информационную систему"),
    ("перечня школ с НИЗКИМИ образовательными", "перечня школ с низкими образовательными"),
    ("общеобразовател ЬНЫХ организациях", "общеобразовател ьных организациях"),
    ("Муниципальн ЫЙ оператор", "Муниципальн ый оператор"),
    ("Руководители оо", "Руководители ОО"),
    ("Руководители оО", "Руководители ОО"),
    ("Кураторы, ДОН то", "Кураторы, ДОН ТО"),
    ("ДОН то, Руководители ОО", "ДОН ТО, Руководители ОО"),
    ("МАУ ИМЦ Г. Тюмени", "МАУ ИМЦ г. Тюмени"),
    ("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ И НАУКИ", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ И НАУКИ"),
    ("П Р И К А З", "П Р И К А З"),
    ("МОУО (по согласованию)", "МОУО (по согласованию)"),
    ("ОО с НОР", "ОО с НОР"),
    ("в СМИ и на сайте", "в СМИ и на сайте"),
    ("г. Тюмень", "г. Тюмень"),
    ("Тюменской области", "Тюменской области"),
    ("ФГБУ «Федеральный институт оценки качества»", "ФГБУ «Федеральный институт оценки качества»"),
    ("директор департамента А.В. Райдер", "директор департамента А.В. Райдер"),
    ("ГАУ ДПО ТО «ТОГИРРО»", "ГАУ ДПО ТО «ТОГИРРО»"),
    ("ЦОКО, МОУО, ОО", "ЦОКО, МОУО, ОО"),
    ("Проведение совещания", "Проведение совещания"),
    ("до 17.01.2022", "до 17.01.2022"),
    ("ШКОЛ в системе", "Школ в системе"),
])
def test_fix_case(text, expected):
    assert " ".join(fix_case(text.split())) == expected


@pytest.mark.parametrize("text, expected", [
    ("<р>Разработка", "<p>Разработка"),
    ("план</р>", "план</p>"),
    ("<Ь>1 этап</Ь>", "<b>1 этап</b>"),
    ("<b>этап</b>", "<b>этап</b>"),
    ("до 17.01.2022", "до 17.01.2022"),
    ("a < b > c", "a < b > c"),
])
def test_fix_tags(text, expected):
    assert fix_tags(text) == expected


# ------------------------------------------------------------------ synthetic page images

def _table_page(dpi: int, angle: float = 0.0, noise: bool = False, seed: int = 0):
    """A white A5-ish page with a ruled 3-column table: a header cell merged over columns
    1-2, a one-line row, and a text paragraph above the table."""
    k = dpi / 100
    h, w = int(800 * k), int(600 * k)
    img = np.full((h, w), 255, dtype=np.uint8)
    cv2.putText(img, "Heading text line", (int(60 * k), int(80 * k)), cv2.FONT_HERSHEY_SIMPLEX, 0.6 * k, 0, max(1, int(k)))
    xs = [int(v * k) for v in (50, 150, 350, 550)]
    ys = [int(v * k) for v in (150, 190, 215, 300, 420)]
    t = max(1, int(round(k * 0.8)))
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, t)
    for x in (xs[0], xs[-1]):
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, t)
    cv2.line(img, (xs[1], ys[0]), (xs[1], ys[-1]), 0, t)
    cv2.line(img, (xs[2], ys[1]), (xs[2], ys[-1]), 0, t)      # column 2 split below the header
    for r in range(len(ys) - 1):
        for c in range(len(xs) - 1):
            cv2.putText(img, "ab", (xs[c] + int(8 * k), ys[r] + int(18 * k)), cv2.FONT_HERSHEY_SIMPLEX, 0.45 * k, 0, 1)
    if angle:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    if noise:
        rng = np.random.default_rng(seed)
        dots = rng.random(img.shape) < 0.002
        img[dots] = 0
    return img, xs, ys


@pytest.mark.parametrize("dpi", [150, 200, 300])
@pytest.mark.parametrize("angle", [-1.5, -0.7, 0.0, 0.5, 1.2])
def test_deskew_recovers_rotation(dpi, angle):
    img, _, _ = _table_page(dpi, angle=angle, noise=True)
    clean = layout.preprocess(img, dpi)
    assert abs(clean.angle + angle) <= 0.15


@pytest.mark.parametrize("dpi", [150, 200, 300])
@pytest.mark.parametrize("angle", [0.0, 0.8, -1.3])
def test_table_grid_with_merged_header(dpi, angle):
    img, _, _ = _table_page(dpi, angle=angle, noise=True, seed=dpi)
    clean = layout.preprocess(img, dpi)
    grids = layout.find_tables(clean, dpi)
    assert len(grids) == 1
    grid = grids[0]
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (4, 3)
    header = grid.cell_of[0]
    assert header[1] == header[2] != header[0]           # merged over columns 1-2
    assert len(set(grid.cell_of[1])) == 3                # the one-line row has all its borders
    assert len(grid.spans) == 11


def test_text_image_erases_rulings_but_keeps_text():
    img, xs, ys = _table_page(300)
    clean = layout.preprocess(img, 300)
    text = layout.text_image(clean, 300)
    mid_x = (xs[1] + xs[2]) // 2
    assert (text[ys[2] - 3:ys[2] + 4, mid_x - 40:mid_x + 40] > 128).all()   # ruling gone
    assert (text[ys[0]:ys[-1], xs[0]:xs[-1]] < 128).any()                   # cell text kept


def _word(text, x, y, w=40, h=20, conf=95.0):
    return Word(text=text, conf=conf, left=x, top=y, width=w, height=h)


def _grid():
    # 3 rows x 3 columns; row 0 columns 1-2 merged
    return layout.TableGrid(
        xs=[100, 200, 400, 600], ys=[300, 340, 420, 500],
        cell_of=[[0, 1, 1], [2, 3, 4], [5, 6, 7]],
        spans=[(0, 0, 0, 0), (0, 1, 0, 2), (1, 0, 1, 0), (1, 1, 1, 1), (1, 2, 1, 2),
               (2, 0, 2, 0), (2, 1, 2, 1), (2, 2, 2, 2)],
    )


def test_assemble_words_into_cells_and_paragraphs():
    words = [
        _word("Приказ", 100, 100), _word("№", 160, 100), _word("5", 190, 100),
        _word("Текст", 100, 126),
        _word("№", 110, 310), _word("Дата", 250, 310),
        _word("1.", 110, 350), _word("Проведение", 210, 350, w=80), _word("совещания", 210, 380, w=80),
        _word("до", 410, 350), _word("17.01.2022", 440, 350, w=90),
        _word("2.", 110, 430), _word("Анализ", 210, 430), _word("—", 300, 412, h=5, conf=40),
        _word("Подпись", 100, 560),
    ]
    blocks, warnings = layout.assemble(words, [_grid()], page=3)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["RawParagraph", "RawTable", "RawParagraph"]
    table = blocks[1]
    assert table.rows == [["№", "Дата", None],
                          ["1.", "Проведение\nсовещания", "до 17.01.2022"],
                          ["2.", "Анализ", ""]]
    assert table.row_pages == [3, 3, 3]
    assert blocks[0].text == "Приказ № 5\nТекст" and blocks[2].text == "Подпись"
    assert all(b.page == 3 for b in blocks if isinstance(b, RawParagraph))


@pytest.mark.parametrize("conf, warned", [(95, False), (70, False), (50, True), (10, True)])
def test_low_confidence_words_are_warned(conf, warned):
    words = [_word("до", 410, 350), _word("17.01.2022", 440, 350, w=90, conf=conf)]
    _, warnings = layout.assemble(words, [_grid()], page=2)
    assert bool(warnings) is warned
    if warned:
        assert warnings[0].startswith("page 2:") and "17.01.2022" in warnings[0]


@pytest.mark.parametrize("text, conf, kept", [
    ("°", 30, False), ("‘", 20, False), ("_", 60, False), (".", 10, False),
    ("—", 90, True), ("№", 40, True), ("%", 40, True), ("1.", 30, True), ("до", 20, True),
])
def test_usable_words_drop_speckle(text, conf, kept):
    assert bool(layout.usable_words([_word(text, 0, 0, conf=conf)])) is kept


def test_fill_textless_inserts_pages_in_order(monkeypatch):
    base = RawDocument(path="x.pdf", sha256="0" * 64, format="pdf", pages=3, warnings=["w0"],
                       blocks=[RawParagraph("page one", 1), RawParagraph("page three", 3)], textless_pages=[2])

    def fake(path, sha256, pages=None, workers=None):
        assert pages == [2]
        return ocr.OcrPages(blocks={2: [RawTable(rows=[["a", "b"]], row_pages=[2])]}, warnings=["page 2: unsure"],
                            page_count=3)

    monkeypatch.setattr(ocr, "ocr_page_blocks", fake)
    raw = ocr.ocr_pdf("x.pdf", "0" * 64, base)
    assert [b.page for b in raw.blocks] == [1, 2, 3]
    assert raw.ocr and raw.warnings == ["w0", "page 2: unsure"] and raw.textless_pages == []


def test_missing_tesseract_names_the_debian_package(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ExtractionError, match="tesseract-ocr-rus"):
        ocr.check_tesseract()


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ROADMAP_OCR_CACHE", raising=False)
    monkeypatch.setenv("ROADMAP_CACHE", str(tmp_path))
    assert ocr.cache_dir() == tmp_path / "ocr"
    monkeypatch.setenv("ROADMAP_OCR_CACHE", str(tmp_path / "x"))
    assert ocr.cache_dir() == tmp_path / "x"


# ------------------------------------------------------------------ real OCR (tesseract)

@needs_tesseract
@pytest.mark.ocr
def test_scanned_fixture_page_and_cache(monkeypatch, tmp_path):
    scan = SCANS / "tyumen-oblast-2022.scan.pdf"
    if not scan.exists():
        pytest.skip("scan fixtures not built (python fixtures/build_scans.py)")
    monkeypatch.setenv("ROADMAP_OCR_CACHE", str(tmp_path))
    raw = ocr.ocr_pdf(str(scan), "f" * 64, pages=[1, 2])
    assert raw.ocr and raw.pages == 6
    text = "\n".join(p.text for p in raw.paragraphs)
    assert "918/02" in text and "30 декабря 2021" in text
    assert raw.tables and raw.tables[0].n_cols >= 4
    assert all(p in (1, 2) for t in raw.tables for p in t.row_pages)
    assert any("Дата" in (c or "") for row in raw.tables[0].rows[:2] for c in row)

    def no_ocr(*args, **kwargs):
        raise AssertionError("the cached pages were OCRed again")

    monkeypatch.setattr(ocr, "ocr_image", no_ocr)
    again = ocr.ocr_pdf(str(scan), "f" * 64, pages=[1, 2])
    assert [getattr(b, "rows", None) or b.text for b in again.blocks] == \
           [getattr(b, "rows", None) or b.text for b in raw.blocks]


@needs_tesseract
@pytest.mark.ocr
def test_textless_pdf_through_read_raw(monkeypatch, tmp_path):
    scan = SCANS / "tyumen-oblast-2022.scan.pdf"
    if not scan.exists():
        pytest.skip("scan fixtures not built")
    from extractors.pdf import extract_pdf

    monkeypatch.setenv("ROADMAP_OCR_CACHE", str(tmp_path))
    text_layer = extract_pdf(scan, "e" * 64)
    assert text_layer.textless_pages == list(range(1, 7))
    raw = ocr.ocr_pdf(str(scan), "e" * 64, RawDocument(path=str(scan), sha256="e" * 64, format="pdf",
                                                       pages=6, textless_pages=[1]))
    assert raw.ocr and raw.textless_pages == [] and all(b.page == 1 for b in raw.blocks)


def _text_page(dpi: int = 150, seed: int = 0):
    """A page of prose: 30 lines of random words (so glyph columns do not line up)."""
    rng = np.random.default_rng(seed)
    vocabulary = "plan school region order activity date quarter report team result monitoring".split()
    k = dpi / 100
    img = np.full((int(1100 * k), int(800 * k)), 255, dtype=np.uint8)
    for i in range(30):
        line = " ".join(rng.choice(vocabulary, size=6))
        x = int((60 + rng.integers(0, 40)) * k)
        cv2.putText(img, line, (x, int((80 + 30 * i) * k)), cv2.FONT_HERSHEY_SIMPLEX, 0.55 * k, 0, max(1, int(k)))
    return img


@pytest.mark.parametrize("turn, sideways", [
    (None, False), (cv2.ROTATE_90_CLOCKWISE, True), (cv2.ROTATE_90_COUNTERCLOCKWISE, True), (cv2.ROTATE_180, False),
])
@pytest.mark.parametrize("dpi", [150, 300])
def test_looks_sideways(turn, sideways, dpi):
    img = _text_page(dpi)
    if turn is not None:
        img = cv2.rotate(img, turn)
    assert layout.looks_sideways(img, dpi) is sideways


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_upright_table_page_is_not_sideways(dpi):
    """Prose above a ruled table (the rulings must not decide the orientation)."""
    prose = _text_page(dpi, seed=dpi)
    table = _table_page(dpi)[0]
    table = np.pad(table, ((0, 0), (0, prose.shape[1] - table.shape[1])), constant_values=255)
    page = np.vstack([prose[: prose.shape[0] // 2], table])
    assert layout.looks_sideways(page, dpi) is False
    assert layout.looks_sideways(cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE), dpi) is True


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.parametrize("turn", ["cw", "ccw"])
def test_sideways_scan_page_is_turned_upright(turn):
    import pypdfium2 as pdfium

    scan = SCANS / "tyumen-oblast-2022.scan.pdf"
    if not scan.exists():
        pytest.skip("scan fixtures not built")
    pdf = pdfium.PdfDocument(str(scan))
    try:
        gray = ocr._render(pdf, 1)
    finally:
        pdf.close()
    gray = cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE if turn == "cw" else cv2.ROTATE_90_COUNTERCLOCKWISE)
    blocks, _ = ocr.ocr_image(gray, 1, exe=ocr.check_tesseract())
    assert "918/02" in "\n".join(b.text for b in blocks if isinstance(b, RawParagraph))
