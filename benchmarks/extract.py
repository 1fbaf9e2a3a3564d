"""Seconds per document for `roadmap extract`, and its cost relative to bare pdfplumber.

Both sides are timed as whole processes (interpreter start-up and imports included),
because that is what a user waits for; the target is a ratio ≤ 1.5 on the fixture PDFs.

    python benchmarks/extract.py [--repeat 3] [FILES...]
"""
from __future__ import annotations

import argparse
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


def _time(cmd: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "fixtures" / "orders").glob("*.pdf")) + sorted(
        (ROOT / "fixtures" / "orders").glob("*.docx")
    )
    roadmap = shutil.which("roadmap") or str(Path(sys.executable).with_name("roadmap"))
    print(f"{'file':40} {'extract s':>10} {'pdfplumber s':>13} {'ratio':>6}")
    ratios = []
    for path in files:
        ours = _time([roadmap, "extract", str(path), "-o", "/dev/null"], args.repeat)
        if path.suffix.lower() == ".pdf":
            bare = _time([sys.executable, "-c", BARE_PDFPLUMBER, str(path)], args.repeat)
            ratios.append(ours / bare)
            print(f"{path.name:40} {ours:10.2f} {bare:13.2f} {ours / bare:6.2f}")
        else:
            print(f"{path.name:40} {ours:10.2f} {'-':>13} {'-':>6}")
    if ratios:
        print(f"median ratio extract/pdfplumber on PDFs: {statistics.median(ratios):.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
