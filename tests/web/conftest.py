"""Workbench tests: stores filled by ingesting a copy of fixtures/orders through the same
flow as `roadmap ingest`, on SQLite and, when ROADMAP_TEST_PG_URL names a server, on
PostgreSQL. Ingest is slow, so a filled store is shared by a module's tests."""
from __future__ import annotations

import os
from typing import Iterator

import pytest

from web_fixtures import PG_SKIP, copy_orders, empty_store


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
