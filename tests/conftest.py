"""ROADMAP_REQUIRE_TOOLS=1 (CI sets it): a test skipped because a system tool is missing —
PostgreSQL, LibreOffice, Tesseract, Chromium — fails instead, so a run where those tests
silently did not happen cannot pass. Without it such tests skip with their reason, as usual."""
from __future__ import annotations

import os
import re

import pytest

REQUIRE_TOOLS = os.environ.get("ROADMAP_REQUIRE_TOOLS") == "1"
TOOL_SKIP = re.compile(r"postgres|libreoffice|soffice|tesseract|chromium", re.IGNORECASE)


def tool_skip(reason: str) -> bool:
    """Whether a skip reason says a system tool is missing (or not configured)."""
    return bool(TOOL_SKIP.search(reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if not (REQUIRE_TOOLS and report.skipped and isinstance(report.longrepr, tuple)) or hasattr(report, "wasxfail"):
        return
    reason = str(report.longrepr[2])
    if tool_skip(reason):
        report.outcome = "failed"
        report.longrepr = f"ROADMAP_REQUIRE_TOOLS=1 but a needed tool is missing: {reason}"
