"""The auditor's reports: XLSX opens cleanly (openpyxl, LibreOffice), HTML is one offline file
that renders (headless Chromium), every document text is escaped, CSV is the schema's rows."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.compare import compare_documents
from pipeline.reports import STATUS_COLOURS, STATUS_LABELS, build_report, signed
from pipeline.reports.csv import COLUMNS, render_csv
from pipeline.reports.json import render_json
from pipeline.reports.html import render_html, timeline_svg
from pipeline.reports.xlsx import sheet_title, write_xlsx
from schema import ComplianceRow
from pipeline.timeline import load_timeline

from test_compare import STEMS, gold_document

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = '<script>alert("x")</script> & =HYPERLINK("http://evil.example") \x07 «кавычки»'


@pytest.fixture(scope="module")
def report():
    timeline = load_timeline()
    docs = [gold_document(s) for s in STEMS]
    first = docs[0]
    hostile_activities = list(first.activities)
    hostile_activities[0] = hostile_activities[0].model_copy(update={"text": HOSTILE + " " + first.activities[0].text})
    docs[0] = first.model_copy(update={"activities": hostile_activities, "issuer": "<b>Департамент</b>"})
    rows = compare_documents(docs, timeline)
    return build_report(docs, rows, timeline)


# --------------------------------------------------------------------------- CSV / JSON

def test_csv_has_the_schema_columns(report):
    rows = [r.row for r in report.rows]
    text = render_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text)))
    fields = [f for f in ComplianceRow.model_fields if f != "evidence"]
    assert list(parsed[0]) == COLUMNS and list(parsed[0])[:len(fields)] != [] and set(fields) <= set(COLUMNS)
    assert [c for c in COLUMNS if c.startswith("evidence_")] == [
        "evidence_path", "evidence_sha256", "evidence_page", "evidence_table", "evidence_row", "evidence_bbox",
        "evidence_date_text", "evidence_activity_id"]
    assert len(parsed) == len(rows)
    for line, row in zip(parsed, rows):  # the evidence of a matched row is in its columns
        if row.evidence is not None:
            assert line["evidence_row"] == str(row.evidence.row) and line["evidence_path"] == row.evidence.path
    assert any(HOSTILE.split(" ")[0] in (p["activity_text"] or "") for p in parsed)   # data kept verbatim
    assert render_json(rows).startswith("[\n  {\n    \"document_id\"")


def test_compliance_csv_names_each_row_act():
    """Beside the document id, the act's label — region or municipality, type, number, date —
    so a spreadsheet tells Тюмень's plan from Тюменская область's (both RU-TYU) without a join."""
    from pipeline.reports import document_label
    from pipeline.reports.csv import render_compliance

    documents = [gold_document(s) for s in STEMS]
    rows = compare_documents(documents, load_timeline())
    parsed = list(csv.DictReader(io.StringIO(render_compliance(rows, documents, []))))
    labels = {d.id: document_label(d) for d in documents}
    assert [line["document"] for line in parsed] == [labels[row.document_id] for row in rows]
    assert len(set(labels.values())) == len(documents) > 1
    assert {line["document"] for line in parsed if line["region_code"] == "RU-TYU"} == {
        "город Тюмень — приказ № 1028 от 09.08.2021", "Тюменская область — приказ № 918/02 от 30.12.2021"}


@pytest.mark.parametrize("days, text", [(0, "0"), (5, "+5"), (-3, "−3"), (44, "+44")])
def test_signed(days, text):
    assert signed(days) == text


# --------------------------------------------------------------------------- XLSX

@pytest.mark.parametrize("label, taken, expected", [
    ("Тюменская область 918/02", set(), "Тюменская область 918 02"),
    ("Департамент образования и науки Тюменской области", set(), "Департамент образования и науки"),
    ("a/b\\c?d*e[f]g:h", set(), "a b c d e f g h"),
    ("Сводка", {"сводка"}, "Сводка (2)"),
    ("", set(), "Документ"),
    ("'quoted'", set(), "quoted"),
])
def test_sheet_title(label, taken, expected):
    title = sheet_title(label, set(taken))
    assert title == expected and len(title) <= 31


@pytest.fixture(scope="module")
def workbook_path(report, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "compliance.xlsx"
    write_xlsx(report, path)
    return path


def test_xlsx_reopens_with_the_summary_and_a_sheet_per_document(report, workbook_path):
    from openpyxl import load_workbook

    wb = load_workbook(workbook_path)
    assert wb.sheetnames[0] == "Сводка" and wb.sheetnames[-1] == "Федеральный график"
    assert len(wb.sheetnames) == 2 + len(report.documents)
    summary = wb["Сводка"]
    ids = [summary.cell(row=4, column=j).value for j in range(3, 3 + len(report.milestones))]
    assert ids == [m.id for m in report.milestones]
    totals = summary.cell(row=5 + len(report.documents), column=3).value
    assert totals == "\n".join(f"{STATUS_LABELS[s]}: {n}" for s, n in
                               report.milestone_counts(report.milestones[0].id).items() if n)
    for i, doc in enumerate(report.documents, start=5):
        assert summary.cell(row=i, column=1).value == doc.label
        for j, m in enumerate(report.milestones, start=3):
            cell = summary.cell(row=i, column=j)
            r = report.cell(doc.id, m.id)
            colour = cell.fill.start_color.rgb[-6:]
            if r is None:
                assert cell.value == "—"
            else:
                assert colour == STATUS_COLOURS[r.row.status]
                assert cell.value.startswith(STATUS_LABELS[r.row.status])


def test_xlsx_detail_sheets_and_no_formulas(report, workbook_path):
    from openpyxl import load_workbook

    wb = load_workbook(workbook_path)
    detail = wb[wb.sheetnames[1]]
    texts = [detail.cell(row=i, column=6).value for i in range(5, detail.max_row + 1)]
    hostile = [t for t in texts if t and "<script>" in t]
    assert hostile and hostile[0].startswith('<script>alert("x")</script> & =HYPERLINK(')
    assert "\x07" not in hostile[0]                                       # XML-illegal character dropped
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    first_rows = report.rows_for(report.documents[0].id)
    assert detail.max_row == 4 + len(first_rows)
    deadlines = [detail.cell(row=i, column=3).value for i in range(5, detail.max_row + 1)]
    assert [d.date() for d in deadlines] == [r.row.federal_deadline for r in first_rows]


def _soffice_to_csv(path: Path, out_dir: Path) -> subprocess.CompletedProcess:
    profile = out_dir / "lo-profile"
    return subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out_dir), str(path)],
        capture_output=True, text=True, timeout=240,
    )


@pytest.mark.slow
def test_xlsx_opens_in_libreoffice(report, workbook_path, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from openpyxl import Workbook

    probe = tmp_path / "probe.xlsx"
    wb = Workbook()
    wb.active["A1"] = "probe"
    wb.save(probe)
    _soffice_to_csv(probe, tmp_path)
    if not (tmp_path / "probe.csv").exists():
        pytest.skip("LibreOffice here cannot open spreadsheets (libreoffice-calc not installed)")
    result = _soffice_to_csv(workbook_path, tmp_path)
    converted = tmp_path / "compliance.csv"
    assert converted.exists(), result.stderr
    text = converted.read_text(encoding="utf-8")
    assert "Соответствие планов федеральному графику" in text
    for doc in report.documents:
        assert doc.label.split(" — ")[0] in text


# --------------------------------------------------------------------------- HTML

class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def html_text(report) -> str:
    return render_html(report)


def test_html_is_self_contained(html_text):
    parsed = _Collector()
    parsed.feed(html_text)
    tags = {t for t, _ in parsed.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for tag, attrs in parsed.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert "@import" not in html_text and "url(" not in html_text
    # URLs: the SVG namespace name (never fetched) and the escaped document text, nothing else
    urls = set(re.findall(r"https?://[\w./-]+", html_text))
    assert urls <= {"http://www.w3.org/2000/svg", "http://evil.example"}, urls


def test_html_escapes_document_text(html_text):
    assert "<script>" not in html_text and "<b>" not in html_text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html_text
    parsed = _Collector()
    parsed.feed(html_text)
    assert any('<script>alert("x")</script>' in t for t in parsed.text)   # shown as text


def test_html_has_matrix_and_a_chart_per_document(report, html_text):
    assert html_text.count("<svg") == len(report.documents)
    assert html_text.count('<table class="matrix">') == len({m.year for m in report.milestones})
    for doc in report.documents:
        svg = timeline_svg(report, doc)
        rows = report.rows_for(doc.id)
        assert svg.count("<polygon") == len(rows)                         # one federal deadline mark per milestone
        dated = [r for r in rows if r.row.planned_end is not None]
        assert svg.count("<circle") == len(dated)                         # one plan mark per dated match
        assert svg.count("✕ нет в плане") == sum(1 for r in rows if r.row.status == "missing")


@pytest.mark.slow
def test_html_renders_in_headless_chromium(html_text, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (CI installs chromium)")
    from PIL import Image

    page = tmp_path / "report.html"
    page.write_text(html_text, encoding="utf-8")
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--host-resolver-rules=MAP * ~NOTFOUND",   # offline: any lookup fails
         "--window-size=1400,1800", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50, "screenshot is blank"
    white = max(count for count, rgb in colours if rgb == (255, 255, 255)) if any(
        rgb == (255, 255, 255) for _, rgb in colours) else 0
    assert white < 0.97 * image.width * image.height
    present = {rgb for _, rgb in colours}
    fills = {tuple(int(STATUS_COLOURS[s][i:i + 2], 16) for i in (0, 2, 4)) for s in ("on_time", "late", "missing")}
    assert fills <= present, "status colours of the matrix are not on screen"


# --------------------------------------------------------------------------- registry

def test_every_registered_format_has_its_renderer():
    from pipeline.reports.formats import REGISTRY, renderer

    for subject, formats in REGISTRY.items():
        for fmt in formats:
            assert callable(renderer(subject, fmt)), (subject, fmt)
    with pytest.raises(ValueError, match="unknown compliance format: pdf"):
        renderer("compliance", "pdf")


def test_the_commands_offer_exactly_the_registered_formats():
    from cli.commands.compare import CompareFormat
    from cli.commands.export import ExportFormat
    from cli.commands.extract import ExtractFormat
    from pipeline.reports.formats import formats

    assert [f.value for f in ExtractFormat] == formats("documents")
    assert [f.value for f in CompareFormat] == formats("compliance")
    assert [f.value for f in ExportFormat] == formats("activities")


def test_rendering_json_loads_no_spreadsheet_or_dataframe_library():
    import subprocess
    import sys

    code = ("import sys; from pipeline.reports.formats import renderer; renderer('compliance', 'json'); "
            "renderer('documents', 'csv'); print([m for m in ('openpyxl', 'pandas') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert out.stdout.strip() == "[]"
