"""Inboxes for the flow tests: real fixture orders plus the kinds of bad files regional staff
send, and generated orders (the benchmark's generator)."""
from __future__ import annotations

import hashlib
import importlib.util
import io
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORDERS = ROOT / "fixtures" / "orders"
GOOD = ["ivanovo-2022.docx", "samara-cu-2021.docx", "tyumen-oblast-2022.pdf"]


def _load_by_path(name: str, path: Path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def generator():
    """benchmarks/generate_orders.py, loaded by path (benchmarks/ is not a package)."""
    return _load_by_path("roadmap_generate_orders", ROOT / "benchmarks" / "generate_orders.py")


def load_test_module(name: str):
    """A test module of tests/ loaded by path (tests/ is not a package), for its builders."""
    return _load_by_path(f"roadmap_tests_{name}", ROOT / "tests" / f"{name}.py")


def encrypted_pdf() -> bytes:
    """A one-page PDF whose Standard security handler wants a user password (what a PDF
    exported with an open password looks like to a reader without it)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + hashlib.sha256(b"o").hexdigest().encode() + b"> /U <"
            + hashlib.sha256(b"u").hexdigest().encode() + b"> /P -4 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<{'ab' * 16}><{'ab' * 16}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def jpeg_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, format="JPEG")
    return buf.getvalue()


def docx_without_table() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ")
    d.add_paragraph("ПРИКАЗ")
    d.add_paragraph("Об утверждении дорожной карты по работе со школами с низкими результатами")
    d.add_paragraph("Утвердить дорожную карту согласно приложению.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def unrelated_order() -> bytes:
    """A real-looking order about something else: its table has no dates or deadlines."""
    import docx

    d = docx.Document()
    d.add_paragraph("МИНИСТЕРСТВО ОБРАЗОВАНИЯ")
    d.add_paragraph("ПРИКАЗ от 12.03.2022 № 345")
    d.add_paragraph("Об утверждении перечня учебников, используемых в образовательных организациях")
    table = d.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["№ п/п", "Автор", "Наименование учебника", "Класс"]):
        cell.text = text
    for i, (author, title, grade) in enumerate([("Иванов А.А.", "Математика", "5"),
                                                ("Петрова Б.Б.", "Русский язык", "6"),
                                                ("Сидоров В.В.", "История", "7")], start=1):
        row = table.add_row().cells
        for cell, text in zip(row, [str(i), author, title, grade]):
            cell.text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# file name → (bytes factory, a word its failure reason must contain)
BAD_FILES = {
    "empty.pdf": (lambda: b"", "empty"),
    "truncated.pdf": (lambda: (ORDERS / "ivanovo-2022.pdf").read_bytes()[:9000], "pdf"),
    "encrypted.pdf": (encrypted_pdf, "encrypt"),
    "photo-renamed.pdf": (jpeg_bytes, "jpeg"),
    "no-table.docx": (docx_without_table, "roadmap"),
    "unrelated-order.docx": (unrelated_order, "roadmap"),
}


def build_mixed_inbox(root: Path) -> Path:
    """Good fixture orders (one in a sub-folder) and every kind of bad file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sub").mkdir(exist_ok=True)
    for i, name in enumerate(GOOD):
        shutil.copy(ORDERS / name, (root / "sub" / name) if i == 0 else (root / name))
    for name, (make, _word) in BAD_FILES.items():
        (root / name).write_bytes(make())
    return root


def build_good_inbox(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in GOOD:
        shutil.copy(ORDERS / name, root / name)
    return root


def report_of(run) -> dict:
    """The report of an ingest `run()` whose inbox holds bad files: such a run fails (its
    IngestFailed carries the report), as `roadmap ingest` exits 1."""
    from pipeline.ingest import IngestFailed

    try:
        return run()
    except IngestFailed as failed:
        return failed.report
