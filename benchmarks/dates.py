"""Schedule-cell parsing speed: cells per second through `parse_schedule`.

    python benchmarks/dates.py [--rounds 20]

The cells are every schedule (and federal schedule) cell of the hand-checked gold files in
fixtures/gold and fixtures/unseen/gold, each parsed with its document's plan period, so the
mix is what real orders contain. Target: more than 2,000 cells per second (a 500-order batch
holds ~25,000 cells; date parsing must stay a rounding error next to PDF parsing).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.dates import parse_schedule  # noqa: E402
from schema import Period  # noqa: E402

GOLD_DIRS = [ROOT / "fixtures" / "gold", ROOT / "fixtures" / "unseen" / "gold"]
TARGET = 2000


def gold_cells() -> list[tuple[str, Period | None, int | None]]:
    """(cell, plan period, act year) for every schedule cell of the gold documents."""
    cells = []
    for folder in GOLD_DIRS:
        for path in sorted(folder.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            period = Period(**doc["period"]) if doc.get("period") else None
            year = dt.date.fromisoformat(doc["date"]).year if doc.get("date") else None
            for act in doc["activities"]:
                for key in ("schedule", "federal_schedule"):
                    if act.get(key) and act[key].get("raw"):
                        cells.append((act[key]["raw"], period, year))
    return cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the cells")
    args = parser.parse_args()
    cells = gold_cells()
    for cell, period, year in cells:  # warm-up: regexes compiled, caches filled once
        parse_schedule(cell, period, year)
    start = time.perf_counter()
    for _ in range(args.rounds):
        for cell, period, year in cells:
            parse_schedule(cell, period, year)
    rate = len(cells) * args.rounds / (time.perf_counter() - start)
    verdict = "met" if rate > TARGET else "NOT met"
    print(f"{len(cells)} gold schedule cells x {args.rounds}: {rate:,.0f} cells/s "
          f"(target > {TARGET:,}: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
