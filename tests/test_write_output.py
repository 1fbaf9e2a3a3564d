"""What a rendered report looks like on disk and on standard output: a CSV file carries the
byte-order mark Excel needs to read its Cyrillic as UTF-8; nothing else does."""
from __future__ import annotations

import pytest

from pipeline.reports.formats import write_output

TEXT = "region,activity\nRU-IVA,Мониторинг «500+»\n"
BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("fmt, data, expected", [
    ("csv", TEXT, BOM + TEXT.encode()),
    ("json", '{"a": "б"}\n', '{"a": "б"}\n'.encode()),
    ("html", "<p>б</p>", "<p>б</p>".encode()),
    ("table", TEXT, TEXT.encode()),
    (None, TEXT, TEXT.encode()),
    ("xlsx", b"PK\x03\x04 bytes", b"PK\x03\x04 bytes"),
    ("csv", b"already bytes", b"already bytes"),
])
def test_a_file_written(tmp_path, fmt, data, expected) -> None:
    out = tmp_path / "report.out"
    write_output(data, out, fmt)
    assert out.read_bytes() == expected


@pytest.mark.parametrize("fmt", ["csv", "json", None])
def test_standard_output_gets_no_mark(capsys, fmt) -> None:
    write_output(TEXT, None, fmt)
    assert capsys.readouterr().out == TEXT
