"""A damaged PDF's reason, as the ledger, the CLI and the workbench show it: the error inside
pdfplumber's wrapper named, the two commonest damages in plain words, and pdfminer's own
chatter about a damaged cross-reference table kept off the terminal."""
from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest
from pdfplumber.utils.exceptions import PdfminerException

from extractors.pdf import _reason, extract_pdf
from extractors.raw import ExtractionError

ORDER = Path(__file__).resolve().parent.parent / "fixtures" / "orders" / "ivanovo-2022.pdf"


class PSEOF(Exception):
    pass


class PSSyntaxError(Exception):
    pass


@pytest.mark.parametrize("exc, plain, expected", [
    (PdfminerException(PSEOF("Unexpected EOF")), True, "the file is cut short (Unexpected EOF)"),
    (PdfminerException(PSEOF("Unexpected EOF")), False, "PSEOF: Unexpected EOF"),
    (PdfminerException(PSSyntaxError("No /Root object! - Is this really a PDF?")), True,
     "no document catalogue, not a PDF or badly damaged (No /Root object! - Is this really a PDF?)"),
    (PdfminerException(PSSyntaxError("Invalid dictionary construct: [/'Length', 12]")), True,
     "PSSyntaxError: Invalid dictionary construct: [/'Length', 12]"),
    (PdfminerException("no inner error, only text"), True, "PdfminerException: no inner error, only text"),
    (PdfminerException(PSEOF("")), True, "PSEOF"),
    (ValueError("first line\nsecond line"), True, "ValueError: first line"),
    (KeyError(), True, "KeyError"),
])
def test_reason(exc: BaseException, plain: bool, expected: str) -> None:
    assert _reason(exc, plain) == expected


def _garbage() -> bytes:
    return b"%PDF-1.4\ngarbage garbage\n"


def _truncated() -> bytes:
    return ORDER.read_bytes()[:3000]


def _mangled() -> bytes:
    data = bytearray(ORDER.read_bytes())
    rng = random.Random(1)
    for _ in range(2000):
        data[rng.randrange(200, len(data))] = rng.randrange(256)
    return bytes(data)


@pytest.mark.parametrize("make, expected", [
    (_garbage, "corrupt PDF: no document catalogue, not a PDF or badly damaged ("),
    (_truncated, "corrupt PDF: the file is cut short ("),
    (_mangled, "corrupt PDF: PSSyntaxError: "),
])
def test_damaged_pdf_reason(tmp_path: Path, make, expected: str, capsys, caplog) -> None:
    path = tmp_path / "order.pdf"
    path.write_bytes(make())
    with caplog.at_level(logging.WARNING):
        with pytest.raises(ExtractionError) as raised:
            extract_pdf(path, "0" * 64)
    assert str(raised.value).startswith(expected)
    assert "PdfminerException" not in str(raised.value)
    assert not [r for r in caplog.records if r.name.startswith("pdfminer")]
