"""OCR speed: seconds per page for a scanned order, cold (empty cache) and cached.

    python benchmarks/ocr.py [SCAN.pdf] [--pages 8-17] [--workers 2]

Default: ten pages (8-17: narrative, three ruled tables, the roadmap's first page) of
fixtures/scans/tyumen-city-2021.scan.pdf. The cache goes to a temporary directory,
so the cold figure is real OCR work. Target: a 10-page scan in under 90 s on 2 cores.
"""
from __future__ import annotations

import argparse
import hashlib
import os
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scan", nargs="?", type=Path, default=DEFAULT_SCAN)
    parser.add_argument("--pages", default="8-17", help="1-based pages, e.g. 1-10 or 1,3,5 ('all' for every page)")
    parser.add_argument("--workers", type=int, default=None, help="parallel pages (default: $ROADMAP_WORKERS or CPUs)")
    args = parser.parse_args(argv)

    from extractors import ocr

    pages = None if args.pages == "all" else _pages(args.pages)
    sha = hashlib.sha256(args.scan.read_bytes()).hexdigest()
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as cache:
        os.environ["ROADMAP_OCR_CACHE"] = cache
        start = time.perf_counter()
        raw = ocr.ocr_pdf(str(args.scan), sha, pages=pages, workers=args.workers)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        ocr.ocr_pdf(str(args.scan), sha, pages=pages, workers=args.workers)
        warm = time.perf_counter() - start
    n = len(pages) if pages else raw.pages
    workers = args.workers or ocr.default_workers()
    print(f"file: {args.scan.name}  pages: {n}  workers: {workers}")
    print(f"cold: {cold:.1f} s total, {cold / n:.2f} s/page (wall)  -> 10 pages ≈ {10 * cold / n:.0f} s")
    print(f"cached re-run: {warm:.2f} s total")
    print(f"blocks: {len(raw.blocks)} ({len(raw.tables)} tables), low-confidence warnings: {len(raw.warnings)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
