"""An ingest run's report for Prefect's UI (a table of its files and a markdown summary) and
for a served deployment's log (a line a run), all from the report the run read back from the
ledger (so they agree with `roadmap status`)."""
from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from pipeline.ingest import IngestReport
from pipeline.reports import some_names
from pipeline.store.ledger import RENDITION_NOTE


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


def summary_line(report: IngestReport, when: datetime) -> str:
    """One line for the log of a served deployment, a run a night: when, which inbox, what
    became of its files (only the statuses that occurred; "nothing new" when no file was new;
    a file that failed in an earlier run and is unchanged apart), the files that failed in this
    run by name, and the regions whose compliance was recomputed."""
    failed = [PurePath(f.path).name for f in report.new_failures()]
    known = len(report.earlier_failures())
    # a file that failed in an earlier run, unchanged, is said apart: no news
    counts = {status: n for status, n in {**report.counts, "failed": len(failed)}.items() if n}
    told = ", ".join([f"{n} {status}" for status, n in counts.items()]
                     + ([f"{known} failed before, unchanged"] if known else []))
    # a duplicate is no news when its bytes were stored already, but another rendition of an
    # act (new bytes, its plan perhaps different) was read and stored in this run
    renditions = any(f.status == "duplicate" and (f.reason or "").startswith(RENDITION_NOTE) for f in report.files)
    if not report.files:
        told = "no files"
    elif set(counts) <= {"duplicate", "skipped"} and not renditions:
        told = f"nothing new ({told})"
    line = f"{when:%Y-%m-%d %H:%M %Z}".strip() + f" ingest of {report.inbox}: {told}"
    if failed:
        line += f"; failed: {some_names(failed)} (reasons: `roadmap status`)"
    comp = report.compliance
    if comp.get("skipped"):
        line += f"; compliance not computed: {comp['skipped']}"
    elif comp.get("regions"):
        line += f"; compliance recomputed for {', '.join(r or '(no region)' for r in comp['regions'])}"
    return line

