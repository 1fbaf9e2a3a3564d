"""Tables printed without ruling lines, rebuilt from word positions.

One algorithm for both the text layer (pdfplumber's `extract_words`) and OCR words
(converted to the same dicts, in points), so a borderless table reads the same either way.
Words are dicts with `text`, `x0`, `x1`, `top`, `bottom`.
"""
from __future__ import annotations

from statistics import median
from typing import Optional

from extractors.raw import Cell, RawTable
from extractors.stitch import continuation_groups, is_spanning, merge_continuation_lines


def read_borderless_table(words: list[dict], number: int) -> Optional[tuple[RawTable, tuple]]:
    """A table drawn without ruling lines, rebuilt from word positions.

    Lines with two or more word groups separated by wide gaps are tabular; their run is
    the table region. Column borders are the x-ranges that (almost) no tabular line
    crosses (a section heading spanning the row is not tabular and does not count); each line becomes a line-row, and lines that continue a cell (their
    leftmost key column empty) fold back into the row above.
    """
    lines = _word_lines(words)
    if not lines:
        return None
    tabular = [i for i, line in enumerate(lines) if _is_tabular(line)]
    region = _table_region(tabular)
    if region is None:
        return None
    first, last = region
    borders = _column_borders([lines[i] for i in tabular if first <= i <= last])
    if len(borders) < 2:
        return None
    first, last = _extend_region(lines, first, last, borders)
    region_lines = lines[first:last + 1]
    line_rows = [_line_cells(line, borders) for line in region_lines]
    groups = continuation_groups(line_rows)
    rows = merge_continuation_lines(line_rows)
    boxes = [_words_box([w for k in group for w in region_lines[k]]) for group in groups]
    # A table has rows of several cells; lines run across the columns (headings) are a few.
    # Prose that happened to leave a gutter is mostly lines across, and is no table.
    multi = sum(1 for r in rows if sum(1 for c in r if c and c.strip()) >= 2)
    spanning = sum(1 for r in rows if is_spanning(r))
    if multi < 2 or spanning > multi:
        return None
    x0, top, x1, bottom = _words_box([w for line in region_lines for w in line])
    bbox = (x0 - 1, top - 1, x1 + 1, bottom + 1)
    return RawTable(rows=rows, row_pages=[number] * len(rows), row_boxes=boxes), bbox


def _words_box(words: list[dict]) -> tuple[float, float, float, float]:
    return (round(min(w["x0"] for w in words), 1), round(min(w["top"] for w in words), 1),
            round(max(w["x1"] for w in words), 1), round(max(w["bottom"] for w in words), 1))


_GAP = 7.0  # points: wider than a space at 10-14 pt, narrower than a column gutter


def _word_lines(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _segments(line: list[dict]) -> list[list[dict]]:
    segments = [[line[0]]]
    for prev, word in zip(line, line[1:]):
        if word["x0"] - prev["x1"] > _GAP:
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _is_tabular(line: list[dict]) -> bool:
    """Two or more word groups apart, unless the line is justified prose: a justified line
    stretches every space by the same amount, so its gaps are (within a point) equal, some
    of them just over the gutter width, while a table row mixes ordinary spaces inside
    cells with gutters between them."""
    if len(_segments(line)) < 2:
        return False
    gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
    return not (len(gaps) >= 3 and max(gaps) - min(gaps) <= 1.0)


def _table_region(tabular: list[int]) -> Optional[tuple[int, int]]:
    """The longest run of tabular lines no more than a few lines apart (≥ 3 lines)."""
    best: Optional[tuple[int, int]] = None
    start = 0
    for k in range(1, len(tabular) + 1):
        if k == len(tabular) or tabular[k] - tabular[k - 1] > 12:
            run = tabular[start:k]
            if len(run) >= 3 and (best is None or run[-1] - run[0] > best[1] - best[0]):
                best = (run[0], run[-1])
            start = k
    return best


def _column_borders(lines: list[list[dict]]) -> list[float]:
    """Left x of each column: gutters that at most one line of the region crosses."""
    x_min = int(min(w["x0"] for line in lines for w in line))
    x_max = int(max(w["x1"] for line in lines for w in line)) + 1
    crossing = [0] * (x_max - x_min + 1)
    for line in lines:
        covered = set()
        for w in line:
            covered.update(range(int(w["x0"]) - x_min, int(w["x1"]) - x_min + 1))
        for x in covered:
            crossing[x] += 1
    allowed = max(1, len(lines) // 30)
    borders = [float(x_min)]
    run_start = None
    for x, count in enumerate(crossing):
        if count <= allowed:
            run_start = x if run_start is None else run_start
        else:
            if run_start is not None and x - run_start >= 5:
                borders.append(float(x_min + x) - 0.5)
            run_start = None
    return borders


def _extend_region(lines, first: int, last: int, borders: list[float]) -> tuple[int, int]:
    """Take in the cell-continuation lines just above/below the tabular run."""

    gaps = [b[0]["top"] - a[0]["bottom"] for a, b in zip(lines[first:last], lines[first + 1:last + 1])]
    line_gap = median(gaps) if gaps else 0.0

    def continues_cell(line, neighbour) -> bool:
        """Starts at a column border (the first column too: a wrapped activity text) and
        sits as close to the table as its own lines sit to each other."""
        starts = [b for b in borders if abs(line[0]["x0"] - b) <= 4]
        near = abs(line[0]["top"] - neighbour[0]["top"]) - (neighbour[0]["bottom"] - neighbour[0]["top"]) \
            <= 1.5 * line_gap + 1
        return bool(starts) and near and len(_segments(line)) <= len(borders)

    while first > 0 and continues_cell(lines[first - 1], lines[first]):
        first -= 1
    while last + 1 < len(lines) and continues_cell(lines[last + 1], lines[last]):
        last += 1
    return first, last


def _line_cells(line: list[dict], borders: list[float]) -> list[Cell]:
    """A line's text per column; one run of words across a column border (a section heading
    centred over the table) is one cell spanning the row, as a merged cell reads. A line of
    several runs is cells even when a word overhangs a border (OCR boxes do)."""
    if len(_segments(line)) == 1 and any(w["x0"] < b - 2 < w["x1"] for w in line for b in borders[1:]):
        return [" ".join(w["text"] for w in line)] + [None] * (len(borders) - 1)
    cells: list[list[str]] = [[] for _ in borders]
    for word in line:
        col = max(i for i, b in enumerate(borders) if word["x0"] >= b - 2) if word["x0"] >= borders[0] - 2 else 0
        cells[col].append(word["text"])
    return [" ".join(c) if c else "" for c in cells]
