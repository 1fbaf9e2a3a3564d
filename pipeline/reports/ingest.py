"""An ingest run's report for Prefect's UI: a table of its files and a markdown summary,
both from the report the run read back from the ledger (so they agree with `roadmap status`)."""
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
        "| " + " | ".join(c) + " |",
        "|" + "---:|" * len(c),
        "| " + " | ".join(str(n) for n in c.values()) + " |",
        "",
    ]
    for status, title in (("failed", "Failed files"), ("skipped", "Skipped files (not orders)")):
        files = [f for f in report.files if f.status == status]
        if files:
            lines += [f"## {title}", "", "| file | reason |", "|---|---|"]
            lines += [f"| `{_md(f.path)}` | {_md(f.reason or '')} |" for f in files]
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
