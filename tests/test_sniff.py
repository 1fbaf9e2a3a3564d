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
        (b"just some text", "plain text, not a table"),
        (b"\x01\x02binary\x03\x04\x05\x06\x07\x08", "unknown file format"),
        (_zip({"readme.txt": "hi"}), "not a DOCX"),
        (b"PK\x03\x04 truncated", "corrupt ZIP"),
    ],
)
def test_sniff_rejects_non_documents_with_reason(tmp_path, content, reason):
    path = tmp_path / "order.pdf"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=reason):
        sniff_format(path)


_RANDOM = bytes((n * 7919 + 13) % 256 for n in range(3000))


@pytest.mark.parametrize("content, plain", [
    ("Приказ о дорожной карте.\nПриложение к приказу.\n".encode("cp1251"), True),
    ("Приказ о дорожной карте.\r\nПриложение к приказу.\r\n".encode("utf-8"), True),
    ("\ufeffЗаметка: позвонить в министерство.\n".encode("utf-8"), True),
    (("x" + "а" * 1500).encode("utf-8"), True),  # the first 2,048 bytes end inside a letter
    ("Раздел 1\f\tпункт 1\n".encode("utf-8"), True),
    (b"2026-12-01 02:00:01 INFO ingest started\n", True),
    (_RANDOM, False),
    (b"text with a NUL\x00 inside", False),
    (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f text", False),
    (b"   \n\t\n  ", False),
])
def test_plain_text_is_told_from_unknown_bytes(tmp_path, content, plain):
    """Text that is no table is refused as plain text; other bytes as an unknown format."""
    path = tmp_path / "order.docx"
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as refused:
        sniff_format(path)
    assert ("plain text, not a table" in str(refused.value)) is plain, refused.value
    assert ("unknown file format" in str(refused.value)) is not plain, refused.value
