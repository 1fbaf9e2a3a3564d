"""Text-layer PDF → RawDocument with pdfplumber: paragraphs and tables with page numbers.

Tables are found by their ruling lines; a page whose text is laid out in columns but has
no lines falls back to word-position columns. A table that runs over several pages is
stitched back into one (see extractors/stitch.py), because regional orders are printed
with one long appendix table and every later step reasons per table row.
"""
from __future__ import annotations

from pathlib import Path
from statistics import median
from typing import Optional

from extractors.ocr import needs_ocr
from extractors.raw import Cell, ExtractionError, RawDocument, RawParagraph, RawTable
from extractors.stitch import is_spanning, merge_continuation_lines, stitch_page_tables

LINE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
TEXT_SETTINGS = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "min_words_vertical": 3,
    "text_x_tolerance": 2,
}


def extract_pdf(path: str | Path, sha256: str) -> RawDocument:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        # pdfplumber wraps pdfminer's errors: the password error travels in args/context.
        wrapped = list(exc.args) + [exc, exc.__context__]
        if any(isinstance(e, PDFPasswordIncorrect) for e in wrapped):
            raise ExtractionError("encrypted PDF: a password is needed to open it") from exc
        raise ExtractionError(f"corrupt PDF: {_reason(exc)}") from exc
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            raise ExtractionError(f"corrupt PDF: {_reason(exc)}") from exc
        raw = RawDocument(path=str(path), sha256=sha256, format="pdf", pages=len(pages))
        if not pages:
            raise ExtractionError("PDF has no pages")
        per_page: list[list] = []
        textless: list[int] = []
        for number, page in enumerate(pages, start=1):
            try:
                blocks = _page_blocks(page, number)
            except Exception as exc:
                raw.warnings.append(f"page {number}: unreadable ({_reason(exc)})")
                blocks = []
            if page.images and needs_ocr(_page_text(blocks)):
                textless.append(number)
            per_page.append(blocks)
    raw.blocks = stitch_page_tables(per_page)
    raw.textless_pages = textless
    return raw


def _page_text(blocks: list) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, RawTable):
            parts.extend(c for row in block.rows for c in row if c)
        else:
            parts.append(block.text)
    return "\n".join(parts)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _page_blocks(page, number: int) -> list:
    """Blocks of one page, top to bottom."""
    extracted = [(t.bbox, t.extract()) for t in page.find_tables(LINE_SETTINGS)]
    tables = [(bbox, rows) for bbox, rows in extracted if _useful(rows)]
    placed: list[tuple[float, object]] = []
    bboxes = []
    for bbox, cells in tables:
        rows = _clean_rows(cells)
        placed.append((bbox[1], RawTable(rows=rows, row_pages=[number] * len(rows))))
        bboxes.append(bbox)
    rest = page.filter(lambda obj: not _inside_any(obj, bboxes)) if bboxes else page
    if not tables:
        borderless = _borderless_table(rest, number)
        if borderless is not None:
            table, bbox = borderless
            placed.append((bbox[1], table))
            bboxes.append(bbox)
            rest = page.filter(lambda obj: not _inside_any(obj, bboxes))
    for top, text in _paragraphs(rest):
        placed.append((top, RawParagraph(text=text, page=number)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def _useful(rows: list[list[Cell]]) -> bool:
    filled = [c for r in rows for c in r if c and c.strip()]
    return len(rows) >= 1 and max((len(r) for r in rows), default=0) >= 2 and len(filled) >= 2


def _clean_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    return [[c if c is None else c.strip() for c in row] for row in rows if any(c and c.strip() for c in row)]


def _inside_any(obj, bboxes) -> bool:
    cx = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    cy = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)


def _paragraphs(page) -> list[tuple[float, str]]:
    """Group text lines into paragraphs by vertical gaps (a blank line's worth or more)."""
    lines = page.extract_text_lines(layout=False, strip=True, return_chars=False)
    paragraphs: list[tuple[float, str]] = []
    current: list[str] = []
    top: Optional[float] = None
    last_bottom: Optional[float] = None
    for line in lines:
        height = max(line["bottom"] - line["top"], 1.0)
        if current and last_bottom is not None and line["top"] - last_bottom > 0.6 * height:
            paragraphs.append((top, "\n".join(current)))
            current, top = [], None
        if top is None:
            top = line["top"]
        current.append(line["text"])
        last_bottom = line["bottom"]
    if current:
        paragraphs.append((top, "\n".join(current)))
    return paragraphs


def _borderless_table(page, number: int) -> Optional[tuple[RawTable, tuple]]:
    """A table drawn without ruling lines, rebuilt from word positions.

    Lines with two or more word groups separated by wide gaps are tabular; their run is
    the table region. Column borders are the x-ranges that (almost) no tabular line
    crosses (a section heading spanning the row is not tabular and does not count); each line becomes a line-row, and lines that continue a cell (their
    leftmost key column empty) fold back into the row above.
    """
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    lines = _word_lines(words)
    if not lines:
        return None
    tabular = [i for i, line in enumerate(lines) if _is_tabular(line)]
    region = _table_region(tabular)
    if region is None:
        return None
    first, last = region
    borders = _column_borders([lines[i] for i in tabular if first <= i <= last])
    if len(borders) < 2:
        return None
    first, last = _extend_region(lines, first, last, borders)
    rows = [_line_cells(line, borders) for line in lines[first:last + 1]]
    rows = merge_continuation_lines(rows)
    # A table has rows of several cells; lines run across the columns (headings) are a few.
    # Prose that happened to leave a gutter is mostly lines across, and is no table.
    multi = sum(1 for r in rows if sum(1 for c in r if c and c.strip()) >= 2)
    spanning = sum(1 for r in rows if is_spanning(r))
    if multi < 2 or spanning > multi:
        return None
    region_words = [w for line in lines[first:last + 1] for w in line]
    bbox = (
        min(w["x0"] for w in region_words) - 1,
        min(w["top"] for w in region_words) - 1,
        max(w["x1"] for w in region_words) + 1,
        max(w["bottom"] for w in region_words) + 1,
    )
    return RawTable(rows=rows, row_pages=[number] * len(rows)), bbox


_GAP = 7.0  # points: wider than a space at 10-14 pt, narrower than a column gutter


def _word_lines(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _segments(line: list[dict]) -> list[list[dict]]:
    segments = [[line[0]]]
    for prev, word in zip(line, line[1:]):
        if word["x0"] - prev["x1"] > _GAP:
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _is_tabular(line: list[dict]) -> bool:
    """Two or more word groups apart, unless the line is justified prose: a justified line
    stretches every space by the same amount, so its gaps are (within a point) equal, some
    of them just over the gutter width, while a table row mixes ordinary spaces inside
    cells with gutters between them."""
    if len(_segments(line)) < 2:
        return False
    gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
    return not (len(gaps) >= 3 and max(gaps) - min(gaps) <= 1.0)


def _table_region(tabular: list[int]) -> Optional[tuple[int, int]]:
    """The longest run of tabular lines no more than a few lines apart (≥ 3 lines)."""
    best: Optional[tuple[int, int]] = None
    start = 0
    for k in range(1, len(tabular) + 1):
        if k == len(tabular) or tabular[k] - tabular[k - 1] > 12:
            run = tabular[start:k]
            if len(run) >= 3 and (best is None or run[-1] - run[0] > best[1] - best[0]):
                best = (run[0], run[-1])
            start = k
    return best


def _column_borders(lines: list[list[dict]]) -> list[float]:
    """Left x of each column: gutters that at most one line of the region crosses."""
    x_min = int(min(w["x0"] for line in lines for w in line))
    x_max = int(max(w["x1"] for line in lines for w in line)) + 1
    crossing = [0] * (x_max - x_min + 1)
    for line in lines:
        covered = set()
        for w in line:
            covered.update(range(int(w["x0"]) - x_min, int(w["x1"]) - x_min + 1))
        for x in covered:
            crossing[x] += 1
    allowed = max(1, len(lines) // 30)
    borders = [float(x_min)]
    run_start = None
    for x, count in enumerate(crossing):
        if count <= allowed:
            run_start = x if run_start is None else run_start
        else:
            if run_start is not None and x - run_start >= 5:
                borders.append(float(x_min + x) - 0.5)
            run_start = None
    return borders


def _extend_region(lines, first: int, last: int, borders: list[float]) -> tuple[int, int]:
    """Take in the cell-continuation lines just above/below the tabular run."""

    gaps = [b[0]["top"] - a[0]["bottom"] for a, b in zip(lines[first:last], lines[first + 1:last + 1])]
    line_gap = median(gaps) if gaps else 0.0

    def continues_cell(line, neighbour) -> bool:
        """Starts at a column border (the first column too: a wrapped activity text) and
        sits as close to the table as its own lines sit to each other."""
        starts = [b for b in borders if abs(line[0]["x0"] - b) <= 4]
        near = abs(line[0]["top"] - neighbour[0]["top"]) - (neighbour[0]["bottom"] - neighbour[0]["top"]) \
            <= 1.5 * line_gap + 1
        return bool(starts) and near and len(_segments(line)) <= len(borders)

    while first > 0 and continues_cell(lines[first - 1], lines[first]):
        first -= 1
    while last + 1 < len(lines) and continues_cell(lines[last + 1], lines[last]):
        last += 1
    return first, last


def _line_cells(line: list[dict], borders: list[float]) -> list[Cell]:
    """A line's text per column; one run of words across a column border (a section heading
    centred over the table) is one cell spanning the row, as a merged cell reads. A line of
    several runs is cells even when a word overhangs a border (OCR boxes do)."""
    if len(_segments(line)) == 1 and any(w["x0"] < b - 2 < w["x1"] for w in line for b in borders[1:]):
        return [" ".join(w["text"] for w in line)] + [None] * (len(borders) - 1)
    cells: list[list[str]] = [[] for _ in borders]
    for word in line:
        col = max(i for i, b in enumerate(borders) if word["x0"] >= b - 2) if word["x0"] >= borders[0] - 2 else 0
        cells[col].append(word["text"])
    return [" ".join(c) if c else "" for c in cells]
