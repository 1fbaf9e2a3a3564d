"""Seconds per document for `roadmap extract`, and its cost relative to bare pdfplumber.

Both sides are timed as whole processes (interpreter start-up and imports included),
because that is what a user waits for; the target is a ratio ≤ 1.5 on the fixture PDFs.
Both sides are measured with compiled bytecode, as on any machine after the first run:
pip compiles pdfplumber's modules when it installs them, but an editable install leaves
the project's to the first import, and where PYTHONDONTWRITEBYTECODE is set (this sandbox
and CI set it) they would be compiled from source on every run. So the benchmark compiles
the project's packages once before timing.

    python benchmarks/extract.py [--repeat 5] [FILES...]
"""
from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_PDFPLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    for page in pdf.pages:\n"
    "        page.extract_text(); page.extract_tables()\n"
)


def _once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _time_pair(ours: list[str], bare: list[str] | None, repeat: int) -> tuple[float, float | None]:
    """Median seconds of both commands, run alternately so that a change in machine speed
    during the measurement (shared CPUs drift by tens of percent) hits both sides alike."""
    our_runs: list[float] = []
    bare_runs: list[float] = []
    for _ in range(repeat):
        our_runs.append(_once(ours))
        if bare is not None:
            bare_runs.append(_once(bare))
    return statistics.median(our_runs), (statistics.median(bare_runs) if bare_runs else None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "fixtures" / "orders").glob("*.pdf")) + sorted(
        (ROOT / "fixtures" / "orders").glob("*.docx")
    )
    for package in ("pipeline", "extractors", "normalizers"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    roadmap = shutil.which("roadmap") or str(Path(sys.executable).with_name("roadmap"))
    print(f"{'file':40} {'extract s':>10} {'pdfplumber s':>13} {'ratio':>6}")
    ratios = []
    for path in files:
        is_pdf = path.suffix.lower() == ".pdf"
        ours, bare = _time_pair(
            [roadmap, "extract", str(path), "-o", "/dev/null"],
            [sys.executable, "-c", BARE_PDFPLUMBER, str(path)] if is_pdf else None,
            args.repeat,
        )
        if bare is not None:
            ratios.append(ours / bare)
            print(f"{path.name:40} {ours:10.2f} {bare:13.2f} {ours / bare:6.2f}")
        else:
            print(f"{path.name:40} {ours:10.2f} {'-':>13} {'-':>6}")
    if ratios:
        print(f"median ratio extract/pdfplumber on PDFs: {statistics.median(ratios):.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
