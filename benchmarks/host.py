"""How much two processes get out of this machine right now: the host's own 1 → 2 scaling.

On a shared two-core guest, two processes doing the same pure-Python work (no I/O, nothing
shared) have scaled anywhere from 1.25× to 2× within minutes: the hypervisor and other
tenants decide it, not the code. A two-core speed-up measured here carries that noise, so the
benchmarks measure it beside their own pairs and print it with them: a pair's ratio reads
against the host's scaling in the same minutes as well as against its floor.

    python benchmarks/host.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

# Dictionary and integer work, the interpreter's everyday diet, nothing shared; ≈ 1 s of one
# core, long enough to ride out the scheduler's ticks. A fresh interpreter without `site`
# (≈ 10 ms to start): the benchmarks' own processes run threads, which a fork should not copy.
LOOP = (
    "counts = {}\n"
    "for i in range(8_000_000):\n"
    "    key = i % 997\n"
    "    counts[key] = counts.get(key, 0) + i\n"
)


def _wall(processes: int) -> float:
    clock = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "-S", "-c", LOOP]) for _ in range(processes)]
    for worker in workers:
        worker.wait()
    return time.perf_counter() - clock


def host_scaling() -> float:
    """The work of two processes ÷ the time two take beside each other, relative to one
    alone: 2.0 when the host gives two full cores, 1.0 when it gives one."""
    alone = _wall(1)
    together = _wall(2)
    return 2 * alone / together


def main() -> None:
    parser = argparse.ArgumentParser(description="The host's own 1 → 2 process scaling.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    values = [host_scaling() for _ in range(args.repeat)]
    print(f"host, two bare processes: {statistics.median(values):.2f}× "
          f"(median of {len(values)}: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
