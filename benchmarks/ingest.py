"""Ingest throughput: documents per second for 1, 2 and N extraction workers.

Generates ≥ 200 distinct orders from the fixture DOCX files (benchmarks/generate_orders.py:
by default round-robin over the 30 fixture DOCX orders it can renumber, `--templates orders`
over the four sample orders only), each copy wording its activities a little differently
(`--wording repeated`: word for word, so that a worker which has read one copy of a template
serves most of the next copy's comparison from its caches, which flatters one worker over
two, each warming its own caches; see generate_orders.py),
then for each configuration ingests them into a fresh store (Prefect caches no extraction),
after one warm-up flow so the start-up of the temporary Prefect server and of the pool's fork server is not counted:
the default thread runner, `--workers N` for each N (the local extraction process pool),
and for comparison Prefect's own ProcessPoolTaskRunner and a Dask LocalCluster with 2
workers. Then `roadmap ingest` of the same inbox again, as a user runs it (a new process,
nothing new to store). Prints a table, each figure as a ratio against its floor (the 1 → 2
workers speed-up, ≥ 1.7×, from the same pair of runs; the re-run, < 2 s) and one JSON line.
Flow CPU-s is the flow process's own, worker CPU-s its pool processes', server CPU-s that
of Prefect's temporary API server (another process; needs psutil).
Under the speed-up, its ceiling: the 1-worker seconds ÷ the least time the 2-worker run's
CPU-s (workers + flow + server) need on the machine's cores, with the per-order split and
the CPU-s the floor would allow. After each pair, the host's own 1 → 2 scaling (two bare
processes doing the same pure-Python loop, benchmarks/host.py) in the same minutes: on a shared
two-core guest that swings between 1.25× and 2×, and the speed-up is printed as a share of it.

    python benchmarks/ingest.py [--count 200] [--workers 1,2,4] [--db-server postgresql+psycopg://…]
        [--quick]   # only the --workers runs
        [--pairs 3] # the --workers runs this many times over, alternating; median ratio
        [--pdf]     # convert the generated orders to PDF first (LibreOffice): heavier extraction
        [--templates all|orders] [--wording reworded|repeated]
        [--without-storing]  # diagnostic: the flow stores and keeps nothing (see below)

`--without-storing` replaces the flow's storing of each result (its transaction and the copy
of the original) with a no-op that only reports the file stored: not a way to run, but the
speed-up the rest of the run allows if storing cost the flow nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from floors import against_floor  # noqa: E402
from host import host_scaling  # noqa: E402


def machine() -> dict:
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}


SPEED_UP_FLOOR = 1.7  # 1 → 2 workers
RERUN_LIMIT_S = 2.0   # `roadmap ingest` of an inbox with nothing new

# `roadmap ingest …` in a fresh interpreter, saying afterwards whether Prefect was imported.
_CLI = """
import sys
from cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("prefect imported" if "prefect" in sys.modules else "prefect not imported", file=sys.stderr)
"""


def rerun(inbox: Path, db: str, repeat: int = 3) -> tuple[float, str]:
    """Median wall time of `roadmap ingest INBOX` with everything already stored, and
    whether that process imported Prefect."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times, said = [], ""
    for _ in range(repeat):
        clock = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", _CLI, "ingest", str(inbox), "--db", db, "--json"],
                             capture_output=True, text=True, env=env, timeout=600)
        times.append(time.perf_counter() - clock)
        if run.returncode != 0:
            sys.exit(f"re-run failed: {run.stderr[-2000:]}")
        report = json.loads(run.stdout)
        assert report["counts"]["stored"] == 0 and report["counts"]["duplicate"] == len(report["files"])
        said = run.stderr.strip().splitlines()[-1]
    return statistics.median(times), said


def live_children_cpu() -> Optional[dict[str, float]]:
    """CPU-s so far of this process's live children, by role: Prefect's temporary API
    server ("server"), and the extraction pool ("pool": its fork server with the workers
    it forked, those it has reaped included, or spawned workers still running); None
    without psutil."""
    try:
        import psutil
    except ImportError:
        return None
    total = {"server": 0.0, "pool": 0.0}
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
            line = " ".join(child.cmdline())
        except psutil.Error:
            continue
        role = "server" if "uvicorn" in line or "prefect.server" in line else "pool"
        total[role] += times.user + times.system
        if "forkserver" in line:  # workers it forked and reaped
            total[role] += times.children_user + times.children_system
    return total


def cpu_ceiling(a: dict, b: dict) -> Optional[dict]:
    """The highest 1 → 2 worker ratio the CPU a pair of runs used allows (a: one worker,
    b: two; None without the server's CPU-s).

    The two-worker run cannot end before its processes' CPU-s (workers, flow, Prefect's
    server) spread over the cores they can keep busy, so 1-worker seconds ÷ that time is
    a ceiling on the speed-up, however the work is scheduled. Per order: the worker's CPU
    alone (w1) and beside a second worker (w2), the flow's (f) and the server's (s)."""
    if b["server_cpu_s"] is None:
        return None
    cores = min(os.cpu_count() or 2, 4)  # two workers, the flow and the server: four processes at most
    cpu_2 = b["worker_cpu_s"] + b["flow_cpu_s"] + b["server_cpu_s"]
    per_order = 1000 / b["documents"]
    return {
        "cores": cores, "cpu_2": cpu_2, "ceiling": round(a["seconds"] / (cpu_2 / cores), 2),
        "cpu_for_floor": cores * a["seconds"] / SPEED_UP_FLOOR,
        "w1_ms": a["worker_cpu_s"] * per_order, "w2_ms": b["worker_cpu_s"] * per_order,
        "f_ms": b["flow_cpu_s"] * per_order, "s_ms": b["server_cpu_s"] * per_order,
    }


def without_storing() -> None:
    """The flow's storing step made a no-op (the `--without-storing` diagnostic): each result
    is reported stored, nothing is written, so no region awaits compliance."""
    import pipeline.ingest

    def record_nothing(store, settled, originals):
        return [pipeline.ingest.FileOutcome(item.path, item.sha256, "stored" if doc is not None else "failed",
                                            None if doc is not None else str(error),
                                            document_id=doc.id if doc is not None else None)
                for item, doc, error in settled]

    pipeline.ingest.record_results = record_nothing


def to_pdf(folder: Path) -> None:
    """Replace every DOCX in folder by its LibreOffice PDF rendering (one soffice call)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("--pdf needs LibreOffice (soffice)")
    docs = sorted(folder.glob("*.docx"))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), *map(str, docs)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=3600)
    for doc in docs:
        doc.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description="Ingest throughput for several worker counts.")
    parser.add_argument("--count", type=int, default=200, help="orders to generate (default 200)")
    parser.add_argument("--workers", default=f"1,2,{max(4, os.cpu_count() or 2)}",
                        help="comma-separated process-pool sizes (default 1,2,N)")
    parser.add_argument("--db-server", default=None,
                        help="PostgreSQL URL: each run gets a scratch database there (default: SQLite files)")
    parser.add_argument("--quick", action="store_true", help="only the --workers runs")
    parser.add_argument("--pairs", type=int, default=1, help="repeat the --workers runs, alternating (default 1)")
    parser.add_argument("--pdf", action="store_true", help="ingest PDF renderings (needs soffice)")
    parser.add_argument("--templates", choices=("all", "orders"), default="all",
                        help="generate from every fixture DOCX order (default) or the four sample orders")
    parser.add_argument("--wording", choices=("reworded", "repeated"), default="reworded",
                        help="each copy of a template words its activities differently (default), or repeats them")
    parser.add_argument("--without-storing", action="store_true",
                        help="diagnostic: the flow stores nothing (what storing costs the speed-up)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="roadmap-bench-"))
    os.environ.setdefault("PREFECT_HOME", str(tmp / "prefect"))
    from flows.runtime import configure_prefect_env

    configure_prefect_env()
    from flows.ingest import run_ingest
    from generate_orders import generate_orders, varied_templates
    if args.without_storing:
        without_storing()
    from pipeline.store import scratch_database

    inbox = tmp / "inbox"
    clock = time.perf_counter()
    templates = varied_templates() if args.templates == "all" else None
    generate_orders(inbox, args.count, templates=templates, reword=args.wording == "reworded")
    if args.pdf:
        to_pdf(inbox)
    kind = "PDF" if args.pdf else "DOCX"
    print(f"generated {args.count} {kind} orders from {len(templates) if templates else 4} templates, {args.wording}, "
          f"in {time.perf_counter() - clock:.1f} s", file=sys.stderr)
    warm = tmp / "warm"
    generate_orders(warm, 1, start=100_000)

    runs = [("local pool", int(w), None) for w in args.workers.split(",")] * max(1, args.pairs)
    if not args.quick:
        runs = [("threads", None, None)] + runs + [("prefect procs", 2, None), ("dask local", 2, "local")]
    results = []
    hosts: list[float] = []  # the host's own 1 → 2 scaling, measured after each pair (benchmarks/host.py)
    worker_counts = {int(w) for w in args.workers.split(",")}
    with ExitStack() as stack:
        def fresh_db(tag: str) -> str:
            if args.db_server:
                return stack.enter_context(scratch_database(args.db_server, prefix="roadmap_bench"))
            return f"sqlite:///{tmp / f'{tag}.db'}"

        # Starts the temporary Prefect server, and the pool's fork server, which every later
        # run's workers are forked from: no run pays for it, the first of a pair no more than the second.
        run_ingest(str(warm), fresh_db("warm"), workers=1)
        for n, (label, workers, dask) in enumerate(runs):
            db = fresh_db(f"{label.replace(' ', '-')}-{workers}-{n}")
            clock, cpu, server = time.perf_counter(), os.times(), live_children_cpu()
            report = run_ingest(str(inbox), db, workers=workers, dask=dask,
                                prefect_processes=label == "prefect procs")
            elapsed, cpu_after, server_after = time.perf_counter() - clock, os.times(), live_children_cpu()
            stored = report["counts"]["stored"]
            assert stored == args.count, report["counts"]
            results.append({
                "runner": label, "workers": workers or os.cpu_count(), "documents": stored, "seconds": round(elapsed, 2),
                "docs_per_s": round(stored / elapsed, 2),
                "extract_store_s": report["seconds"]["extract_store"],
                "compliance_s": report["seconds"]["compliance"],
                "flow_cpu_s": round(cpu_after.user + cpu_after.system - cpu.user - cpu.system, 2),
                "worker_cpu_s": round(cpu_after.children_user + cpu_after.children_system
                                      - cpu.children_user - cpu.children_system
                                      + (0 if server is None else server_after["pool"] - server["pool"]), 2),
                "server_cpu_s": None if server is None else round(server_after["server"] - server["server"], 2),
            })
            print(f"{label} × {workers or os.cpu_count()}: {stored / elapsed:.2f} docs/s", file=sys.stderr)
            if label == "local pool" and workers == 2 and 1 in worker_counts:
                hosts.append(host_scaling())
                print(f"host, two bare processes: {hosts[-1]:.2f}×", file=sys.stderr)
        rerun_s, rerun_said = rerun(inbox, db) if not args.without_storing else (None, "")

    info = machine()
    store = "PostgreSQL" if args.db_server else "SQLite"
    if args.without_storing:
        store += ", WITHOUT STORING (diagnostic)"
    print(f"\nIngest of {args.count} generated {kind} orders ({args.templates} templates, {args.wording}) into {store} — {info['cpu']}, {info['cores']} cores, "
          f"Python {info['python']}")
    print(f"{'runner':<14}{'workers':>8}{'docs/s':>9}{'total s':>9}{'extract+store s':>17}{'compliance s':>14}"
          f"{'flow CPU-s':>12}{'worker CPU-s':>14}{'server CPU-s':>14}")
    for r in results:
        print(f"{r['runner']:<14}{r['workers']:>8}{r['docs_per_s']:>9}{r['seconds']:>9}"
              f"{r['extract_store_s']:>17}{r['compliance_s']:>14}{r['flow_cpu_s']:>12}{r['worker_cpu_s']:>14}"
              f"{str(r['server_cpu_s']):>14}")
    figures = {"rerun_s": round(rerun_s, 2)} if rerun_s is not None else {}
    one = [r for r in results if r["runner"] == "local pool" and r["workers"] == 1]
    two = [r for r in results if r["runner"] == "local pool" and r["workers"] == 2]
    print("\nFigures against their floors (this run):")
    if one and two:
        ratios = [b["docs_per_s"] / a["docs_per_s"] for a, b in zip(one, two)]
        speed_up = statistics.median(ratios)
        figures["speed_up_1_to_2"] = round(speed_up, 2)
        pairs = f", median of {len(ratios)} pairs: {', '.join(f'{r:.2f}' for r in ratios)}" if len(ratios) > 1 else ""
        print(against_floor("1 → 2 workers (docs/s ratio)", f"{speed_up:.2f}×", f"≥ {SPEED_UP_FLOOR}×",
                            speed_up >= SPEED_UP_FLOOR, speed_up / SPEED_UP_FLOOR, "floor") + pairs)
        if hosts:
            host = statistics.median(hosts)
            figures["host_scaling"] = round(host, 2)
            print(f"    the host's own scaling beside each pair (two bare processes, benchmarks/host.py): median "
                  f"{host:.2f}× ({', '.join(f'{h:.2f}' for h in hosts)}); the ingest ratio is {speed_up / host:.2f} of it")
        ceiling = cpu_ceiling(one[-1], two[-1])
        if ceiling:
            figures["speed_up_ceiling"] = ceiling["ceiling"]
            print(f"    ceiling of this pair on {ceiling['cores']} cores: {ceiling['ceiling']:.2f}× — the 2-worker run needs "
                  f"{ceiling['cpu_2']:.1f} CPU-s (per order: worker {ceiling['w2_ms']:.1f} ms, flow {ceiling['f_ms']:.1f}, "
                  f"server {ceiling['s_ms']:.1f}; one worker alone {ceiling['w1_ms']:.1f}), at least "
                  f"{ceiling['cpu_2'] / ceiling['cores']:.2f} s on busy cores; {SPEED_UP_FLOOR}× would need ≤ "
                  f"{ceiling['cpu_for_floor']:.1f} CPU-s")
    if rerun_s is not None:
        print(against_floor(f"re-run, nothing new ({args.count} files)", f"{rerun_s:.2f} s", f"< {RERUN_LIMIT_S:g} s",
                            rerun_s < RERUN_LIMIT_S, rerun_s / RERUN_LIMIT_S, "limit") + f", {rerun_said}")
    print(json.dumps({"machine": info, "store": store, "format": kind, "templates": args.templates, "wording": args.wording, "results": results, "figures": figures},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
