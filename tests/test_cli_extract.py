"""`roadmap extract` as a user runs it: a real process, JSON or CSV out, and a mixed folder
where bad files are reported one line each while the good ones are still written."""
from __future__ import annotations

import csv
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.reports.activities import COLUMNS as CSV_COLUMNS
from schema import RoadmapDocument

ROOT = Path(__file__).resolve().parents[1]
ORDERS = ROOT / "fixtures" / "orders"
GOLD = ROOT / "fixtures" / "gold"


def _flow_fixtures():
    """The bad files of the ingest tests (tests/flows/flow_fixtures.py), loaded by path."""
    spec = importlib.util.spec_from_file_location("roadmap_flow_fixtures", ROOT / "tests" / "flows" / "flow_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def roadmap(*args: str) -> subprocess.CompletedProcess:
    """The `roadmap` executable's entry point (cli.launch: `extract` starts its reader first)."""
    return subprocess.run(
        [sys.executable, "-c", "from cli.launch import main; main()", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )


def _gold_count(stem: str) -> int:
    return len(json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))["activities"])


def test_json_array_of_schema_documents():
    files = [ORDERS / "ivanovo-2022.docx", ORDERS / "tyumen-oblast-2022.pdf"]
    result = roadmap("extract", *map(str, files))
    assert result.returncode == 0, result.stderr
    docs = [RoadmapDocument.model_validate(d) for d in json.loads(result.stdout)]
    assert [d.source.format for d in docs] == ["docx", "pdf"]
    assert [len(d.activities) for d in docs] == [_gold_count("ivanovo-2022"), _gold_count("tyumen-oblast-2022")]
    assert docs[0].region and docs[0].region.code == "RU-IVA"


def test_csv_one_row_per_activity_to_a_file(tmp_path):
    out = tmp_path / "acts.csv"
    result = roadmap("extract", str(ORDERS / "samara-cu-2021.docx"), "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == _gold_count("samara-cu-2021")
    assert all(r["schedule_end"] or r["schedule_kind"] in ("ongoing", "as_needed", "unspecified", "recurring") for r in rows)


def test_folder_with_bad_files_reports_each_and_keeps_the_good(tmp_path):
    fx = _flow_fixtures()
    inbox = fx.build_mixed_inbox(tmp_path / "inbox")
    result = roadmap("extract", str(inbox))
    assert result.returncode == 1
    docs = json.loads(result.stdout)
    assert sorted(Path(d["source"]["path"]).name for d in docs) == sorted(fx.GOOD)
    reasons = {Path(line.split(": ", 1)[0]).name: line.split(": ", 1)[1] for line in result.stderr.splitlines()}
    assert sorted(reasons) == sorted(fx.BAD_FILES)
    for name, (_make, word) in fx.BAD_FILES.items():
        assert word in reasons[name].lower(), reasons[name]


@pytest.mark.parametrize("args,code,message", [
    (["extract", "{empty}"], 2, "no order files found"),
    (["extract", "{missing}"], 2, "path not found: {missing}"),   # a usage error, before any work
])
def test_nothing_to_read(tmp_path, args, code, message):
    (tmp_path / "empty").mkdir()
    paths = {"empty": str(tmp_path / "empty"), "missing": str(tmp_path / "missing.pdf")}
    result = roadmap(*[a.format(**paths) for a in args])
    assert result.returncode == code
    assert message.format(**paths) in result.stderr
    assert result.stdout == ""


def test_a_folder_says_which_files_it_did_not_read(tmp_path):
    """`roadmap extract DIR` reads files named like orders; what else the folder holds (a ZIP
    archive, a note) is named on stderr, not passed over in silence. Hidden files and folders
    stay unmentioned."""
    import shutil
    import zipfile

    folder = tmp_path / "orders"
    (folder / ".git").mkdir(parents=True)
    shutil.copy(ORDERS / "samara-cu-2021.docx", folder / "samara.docx")
    with zipfile.ZipFile(folder / "archive.zip", "w") as zf:
        zf.write(ORDERS / "ivanovo-2022.docx", "ivanovo.docx")
    (folder / "notes.txt").write_text("позвонить в министерство", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / ".git" / "config").write_text("[core]", encoding="utf-8")
    result = roadmap("extract", str(folder))
    assert result.returncode == 0, result.stderr
    assert [Path(d["source"]["path"]).name for d in json.loads(result.stdout)] == ["samara.docx"]
    assert result.stderr.strip() == ("not read: 2 file(s) not named like an order (archive.zip, notes.txt); "
                                     "`roadmap ingest` also opens ZIP archives")
