"""The line a served deployment prints for each run (pipeline.reports.ingest.summary_line)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pipeline.ingest import FileOutcome, IngestReport
from pipeline.reports.ingest import summary_line

MSK = timezone(timedelta(hours=3), "MSK")
NIGHT = datetime(2026, 12, 8, 2, 0, tzinfo=MSK)


def _report(statuses: list[str], compliance: dict | None = None) -> IngestReport:
    files = [FileOutcome(f"/srv/inbox/order-{n}.pdf", f"{n:064x}", status, "why" if status == "failed" else None)
             for n, status in enumerate(statuses)]
    return IngestReport(inbox="/srv/inbox", db="sqlite:///r.db", files=files, compliance=compliance or {})


@pytest.mark.parametrize("statuses, compliance, line", [
    ([], None, "2026-12-08 02:00 MSK ingest of /srv/inbox: no files"),
    (["duplicate"] * 3, None, "2026-12-08 02:00 MSK ingest of /srv/inbox: nothing new (3 duplicate)"),
    (["duplicate", "skipped"], None, "2026-12-08 02:00 MSK ingest of /srv/inbox: nothing new (1 duplicate, 1 skipped)"),
    (["stored", "stored", "duplicate"], {"regions": ["RU-TYU", ""], "rows": 9},
     "2026-12-08 02:00 MSK ingest of /srv/inbox: 2 stored, 1 duplicate; compliance recomputed for RU-TYU, (no region)"),
    (["stored", "failed"], {"skipped": "no timeline"},
     "2026-12-08 02:00 MSK ingest of /srv/inbox: 1 stored, 1 failed; failed: order-1.pdf (reasons: `roadmap status`)"
     "; compliance not computed: no timeline"),
    (["failed"] * 7, None,
     "2026-12-08 02:00 MSK ingest of /srv/inbox: 7 failed; failed: order-0.pdf, order-1.pdf, order-2.pdf, "
     "order-3.pdf, order-4.pdf and 2 more (reasons: `roadmap status`)"),
    (["superseded", "stored"], None, "2026-12-08 02:00 MSK ingest of /srv/inbox: 1 stored, 1 superseded"),
])
def test_summary_line(statuses: list[str], compliance: dict | None, line: str) -> None:
    assert summary_line(_report(statuses, compliance), NIGHT) == line


def test_another_rendition_read_in_the_run_is_news() -> None:
    """New bytes of an act already stored (its PDF after its DOCX, a corrected appendix under
    the same number) are a duplicate, but not "nothing new": they were read and stored."""
    report = _report(["duplicate", "duplicate"], {"regions": ["RU-TYU"], "rows": 9})
    report.files[1].reason = ("another rendition of act RU-TYU приказ № 1028 of 2021-08-09 stored from /srv/inbox/a.docx "
                              "on 2026-12-07; BUT ITS PLAN DIFFERS (1 moved): not used for the act — see `roadmap diff a b`")
    report.files[0].reason = "same bytes as /srv/inbox/a.docx, stored 2026-12-07 (act RU-TYU приказ № 1028 of 2021-08-09)"
    assert summary_line(report, NIGHT) == ("2026-12-08 02:00 MSK ingest of /srv/inbox: 2 duplicate; "
                                           "compliance recomputed for RU-TYU")
    report.files[1].reason = report.files[0].reason
    assert "nothing new (2 duplicate)" in summary_line(report, NIGHT)


def test_summary_line_without_a_time_zone_name() -> None:
    assert summary_line(_report([]), datetime(2026, 12, 8, 2, 0)).startswith("2026-12-08 02:00 ingest of")


def _with_known(statuses: list[str], known: int) -> IngestReport:
    report = _report(statuses)
    for f in report.files[:known]:
        f.known = True
    return report


@pytest.mark.parametrize("statuses, known, line", [
    (["failed", "duplicate", "duplicate"], 1,
     "2026-12-08 02:00 MSK ingest of /srv/inbox: nothing new (2 duplicate, 1 failed before, unchanged)"),
    (["failed", "failed", "stored"], 1,
     "2026-12-08 02:00 MSK ingest of /srv/inbox: 1 stored, 1 failed, 1 failed before, unchanged; "
     "failed: order-1.pdf (reasons: `roadmap status`)"),
    (["failed"], 1, "2026-12-08 02:00 MSK ingest of /srv/inbox: nothing new (1 failed before, unchanged)"),
])
def test_a_file_that_failed_in_an_earlier_run_is_no_news(statuses: list[str], known: int, line: str) -> None:
    report = _with_known(statuses, known)
    assert summary_line(report, NIGHT) == line
    assert [f.path for f in report.new_failures()] == [f.path for f in report.files[known:] if f.status == "failed"]
    assert not report.failed_entirely() or any(f.status == "failed" and not f.known for f in report.files)
