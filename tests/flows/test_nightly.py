"""The nightly deployment: its schedule, and one run of what it runs."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipeline.filestore import FileStore
from pipeline.store import Store

from flow_fixtures import GOOD, build_good_inbox


def next_runs(schedule, n: int, start: datetime) -> list[datetime]:
    """The dates Prefect's scheduler service would create runs for."""
    from prefect.server.schemas.schedules import CronSchedule

    return asyncio.run(CronSchedule(**schedule.model_dump()).get_dates(n, start=start))


def test_nightly_deployment_runs_at_two_in_the_morning_moscow_time(tmp_path: Path) -> None:
    from flows.nightly import deployment_name, nightly_deployment

    deployment = nightly_deployment(tmp_path, "relative.db")
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 2 * * *", "Europe/Moscow")
    assert schedule.active
    assert deployment.name == deployment_name(tmp_path)
    assert deployment.parameters == {"inbox": str(tmp_path.resolve()),
                                     "db_url": f"sqlite:///{Path('relative.db').resolve()}"}
    start = datetime(2024, 3, 30, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    dates = next_runs(schedule.schedule, 3, start)
    assert [d.astimezone(ZoneInfo("Europe/Moscow")).replace(tzinfo=None) for d in dates] == [
        datetime(2024, 3, 31, 2, 0), datetime(2024, 4, 1, 2, 0), datetime(2024, 4, 2, 2, 0)]
    assert all(b - a == timedelta(days=1) for a, b in zip(dates, dates[1:]))


def test_a_custom_schedule_and_no_stored_database(tmp_path: Path) -> None:
    from flows.nightly import nightly_deployment

    deployment = nightly_deployment(tmp_path, cron="30 3 * * 1-5", timezone="Asia/Yekaterinburg")
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 3 * * 1-5", "Asia/Yekaterinburg")
    assert deployment.parameters["db_url"] is None  # read from $ROADMAP_DB when the run starts
    assert "files" not in deployment.parameters  # $ROADMAP_FILES or beside the database, at run time


def test_serve_files_option_is_stored_in_the_deployment(tmp_path: Path, monkeypatch) -> None:
    """`roadmap serve --files DIR` hands DIR to every scheduled run as an absolute path, like
    `roadmap ingest --files DIR`, instead of leaving it to the server's environment."""
    from cli.commands import serve
    import flows.nightly

    monkeypatch.chdir(tmp_path)
    served = []
    monkeypatch.setattr(flows.nightly, "serve_nightly", lambda deployment, run_now=False: served.append(deployment))
    serve.command(inbox=tmp_path, cron="0 2 * * *", timezone="Europe/Moscow", db="r.db",
                  files=Path("kept"), workers=None, name=None, run_now=False, verbose=False)
    [deployment] = served
    assert deployment.parameters["files"] == str(tmp_path / "kept")
    assert deployment.parameters["db_url"] == f"sqlite:///{tmp_path / 'r.db'}"


def test_serve_workers_option_is_stored_in_the_deployment(tmp_path: Path, monkeypatch) -> None:
    """`roadmap serve --workers N`: every scheduled run gets N as a parameter (a run has only
    its deployment's parameters); without it the parameter is absent and runs use threads."""
    from cli.commands import serve
    import flows.nightly

    served = []
    monkeypatch.setattr(flows.nightly, "serve_nightly", lambda deployment, run_now=False: served.append(deployment))
    for workers in (2, None):
        serve.command(inbox=tmp_path, cron="0 2 * * *", timezone="Europe/Moscow", db=None, files=None,
                      workers=workers, name=None, run_now=False, verbose=False)
    assert served[0].parameters["workers"] == 2
    assert "workers" not in served[1].parameters


@pytest.mark.slow
@pytest.mark.usefixtures("extraction_available", "prefect_harness")
def test_a_scheduled_run_with_workers_extracts_in_a_process_pool(tmp_path: Path, db_url: str, monkeypatch) -> None:
    """What the scheduler runs (the flow with its deployment's parameters, no `run_ingest`
    around it) starts the pool itself, uses it for every batch, and ends it with the run."""
    from flows.nightly import nightly_deployment, run_once
    from pipeline import batch

    pools = []
    in_pool = batch._in_pool

    def spy(items, work):
        pools.append(batch.POOL.workers if batch.POOL.executor is not None else None)
        return in_pool(items, work)

    monkeypatch.setattr(batch, "_in_pool", spy)
    report = run_once(nightly_deployment(build_good_inbox(tmp_path / "inbox"), db_url, workers=2))
    assert report["counts"]["stored"] == len(GOOD)
    assert pools and set(pools) == {2}
    assert batch.POOL.executor is None


@pytest.mark.slow
@pytest.mark.usefixtures("extraction_available", "prefect_harness")
def test_the_deployment_runs_the_ingest_once(tmp_path: Path, db_url: str) -> None:
    from flows.nightly import nightly_deployment, run_once

    inbox = build_good_inbox(tmp_path / "inbox")
    report = run_once(nightly_deployment(inbox, db_url, files=tmp_path / "kept"))
    assert report["counts"]["stored"] == len(GOOD)
    with Store(db_url) as store:
        ledger = store.ledger()
    assert len(ledger) == len(GOOD)
    kept = FileStore(tmp_path / "kept")
    assert all(kept.find(row.sha256) for row in ledger)  # the originals went where the deployment says


@pytest.mark.parametrize("cron, zone, after, expected", [
    ("0 2 * * *", "Europe/Moscow", datetime(2026, 12, 7, 23, 30, tzinfo=ZoneInfo("UTC")),
     datetime(2026, 12, 9, 2, 0, tzinfo=ZoneInfo("Europe/Moscow"))),
    ("0 2 * * *", "Europe/Moscow", datetime(2026, 12, 7, 22, 30, tzinfo=ZoneInfo("UTC")),
     datetime(2026, 12, 8, 2, 0, tzinfo=ZoneInfo("Europe/Moscow"))),
    ("30 6 * * 1-5", "Asia/Yekaterinburg", datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo("UTC")),
     datetime(2026, 12, 7, 6, 30, tzinfo=ZoneInfo("Asia/Yekaterinburg"))),
])
def test_serve_says_when_the_next_run_is(tmp_path: Path, cron: str, zone: str, after: datetime,
                                          expected: datetime) -> None:
    from flows.nightly import next_run, nightly_deployment

    when = next_run(nightly_deployment(tmp_path, cron=cron, timezone=zone), after=after)
    assert when == expected and when.utcoffset() == expected.utcoffset()


@pytest.mark.slow
@pytest.mark.usefixtures("extraction_available", "prefect_harness")
def test_a_scheduled_run_prints_a_line_and_a_plain_run_does_not(tmp_path: Path, db_url: str, capfd) -> None:
    """What `roadmap serve`'s terminal shows: the flow run of a deployment (created as the
    scheduler creates it, run by Prefect's engine as the runner's subprocess runs it) prints
    one line; the same flow called directly (`roadmap ingest`, which prints its own table)
    prints none."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow

    from flows.ingest import ingest_orders
    from flows.nightly import nightly_deployment

    inbox = build_good_inbox(tmp_path / "inbox")
    deployment = nightly_deployment(inbox, db_url, name=f"nightly-{tmp_path.name}")
    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run_from_deployment(deployment.apply())
    capfd.readouterr()
    report = run_flow(ingest_orders, flow_run=flow_run, parameters=deployment.parameters)
    lines = [line for line in capfd.readouterr().err.splitlines() if " ingest of " in line]
    assert report["counts"]["stored"] == len(GOOD)
    assert len(lines) == 1 and f" ingest of {inbox.resolve()}: {len(GOOD)} stored;" in lines[0], lines
    again = ingest_orders(**deployment.parameters)
    assert again["counts"]["duplicate"] == len(GOOD)
    assert " ingest of " not in capfd.readouterr().err


@pytest.mark.parametrize("zone", ["MSK", "Europe/Moskow", "../etc/passwd", "", "UTC+3"])
def test_serve_refuses_a_time_zone_it_does_not_know_in_one_line(tmp_path: Path, zone: str) -> None:
    """A mistyped --timezone is a usage error like a mistyped --cron, not a traceback."""
    from typer.testing import CliRunner

    from cli.app import app

    result = CliRunner().invoke(app, ["serve", "--inbox", str(tmp_path), "--timezone", zone])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (f"invalid time zone: {zone!r} (an IANA name, such as Europe/Moscow or "
                                     "Asia/Yekaterinburg)")


@pytest.mark.parametrize("machine, said", [
    ("UTC", "2026-12-07 23:00 UTC (02:00 MSK by the schedule)"),
    ("Europe/Moscow", "2026-12-08 02:00 MSK"),
    ("Asia/Yekaterinburg", "2026-12-08 04:00 +05 (02:00 MSK by the schedule)"),
])
def test_the_next_run_is_said_in_the_machine_time_its_lines_use(tmp_path: Path, monkeypatch, machine: str,
                                                                said: str) -> None:
    import time

    from flows.nightly import nightly_deployment, when_next

    monkeypatch.setenv("TZ", machine)
    time.tzset()
    try:
        after = datetime(2026, 12, 7, 12, 0, tzinfo=ZoneInfo("UTC"))
        assert when_next(nightly_deployment(tmp_path), after=after) == said
    finally:
        monkeypatch.undo()
        time.tzset()


def test_serve_run_now_prints_the_run_line(tmp_path: Path, db_url: str, serving_nothing, capsys) -> None:
    """`serve --run-now` says what the first run did in the same line as a scheduled run, not
    as a Python dict."""
    nightly = serving_nothing
    inbox = build_good_inbox(tmp_path / "inbox")
    (inbox / "empty.pdf").write_bytes(b"")
    nightly.serve_nightly(nightly.nightly_deployment(inbox, db_url), run_now=True)
    err = capsys.readouterr().err.splitlines()
    [line] = [line for line in err if " ingest of " in line]
    assert f"ingest of {inbox.resolve()}: {len(GOOD)} stored, 1 failed; failed: empty.pdf" in line
    assert err[-1] == "stopped"


@pytest.fixture()
def serving_nothing(monkeypatch):
    """flows.nightly with no scheduling server and a runner that stops as soon as it starts."""
    from contextlib import contextmanager

    import flows.nightly as nightly

    @contextmanager
    def no_server():
        yield "http://127.0.0.1:1/api"

    monkeypatch.setattr(nightly, "scheduling_server", no_server)
    monkeypatch.setattr(nightly, "_runner", _StoppedRunner)
    return nightly


class _StoppedRunner:
    """A runner stopped (Ctrl-C) as soon as it starts, with no run in progress."""

    interrupted_runs = 0

    def add_deployment(self, deployment) -> None:
        pass

    def handle_sigterm(self, *args) -> None:
        raise KeyboardInterrupt

    async def start(self) -> None:
        raise KeyboardInterrupt


def test_serve_stopped_during_run_now_says_the_ingest_was_cut_short(tmp_path: Path, db_url: str, serving_nothing,
                                                                     monkeypatch, capsys) -> None:
    """Ctrl-C or SIGTERM (exit_on_sigterm's SystemExit) while `--run-now` ingests: the last
    line says the run was cut short. A scheduled run cut short: test_serve_process.py."""
    nightly = serving_nothing

    def interrupted(deployment):
        raise SystemExit(0)

    monkeypatch.setattr(nightly, "run_once", interrupted)
    with pytest.raises(SystemExit):
        nightly.serve_nightly(nightly.nightly_deployment(build_good_inbox(tmp_path / "inbox"), db_url), run_now=True)
    assert capsys.readouterr().err.splitlines()[-1] == nightly.stopped_line(cut_short=True)


@pytest.mark.parametrize("cut_short, line", [
    (False, "stopped"),
    (True, "stopped; the ingest in progress was cut short: the files it had not stored yet are read by the next run"),
])
def test_stopped_line(cut_short: bool, line: str) -> None:
    from flows.nightly import stopped_line

    assert stopped_line(cut_short) == line


def test_each_inbox_has_a_deployment_of_its_own(tmp_path: Path) -> None:
    """Two `serve`s share Prefect's database: under one name the second took over the first's
    schedule and inbox. By default each inbox names its deployment; `--name` still wins."""
    from flows.nightly import deployment_name, nightly_deployment

    (tmp_path / "a" / "inbox").mkdir(parents=True)
    (tmp_path / "b" / "inbox").mkdir(parents=True)
    (tmp_path / "Входящие приказы").mkdir()
    first, second = deployment_name(tmp_path / "a" / "inbox"), deployment_name(tmp_path / "b" / "inbox")
    assert first != second
    assert first.startswith("nightly-ingest-inbox-") and len(first.rsplit("-", 1)[1]) == 6
    assert deployment_name(tmp_path / "a" / "inbox") == first  # the same folder, the same name
    assert deployment_name(tmp_path / "a" / ".." / "a" / "inbox") == first
    assert deployment_name(tmp_path / "Входящие приказы").startswith("nightly-ingest-Входящие-приказы-")
    assert nightly_deployment(tmp_path / "a" / "inbox").name == first
    assert nightly_deployment(tmp_path / "a" / "inbox", name="tyumen").name == "tyumen"
