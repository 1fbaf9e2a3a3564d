"""Flow tests: one Prefect test harness for the session (a temporary API server, ~13 s),
quiet, with its own PREFECT_HOME; stores on SQLite and, when ROADMAP_TEST_PG_URL names a
server, on PostgreSQL (scratch databases)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pytest

# Prefect reads these when it is imported: set them before any test module imports it.
_PREFECT_HOME = tempfile.mkdtemp(prefix="roadmap-prefect-test-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

PG_SKIP = "PostgreSQL not configured: set ROADMAP_TEST_PG_URL (scripts/start_postgres.sh does)"


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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not os.environ.get("ROADMAP_TEST_PG_URL"):
        pytest.skip(PG_SKIP)
    return request.param


@pytest.fixture
def make_db_url(backend: str, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Fresh empty stores of the test's backend, as many as the test asks for."""
    from contextlib import ExitStack

    from pipeline.store import scratch_database

    counter = iter(range(1000))
    with ExitStack() as stack:
        def make() -> str:
            n = next(counter)
            if backend == "sqlite":
                return f"sqlite:///{tmp_path / f'roadmaps-{n}.db'}"
            return stack.enter_context(scratch_database(os.environ["ROADMAP_TEST_PG_URL"], prefix="roadmap_flow"))

        yield make


@pytest.fixture
def db_url(make_db_url: Callable[[], str]) -> str:
    return make_db_url()


@pytest.fixture(scope="session")
def extraction_available() -> None:
    try:
        import pipeline.extract  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"pipeline.extract is not importable yet: {exc}")
