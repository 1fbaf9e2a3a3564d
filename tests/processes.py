"""Stopping a command the tests started as a process, as `kill` or `systemctl stop` would."""
from __future__ import annotations

import signal
import subprocess
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def killed_at_exit(process: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """The process, killed and reaped on the way out if it is still running (a failed test
    leaves no server behind)."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def sigterm(process: subprocess.Popen, timeout: float = 30) -> int:
    """Send SIGTERM and wait for the exit code."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)
