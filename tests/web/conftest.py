"""Workbench tests: stores filled by ingesting a copy of fixtures/orders through the same
flow as `roadmap ingest`, on SQLite and, when ROADMAP_TEST_PG_URL names a server, on
PostgreSQL. Ingest is slow, so a filled store is shared by a module's tests."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDERS = ROOT / "fixtures" / "orders"
PG_SKIP = "PostgreSQL not configured: set ROADMAP_TEST_PG_URL (scripts/start_postgres.sh does)"


@contextmanager
def empty_store(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new empty store of `backend`."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'roadmaps.db'}"
        return
    from pipeline.store import scratch_database

    with scratch_database(os.environ["ROADMAP_TEST_PG_URL"], prefix="roadmap_web") as url:
        yield url


def copy_orders(target: Path, names: list[str] | None = None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(ORDERS.iterdir()):
        if names is None or path.name in names:
            shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not os.environ.get("ROADMAP_TEST_PG_URL"):
        pytest.skip(PG_SKIP)
    return request.param


@pytest.fixture(scope="module")
def filled_store(backend: str, prefect_harness: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A store holding every fixture order (ingested from a temporary copy of the folder)."""
    from web.app import ingest_with_flow

    folder = tmp_path_factory.mktemp(f"web-{backend}")
    inbox = copy_orders(folder / "inbox")
    with empty_store(backend, folder) as url:
        report = ingest_with_flow(str(inbox), url)
        assert report["counts"]["failed"] == 0, report
        yield {"url": url, "inbox": inbox, "backend": backend, "folder": folder}
