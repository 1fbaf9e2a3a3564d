"""Helpers of the workbench tests (imported by name: tests/ is not a package)."""
from __future__ import annotations

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

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


@contextmanager
def client_for(url: str, uploads: Optional[Path] = None, **options) -> Iterator:
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(url, uploads=uploads, **options)) as client:
        yield client


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def store_amendment(url: str, path_suffix: str) -> tuple[str, str]:
    """Store an amending act for the current document whose path ends with `path_suffix`:
    its second activity moved by 30 days, its third's result changed, its last dropped, one
    added. Returns (old id, new id)."""
    from datetime import date, timedelta

    from schema import Activity, ActRef, RowSource, Schedule
    from pipeline.ingest import refresh_compliance
    from pipeline.store import Store

    with Store(url) as store:
        old = next(d for d in store.current_documents() if d.source.path.endswith(path_suffix))
        new = old.model_copy(deep=True)
        new.id = "amend-" + old.id[:10]
        new.source.sha256 = "f" * 64
        new.source.path = old.source.path + ".amended.json"
        new.number = f"{old.number}-изм"
        new.date = (old.date or date(2022, 1, 1)) + timedelta(days=60)
        new.amends = [ActRef(number=old.number, date=old.date)]
        moved = new.activities[1]
        if moved.schedule.end:
            moved.schedule.end += timedelta(days=30)
            moved.schedule.raw = f"до {moved.schedule.end:%d.%m.%Y}"
        new.activities[2].result = "Итоги подведены на коллегии"  # a changed field, old → new
        new.activities.pop()
        new.activities.append(Activity(
            seq="99", text="Дополнительный семинар для кураторов школ по итогам мониторинга",
            schedule=Schedule(raw="до 15.12.2022", kind="deadline", end=date(2022, 12, 15)),
            source=RowSource(table=1, row=99)))
        store.store_document(new, path=new.source.path, size=1)
        refresh_compliance(store)
    return old.id, new.id
