"""Format sniffing from bytes, and the one-line reasons for files that are not documents."""
import io
import zipfile

import pytest

from extractors.raw import ExtractionError
from extractors.sniff import sniff_format


def _zip(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in names.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "pdf"),
        (b"\n\n%PDF-1.4 preceded by junk", "pdf"),
        (b"{\\rtf1\\ansi\\deff0", "rtf"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 100, "doc"),
        (_zip({"[Content_Types].xml": "x", "word/document.xml": "<w/>"}), "docx"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "x"}), "odt"),
    ],
)
def test_sniff_known_formats(tmp_path, content, expected):
    path = tmp_path / "order.bin"
    path.write_bytes(content)
    assert sniff_format(path) == expected


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"<!DOCTYPE html><html>", "HTML"),
        (b"just some text", "unknown file format"),
        (_zip({"readme.txt": "hi"}), "not a DOCX"),
        (b"PK\x03\x04 truncated", "corrupt ZIP"),
    ],
)
def test_sniff_rejects_non_documents_with_reason(tmp_path, content, reason):
    path = tmp_path / "order.pdf"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=reason):
        sniff_format(path)
