"""An ingest run's report for Prefect's UI: a table of its files and a markdown summary."""
from __future__ import annotations

from pipeline.ingest import IngestReport


def summary_table(report: IngestReport) -> list[dict]:
    return [{"path": f.path, "status": f.status, "reason": f.reason or "", "document_id": f.document_id or "",
             "region": f.region or "", "activities": f.activities} for f in report.files]


def summary_markdown(report: IngestReport) -> str:
    c = report.counts
    lines = [
        f"# Ingest of `{report.inbox}`",
        "",
        f"Store: `{report.db}`",
        "",
        "| stored | duplicate | failed |",
        "|---:|---:|---:|",
        f"| {c['stored']} | {c['duplicate']} | {c['failed']} |",
        "",
    ]
    failed = [f for f in report.files if f.status == "failed"]
    if failed:
        lines += ["## Failed files", "", "| file | reason |", "|---|---|"]
        lines += [f"| `{_md(f.path)}` | {_md(f.reason or '')} |" for f in failed]
        lines.append("")
    comp = report.compliance
    if comp.get("skipped"):
        lines.append(f"Compliance not computed: {comp['skipped']}")
    elif comp.get("regions"):
        regions = ", ".join(r or "(no region)" for r in comp["regions"])
        lines.append(f"Compliance recomputed for {len(comp['regions'])} region(s): {regions} ({comp['rows']} rows).")
    for region, error in (comp.get("errors") or {}).items():
        lines.append(f"Compliance failed for {region}: {error}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
