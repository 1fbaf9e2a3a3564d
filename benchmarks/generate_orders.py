"""Generate many distinct roadmap orders for ingest benchmarks and tests, by editing the
fixture DOCX orders with python-docx: each copy gets its own act number (`№ 1222-0` →
`№ 1222-0/17`), so every file has distinct bytes and is a distinct act of its region.

With `reword`, each copy also words its activities a little differently, as regions
paraphrasing the same federal step do: one word of each activity is left out, a different
one in each copy. Without it, copies of a template repeat its activities word for word, and
a process that has read one copy serves much of the next from its caches (the lemmas of an
activity, its best match against each milestone term): a benchmark then measures reading
the same text again more than reading orders.

    python benchmarks/generate_orders.py OUT_DIR [--count 200] [--reword]
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "fixtures" / "orders").glob("*.docx"))


def _gold(template: Path) -> Path:
    beside = template.parent / "gold" / f"{template.stem}.json"
    return beside if beside.exists() else ROOT / "fixtures" / "gold" / f"{template.stem}.json"


def _act_number(template: Path) -> str:
    return json.loads(_gold(template).read_text(encoding="utf-8"))["number"]


def varied_templates() -> list[Path]:
    """Every fixture DOCX order whose act number (from its gold file) stands in one of its
    paragraphs and in no table cell: 4 templates repeat the same wording every fourth order, which flatters any
    cache keyed by wording; these are as many orders as the fixtures hold."""
    import docx

    out = []
    for template in sorted((ROOT / "fixtures").rglob("*.docx")):
        if not _gold(template).exists():
            continue
        number = _act_number(template)
        document = docx.Document(str(template))
        pattern = _number_pattern(number) if number else None
        in_cells = pattern and any(pattern.search(cell.text) for table in document.tables
                                   for row in table.rows for cell in row.cells)
        # a letterhead table holding the number: generate_orders edits paragraphs only
        if pattern and not in_cells and any(pattern.search(p.text) for p in document.paragraphs):
            out.append(template)
    return out


def _number_pattern(number: str) -> re.Pattern:
    return re.compile(r"№\s*" + re.escape(number) + r"(?![\w/-])")


def _words(text: str) -> list[str]:
    return re.findall(r"[а-яё]+", text.lower())


def _activity_openings(template: Path) -> set[tuple[str, ...]]:
    """The first five words of each gold activity (letters only: numbering and quotes aside)."""
    activities = json.loads(_gold(template).read_text(encoding="utf-8"))["activities"]
    return {tuple(_words(a["text"])[:5]) for a in activities if len(_words(a["text"])) >= 5}


def _reword(document, openings: set[tuple[str, ...]], k: int) -> int:
    """Leave one word out of every table paragraph that opens like a gold activity (the
    (k + n)-th word of the n-th such paragraph, never the first); returns how many."""
    done = 0
    seen: list = []  # a merged cell is listed once per grid column: reworded once
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                if any(cell._tc is other for other in seen):
                    continue
                seen.append(cell._tc)
                for paragraph in cell.paragraphs:
                    words = paragraph.text.split()
                    if len(words) < 5 or tuple(_words(paragraph.text)[:5]) not in openings:
                        continue
                    del words[1 + (k + done) % (len(words) - 1)]
                    paragraph.runs[0].text = " ".join(words)
                    for run in paragraph.runs[1:]:
                        run.text = ""
                    done += 1
    return done


def generate_orders(out_dir: str | Path, count: int, start: int = 1,
                    templates: Optional[list[Path]] = None, reword: bool = False) -> list[Path]:
    """Write `count` orders to out_dir (round-robin over `templates`, by default the four
    sample orders of fixtures/orders); `reword`: see the module's docstring."""
    import docx

    templates = templates or TEMPLATES
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(start, start + count):
        template = templates[(k - 1) % len(templates)]
        number = _act_number(template)
        pattern = _number_pattern(number)
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
        if reword:
            _reword(document, _activity_openings(template), k)
        path = out / f"{template.stem}-{k:04d}.docx"
        document.save(str(path))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--reword", action="store_true", help="each copy words its activities differently")
    args = parser.parse_args()
    paths = generate_orders(args.out_dir, args.count, reword=args.reword)
    print(f"{len(paths)} orders in {args.out_dir}")


if __name__ == "__main__":
    main()
