"""Store tests run on SQLite and, when ROADMAP_TEST_PG_URL names a server, on PostgreSQL."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from pipeline.store import Store, scratch_database

PG_SKIP = "PostgreSQL not configured: set ROADMAP_TEST_PG_URL (scripts/start_postgres.sh does)"


@pytest.fixture(scope="session")
def pg_scratch_url() -> Iterator[str]:
    """One scratch database for the session; each test starts from empty tables."""
    server = os.environ.get("ROADMAP_TEST_PG_URL")
    if not server:
        pytest.skip(PG_SKIP)
    with scratch_database(server, prefix="roadmap_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'roadmaps.db'}"
        return
    url = request.getfixturevalue("pg_scratch_url")
    empty = Store(url, create=False)
    empty.drop_all()
    empty.close()
    yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()
