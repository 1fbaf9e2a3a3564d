"""Write tests/accuracy_floors.json: today's figures of every accuracy set, per format and per
document, which the accuracy tests then hold as floors (see tests/accuracy_sets.py).

    PYTHONPATH=. python scripts/accuracy_floors.py            # every set (scans: OCR, ~2 min cold)
    PYTHONPATH=. python scripts/accuracy_floors.py blind4     # only the named sets

Run it on purpose, after a change that moved a figure, and review the printed differences
before committing: a floor that goes down is a regression accepted by hand. Tests never call it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from accuracy_sets import ALL, FLOORS_FILE, SETS, by_format, floor_values, format_of, score_set, stem_of  # noqa: E402
from pipeline.evaluate import aggregate  # noqa: E402
from pipeline.extract import extract  # noqa: E402


def _changes(old: object, new: object, where: str = "") -> list[str]:
    """Leaf by leaf: set/format/document/figure: old → new."""
    if isinstance(old, dict) or isinstance(new, dict):
        old = old if isinstance(old, dict) else {}
        new = new if isinstance(new, dict) else {}
    else:
        return [] if old == new else [f"{where}: {old} → {new}"]
    return [line for key in sorted(set(old) | set(new))
            for line in _changes(old.get(key), new.get(key), f"{where}/{key}" if where else key)]


def _dump(floors: dict) -> str:
    """JSON with one line per document (or set total): a reviewable diff."""
    def line(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)
    sets = []
    for key in sorted(floors):
        formats = []
        for fmt, documents in floors[key].items():
            rows = ",\n".join(f"   {line(stem)}: {line(figures)}" for stem, figures in documents.items())
            formats.append(f"  {line(fmt)}: {{\n{rows}\n  }}")
        sets.append(f" {line(key)}: {{\n" + ",\n".join(formats) + "\n }")
    return "{\n" + ",\n".join(sets) + "\n}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", help=f"sets to measure (default: all of {', '.join(sorted(SETS))})")
    names = parser.parse_args().sets or sorted(SETS)
    if unknown := set(names) - set(SETS):
        parser.error(f"unknown sets {sorted(unknown)}")
    old = json.loads(FLOORS_FILE.read_text(encoding="utf-8")) if FLOORS_FILE.exists() else {}
    floors = dict(old)
    for name in names:
        for key, scores in score_set(SETS[name], extract).items():
            entry: dict = {}
            for fmt in SETS[name].formats:
                per_document = {p: s for p, s in scores.items() if format_of(p) == fmt}
                entry[fmt] = {ALL: floor_values(aggregate(by_format(scores, fmt)))}
                entry[fmt].update({stem_of(p): floor_values(s) for p, s in per_document.items()})
            floors[key] = entry
    FLOORS_FILE.write_text(_dump(floors), encoding="utf-8")
    changes = _changes(old, floors)
    print("\n".join(changes) if changes else "no figure changed", f"\nwrote {FLOORS_FILE}", sep="")


if __name__ == "__main__":
    main()
