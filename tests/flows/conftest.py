"""Flow tests: the session's Prefect test harness (tests/conftest.py); stores on SQLite and,
when ROADMAP_TEST_PG_URL names a server, on PostgreSQL (scratch databases)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

import pytest

PG_SKIP = "PostgreSQL not configured: set ROADMAP_TEST_PG_URL (scripts/start_postgres.sh does)"


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
