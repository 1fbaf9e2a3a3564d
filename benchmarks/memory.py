"""Peak memory of `roadmap extract` on a long text PDF, which the script builds itself: a
fixture order's pages repeated until the document has PAGES pages (default 1,000).

The figure is the peak resident set of the command's processes together (`roadmap extract`
reads in a second process, extractors/read_ahead.py; sampled every 5 ms), beside bare pdfplumber
reading the same file page by page (`extract_text` + `extract_tables`, pages closed as it
goes), so the ratio says what the pipeline adds. Target: < 500 MiB at 1,000 pages.

    python benchmarks/memory.py [--pages 1000] [--source fixtures/orders/tyumen-city-2021.pdf]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MIB = 500
BARE_PDFPLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    for page in pdf.pages:\n"
    "        page.extract_text(); page.extract_tables(); page.close()\n"
)


def build_long_pdf(source: Path, pages: int, out: Path) -> int:
    """`source`'s pages repeated up to `pages` pages (pypdfium2 copies them, text layer and all)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    dest = pdfium.PdfDocument.new()
    while len(dest) < pages:
        take = min(len(src), pages - len(dest))
        dest.import_pages(src, list(range(take)))
    dest.save(str(out))
    count = len(dest)
    dest.close()
    src.close()
    return count


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants now (0 once it is gone)."""
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += map(int, (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def peak_mib(cmd: list[str]) -> tuple[float, float]:
    """Peak RSS of one command, in MiB: of its processes together (sampled every 5 ms: the
    reader process `roadmap extract` reads with runs beside it), and of the largest one
    (`ru_maxrss`, exact)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:3]} failed: {proc.stderr.read().decode(errors='replace')[-500:]}")
    return peak / 2**20, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--source", type=Path, default=ROOT / "fixtures" / "orders" / "tyumen-city-2021.pdf")
    args = parser.parse_args()
    roadmap = [sys.executable, "-c", "from cli.launch import main; main()", "extract", "-o", os.devnull]
    with tempfile.TemporaryDirectory(prefix="roadmap-memory-") as tmp:
        long_pdf = Path(tmp) / "long.pdf"
        count = build_long_pdf(args.source, args.pages, long_pdf)
        ours, ours_largest = peak_mib(roadmap + [str(long_pdf)])
        bare, _ = peak_mib([sys.executable, "-c", BARE_PDFPLUMBER, str(long_pdf)])
        short, _ = peak_mib(roadmap + [str(args.source)])
    print(f"{count}-page PDF ({long_pdf.name} built from {args.source.name}), peak resident memory "
          f"(all of a command's processes together):")
    print(f"  roadmap extract      {ours:8.0f} MiB   target < {TARGET_MIB} MiB: {'met' if ours < TARGET_MIB else 'NOT met'}"
          f" ({ours / TARGET_MIB:.2f} of the floor); its largest process {ours_largest:.0f} MiB")
    print(f"  bare pdfplumber      {bare:8.0f} MiB   roadmap / bare = {ours / bare:.2f}")
    print(f"  roadmap extract, the {args.source.name} alone: {short:.0f} MiB")


if __name__ == "__main__":
    main()
