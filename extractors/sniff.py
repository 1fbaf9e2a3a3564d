"""Tell a file's format from its bytes: regional orders arrive misnamed (`.pdf` that is a
JPEG, `.doc` that is really DOCX), so the extension is never trusted."""
from __future__ import annotations

import codecs
from pathlib import Path
from typing import Optional

from extractors.containers import office_kind, open_checked
from extractors.raw import ExtractionError, NotAnOrder

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_SCAN_MAGIC = {
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
_OTHER_IMAGE_MAGIC = {b"GIF8": "a GIF image", b"BM": "a BMP image"}
# OLE directory entries are UTF-16 names: a Word file has "WordDocument", Excel "Workbook"/"Book".
_OLE_WORKBOOK = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_OLE_SCAN_BYTES = 64 * 1024 * 1024
# The names orders arrive under. A file so named is always read, so a corrupt order fails
# loudly instead of passing for a stray file; a text table may come as .txt.
ORDER_SUFFIXES = frozenset({".pdf", ".docx", ".doc", ".rtf", ".odt", ".xlsx", ".xls", ".ods", ".csv", ".tsv",
                            ".jpg", ".jpeg", ".png", ".tif", ".tiff"})
_TEXT_TABLE_SUFFIXES = (".csv", ".tsv", ".txt")


def sniff_format(path: str | Path) -> str:
    """Return one of pdf, docx, odt, doc, rtf (documents), xlsx, xls, ods, csv (bare
    spreadsheets), jpeg, png, tiff (scans), or raise ExtractionError saying what it is."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise ExtractionError(f"cannot open file: {exc.strerror or exc}") from exc
    if not head:
        raise ExtractionError("empty file (0 bytes)")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_OLE_MAGIC):
        return "xls" if _ole_is_workbook(path) else "doc"
    if head.startswith(b"PK"):
        kind = _zip_kind(path)
        if kind:
            return kind
        raise ExtractionError("a ZIP archive that is not a DOCX, ODT, XLSX or ODS document")
    for magic, kind in _SCAN_MAGIC.items():
        if head.startswith(magic):
            return kind
    for magic, what in _OTHER_IMAGE_MAGIC.items():
        if head.startswith(magic):
            raise ExtractionError(f"not a document: the file is {what} (scans are read as PDF, JPEG, PNG or TIFF)")
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        raise ExtractionError("not a document: the file is an HTML page")
    if _looks_like_csv(path):
        return "csv"
    if _is_plain_text(head):
        raise PlainText("not a document: the file is plain text, not a table (orders are read as PDF, DOCX, ODT, "
                        "DOC, RTF, XLSX, XLS, ODS, CSV or an image)")
    raise ExtractionError("unknown file format (not PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, CSV or an image)")


class PlainText(ExtractionError):
    """Text that is no table: a note, a log, a letter — or an order saved as bare text under a
    document's name, which the pipeline cannot read for want of its table's columns."""


def check_not_stray(path: str | Path, name: Optional[str] = None) -> None:
    """Raise NotAnOrder when a file of an inbox is no order at all: neither named like one
    nor holding a document format's bytes (a `.log`, a `.txt` note, an HTML page). `name` is
    the file's name in the inbox when `path` is a private copy."""
    suffix = Path(name or path).suffix.lower()
    if suffix in ORDER_SUFFIXES:
        return
    kind = f"{suffix} file" if suffix else "file without an extension"
    try:
        fmt = sniff_format(path)
    except PlainText:
        raise NotAnOrder(f"not an order ({kind}): plain text") from None
    except ExtractionError as exc:
        if _has_document_magic(path):
            return  # an order under a stray name that cannot be read: a failure, not a skip
        raise NotAnOrder(f"not an order ({kind}): {exc}") from None
    if fmt == "csv" and suffix not in _TEXT_TABLE_SUFFIXES:
        raise NotAnOrder(f"not an order ({kind}): plain text")


def _has_document_magic(path: Path | str) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(2048)
    magics = (b"{\\rtf", _OLE_MAGIC, b"PK", *_SCAN_MAGIC)
    return b"%PDF-" in head[:1024] or head.startswith(magics)


def _is_plain_text(head: bytes) -> bool:
    """Whether a file's first bytes read as text (UTF-8 or Windows-1251, nearly all of it
    printable): Windows-1251 decodes almost any byte, so binary junk is told by its control
    characters."""
    if b"\x00" in head:
        return False
    try:  # the first bytes may end inside a UTF-8 letter
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1251")
        except UnicodeDecodeError:
            return False
    if not text.strip():
        return False
    printable = sum(ch.isprintable() or ch in "\t\r\n\f" for ch in text)
    return printable >= 0.97 * len(text)


def _ole_is_workbook(path: Path) -> bool:
    """An OLE file (DOC or XLS) is a workbook when its directory names a Workbook stream."""
    with open(path, "rb") as fh:
        data = fh.read(_OLE_SCAN_BYTES)
    return "WordDocument".encode("utf-16-le") not in data and any(name in data for name in _OLE_WORKBOOK)


def _looks_like_csv(path: Path) -> bool:
    from extractors.spreadsheet import decode_text, sniff_delimiter

    with open(path, "rb") as fh:
        data = fh.read(64 * 1024)
    text = decode_text(data)
    if text is None:
        return False
    lines = text.splitlines()
    if len(lines) > 1 and len(data) == 64 * 1024:
        text = "\n".join(lines[:-1])  # the last line may be cut by the read
    return sniff_delimiter(text) is not None


def _zip_kind(path: Path) -> Optional[str]:
    zf = open_checked(path)
    with zf:
        return office_kind(zf)
