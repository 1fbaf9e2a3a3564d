"""What users read, the same way from every command (issue 12): no spreadsheet cell the tool
writes runs as a formula; one activity table for `extract -f csv` and `export`; exit codes
0 / 1 / 2 alike; binary formats never to a terminal; the export workbook styled; progress
only on a terminal's stderr; the timeline template written and read back, with warnings."""
from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from pipeline.reports.activities import COLUMNS
from pipeline.reports.cells import csv_text
from pipeline.store import Store
from schema import Indicator, Party, RoadmapDocument

from test_compare import ROOT, app, gold_document, runner  # noqa: F401 (app, runner: fixtures)

ORDERS = ROOT / "fixtures" / "orders"
ORDER = ORDERS / "samara-cu-2021.docx"
FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+7 (495) 000-00-00", "-2+3", "\tTAB", "\rCR"]


# --------------------------------------------------------------------------- fixtures

def hostile_document() -> RoadmapDocument:
    """A gold plan whose first activities carry texts that start like formulas, and an
    indicator whose target prints as `=100%` (as 24 cells of the sample orders do)."""
    doc = gold_document("ivanovo-2022")
    acts = list(doc.activities)
    for k, text in enumerate(FORMULAS):
        acts[k] = acts[k].model_copy(update={"text": text, "result": text})
    acts[0] = acts[0].model_copy(update={
        "seq": "-5",
        "responsible": [Party(raw="@SUM(A1)", name="@SUM(A1)", kind="other")],
        "indicators": [Indicator(text="доля школ", target=100, unit="%", comparator="=")],
    })
    return doc.model_copy(update={"activities": acts})


@pytest.fixture
def hostile_store(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    with Store(url) as store:
        store.store_document(hostile_document(), size=1)
    return url


@pytest.fixture
def hostile_json(tmp_path) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([hostile_document().to_json_dict()], ensure_ascii=False), encoding="utf-8")
    return path


def roadmap(*args: str, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", "from cli.app import main; main()", *args],
                          stdout=stdout, stderr=stderr, cwd=cwd, env=env, timeout=300)


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _assert_neutralised(values: list[str]) -> None:
    for formula in FORMULAS:
        assert formula not in values, f"{formula!r} written as is"
    for formula in FORMULAS:
        assert any(v.startswith("'") and v.lstrip("'").replace("\\|", "|") == formula for v in values), formula


def _workbook_cells(data: bytes):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _assert_text_cells(cells) -> set:
    """No formula anywhere; each formula-like text is a string cell, quote-prefixed, unchanged."""
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    found = {c.value for c in cells if isinstance(c.value, str) and c.value in FORMULAS + ["=100%"]}
    for cell in cells:
        if cell.value in found:
            assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    return found


# --------------------------------------------------------------------------- 1. formula injection

@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-5", "-5"), ("-1.5", "-1.5"), (7, "7"), (2.5, "2.5"), (None, ""), (date(2022, 1, 17), "2022-01-17"),
    ("обычный текст", "обычный текст"),
])
def test_csv_cells_neutralise_formula_triggers_and_keep_numbers(value, written):
    [row] = list(csv.reader(io.StringIO(csv_text(["a"], [[value]]))))[1:]
    assert row == [written]


def test_export_csv_neutralises_formula_cells(runner, app, hostile_store):
    result = runner.invoke(app, ["export", "--db", hostile_store, "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    _assert_neutralised([r["text"] for r in rows])
    assert rows[0]["indicator_targets"] == "'=100%" and rows[0]["responsible"] == "'@SUM(A1)"
    assert rows[0]["seq"] == "-5" and rows[0]["position"] == "1"         # numbers stay numbers


def test_export_xlsx_writes_text_never_formulas(runner, app, hostile_store):
    result = runner.invoke(app, ["export", "--db", hostile_store, "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    cells = _workbook_cells(result.stdout_bytes)
    assert _assert_text_cells(cells) == set(FORMULAS) | {"=100%"}          # every one found, unchanged
    ints = [c.value for c in cells if c.column == COLUMNS.index("position") + 1 and c.row > 1]
    assert ints[:3] == [1, 2, 3]


def test_extract_csv_neutralises_formula_cells():
    from pipeline.reports.formats import render

    rows = _csv(render("documents", "csv", [hostile_document()]))
    _assert_neutralised([r["text"] for r in rows])
    assert rows[0]["indicator_targets"] == "'=100%"


def test_compare_csv_and_xlsx_neutralise_formula_cells(runner, app, hostile_json):
    hostile = hostile_document()
    doc = hostile.model_copy(update={"activities": [a.model_copy(update={"text": "=HYPERLINK(\"x\") " + a.text})
                                                    for a in hostile.activities]})
    path = hostile_json.with_name("matched.json")
    path.write_text(json.dumps([doc.to_json_dict()], ensure_ascii=False), encoding="utf-8")
    as_csv = runner.invoke(app, ["compare", str(path), "-f", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    texts = [r["activity_text"] for r in _csv(as_csv.stdout) if r["activity_text"]]
    assert texts and all(t.startswith("'=HYPERLINK(") for t in texts)
    as_xlsx = runner.invoke(app, ["compare", str(path), "-f", "xlsx"])
    assert as_xlsx.exit_code == 0, as_xlsx.output
    cells = _workbook_cells(as_xlsx.stdout_bytes)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    linked = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK(")]
    assert linked and all(c.data_type == "s" and c.quotePrefix for c in linked)


def test_timeline_template_neutralises_formula_cells(tmp_path):
    from pipeline.timeline import load_file, load_packaged
    from pipeline.timeline_sheet import write_timeline_xlsx

    first, *rest = load_packaged()
    hostile = first.model_copy(update={"title": "=cmd|' /C calc'!A0 " + first.title})
    path = tmp_path / "t.xlsx"
    write_timeline_xlsx([hostile, *rest], path)
    cells = _workbook_cells(path.read_bytes())
    [title] = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=cmd")]
    assert title.data_type == "s" and title.quotePrefix
    assert load_file(path)[0].title == hostile.title                      # read back unchanged


# --------------------------------------------------------------------------- 2. one activity table

def test_extract_and_export_print_the_same_activity_table(runner, app, tmp_path):
    from pipeline.extract import extract

    extracted = roadmap("extract", str(ORDER), "-f", "csv")
    assert extracted.returncode == 0, extracted.stderr
    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    with Store(url) as store:
        store.store_document(extract(ORDER))
    exported = runner.invoke(app, ["export", "--db", url, "-f", "csv"])
    assert exported.exit_code == 0, exported.output
    assert extracted.stdout.decode().splitlines()[0] == exported.stdout.splitlines()[0] == ",".join(COLUMNS)
    assert _csv(extracted.stdout.decode()) == _csv(exported.stdout)      # every cell, not only the header
    assert COLUMNS[:2] == ["document_id", "activity_id"]                  # the stable id, both ways alike

    import pandas as pd
    from openpyxl import load_workbook

    xlsx = runner.invoke(app, ["export", "--db", url, "-f", "xlsx"]).stdout_bytes
    assert [c.value for c in load_workbook(io.BytesIO(xlsx)).active[1]] == COLUMNS
    parquet = runner.invoke(app, ["export", "--db", url, "-f", "parquet"]).stdout_bytes
    assert list(pd.read_parquet(io.BytesIO(parquet)).columns) == COLUMNS


# --------------------------------------------------------------------------- 3. exit codes

def _bad_file(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "empty.pdf").write_bytes(b"")
    return folder


@pytest.mark.parametrize("command, case, code", [
    ("extract", "good", 0), ("extract", "some failed", 1), ("extract", "missing path", 2),
    ("extract", "bad option", 2), ("extract", "nothing found", 2),
    ("compare", "good", 0), ("compare", "some failed", 1), ("compare", "missing path", 2),
    ("compare", "bad timeline", 2), ("compare", "bad option", 2),
    ("timeline", "good", 0), ("timeline", "bad timeline", 2), ("timeline", "missing path", 2),
    ("export", "good", 0), ("export", "no store", 2), ("export", "bad option", 2),
    ("status", "good", 0), ("status", "no store", 2), ("status", "bad option", 2),
    ("ingest", "missing path", 2), ("ingest", "bad option", 2),
    ("serve", "missing path", 2),
    ("diff", "good", 0), ("diff", "some failed", 1), ("diff", "missing path", 2), ("diff", "bad option", 2),
    # nothing to work on, or nowhere to write: usage errors before any work, one line each
    ("ingest", "nothing found", 2), ("compare", "no milestones for --year", 2),
    ("extract", "no output folder", 2), ("export", "no output folder", 2), ("diff", "no output folder", 2),
    ("timeline", "output is a folder", 2), ("status", "store refuses", 2), ("ingest", "store refuses", 2),
    ("status", "no driver", 2), ("web", "no store", 2), ("web", "store refuses", 2),
    ("compare", "neither paths nor store", 2), ("compare", "paths and a store", 2),
])
def test_exit_codes_are_the_same_for_every_command(runner, app, tmp_path, hostile_json, hostile_store,
                                                   monkeypatch, command, case, code):
    def serve_nothing(*args, **kwargs):  # a workbench that got as far as serving fails the case, not hangs it
        raise AssertionError("the workbench started serving")

    monkeypatch.setattr("uvicorn.run", serve_nothing)
    bad_timeline = tmp_path / "bad.json"
    bad_timeline.write_text("[1]", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    missing = str(tmp_path / "missing.pdf")
    args = {
        ("extract", "good"): [str(ORDER)],
        ("extract", "some failed"): [str(ORDER), str(_bad_file(tmp_path / "bad"))],
        ("extract", "missing path"): [str(ORDER), missing],
        ("extract", "bad option"): [str(ORDER), "-f", "pdf"],
        ("extract", "nothing found"): [str(tmp_path / "empty")],
        ("compare", "good"): [str(hostile_json)],
        ("compare", "some failed"): [str(hostile_json), str(bad_timeline)],
        ("compare", "missing path"): [str(hostile_json), missing],
        ("compare", "bad timeline"): [str(hostile_json), "--timeline", str(bad_timeline)],
        ("compare", "bad option"): [str(hostile_json), "--year", "soon"],
        ("timeline", "good"): [],
        ("timeline", "bad timeline"): ["--timeline", str(bad_timeline)],
        ("timeline", "missing path"): ["--timeline", missing],
        ("export", "good"): ["--db", hostile_store],
        ("export", "no store"): ["--db", str(tmp_path / "none.db")],
        ("export", "bad option"): ["--db", hostile_store, "-f", "pdf"],
        ("status", "good"): ["--db", hostile_store],
        ("status", "no store"): ["--db", str(tmp_path / "none.db")],
        ("status", "bad option"): ["--db", hostile_store, "--frmat", "json"],
        ("ingest", "missing path"): [missing],
        ("ingest", "bad option"): [str(tmp_path), "--workers", "0"],
        ("serve", "missing path"): ["--inbox", missing],
        ("diff", "good"): [str(ORDER), str(ORDER)],
        ("diff", "some failed"): [str(ORDER), str(_bad_file(tmp_path / "bad") / "empty.pdf")],
        ("diff", "missing path"): [str(ORDER), missing, "--db", hostile_store],
        ("diff", "bad option"): [str(ORDER), str(ORDER), "-f", "pdf"],
        ("ingest", "nothing found"): [str(tmp_path / "empty"), "--db", str(tmp_path / "new.db")],
        ("compare", "no milestones for --year"): [str(hostile_json), "--year", "2030"],
        ("extract", "no output folder"): [str(ORDER), "-o", str(tmp_path / "nowhere" / "x.json")],
        ("export", "no output folder"): ["--db", hostile_store, "-f", "csv", "-o", str(tmp_path / "nowhere" / "x.csv")],
        ("diff", "no output folder"): [str(ORDER), str(ORDER), "-o", str(tmp_path / "nowhere" / "x.txt")],
        ("timeline", "output is a folder"): ["-f", "json", "-o", str(tmp_path)],
        ("status", "store refuses"): ["--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/db"],
        ("ingest", "store refuses"): [str(ORDER.parent), "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/db"],
        ("status", "no driver"): ["--db", "mysql://x/y"],
        ("web", "no store"): ["--db", str(tmp_path / "none.db")],
        ("compare", "neither paths nor store"): [],
        ("compare", "paths and a store"): [str(hostile_json), "--db", hostile_store],
        ("web", "store refuses"): ["--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/db"],
    }[(command, case)]
    result = runner.invoke(app, [command, *args])
    assert result.exit_code == code, result.output
    if code == 2 and case == "missing path":
        assert "not found" in result.stderr or "not a folder" in result.stderr
    if code == 2 and case not in ("bad option",):
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "secret" not in result.stderr
    if case == "nothing found" and command == "ingest":
        assert not (tmp_path / "new.db").exists()
    if case == "neither paths nor store":
        assert "not both" not in result.stderr
    if case == "no store":
        assert not (tmp_path / "none.db").exists()  # a mistyped path is not a new, empty store


@pytest.mark.parametrize("counts, code", [
    ({"stored": 3, "duplicate": 1, "failed": 0}, 0),
    ({"stored": 3, "duplicate": 0, "failed": 2}, 1),
    ({"stored": 0, "duplicate": 0, "failed": 2}, 1),   # every file failed: the flow run fails
])
def test_ingest_exit_code_follows_the_failed_files(runner, app, tmp_path, monkeypatch, counts, code):
    import flows.ingest
    import flows.runtime
    import pipeline.ingest

    files = [{"path": str(tmp_path / f"{status}-{n}.pdf"), "sha256": "0" * 64, "status": status, "reason": "why",
              "document_id": None, "region": None, "activities": 0, "known": False}
             for status, count in counts.items() for n in range(count)]
    report = {"inbox": str(tmp_path), "db": "sqlite:///x.db", "files": files, "counts": counts, "compliance": {}}
    (tmp_path / "order.pdf").write_bytes(b"%PDF-1.4")  # an inbox with no file at all is a usage error
    # the ledger check finds new files, so the (stubbed) flow runs
    monkeypatch.setattr(pipeline.ingest, "triage",
                        lambda inbox, db, retry_failed=False: pipeline.ingest.Triage(str(tmp_path), [], 1, 0.0))

    def run_ingest(*args, **kwargs):
        if counts["failed"] and not counts["stored"]:
            raise flows.ingest.IngestFailed("nothing could be ingested", report)
        return report

    monkeypatch.setattr(flows.runtime, "configure_prefect_env", lambda verbose: None)
    monkeypatch.setattr(flows.ingest, "run_ingest", run_ingest)
    result = runner.invoke(app, ["ingest", str(tmp_path), "--json"])
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["counts"] == counts
    assert ("failed" in result.stderr) is bool(code)


# --------------------------------------------------------------------------- 4. binary never to a terminal

def _on_a_terminal(*args: str) -> tuple[int, str]:
    """Run with stdout a pseudo-terminal; the exit code and stderr."""
    leader, follower = pty.openpty()
    try:
        result = roadmap(*args, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    return result.returncode, result.stderr.decode()


@pytest.mark.parametrize("command", [
    ["compare", "{json}", "-f", "xlsx"], ["export", "--db", "{db}", "-f", "xlsx"],
    ["export", "--db", "{db}", "-f", "parquet"], ["timeline", "-f", "xlsx"],
])
def test_binary_formats_refused_on_a_terminal_and_written_to_a_pipe(hostile_json, hostile_store, command):
    args = [a.format(json=hostile_json, db=hostile_store) for a in command]
    code, stderr = _on_a_terminal(*args)
    assert code == 2 and "binary" in stderr and "-o FILE" in stderr
    piped = roadmap(*args)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout[:4] in (b"PK\x03\x04", b"PAR1")


# --------------------------------------------------------------------------- 5. export workbook styled

def test_export_workbook_is_styled_like_compare(runner, app, hostile_store):
    from openpyxl import load_workbook

    result = runner.invoke(app, ["export", "--db", hostile_store, "-f", "xlsx"])
    ws = load_workbook(io.BytesIO(result.stdout_bytes)).active
    assert ws.title == "activities"
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:AL{ws.max_row}"
    assert ws.column_dimensions["P"].width == 60                          # text
    assert ws.cell(row=2, column=COLUMNS.index("text") + 1).alignment.wrap_text
    end = ws.cell(row=2, column=COLUMNS.index("schedule_end") + 1)
    assert end.is_date and end.number_format == "DD.MM.YYYY"


# --------------------------------------------------------------------------- 6. progress and pipes

def _on_a_terminal_reading(*args: str, stream: str) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run with `stream` ("stdout" or "stderr") a pseudo-terminal, read as the command writes
    (a full terminal buffer must not stall it); the finished process and what it showed there."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: follower}
    chunks = []
    try:
        with subprocess.Popen([sys.executable, "-c", "from cli.app import main; main()", *args],
                              cwd=ROOT, env=env, **pipes) as proc:
            os.close(follower)
            follower = -1
            other = proc.stderr if stream == "stdout" else proc.stdout
            collected = []
            reader = threading.Thread(target=lambda: collected.append(other.read()))
            reader.start()
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the command closed its end
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            reader.join(timeout=300)
            proc.wait(timeout=300)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    out = collected[0] if collected else b""
    result = subprocess.CompletedProcess(proc.args, proc.returncode,
                                         out if stream == "stderr" else b"", out if stream == "stdout" else b"")
    return result, b"".join(chunks)


def test_progress_only_on_a_terminal_stderr_and_piped_output_plain(tmp_path):
    result, shown = _on_a_terminal_reading("extract", str(ORDER), str(ORDERS / "ivanovo-2022.docx"), stream="stderr")
    assert result.returncode == 0
    assert b"extracting" in shown                                        # the bar was drawn on the terminal
    assert b"\x1b" not in result.stdout and len(json.loads(result.stdout)) == 2
    piped = roadmap("extract", str(ORDER), "-f", "csv")
    assert piped.stderr == b"" and b"\x1b" not in piped.stdout            # nothing on a piped stderr


def test_compare_prints_a_table_on_a_terminal_and_json_to_a_pipe(hostile_json):
    """Without -f, a person at a terminal reads the table; a pipe (a script) gets JSON."""
    result, shown_bytes = _on_a_terminal_reading("compare", str(hostile_json), stream="stdout")
    shown = shown_bytes.decode()
    assert result.returncode == 0, result.stderr
    assert "Ивановская область" in shown and "веха" in shown and not shown.lstrip().startswith("[")
    piped = roadmap("compare", str(hostile_json))
    assert piped.returncode == 0, piped.stderr
    rows = json.loads(piped.stdout)
    assert rows and all(row["milestone_id"] in shown for row in rows)


def test_status_table_piped_is_plain_and_uncut(runner, app, tmp_path):
    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    long_name = str(tmp_path / ("очень-длинное-имя-файла-дорожной-карты-" * 3 + "2021.docx"))
    with Store(url) as store:
        store.record_failure(long_name, "0" * 64, 1, "docx", "a reason long enough to be cut at eighty columns " * 2)
    result = runner.invoke(app, ["status", "--db", url])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and long_name in result.stdout


def test_status_only_filters_rows_and_shows_paths_below_the_folder_relative(runner, app, tmp_path, monkeypatch):
    """`--only failed` keeps the failed files (table and JSON), the counts stay of every file;
    a path below the current folder, in the file column and in a reason, is shown relative."""
    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    inbox = tmp_path / "inbox"
    with Store(url) as store:
        store.record_failure(str(inbox / "bad.pdf"), "1" * 64, 1, "pdf", "corrupt PDF: no /Root")
        store.record_failure(str(inbox / "notes.txt"), "2" * 64, 1, None, "not an order", "skipped")
        store.record_failure(str(inbox / "copy.pdf"), "3" * 64, 1, "pdf", f"same bytes as {inbox / 'bad.pdf'}")
    monkeypatch.chdir(tmp_path)
    table = runner.invoke(app, ["status", "--db", url, "--only", "failed"])
    assert table.exit_code == 0, table.output
    ledger, counts = table.stdout.split("files in")
    rows = [line for line in ledger.splitlines() if "│" in line]
    assert len(rows) == 2 and all(" failed " in line for line in rows)
    assert "inbox/bad.pdf" in table.stdout and str(inbox) not in table.stdout     # relative, reason included
    assert "same bytes as inbox/bad.pdf" in table.stdout
    assert "notes.txt" not in table.stdout
    assert [line.split() for line in counts.splitlines() if "│" in line] == [
        ["│", "0", "│", "0", "│", "0", "│", "1", "│", "2", "│"]]                 # every file counted
    listed = runner.invoke(app, ["status", "--db", url, "--only", "skipped", "-f", "json"])
    assert [e["path"] for e in json.loads(listed.stdout)] == [str(inbox / "notes.txt")]   # JSON keeps full paths
    everything = runner.invoke(app, ["status", "--db", url, "-f", "json"])
    assert len(json.loads(everything.stdout)) == 3
    bad = next(e for e in json.loads(everything.stdout) if e["path"].endswith("bad.pdf"))
    assert (bad["status"], bad["reason"], bad["format"], bad["size"]) == ("failed", "corrupt PDF: no /Root", "pdf", 1)
    assert "error" not in bad and bad["first_seen"] <= bad["last_seen"]          # the table's word, ISO times
    monkeypatch.chdir("/")
    from_root = runner.invoke(app, ["status", "--db", url, "--only", "failed"])
    assert str(inbox / "bad.pdf") in from_root.stdout                            # the root shortens nothing


def test_a_file_replaced_under_its_name_keeps_its_old_row_uncounted(runner, app, tmp_path):
    """A bad file replaced by a good one under the same name: its old row stays as history,
    marked, but `--only failed` no longer lists it and the counts are of the files as they now
    are (it was counted failed for ever)."""
    import time

    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    path = str(tmp_path / "inbox" / "order.pdf")
    with Store(url) as store:
        store.record_failure(path, "1" * 64, 0, None, "empty file (0 bytes)")
        store.record_failure(str(tmp_path / "inbox" / "other.pdf"), "3" * 64, 5, "pdf", "corrupt PDF: x")
        time.sleep(0.01)
        store.record_failure(path, "2" * 64, 10, "pdf", "not a roadmap: the document has no table", "skipped")
    failed = runner.invoke(app, ["status", "--db", url, "--only", "failed", "-f", "json"])
    assert [e["path"] for e in json.loads(failed.stdout)] == [str(tmp_path / "inbox" / "other.pdf")]
    everything = json.loads(runner.invoke(app, ["status", "--db", url, "-f", "json"]).stdout)
    assert [(e["sha256"][0], e["status"], e["current"]) for e in everything if e["path"] == path] == [
        ("1", "failed", False), ("2", "skipped", True)]
    table = runner.invoke(app, ["status", "--db", url])
    assert "failed (older bytes)" in table.stdout
    ledger, counts = table.stdout.split("files in")
    said = " ".join(table.stdout.split())  # the counts' title wraps at the terminal's width
    assert "2 files in" in said and "(and 1 older version(s) of files seen since with other bytes)" in said
    assert [line.split() for line in counts.splitlines() if "│" in line] == [
        ["│", "0", "│", "0", "│", "0", "│", "1", "│", "1", "│"]]


# --------------------------------------------------------------------------- 7. timeline template and warnings

def test_timeline_xlsx_template_and_spreadsheet_timelines_with_warnings(runner, app, tmp_path, hostile_json):
    from pipeline.timeline import load_packaged

    template = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["timeline", "-f", "xlsx", "-o", str(template)])
    assert result.exit_code == 0, result.output
    back = runner.invoke(app, ["timeline", "--timeline", str(template), "-f", "json"])
    assert [m["id"] for m in json.loads(back.stdout)] == [m.id for m in sorted(load_packaged(),
                                                                                key=lambda m: (m.deadline, m.id))]
    sheet = tmp_path / "t.csv"
    sheet.write_text("id,title,deadline,keywords,colour\n"
                     "y22-survey,Анкетирование школ,04.02.2022,анкетирование,red\n", encoding="utf-8")
    shown = runner.invoke(app, ["timeline", "--timeline", str(sheet)])
    assert shown.exit_code == 0, shown.output
    assert "y22-survey" in shown.stdout and "unknown column(s) ignored: colour" in shown.stderr
    compared = runner.invoke(app, ["compare", str(hostile_json), "--timeline", str(sheet), "-f", "csv"])
    assert compared.exit_code == 0, compared.output
    assert "unknown column(s) ignored: colour" in compared.stderr
    assert {r["milestone_id"] for r in _csv(compared.stdout)} == {"y22-survey"}
