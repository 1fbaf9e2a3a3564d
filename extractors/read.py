"""File → RawDocument: sniff the format from the bytes and run its extractor.

Only the extractors are imported here (never the normalizers or the schema), so a process
that only reads files (the reader of extractors/read_ahead.py) starts as fast as the readers allow.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Optional

from extractors.raw import ExtractionError, RawDocument
from extractors.sniff import ORDER_SUFFIXES, sniff_format

SPREADSHEET_FORMATS = ("xlsx", "xls", "ods", "csv")
IMAGE_FORMATS = ("jpeg", "png", "tiff")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_raw(path: str | Path, sha256: Optional[str] = None) -> RawDocument:
    """Dispatch on the sniffed format; OCR and conversion load only when a file needs them."""
    path = Path(path)
    fmt = sniff_format(path)
    sha256 = sha256 or file_sha256(path)
    if fmt == "pdf":
        from extractors.pdf import extract_pdf

        raw = extract_pdf(path, sha256)
        if raw.textless_pages:
            raw = _ocr_pages(path, raw)
        return raw
    if fmt == "docx":
        from extractors.docx import extract_docx

        return extract_docx(path, sha256)
    if fmt in SPREADSHEET_FORMATS:
        from extractors.spreadsheet import extract_spreadsheet

        return extract_spreadsheet(path, sha256, fmt)
    if fmt in IMAGE_FORMATS:
        from extractors.image import extract_image

        return extract_image(path, sha256, fmt)
    from extractors.convert import convert_to_docx
    from extractors.docx import extract_docx

    converted = convert_to_docx(path)
    return extract_docx(converted, sha256, fmt=fmt)


def _ocr_pages(path: Path, raw: RawDocument) -> RawDocument:
    """OCR the pages without a usable text layer. When the rest of the file has text, a
    missing Tesseract costs those pages only (a warning), not the whole document."""
    from extractors.ocr import ocr_pdf

    try:
        return ocr_pdf(str(path), raw.sha256, raw)
    except ExtractionError as exc:
        if raw.pages is not None and len(raw.textless_pages) >= raw.pages:
            raise
        raw.warnings.append(f"pages {raw.textless_pages} have no usable text layer and were not OCRed: {exc}")
        return raw


def iter_order_files(paths: Iterable[str | Path], passed_over: Optional[list[Path]] = None) -> Iterable[Path]:
    """Files named on the command line, and the documents inside named folders. `passed_over`,
    when given, collects in the same walk the other files of those folders (not hidden, nor
    in a hidden folder: a ZIP archive, a note), so a command can say it left them."""
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            yield p
            continue
        for child in sorted(p.rglob("*")):
            if not child.is_file() or child.name.startswith("."):
                continue
            if child.suffix.lower() in ORDER_SUFFIXES:
                yield child
            elif passed_over is not None and not any(part.startswith(".") for part in child.relative_to(p).parts[:-1]):
                passed_over.append(child)
