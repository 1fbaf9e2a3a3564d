"""Stopping a command the tests started as a process, as `kill` or `systemctl stop` would, and
finding the processes it started in turn."""
from __future__ import annotations

import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path
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


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process `pid` started, and theirs (`ps -ww`: whole lines;
    without it a line is cut at the terminal's width)."""
    out = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True, text=True).stdout
    rows = [line.split(None, 2) for line in out.splitlines() if len(line.split(None, 2)) == 3]
    found, frontier = [], {pid}
    while frontier:
        kids = [(int(p), args) for p, pp, args in rows if int(pp) in frontier]
        found += kids
        frontier = {p for p, _ in kids}
    return found


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie has ended; only its parent has not reaped it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
