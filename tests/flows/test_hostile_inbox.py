"""One inbox of hostile and broken files next to good orders, through `roadmap ingest` in a
child process: each bad file is recorded with its reason, every good order is stored, and
the run stays under a stated peak-memory bound. Bombs are built by streaming zeros into a
ZIP member (or by a header that lies), never held in memory by the test."""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.store import Store

from flow_fixtures import BAD_FILES, GOOD, ORDERS, docx_without_table, load_test_module

_zip_streamed = load_test_module("test_containers")._zip_streamed  # zeros streamed into a member
png_header = load_test_module("test_inputs")._png_header

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("extraction_available")]

PEAK_RSS_BOUND = 1024 * 1024 * 1024  # 1 GiB for the whole run (the CLI and any process it waited for)
BIG = 1024 * 1024 * 1024              # 1 GiB of zeros: past the 256 MiB per-member cap
NEWLINE_NAME = "приказ\n№ 5 ..╱..╱tyumen.docx"  # a new line and a look-alike `../` in a file name
SECRET = "SECRET-9f1c2e-NOT-FOR-THE-STORE"


def _docx_with_body(body_xml: str, doctype: str = "") -> bytes:
    """A real DOCX (python-docx's template) whose document.xml is replaced."""
    with zipfile.ZipFile(io.BytesIO(docx_without_table())) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts["word/document.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
                                  f'<w:document {ns}><w:body>{body_xml}</w:body></w:document>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def billion_laughs_docx() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    doctype = "<!DOCTYPE w:document [" + "".join(entities) + "]>\n"
    return _docx_with_body("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", doctype)


def external_entity_docx(secret_file: Path) -> bytes:
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>\n'
    return _docx_with_body("<w:p><w:r><w:t>ПРИКАЗ &xxe;</w:t></w:r></w:p>", doctype)


def formula_bomb_xlsx() -> bytes:
    """Each cell doubles the one before it: evaluated, row 60 would hold 2^60 copies."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "бум"
    for row in range(2, 61):
        sheet[f"A{row}"] = f"=A{row - 1}&A{row - 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def page_tree_pdf(pages: int) -> bytes:
    """A PDF whose page tree holds `pages` empty pages."""
    first_page = 3
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
            + b"] /Count %d >>" % pages]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _lying_leaf_zip(declared: int, payload: bytes) -> bytes:
    """A ZIP whose one stored member declares `declared` bytes but holds `payload` (its CRC
    is right): cheap to build, and what a nested bomb's directory looks like."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("order.pdf", payload)
    data = bytearray(out.getvalue())
    data[22:26] = struct.pack("<I", declared)                  # local header: uncompressed size
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", declared)  # central directory
    return bytes(data)


def nested_budget_zip(path: Path) -> Path:
    """Archives in an archive in an archive: every level within its own limits (each leaf
    declares 250 MiB at a ratio under 100:1), ten leaves past the 2 GiB budget for the tree."""
    leaf = _lying_leaf_zip(250 * 1024 * 1024, os.urandom(3 * 1024 * 1024))
    middle = io.BytesIO()
    with zipfile.ZipFile(middle, "w", zipfile.ZIP_STORED) as zf:
        for k in range(10):
            zf.writestr(f"leaf{k}.zip", leaf)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("middle.zip", middle.getvalue())
    return path


def build_hostile_inbox(root: Path, secret_file: Path) -> dict[str, tuple[str, str]]:
    """Write the inbox; returns ledger-path suffix → (status, a phrase its reason must hold).
    The good orders' reason phrase is empty (stored, no reason)."""
    root.mkdir(parents=True)
    expected: dict[str, tuple[str, str]] = {}

    def put(name: str, data: bytes, status: str, phrase: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = (status, phrase)

    for name in GOOD:
        put(name, (ORDERS / name).read_bytes(), "stored", "")
    put(NEWLINE_NAME, (ORDERS / "tyumen-city-2021.docx").read_bytes(), "stored", "")
    put("zero-byte.pdf", b"", "failed", "empty file (0 bytes)")
    put("truncated.pdf", BAD_FILES["truncated.pdf"][0](), "failed", "corrupt PDF")
    put("encrypted.pdf", BAD_FILES["encrypted.pdf"][0](), "failed", "encrypted PDF")
    put("photo-renamed.pdf", BAD_FILES["photo-renamed.pdf"][0](), "failed", "jpeg")
    put("no-table.docx", docx_without_table(), "failed", "roadmap")
    put("billion-laughs.docx", billion_laughs_docx(), "failed", "entity amplification")
    put("external-entity.docx", external_entity_docx(secret_file), "failed", "roadmap")
    put("formula-bomb.xlsx", formula_bomb_xlsx(), "failed", "roadmap")
    put("pages-10000.pdf", page_tree_pdf(10_000), "failed", "PDF has 10000 pages (the limit is 2000)")
    put("30000px.png", png_header(30_000, 30_000), "failed", "image too large to be a page")
    put("ingest.log", b"2026-12-01 02:00:01 INFO start\n2026-12-01 02:00:05 INFO done\n", "skipped", "not an order")
    _zip_streamed(root / "mimetype-bomb.odt", {"content.xml": b"<x/>"}, "mimetype", BIG)
    expected["mimetype-bomb.odt"] = ("failed", "archive member too large: 'mimetype'")
    _zip_streamed(root / "comment-bomb.docx", {"[Content_Types].xml": b"<Types/>",
                                               "word/document.xml": b"<w:document/>"}, "word/comments.xml", BIG)
    expected["comment-bomb.docx"] = ("failed", "archive member too large: 'word/comments.xml'")
    _zip_streamed(root / "zip-bomb.zip", {}, "orders/big.pdf", 64 * 1024 * 1024)
    expected["zip-bomb.zip!orders/big.pdf"] = ("failed", "compression ratio")
    with zipfile.ZipFile(root / "zip-slip.zip", "w") as zf:
        zf.writestr("../../escape.pdf", (ORDERS / "ivanovo-2022.pdf").read_bytes())
        zf.writestr("sub/../../../etc/evil\n.docx", b"x")
    expected["zip-slip.zip!../../escape.pdf"] = ("failed", "unsafe path in archive")
    expected["zip-slip.zip!sub/../../../etc/evil\n.docx"] = ("failed", "unsafe path in archive")
    (root / "truncated-archive.zip").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    expected["truncated-archive.zip"] = ("failed", "corrupt")
    nested_budget_zip(root / "nested.zip")
    return expected


def _run_measured(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, str, int]:
    """Run a child; (exit code, stdout, stderr, peak RSS in bytes of it and what it waited for)."""
    out_path, err_path = Path(env["HOSTILE_TMP"]) / "out.json", Path(env["HOSTILE_TMP"]) / "err.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        child = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(child.pid, 9)
                raise AssertionError("the hostile ingest did not finish in time")
            time.sleep(0.1)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, out_path.read_text(), err_path.read_text(), usage.ru_maxrss * 1024


def test_hostile_inbox_one_batch(tmp_path: Path, db_url: str, prefect_harness: dict[str, str]) -> None:
    """Finding: a test of at least 15 kinds of hostile or broken input in one batch, each
    with its reason, nothing else lost, and a peak-memory bound."""
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    inbox = tmp_path / "inbox"
    expected = build_hostile_inbox(inbox, secret_file)
    env = {**os.environ, **prefect_harness, "PYTHONUNBUFFERED": "1", "HOSTILE_TMP": str(tmp_path)}
    cmd = [sys.executable, "-c", "from cli.app import main; main()", "ingest", str(inbox), "--db", db_url, "--json"]
    started = time.monotonic()
    code, out, err, peak = _run_measured(cmd, env, timeout=600)
    seconds = time.monotonic() - started
    print(f"hostile inbox: peak RSS {peak / 2**20:.0f} MiB in {seconds:.0f} s")
    assert code == 1, err[-3000:]  # some files failed, the rest stored (README: exit codes)
    report = json.loads(out)
    prefix = str(inbox.resolve()) + "/"
    outcomes = {f["path"][len(prefix):]: f for f in report["files"]}
    with Store(db_url) as store:
        ledger = {e.path[len(prefix):]: e for e in store.ledger()}
        stored_json = json.dumps([d.to_json_dict() for d in store.documents()], ensure_ascii=False)
    assert set(outcomes) == set(ledger), "the report and the ledger list the same files"
    wrong = []
    for name, (status, phrase) in expected.items():
        entry = ledger.get(name)
        if entry is None:
            wrong.append((name, "missing from the ledger"))
        elif entry.status != status or phrase.lower() not in (entry.error or "").lower():
            wrong.append((name, entry.status, entry.error))
        elif (outcomes[name]["status"], outcomes[name]["reason"]) != (entry.status, entry.error):
            wrong.append((name, "the report differs from the ledger", outcomes[name]))
        elif phrase and ("\n" in entry.error or len(entry.error) > 500):
            wrong.append((name, "reason not one short line", entry.error))
    assert not wrong, "\n".join(map(repr, wrong))
    nested = {n: e for n, e in ledger.items() if n.startswith("nested.zip!")}
    assert nested and all(e.status == "failed" for e in nested.values())
    assert any("would unpack past 2147483648 bytes in all" in e.error for e in nested.values()), nested
    assert set(ledger) - set(expected) == set(nested), "no file other than the nested tree's is unexpected"
    good = [n for n, (status, _) in expected.items() if status == "stored"]
    assert len(good) == len(GOOD) + 1 and report["counts"]["stored"] == len(good)
    assert all(ledger[n].document_id for n in good)
    assert SECRET not in stored_json and all(SECRET not in (e.error or "") for e in ledger.values())
    assert not (tmp_path / "escape.pdf").exists() and not (inbox.parent.parent / "escape.pdf").exists()
    assert len(expected) + len(nested) - len(good) >= 15, "at least 15 kinds of bad input"
    assert peak < PEAK_RSS_BOUND, f"peak RSS {peak / 2**20:.0f} MiB over the {PEAK_RSS_BOUND / 2**20:.0f} MiB bound"
