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
