"""Borderless tables from word positions: which lines are tabular, and that justified prose,
tab-laid header lines and signatures never become a table while a real one does."""
from __future__ import annotations

import pytest

from extractors.borderless import _is_tabular, read_borderless_table

CHAR = 5.0  # points per character of the synthetic words
SPACE = 3.0


def line(spec: str, top: float = 100.0, x0: float = 60.0) -> list[dict]:
    """Words of one printed line. `spec` is the text with `|N|` marking a gap of N points
    (ordinary spaces otherwise), e.g. `до 25.01.2022|40|Институт`."""
    words = []
    x = x0
    for k, part in enumerate(spec.split("|")):
        if k % 2:  # the odd parts are gaps
            x += float(part) - SPACE
            continue
        for token in part.split():
            words.append({"text": token, "x0": x, "x1": x + CHAR * len(token), "top": top, "bottom": top + 10})
            x += CHAR * len(token) + SPACE
    return words


def justified(text: str, gap: float, top: float = 100.0) -> list[dict]:
    """A justified prose line: every space stretched to `gap` points."""
    return line(f"|{gap}|".join(text.split()), top)


@pytest.mark.parametrize("words,tabular", [
    (line("Об утверждении плана мероприятий"), False),                            # one group
    (line("«18» января 2022 г.|260|№ 10-П-47"), True),                           # tab-laid: two groups
    (line("Директор Департамента|272|А.Н. Гришин"), True),
    (line("1.|20|Назначение координатора|30|до 25.01.2022|30|МОУО"), True),      # a table row
    (line("до 01.02.2022|40|Институт"), True),
    (justified("помощи общеобразовательным организациям автономного округа, имеющим", 8.3), False),
    (justified("3. Контроль за выполнением приказа возложить на заместителя директора", 9.3), False),
    (justified("письмом ФГБУ «Федеральный институт оценки качества", 4.6), False),   # gaps < gutter
    (line("1.|6.9|Утвердить|7.0|региональную|6.9|дорожную|7.1|карту"), False),  # justified around the gutter width
    (line("а|12|б|12|в|20|г"), True),                          # wide but unequal gaps: columns
    (line("Январь|10|Февраль|10.5|Март"), True),               # only two gaps: too few to call prose
])
def test_is_tabular(words, tabular):
    assert _is_tabular(words) is tabular


def page_words(lines: list[list[dict]]) -> list[dict]:
    """What the detector reads of a page: its words."""
    return [w for ln in lines for w in ln]


def _lines(specs: list, step: float = 14.0) -> list[list[dict]]:
    out = []
    for k, spec in enumerate(specs):
        top = 100.0 + k * step
        out.append(justified(spec[0], spec[1], top) if isinstance(spec, tuple) else line(spec, top))
    return out


PROSE_PAGE = [
    "г. Ханты-Мансийск",
    "«18» января 2022 г.|260|№ 10-П-47",
    ("В целях реализации проекта адресной методической помощи в соответствии", 5.8),
    ("помощи общеобразовательным организациям автономного округа, имеющим", 8.3),
    ("образовательные результаты, в 2022 году (приложение 2).", 3.0),
    ("3. Контроль за выполнением приказа возложить на заместителя директора", 9.3),
    "Департамента И.А. Сорокину.",
    "Директор Департамента|272|А.Н. Гришин",
]

COLUMNS = [60.0, 90.0, 260.0, 340.0]  # left edge of each column


def cells(texts: list[str], top: float) -> list[dict]:
    """A table row: each cell's text starts at its column's left edge."""
    return [w for x, text in zip(COLUMNS, texts) if text for w in line(text, top, x0=x)]


TABLE_ROWS = [
    ["№", "Мероприятие", "Срок", "Ответственный"],
    ["1.", "Назначение координаторов", "до 25.01.2022", "Департамент"],
    ["2.", "Формирование команды", "до 31.01.2022", "Институт"],
    ["3.", "Анкетирование школ", "01.02.2022", "Институт"],
    ["4.", "Разработка программ", "март", "руководители ОО"],
]


def test_justified_prose_with_tab_laid_lines_is_not_a_table():
    assert read_borderless_table(page_words(_lines(PROSE_PAGE)), 1) is None


def test_a_borderless_table_is_found():
    page = page_words([cells(texts, 100.0 + k * 14.0) for k, texts in enumerate(TABLE_ROWS)])
    found = read_borderless_table(page, 3)
    assert found is not None
    table, _bbox = found
    assert table.rows == TABLE_ROWS
    assert table.row_pages == [3] * 5


def test_heading_centred_across_columns_is_one_spanning_cell():
    rows = [cells(texts, 100.0 + k * 14.0) for k, texts in enumerate(TABLE_ROWS)]
    heading = line("Раздел 2. Методическое сопровождение общеобразовательных организаций", 100.0 + 5 * 14.0, x0=150)
    found = read_borderless_table(page_words(rows + [heading, cells(["5.", "Семинары", "март", "Институт"], 100.0 + 6 * 14.0)]), 1)
    table, _bbox = found
    assert table.rows[5] == ["Раздел 2. Методическое сопровождение общеобразовательных организаций", None, None, None]
    assert table.rows[6] == ["5.", "Семинары", "март", "Институт"]


def test_wrapped_activity_lines_below_the_last_tabular_line_belong_to_the_table():
    rows = [cells(texts, 100.0 + k * 14.0) for k, texts in enumerate(TABLE_ROWS)]
    wrapped = [cells(["", "методистов и педагогов", "", ""], 100.0 + 5 * 14.0),
               cells(["", "школ-наставников", "", ""], 100.0 + 6 * 14.0)]
    after = line("Глава администрации района", 100.0 + 9 * 14.0, x0=60.0)   # a blank line's gap below
    table, _bbox = read_borderless_table(page_words(rows + wrapped + [after]), 1)
    assert table.rows[-1] == ["4.", "Разработка программ\nметодистов и педагогов\nшкол-наставников",
                              "март", "руководители ОО"]
    assert all("Глава" not in (c or "") for r in table.rows for c in r)


def test_without_number_column_wrapped_text_under_the_last_row_is_kept():
    """`Мероприятие | Срок | Ответственный`: the last row's activity wraps onto lines that hold
    only first-column text; they are the table's, the paragraph after a blank line is not."""
    cols = [60.0, 250.0, 340.0]

    def row3(texts, k):
        return [w for x, t in zip(cols, texts) if t for w in line(t, 100.0 + k * 14.0, x0=x)]

    lines_ = [row3(["Мероприятие", "Срок", "Ответственный"], 0),
              row3(["Назначение координаторов", "до 25.01.2022", "Департамент"], 1),
              row3(["Формирование команды", "до 31.01.2022", "Институт"], 2),
              row3(["Районные семинары «Работа с", "март, ноябрь", "РМК"], 3),
              row3(["обучающимися, испытывающими", "", ""], 4),
              row3(["трудности в обучении»", "", ""], 5),
              row3(["Глава администрации района", "", ""], 8)]
    table, _bbox = read_borderless_table(page_words(lines_), 1)
    assert table.rows[-1][0] == "Районные семинары «Работа с\nобучающимися, испытывающими\nтрудности в обучении»"
    assert all("Глава" not in (c or "") for r in table.rows for c in r)


def test_prose_with_a_few_tab_laid_lines_is_not_a_table():
    """Three tab-laid lines (date | number, place | date, post | name) around ordinary prose
    leave a gutter, but the prose runs across it: mostly lines across, so no table."""
    specs = [
        "«18» января 2022 г.|260|№ 10-П-47",
        "В соответствии с письмом ФГБУ «Федеральный институт оценки качества образования»",
        "от 22.11.2021 № 02-21/683 и в целях реализации проекта адресной методической помощи",
        "общеобразовательным организациям с низкими образовательными результатами",
        "г. Ханты-Мансийск|280|18.01.2022",
        "1. Утвердить план мероприятий («дорожную карту») по оказанию адресной помощи.",
        "2. Контроль за исполнением приказа возложить на заместителя директора Департамента.",
        "Директор Департамента|272|А.Н. Гришин",
    ]
    assert read_borderless_table(page_words(_lines(specs)), 1) is None


def test_a_row_whose_word_overhangs_a_border_stays_cells():
    """OCR word boxes overhang column borders; a line of several runs is still cells."""
    rows = [cells(texts, 100.0 + k * 14.0) for k, texts in enumerate(TABLE_ROWS)]
    overhang = line("5.|20|Назначение муниципальных координаторов|10|до 20.12.2021|25|Департамент",
                    100.0 + 5 * 14.0)
    table, _bbox = read_borderless_table(page_words(rows + [overhang]), 1)
    assert table.rows[-1][0] == "5." and table.rows[-1][1] is not None and table.rows[-1][3]


def _blank_pdf(path, pages: int) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    pdf.save(str(path))
    pdf.close()


@pytest.mark.parametrize("pages,limit,refused", [(60, 50, True), (50, 50, False)])
def test_page_limit(tmp_path, pages, limit, refused):
    from extractors.pdf import PdfLimits, extract_pdf
    from extractors.raw import ExtractionError

    _blank_pdf(tmp_path / "p.pdf", pages)
    if refused:
        with pytest.raises(ExtractionError, match=f"PDF has {pages} pages \\(the limit is {limit}\\)"):
            extract_pdf(tmp_path / "p.pdf", "x", PdfLimits(max_pages=limit))
    else:
        assert extract_pdf(tmp_path / "p.pdf", "x", PdfLimits(max_pages=limit)).pages == pages


def test_a_10000_page_tree_is_refused_before_parsing(tmp_path):
    import resource

    from extractors.pdf import extract_pdf
    from extractors.raw import ExtractionError

    _blank_pdf(tmp_path / "p.pdf", 10_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ExtractionError, match="PDF has 10000 pages"):
        extract_pdf(tmp_path / "p.pdf", "x")
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 100


class _Row:
    def __init__(self, cells):
        self.cells = cells
        tops = [c[1] for c in cells if c]
        bottoms = [c[3] for c in cells if c]
        self.bbox = (0, min(tops), 100, max(bottoms))


class _Table:
    def __init__(self, rows):
        self.rows = [_Row(cells) for cells in rows]


@pytest.mark.parametrize("rows, tall", [
    # `УО` merged over rows 0–1 while the date cells of row 1 run down over row 2: row 1's bbox
    # reaches 285, but its own middle is 246, which the cell above passes
    ([[(0, 208, 10, 233), (10, 208, 20, 233), (20, 208, 30, 259)],
      [(0, 233, 10, 259), (10, 233, 20, 285), None],
      [(0, 259, 10, 285), None, (20, 259, 30, 285)]], {(1, 2), (2, 1)}),
    # a cell left empty, not covered: the one above ends where the row starts
    ([[(0, 0, 10, 20), (10, 0, 20, 20)],
      [(0, 20, 10, 40), None]], set()),
])
def test_a_tall_cell_is_found_beside_another_rows_tall_cell(rows, tall):
    from extractors.pdf import _tall_cells

    assert _tall_cells(_Table(rows)) == tall
