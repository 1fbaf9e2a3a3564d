"""Generate many distinct roadmap orders for ingest benchmarks and tests, by editing the
fixture DOCX orders with python-docx: each copy gets its own act number (`№ 1222-0` →
`№ 1222-0/17`), so every file has distinct bytes and is a distinct act of its region.

    python benchmarks/generate_orders.py OUT_DIR [--count 200]
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "fixtures" / "orders").glob("*.docx"))


def _act_number(template: Path) -> str:
    gold = ROOT / "fixtures" / "gold" / f"{template.stem}.json"
    return json.loads(gold.read_text(encoding="utf-8"))["number"]


def generate_orders(out_dir: str | Path, count: int, start: int = 1) -> list[Path]:
    """Write `count` orders to out_dir (round-robin over the fixture templates)."""
    import docx

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(start, start + count):
        template = TEMPLATES[(k - 1) % len(TEMPLATES)]
        number = _act_number(template)
        pattern = re.compile(r"№\s*" + re.escape(number) + r"(?![\w/-])")
        document = docx.Document(str(template))
        for paragraph in document.paragraphs:
            if pattern.search(paragraph.text):
                text = pattern.sub(f"№ {number}/{k}", paragraph.text, count=1)
                paragraph.runs[0].text = text
                for run in paragraph.runs[1:]:
                    run.text = ""
                break
        else:
            raise ValueError(f"{template.name}: act number {number} not found in its paragraphs")
        path = out / f"{template.stem}-{k:04d}.docx"
        document.save(str(path))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    paths = generate_orders(args.out_dir, args.count)
    print(f"{len(paths)} orders in {args.out_dir}")


if __name__ == "__main__":
    main()
