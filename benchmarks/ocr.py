"""OCR speed: seconds per page for a scanned order, cold (empty cache) and cached, and the CPU
it costs against bare tesseract on the same pages.

    python benchmarks/ocr.py [SCAN.pdf] [--pages 8-17] [--workers 2] [--repeat 3] [--no-bare]

Default: ten pages (8-17: narrative, three ruled tables, the roadmap's first page) of
fixtures/scans/tyumen-city-2021.scan.pdf. The cache goes to a temporary directory,
so the cold figure is real OCR work. Targets: a 10-page scan in under 90 s on 2 cores;
CPU ≤ 1.15× bare `tesseract PAGE.png stdout -l rus --dpi 300` (single-threaded like ours,
OMP_THREAD_LIMIT=1, as many pages at a time as ours) on the same pages rendered at 300 dpi
by poppler's pdftoppm — whose rendering is not counted on the bare side, while ours
(rendering, clean-up, table finding, tesseract) is all counted. CPU-s are this process's
and its children's; the two sides run alternately `--repeat` times (cold cache each time),
and the median of the paired ratios is the figure.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SCAN = ROOT / "fixtures" / "scans" / "tyumen-city-2021.scan.pdf"


def _pages(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


CPU_FLOOR = 1.15  # ours ÷ bare tesseract, CPU-s


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def render_pages(scan: Path, pages: list[int], folder: str) -> list[Path]:
    """The pages as 300-dpi greyscale PNG files (poppler's pdftoppm), for bare tesseract."""
    pdftoppm = shutil.which("pdftoppm")
    if not (pdftoppm and shutil.which("tesseract")):
        raise SystemExit("the bare comparison needs tesseract and poppler-utils (pdftoppm); or pass --no-bare")
    images = []
    for number in pages:
        stem = Path(folder) / f"p{number}"
        subprocess.run([pdftoppm, "-r", "300", "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(scan), str(stem)], check=True)
        images.append(stem.with_suffix(".png"))
    return images


def bare_tesseract_cpu(images: list[Path], workers: int) -> float:
    """CPU-s of bare tesseract on each image, `workers` at a time."""
    from concurrent.futures import ThreadPoolExecutor

    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    tesseract = shutil.which("tesseract")

    def one(image: Path) -> None:
        subprocess.run([tesseract, str(image), "stdout", "-l", "rus", "--dpi", "300"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    start = _cpu()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, images))
    return _cpu() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scan", nargs="?", type=Path, default=DEFAULT_SCAN)
    parser.add_argument("--pages", default="8-17", help="1-based pages, e.g. 1-10 or 1,3,5 ('all' for every page)")
    parser.add_argument("--workers", type=int, default=None, help="parallel pages (default: $ROADMAP_WORKERS or CPUs)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare tesseract comparison")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of both sides (default 3)")
    args = parser.parse_args(argv)

    from extractors import ocr

    pages = None if args.pages == "all" else _pages(args.pages)
    sha = hashlib.sha256(args.scan.read_bytes()).hexdigest()
    workers = args.workers or ocr.default_workers()
    ratios, cold_runs, ours_cpu, bare_cpu = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as folder:
        images: list[Path] = []
        for run in range(max(1, args.repeat)):
            cache = Path(folder) / f"cache-{run}"
            os.environ["ROADMAP_OCR_CACHE"] = str(cache)
            start, cpu = time.perf_counter(), _cpu()
            raw = ocr.ocr_pdf(str(args.scan), sha, pages=pages, workers=args.workers)
            cold_runs.append(time.perf_counter() - start)
            ours_cpu.append(_cpu() - cpu)
            if run == 0:
                start = time.perf_counter()
                ocr.ocr_pdf(str(args.scan), sha, pages=pages, workers=args.workers)
                warm = time.perf_counter() - start
            if args.no_bare:
                continue
            if not images:
                images = render_pages(args.scan, pages or list(range(1, raw.pages + 1)), folder)
            bare_cpu.append(bare_tesseract_cpu(images, workers))
            ratios.append(ours_cpu[-1] / bare_cpu[-1])
    n = len(pages) if pages else raw.pages
    cold = statistics.median(cold_runs)
    print(f"file: {args.scan.name}  pages: {n}  workers: {workers}  runs: {len(cold_runs)}")
    print(f"cold: {cold:.1f} s total (median), {cold / n:.2f} s/page (wall)  -> 10 pages ≈ {10 * cold / n:.0f} s")
    print(f"cached re-run: {warm:.2f} s total")
    print(f"blocks: {len(raw.blocks)} ({len(raw.tables)} tables), low-confidence warnings: {len(raw.warnings)}")
    if ratios:
        ratio = statistics.median(ratios)
        verdict = "met" if ratio <= CPU_FLOOR else "NOT met"
        pairs = ", ".join(f"{o:.1f}/{b:.1f}" for o, b in zip(ours_cpu, bare_cpu))
        print(f"CPU ours / bare tesseract: {ratio:.2f}x (median of {len(ratios)} pairs, CPU-s {pairs})   "
              f"target <= {CPU_FLOOR}x   {verdict} ({ratio / CPU_FLOOR:.2f} of the floor)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
