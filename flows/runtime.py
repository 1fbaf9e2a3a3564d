"""Prefect settings for running flows from the command line, applied before Prefect is
imported (its settings are read at import). Standard library only.

Without PREFECT_API_URL, Prefect starts a temporary local API server for the first flow
run of a process (16–19 s on a fresh PREFECT_HOME here), so its start-up timeout is raised
above the 20 s default; analytics are off (offline machines); task-state lines go to
Prefect's own log store but not to the console, where our progress bar and summary are.
A value the user already set always wins.
"""
from __future__ import annotations

import logging
import os

DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}


def configure_prefect_env(verbose: bool = False) -> None:
    """Quiet, offline-friendly Prefect defaults for this process and its children."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    if verbose:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "INFO")
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
    else:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def quiet_dask_logs() -> None:
    """distributed logs every worker start and stop at INFO: keep warnings only."""
    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
                 "distributed.core", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.ERROR)
