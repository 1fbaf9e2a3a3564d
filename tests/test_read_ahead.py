"""Files read in a reader process (extractors/read_ahead.py) come back exactly as read here,
errors included, in order, whether the reader was forked or spawned; a reader that dies costs
nothing but the overlap."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
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


# A fresh interpreter, as at the start of `roadmap extract` (one thread, nothing imported):
# the reader is forked there, never in this test process, whose other threads may hold locks.
FORKED_READER = r"""
import json, os, sys, time
from pathlib import Path
import extractors.read as read
from extractors import read_ahead as ra

paths = [Path(p) for p in json.loads(sys.argv[1])]
original = read.read_raw
program = os.getpid()

def noisy(path):
    print("a library's stray print")
    if sys.argv[2] == "kill" and os.getpid() != program and str(path) != str(paths[0]):
        time.sleep(600)  # the reader hands back the first file only: it is killed meanwhile
    return original(path)

read.read_raw = noisy
ra.spare_core = lambda: True
ra.start_reader()
forked = isinstance(ra._waiting, ra._Forked)
with ra.read_ahead(paths) as reading:
    results = iter(reading)
    got = [next(results)]
    if sys.argv[2] == "kill":
        reading._process.kill()
        reading._process.wait()
    got += list(results)
    code = reading._process.wait()

def comparable(raw):
    if isinstance(raw, BaseException):
        return [type(raw).__name__, str(raw)]
    return [raw.format, raw.pages, raw.sha256, repr(raw.blocks), raw.warnings, raw.textless_pages]

sys.stdout.write("RESULT " + json.dumps({"forked": forked, "code": code,
                             "got": [[str(p), comparable(r)] for p, r in got]}))
"""


def _run_forked(files: list[Path], how: str) -> tuple[dict, str, str]:
    """The script's result, what else it wrote to standard output, and its standard error."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", FORKED_READER, json.dumps([str(f) for f in files]), how],
                          capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    before, _, result = done.stdout.rpartition("RESULT ")
    return json.loads(result), before, done.stderr


def _as_json(paths: list[Path]) -> list:
    out = []
    for path, raw in ra.read_here(paths):
        if isinstance(raw, BaseException):
            out.append([str(path), [type(raw).__name__, str(raw)]])
        else:
            out.append([str(path), [raw.format, raw.pages, raw.sha256, repr(raw.blocks), raw.warnings,
                                    raw.textless_pages]])
    return out


def test_a_reader_started_at_the_start_is_forked_and_hands_back_what_reading_here_gives(
        files: list[Path]) -> None:
    result, stdout, stderr = _run_forked(files, "all")
    assert result["forked"] is True
    assert result["got"] == _as_json(files)
    assert result["code"] == 0
    # the reader's stray output went to standard error, away from the program's own output
    assert stdout == ""
    assert stderr.count("a library's stray print") == len(files)


def test_a_forked_reader_that_dies_leaves_the_rest_to_the_program(files: list[Path]) -> None:
    result, stdout, _ = _run_forked(files, "kill")
    assert result["forked"] is True
    assert result["got"] == _as_json(files)
    assert result["code"] == -9
    # after the kill the program read the rest itself (the stray print is then its own)
    assert stdout.count("a library's stray print") == len(files) - 1


def test_a_process_running_other_threads_spawns_its_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert ra.may_fork() is False
        monkeypatch.setattr(ra, "_waiting", None)
        monkeypatch.setattr(ra, "spare_core", lambda: True)
        ra.start_reader()
        waiting = ra._waiting
        assert isinstance(waiting, subprocess.Popen)
    finally:
        stop.set()
        other.join()
    waiting.stdin.close()  # no paths: the spawned reader ends with nothing written
    assert waiting.stdout.read() == b"" and waiting.wait(timeout=120) == 0
