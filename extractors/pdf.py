"""Text-layer PDF → RawDocument with pdfplumber: paragraphs and tables with page numbers.

Tables are found by their ruling lines; a page whose text is laid out in columns but has
no lines falls back to word-position columns. A table that runs over several pages is
stitched back into one (see extractors/stitch.py), because regional orders are printed
with one long appendix table and every later step reasons per table row.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from extractors.borderless import read_borderless_table
from extractors.textlayer import needs_ocr
from extractors.raw import Cell, ExtractionError, RawDocument, RawParagraph, RawTable
from extractors.stitch import PAGE_NUMBER as _PAGE_NUMBER, stitch_page_tables

LINE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
TEXT_SETTINGS = {
    "vertical_strategy": "text",
    "horizontal_strategy": "text",
    "min_words_vertical": 3,
    "text_x_tolerance": 2,
}


@dataclass(frozen=True)
class PdfLimits:
    """What a text PDF may hold. The longest real orders run to tens of pages; a page tree of
    thousands is refused from its declared count, before a page is parsed."""

    max_pages: int = 2_000


DEFAULT_LIMITS = PdfLimits()


def extract_pdf(path: str | Path, sha256: str, limits: PdfLimits = DEFAULT_LIMITS) -> RawDocument:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    # pdfminer logs each object it cannot place in a damaged file's cross-reference table;
    # what becomes of the file (read, a page's warning, or its reason) is reported instead.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        # pdfplumber wraps pdfminer's errors: the password error travels in args/context.
        wrapped = list(exc.args) + [exc, exc.__context__]
        if any(isinstance(e, PDFPasswordIncorrect) for e in wrapped):
            raise ExtractionError("encrypted PDF: a password is needed to open it") from exc
        raise ExtractionError(f"corrupt PDF: {_reason(exc)}") from exc
    with pdf:
        declared = _declared_pages(pdf)
        if declared is not None and declared > limits.max_pages:
            raise ExtractionError(f"PDF has {declared} pages (the limit is {limits.max_pages})")
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            raise ExtractionError(f"corrupt PDF: {_reason(exc)}") from exc
        if len(pages) > limits.max_pages:
            raise ExtractionError(f"PDF has {len(pages)} pages (the limit is {limits.max_pages})")
        raw = RawDocument(path=str(path), sha256=sha256, format="pdf", pages=len(pages))
        if not pages:
            raise ExtractionError("PDF has no pages")
        per_page: list[list] = []
        textless: list[int] = []
        for number, page in enumerate(pages, start=1):
            try:
                blocks = _page_blocks(page, number)
            except Exception as exc:
                raw.warnings.append(f"page {number}: unreadable ({_reason(exc, plain=False)})")
                blocks = []
            if page.images and needs_ocr(_page_text(blocks)):
                textless.append(number)
            per_page.append(blocks)
            page.close()  # its characters, words and layout are no longer needed: memory is per page
    raw.blocks = stitch_page_tables(per_page)
    raw.textless_pages = textless
    return raw


def _declared_pages(pdf) -> Optional[int]:
    """The page tree's own /Count (cheap: no page object is built), or None when unreadable."""
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
        return int(count)
    except Exception:
        return None


def _page_text(blocks: list) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, RawTable):
            parts.extend(c for row in block.rows for c in row if c)
        else:
            parts.append(block.text)
    return "\n".join(parts)


# pdfminer's words for the two damages seen most (a download cut off, bytes that are no PDF
# at all) → what a clerk can act on; its own words stay beside them for a bug report.
_PLAIN_DAMAGE = (
    ("unexpected eof", "the file is cut short"),
    ("no /root object", "no document catalogue, not a PDF or badly damaged"),
)


def _reason(exc: BaseException, plain: bool = True) -> str:
    """A PDF error in one line. pdfplumber wraps pdfminer's errors in a PdfminerException
    that says nothing itself: the error inside is the one named. `plain=False` for a page's
    warning, which is already in parentheses."""
    if type(exc).__name__ == "PdfminerException" and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    words = next((words for known, words in _PLAIN_DAMAGE if known in text.lower()), None) if plain else None
    if words:
        return f"{words} ({text})"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _page_blocks(page, number: int) -> list:
    """Blocks of one page, top to bottom."""
    extracted = [(t.bbox, t.extract(), t) for t in page.find_tables(LINE_SETTINGS)]
    tables = [(bbox, rows, t) for bbox, rows, t in extracted
              if _useful(rows) or (_cut_row_part(rows) and _opens_page(page, bbox, extracted))]
    placed: list[tuple[float, object]] = []
    bboxes = []
    for bbox, cells, found in tables:
        kept = [r for r, row in enumerate(cells) if any(c and c.strip() for c in row)]
        rows = _clean_rows(cells)
        new_index = {old: new for new, old in enumerate(kept)}
        continued = {(new_index[r], c) for r, c in _tall_cells(found) if r in new_index}
        boxes = [_round_box(found.rows[r].bbox) for r in kept]
        placed.append((bbox[1], RawTable(rows=rows, row_pages=[number] * len(rows), continued=continued,
                                         row_boxes=boxes)))
        bboxes.append(bbox)
    rest = page.filter(lambda obj: not _inside_any(obj, bboxes)) if bboxes else page
    if not tables:
        borderless = read_borderless_table(rest.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False), number)
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


def _cut_row_part(rows: list[list[Cell]]) -> bool:
    """The rest of a row the page break cut: one ruled row of several cells, only one of
    them still holding words (`преодоления рисков` under the activity column)."""
    filled = [c for r in rows for c in r if c and c.strip()]
    return len(rows) == 1 and len(rows[0]) >= 2 and len(filled) == 1


def _opens_page(page, bbox, extracted: list) -> bool:
    """The table is the page's first content: no other table above it and no words above it
    but a page number (a cut row's rest can only open a page)."""
    if any(other[1] < bbox[1] for other, _, _ in extracted):
        return False
    above = page.within_bbox((0, 0, page.width, max(bbox[1], 0.1))).extract_text() or ""
    return all(_PAGE_NUMBER.match(line) for line in above.splitlines() if line.strip())


def _clean_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    return [[c if c is None else c.strip() for c in row] for row in rows if any(c and c.strip() for c in row)]


def _round_box(box) -> tuple[float, float, float, float]:
    return tuple(round(float(v), 1) for v in box)


def _tall_cells(table) -> set[tuple[int, int]]:
    """Grid positions covered by a cell of a row above (a tall, vertically merged cell):
    pdfplumber leaves them None, as it does positions a wide cell covers to its right."""
    found: set[tuple[int, int]] = set()
    rows = table.rows
    for r, row in enumerate(rows):
        # the row's own middle: its bbox also holds the cells of this row that run down past it
        bottom = min((cell[3] for cell in row.cells if cell is not None), default=row.bbox[3])
        middle = (row.bbox[1] + bottom) / 2
        for c, cell in enumerate(row.cells):
            if cell is not None:
                continue
            for above in reversed(rows[:r]):
                box = above.cells[c] if c < len(above.cells) else None
                if box is not None:
                    if box[3] > middle:
                        found.add((r, c))
                    break
    return found


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
