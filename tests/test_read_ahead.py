"""Files read in a reader process (extractors/read_ahead.py) come back exactly as read here,
errors included, in order; a reader that dies costs nothing but the overlap."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors import read_ahead as ra
from extractors.raw import ExtractionError

ROOT = Path(__file__).resolve().parents[1]
ORDERS = ROOT / "fixtures" / "orders"


@pytest.fixture()
def files(tmp_path: Path) -> list[Path]:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_bytes(b"%PDF-1.4\nthis is no PDF at all")
    return [ORDERS / "tyumen-oblast-2022.pdf", empty, ORDERS / "ivanovo-2022.docx", not_pdf,
            ORDERS / "samara-cu-2021.pdf"]


def _comparable(got):
    if isinstance(got, BaseException):
        return type(got).__name__, str(got)
    return got.format, got.pages, got.sha256, got.blocks, got.warnings, got.textless_pages


def _expected(paths: list[Path]) -> list:
    return [(path, _comparable(got)) for path, got in ra.read_here(paths)]


@pytest.fixture()
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ra, "spare_core", lambda: True)


def test_the_reader_hands_back_what_reading_here_gives(files: list[Path], two_cores: None) -> None:
    with ra.read_ahead(files) as reading:
        assert reading._process is not None
        got = [(path, _comparable(raw)) for path, raw in reading]
    assert got == _expected(files)
    assert isinstance(dict(got)[files[1]], tuple) and dict(got)[files[1]][0] == ExtractionError.__name__


def test_a_reader_that_dies_leaves_the_rest_to_this_process(files: list[Path], two_cores: None) -> None:
    with ra.read_ahead(files) as reading:
        results = iter(reading)
        first = next(results)
        reading._process.kill()
        reading._process.wait()
        rest = list(results)
    assert [(p, _comparable(g)) for p, g in [first, *rest]] == _expected(files)


def test_leaving_early_stops_the_reader(files: list[Path], two_cores: None) -> None:
    with ra.read_ahead(files * 4) as reading:
        process = reading._process
        next(iter(reading))
    assert process.poll() is not None


def test_a_reader_started_before_its_paths_is_the_one_used(files: list[Path], two_cores: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ra, "_waiting", None)
    ra.start_reader()
    waiting = ra._waiting
    assert waiting is not None
    with ra.read_ahead(files[:1]) as reading:
        assert reading._process is waiting and ra._waiting is None
        assert [_comparable(g) for _, g in reading] == [c for _, c in _expected(files[:1])]


def test_a_reader_given_no_paths_ends_with_nothing_written() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "extractors.read_ahead"], input=b"", capture_output=True,
                          env=env, timeout=120)
    assert done.returncode == 0 and done.stdout == b""


def test_on_one_core_the_files_are_read_here(files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ra, "spare_core", lambda: False)
    with ra.read_ahead(files[:2]) as reading:
        assert reading._process is None
        assert [(p, _comparable(g)) for p, g in reading] == _expected(files[:2])
