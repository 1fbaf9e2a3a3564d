"""`roadmap extract` against the bare libraries it reads with, each figure against its floor.

- Text PDFs, one process per file (what a user running `roadmap extract FILE` waits for,
  interpreter start-up and imports included): `roadmap extract` ÷ bare pdfplumber
  (`extract_text` + `extract_tables` on every page) for every text PDF of fixtures/ (not the
  scans). Floors: every file ≤ 1.3×, median ≤ 1.2×. `roadmap extract` reads the file in a
  second process while it starts the normalizers (extractors/read_ahead.py), so beside the
  wall-time ratio the CPU-s ratio is printed too (both processes: it spends more CPU than it
  makes the user wait), and the start-up the stack itself costs before any page is read
  (pydantic with the schema's validators, pymorphy3 with its dictionary) against the room
  each floor would leave if the start-up and the reading ran one after the other; and, every
  25 files, the host's own 1 → 2 process scaling (benchmarks/host.py): when the shared machine
  does not give the second core, the start-up runs beside the reader on one.
- Text PDFs, all in one process (a batch): `roadmap extract A.pdf B.pdf …` ÷ bare pdfplumber
  over the same files in one interpreter (no floor: shows what the per-process cost is).
- DOCX, all fixture DOCX in one process: documents per second (floor ≥ 20) and the ratio to
  bare python-docx reading every paragraph and every cell of the same files (floor ≤ 1.5×),
  timed inside each process once its imports are done (the rate of a batch or an ingest
  worker); the whole processes' ratio, start-up included, is printed beside it.

The two sides of each pair run alternately `--repeat` times and the medians are compared,
so a change in machine speed during the run (shared CPUs drift by tens of percent) hits
both alike. Both sides use compiled bytecode, as on any machine after the first run: pip
compiles pdfplumber's modules when it installs them, but an editable install leaves the
project's to the first import, and where PYTHONDONTWRITEBYTECODE is set (this sandbox and CI
set it) they would be compiled from source on every run; so the project is compiled first.
Likewise its regular expressions (language/patterns.py keeps them beside the bytecode, written
by the first run where bytecode may be written): one batch `roadmap extract` of the measured
files, bytecode writing allowed, leaves them as a user's first run would.

    python benchmarks/extract.py [--repeat 3] [--only pdf|batch|docx] [FILES...]
"""
from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from floors import against_floor  # benchmarks/, this script's folder
from host import host_scaling

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("schema", "language", "extractors", "normalizers", "pipeline", "cli")
PDF_EACH_FLOOR = 1.3
PDF_MEDIAN_FLOOR = 1.2
DOCX_RATE_FLOOR = 20.0
DOCX_RATIO_FLOOR = 1.5
HOST_EVERY = 25  # files between two measurements of the host's own scaling

BARE_PDFPLUMBER = (
    "import sys, pdfplumber\n"
    "for name in sys.argv[1:]:\n"
    "    with pdfplumber.open(name) as pdf:\n"
    "        for page in pdf.pages:\n"
    "            page.extract_text(); page.extract_tables()\n"
)
BARE_DOCX = (
    "import sys, docx\n"
    "for name in sys.argv[1:]:\n"
    "    d = docx.Document(name)\n"
    "    for p in d.paragraphs:\n"
    "        p.text\n"
    "    for t in d.tables:\n"
    "        for row in t.rows:\n"
    "            for cell in row.cells:\n"
    "                cell.text\n"
)


def fixture_pdfs() -> list[Path]:
    return sorted(p for p in (ROOT / "fixtures").rglob("*.pdf")
                  if not p.name.endswith(".scan.pdf") and "scans" not in p.parts)


def cache_patterns(roadmap: str, files: list[Path]) -> None:
    """Run `roadmap extract` once over `files` where bytecode may be written, so the
    patterns cache (language/patterns.py) holds what those extractions compile."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([roadmap, "extract", *map(str, files), "-o", os.devnull], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def fixture_docx() -> list[Path]:
    return sorted((ROOT / "fixtures").rglob("*.docx"))


def _once(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU-s of one run (the process and the children it waited for: the
    reader process of `roadmap extract` included)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return wall, usage.ru_utime + usage.ru_stime


def time_pair(ours: list[str], bare: list[str], repeat: int) -> tuple[float, float]:
    """Median seconds of both commands, run alternately."""
    (ours_wall, _), (bare_wall, _) = time_and_cpu_pair(ours, bare, repeat)
    return ours_wall, bare_wall


def time_and_cpu_pair(ours: list[str], bare: list[str], repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall seconds, CPU-s) of both commands, run alternately."""
    our_runs: list[tuple[float, float]] = []
    bare_runs: list[tuple[float, float]] = []
    for _ in range(repeat):
        our_runs.append(_once(ours))
        bare_runs.append(_once(bare))
    def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    return medians(our_runs), medians(bare_runs)


# Each prints the seconds its loop over sys.argv[1:] took, imports done.
OURS_DOCX_LOOP = (
    "import sys, time\n"
    "from pipeline.extract import extract\n"
    "start = time.perf_counter()\n"
    "for name in sys.argv[1:]:\n"
    "    extract(name).model_dump_json()\n"
    "print(time.perf_counter() - start)\n"
)
BARE_DOCX_LOOP = BARE_DOCX.replace("import sys, docx\n", "import sys, time, docx\nstart = time.perf_counter()\n") + (
    "print(time.perf_counter() - start)\n")


def _inner(cmd: list[str]) -> float:
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return float(done.stdout.split()[-1])


def verdict(name: str, value: str, target: str, met: bool, share: float, unit: str) -> str:
    return against_floor(name, value, target, met, share, unit, width=46)


def per_file_pdfs(roadmap: str, files: list[Path], repeat: int) -> list[str]:
    print(f"{'text PDF, one process each':48} {'pages':>5} {'extract s':>10} {'pdfplumber s':>13} {'ratio':>6}"
          f" {'CPU ratio':>10}")
    ratios, cpu_ratios, bare_seconds, hosts = [], [], [], []
    for n, path in enumerate(files):
        if n % HOST_EVERY == 0:
            hosts.append(host_scaling())
        (ours, ours_cpu), (bare, bare_cpu) = time_and_cpu_pair(
            [roadmap, "extract", str(path), "-o", os.devnull], [sys.executable, "-c", BARE_PDFPLUMBER, str(path)],
            repeat)
        ratios.append(ours / bare)
        cpu_ratios.append(ours_cpu / bare_cpu)
        bare_seconds.append(bare)
        print(f"{_label(path):48} {_pages(path):>5} {ours:10.2f} {bare:13.2f} {ours / bare:6.2f}"
              f" {ours_cpu / bare_cpu:10.2f}")
    hosts.append(host_scaling())
    median, worst = statistics.median(ratios), max(ratios)
    above = sum(r > PDF_EACH_FLOOR for r in ratios)
    print(f"\nthe host's own 1 → 2 process scaling during these runs (two bare processes, benchmarks/host.py; "
          f"`roadmap extract` reads on the second core): median {statistics.median(hosts):.2f}×, "
          f"{min(hosts):.2f}–{max(hosts):.2f}× ({len(hosts)} measurements)")
    return [
        verdict(f"text PDFs, median ratio ({len(ratios)} files)", f"{median:.2f}×", f"≤ {PDF_MEDIAN_FLOOR}×",
                median <= PDF_MEDIAN_FLOOR, median / PDF_MEDIAN_FLOOR, "floor"),
        verdict("text PDFs, highest ratio", f"{worst:.2f}×", f"≤ {PDF_EACH_FLOOR}×", worst <= PDF_EACH_FLOOR,
                worst / PDF_EACH_FLOOR, "floor") + f", {above} of {len(ratios)} files above",
        f"  {'text PDFs, CPU-s ÷ bare pdfplumber CPU-s':<46}{statistics.median(cpu_ratios):>8.2f}× median, "
        f"{max(cpu_ratios):.2f}× highest (no floor: both processes of `roadmap extract`; the reader "
        f"overlaps the start-up below on a second core)",
    ] + stack_floor(bare_seconds, repeat)


# What any process that reads an order into the schema pays before its first page, beyond
# pdfplumber's own imports: pydantic with the schema's validators built, and pymorphy3 with
# its dictionary loaded (party names and wrapped words are read with it on nearly every order).
BARE_IMPORTS = "import pdfplumber\n"
STACK_IMPORTS = (
    "import pdfplumber, schema\n"
    "from language.morphology import get_morph\n"
    "schema.RoadmapDocument.model_rebuild()\n"
    "get_morph()\n"
)


def stack_floor(bare_seconds: list[float], repeat: int) -> list[str]:
    """The fixed start-up of the stack (pydantic, the schema, pymorphy3) beside the room the
    1.3× floor leaves on each file: the files whose floor no code of ours could reach."""
    ours, bare = time_pair([sys.executable, "-c", STACK_IMPORTS], [sys.executable, "-c", BARE_IMPORTS],
                           max(5, repeat))
    fixed = ours - bare
    room = [(PDF_EACH_FLOOR - 1) * b for b in bare_seconds]
    out_of_reach = sum(fixed > r for r in room)
    median_bare = statistics.median(bare_seconds)
    print(f"\nstart-up of pydantic + the schema's validators + pymorphy3's dictionary, beyond importing pdfplumber "
          f"(CPU that `roadmap extract` spends while its reader process reads the file): "
          f"{1000 * fixed:.0f} ms; on the median file (bare pdfplumber {median_bare:.2f} s) the {PDF_EACH_FLOOR}× floor "
          f"leaves {1000 * (PDF_EACH_FLOOR - 1) * median_bare:.0f} ms for everything beyond pdfplumber, the "
          f"{PDF_MEDIAN_FLOOR}× median floor {1000 * (PDF_MEDIAN_FLOOR - 1) * median_bare:.0f} ms")
    return [f"  {'text PDFs with less room than that start-up':<46}{out_of_reach:>8} of {len(room)} files "
            f"(their {PDF_EACH_FLOOR}× floor could not be met if the start-up and the reading ran one after the other)"]


def batch_pdfs(roadmap: str, files: list[Path], repeat: int) -> list[str]:
    names = list(map(str, files))
    ours, bare = time_pair([roadmap, "extract", *names, "-o", os.devnull],
                           [sys.executable, "-c", BARE_PDFPLUMBER, *names], repeat)
    print(f"\n{len(files)} text PDFs in one process: extract {ours:.2f} s, pdfplumber {bare:.2f} s")
    return [f"  {'text PDFs, all in one process (no floor)':<46}{ours / bare:>8.2f}×"]


def docx_rate(roadmap: str, files: list[Path], repeat: int) -> list[str]:
    names = list(map(str, files))
    ours, bare = time_pair([roadmap, "extract", *names, "-o", os.devnull],
                           [sys.executable, "-c", BARE_DOCX, *names], repeat)
    inner_ours, inner_bare = [], []
    for _ in range(repeat):
        inner_ours.append(_inner([sys.executable, "-c", OURS_DOCX_LOOP, *names]))
        inner_bare.append(_inner([sys.executable, "-c", BARE_DOCX_LOOP, *names]))
    loop_ours, loop_bare = statistics.median(inner_ours), statistics.median(inner_bare)
    rate, ratio = len(files) / loop_ours, loop_ours / loop_bare
    print(f"\n{len(files)} fixture DOCX in one process, imports done: extract {loop_ours:.2f} s ({rate:.1f} docs/s), "
          f"bare python-docx {loop_bare:.2f} s; whole processes: {ours:.2f} s and {bare:.2f} s")
    return [
        verdict("DOCX, documents per second, one process", f"{rate:.1f}", f"≥ {DOCX_RATE_FLOOR:g}",
                rate >= DOCX_RATE_FLOOR, rate / DOCX_RATE_FLOOR, "floor"),
        verdict("DOCX, ÷ bare python-docx", f"{ratio:.2f}×", f"≤ {DOCX_RATIO_FLOOR}×", ratio <= DOCX_RATIO_FLOOR,
                ratio / DOCX_RATIO_FLOOR, "floor"),
        f"  {'DOCX, whole processes, start-up included (no floor)':<46}{ours / bare:>8.2f}×",
    ]


def _label(path: Path) -> str:
    """A fixture's path under fixtures/, any other file's as given."""
    return str(path.relative_to(ROOT / "fixtures")) if path.is_relative_to(ROOT / "fixtures") else str(path)


def _pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="text PDFs (default: every fixture text PDF)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("pdf", "batch", "docx"), default=None)
    args = parser.parse_args(argv)
    for package in PACKAGES:
        compileall.compile_dir(str(ROOT / package), quiet=1)
    roadmap = shutil.which("roadmap") or str(Path(sys.executable).with_name("roadmap"))
    pdfs = [path.resolve() for path in args.files] or fixture_pdfs()
    cache_patterns(roadmap, pdfs + (fixture_docx() if args.only in (None, "docx") else []))
    lines: list[str] = []
    if args.only in (None, "pdf"):
        lines += per_file_pdfs(roadmap, pdfs, args.repeat)
    if args.only in (None, "batch"):
        lines += batch_pdfs(roadmap, pdfs, args.repeat)
    if args.only in (None, "docx"):
        lines += docx_rate(roadmap, fixture_docx(), args.repeat)
    print(f"\nFigures against their floors (median of {args.repeat} alternating runs; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}):")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
