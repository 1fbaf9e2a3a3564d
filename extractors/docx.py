"""DOCX → RawDocument: paragraphs and tables in document order, merges resolved to the grid.

Reads the WordprocessingML directly (through python-docx's parsed XML) because
python-docx's cell API repeats a merged cell's text in every grid position, which would
duplicate activities and dates.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Iterator, Optional

from extractors.containers import office_kind, open_checked, read_document_part
from extractors.raw import Cell, ExtractionError, RawDocument, RawParagraph, RawTable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_docx(path: str | Path, sha256: str, fmt: str = "docx") -> RawDocument:
    """Read a DOCX file; `fmt` lets converted .doc/.rtf/.odt keep their original format name.

    Only the main document part is read (python-docx's XML parser, entities never resolved):
    `docx.Document` would load and parse every part — styles, numbering, fonts, headers — that
    the text and tables never need, half the time of reading an order."""
    from docx.oxml.parser import parse_xml  # python-docx; imported here so other formats do not pay for it

    try:
        with open_checked(Path(path)) as zf:
            office_kind(zf)  # a bomb anywhere in the package is refused before anything inflates
            xml = read_document_part(zf, _main_part(zf))
    except KeyError as exc:
        raise ExtractionError(f"corrupt DOCX: no main document part ({exc})") from exc
    try:
        root = parse_xml(xml)
    except Exception as exc:  # lxml raises several kinds on broken XML
        raise ExtractionError(f"unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    body = root.find(W + "body")
    if body is None:
        raise ExtractionError("corrupt DOCX: the document part has no body")

    raw = RawDocument(path=str(path), sha256=sha256, format=fmt, pages=None)
    for element in _body_blocks(body):
        if element.tag == W + "p":
            text = _paragraph_text(element)
            if text.strip():
                raw.blocks.append(RawParagraph(text=text, page=None))
        else:
            table = _read_table(element)
            if table.rows:
                raw.blocks.append(table)
    return raw


_OFFICE_DOCUMENT = "/officeDocument"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _main_part(zf: zipfile.ZipFile) -> str:
    """The main document part's name, from the package relationships (`word/document.xml`
    for nearly every producer)."""
    from lxml import etree

    try:
        rels = etree.fromstring(read_document_part(zf, "_rels/.rels"), etree.XMLParser(resolve_entities=False))
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml"
    for rel in rels.iter(_REL):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            return rel.get("Target", "").lstrip("/") or "word/document.xml"
    return "word/document.xml"


def _body_blocks(body) -> Iterator:
    """Paragraphs and tables in order, looking inside content controls (w:sdt)."""
    for child in body.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _body_blocks(content)


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == W + "t" and node.text:
            parts.append(node.text)
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _cell_text(tc) -> str:
    """Text of a cell: its paragraphs joined by newlines (nested tables flattened row by row)."""
    lines: list[str] = []
    for child in tc.iterchildren():
        if child.tag == W + "p":
            lines.append(_paragraph_text(child))
        elif child.tag == W + "tbl":
            for row in _read_table(child).rows:
                lines.append(" ".join(c for c in row if c))
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                lines.append(_cell_text(content))
    return "\n".join(lines).strip("\n")


def _int_attr(el, name: str, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + name, default))
    except (TypeError, ValueError):
        return default


def _read_table(tbl) -> RawTable:
    rows: list[list[Cell]] = []
    continued: set[tuple[int, int]] = set()
    for tr in tbl.iterchildren(W + "tr"):
        row: list[Cell] = []
        trpr = tr.find(W + "trPr")
        skip_before = _int_attr(trpr.find(W + "gridBefore") if trpr is not None else None, "val", 0)
        row.extend([None] * skip_before)
        for tc in tr.iterchildren(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = _int_attr(tcpr.find(W + "gridSpan") if tcpr is not None else None, "val", 1)
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            continues = vmerge is not None and vmerge.get(W + "val", "continue") == "continue"
            text: Optional[str] = None if continues else _cell_text(tc)
            if continues:
                continued.update((len(rows), len(row) + k) for k in range(span))
            row.append(text)
            row.extend([None] * (span - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    return RawTable(rows=rows, row_pages=[None] * len(rows), continued=continued)
