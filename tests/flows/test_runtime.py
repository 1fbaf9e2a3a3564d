"""The Prefect settings the command line applies before Prefect is imported (flows/runtime.py)."""
from __future__ import annotations

import os

import pytest

from flows import runtime


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for key in (*runtime.DEFAULTS, *runtime.TEMPORARY_SERVER_DEFAULTS, "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(runtime, "_SET_FOR_TEMPORARY_SERVER", set())
    return monkeypatch


def test_temporary_server_runs_without_the_services_nobody_reads(clean_env: pytest.MonkeyPatch) -> None:
    runtime.configure_prefect_env()
    for key in runtime.TEMPORARY_SERVER_DEFAULTS:
        assert os.environ[key] == "false"


def test_a_long_lived_server_keeps_its_services(clean_env: pytest.MonkeyPatch) -> None:
    runtime.configure_prefect_env()
    env = runtime.long_lived_server_env()
    assert not set(runtime.TEMPORARY_SERVER_DEFAULTS) & set(env)
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"  # the other defaults still apply


def test_the_users_own_service_settings_win_everywhere(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED", "true")
    clean_env.setenv("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "false")
    runtime.configure_prefect_env()
    assert os.environ["PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED"] == "true"
    env = runtime.long_lived_server_env()
    assert env["PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED"] == "true"
    assert env["PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED"] == "false"
    assert "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED" not in env


# -- events nobody reads ------------------------------------------------------------------

_READERS_OFF = {
    "PREFECT_API_URL": None,
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": False,
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": False,
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": False,
    "PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED": False,
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": False,
}


class _Worker:
    """Stands in for Prefect's EventsWorker: keeps what would have been sent."""

    sent: list = []
    client_type = None

    @classmethod
    def instance(cls) -> "_Worker":
        return cls()

    def send(self, event: object) -> None:
        _Worker.sent.append(event)


@pytest.fixture()
def recorded_events(monkeypatch: pytest.MonkeyPatch) -> list:
    import prefect.events.utilities as events
    from prefect.events.clients import PrefectEventsClient

    monkeypatch.setattr(_Worker, "sent", [])
    monkeypatch.setattr(_Worker, "client_type", PrefectEventsClient)
    monkeypatch.setattr(events, "EventsWorker", _Worker)
    monkeypatch.setattr(events, "should_emit_events", lambda: True)  # as for a temporary server
    return _Worker.sent


def _settings(**changes: object):
    import prefect.settings

    return prefect.settings.temporary_settings(updates={
        getattr(prefect.settings, name): value for name, value in {**_READERS_OFF, **changes}.items()})


def _emit() -> object:
    from prefect.events.utilities import emit_event

    return emit_event(event="roadmap.test", resource={"prefect.resource.id": "roadmap.test"})


def test_a_run_whose_events_nobody_reads_sends_none(recorded_events: list) -> None:
    with _settings(), runtime.no_events_without_a_reader():
        assert _emit() is None
    assert recorded_events == []
    with _settings():
        assert _emit() is not None  # outside the run: as Prefect decides
    assert len(recorded_events) == 1


def test_the_runs_task_threads_send_none_and_other_threads_are_untouched(recorded_events: list) -> None:
    import contextvars
    import threading

    answers: dict[str, object] = {}
    with _settings(), runtime.no_events_without_a_reader():
        context = contextvars.copy_context()  # what Prefect's task runners hand their threads
        task_thread = threading.Thread(target=lambda: answers.update(task=context.run(_emit)))
        other_thread = threading.Thread(target=lambda: answers.update(other=_emit()))
        for thread in (task_thread, other_thread):
            thread.start()
            thread.join()
    assert answers["task"] is None
    assert answers["other"] is not None and len(recorded_events) == 1


@pytest.mark.parametrize("reader", [
    {"PREFECT_API_URL": "http://127.0.0.1:4200/api"},
    {"PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": True},
    {"PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": True},
    {"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": True},
    {"PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED": True},
    {"PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": True},
])
def test_events_are_sent_when_something_reads_them(recorded_events: list, reader: dict) -> None:
    with _settings(**reader), runtime.no_events_without_a_reader():
        assert _emit() is not None
    assert len(recorded_events) == 1
