"""One Prefect test harness for the session (a temporary API server, ~13 s), quiet, with
its own PREFECT_HOME, for the flow and workbench tests.

ROADMAP_REQUIRE_TOOLS=1 (CI sets it): a test skipped because a system tool is missing —
PostgreSQL, LibreOffice, Tesseract, Chromium — fails instead, so a run where those tests
silently did not happen cannot pass. Without it such tests skip with their reason, as usual."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from flows.runtime import TEMPORARY_SERVER_DEFAULTS  # standard library only: Prefect is not imported

# Prefect reads these when it is imported: set them before any test module imports it.
_PREFECT_HOME = tempfile.mkdtemp(prefix="roadmap-prefect-test-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# The harness's server is a temporary one, run as the CLI runs its own (flows/runtime.py).
for _key, _value in TEMPORARY_SERVER_DEFAULTS.items():
    os.environ.setdefault(_key, _value)

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files holding slow tests first, each file's tests in their order: the workers
    (`--dist loadfile`) take the long files while the short ones fill in after, instead of
    one worker still running a long file when everything else is done."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[dict[str, str]]:
    """A temporary Prefect API for the whole session; yields the environment a child
    process needs to use it (the kill test runs the CLI as a subprocess)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_LOCAL_STORAGE_PATH, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    storage = Path(_PREFECT_HOME) / "storage"
    with temporary_settings(updates={PREFECT_LOCAL_STORAGE_PATH: storage}):
        with prefect_test_harness(server_startup_timeout=120):
            yield {
                "PREFECT_API_URL": str(PREFECT_API_URL.value()),
                "PREFECT_HOME": _PREFECT_HOME,
                "PREFECT_LOCAL_STORAGE_PATH": str(storage),
            }
