"""Tell a file's format from its bytes: regional orders arrive misnamed (`.pdf` that is a
JPEG, `.doc` that is really DOCX), so the extension is never trusted."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Optional

from extractors.raw import ExtractionError

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_IMAGE_MAGIC = {
    b"\xff\xd8\xff": "a JPEG image",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}


def sniff_format(path: str | Path) -> str:
    """Return one of pdf, docx, odt, doc, rtf, or raise ExtractionError saying what it is."""
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
        return "doc"
    if head.startswith(b"PK"):
        kind = _zip_kind(path)
        if kind:
            return kind
        raise ExtractionError("a ZIP archive that is not a DOCX or ODT document")
    for magic, what in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            raise ExtractionError(f"not a document: the file is {what}")
    if head.lstrip().startswith((b"<!DOCTYPE html", b"<html", b"<HTML")):
        raise ExtractionError("not a document: the file is an HTML page")
    raise ExtractionError("unknown file format (not PDF, DOCX, ODT, DOC or RTF)")


def _zip_kind(path: Path) -> Optional[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if b"opendocument.text" in mime:
                    return "odt"
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"corrupt ZIP container: {exc}") from exc
    return None
