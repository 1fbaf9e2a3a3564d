"""Page-image geometry for OCR: clean-up, deskew, ruling lines → table grids, words → cells.

Kept apart from the Tesseract call so each step is a pure function over numpy arrays that
tests can feed with synthetic images. Lengths are given in inches and scaled by the dpi so
the same settings hold for 150–300 dpi scans.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import median
from typing import Optional

import cv2
import numpy as np

from extractors.borderless import read_borderless_table
from extractors.ocr_text import fix_case
from extractors.ocr_words import Word
from extractors.raw import Block, Cell, RawParagraph, RawTable

from language.patterns import compiled

# Pages are cleaned in parallel already, one per worker (extractors.ocr): OpenCV's own
# threads on top of that only compete for the same cores — measured, 30 % more CPU for the
# same clean-up of a 300-dpi page, and no gain in wall time once every core has a page.
cv2.setNumThreads(1)

MAX_SKEW_DEG = 5.0
SIDE_BEARING_PT = 1.5     # font box minus ink box, each side of a word (points)
SIDEWAYS_RATIO = 1.0
H_LINE_MIN_IN = 0.4       # a horizontal ruling is at least this long
LONG_LINE_IN = 1.5        # a ruling this long needs no crossing line to be believed
V_LINE_MIN_IN = 0.25      # a vertical ruling: longer than any glyph stroke
SHORT_V_LINE_IN = 0.1     # ... unless it runs from one horizontal ruling to the next
LINE_CLUSTER_IN = 0.04    # rulings closer than this are one grid line
BORDER_COVERAGE = 0.6     # share of a cell edge that must be inked to count as a border
CLEAN_GAP_COVERAGE = 0.1  # at most this inked, a missing border is a merge; more is a ruling the scan lost
MIN_TABLE_W_IN = 1.0
MIN_TABLE_H_IN = 0.25
LOW_CONFIDENCE = 55
MAX_WARNINGS_PER_PAGE = 12


@dataclass
class CleanPage:
    gray: np.ndarray        # deskewed, denoised, 0 = ink, 255 = paper
    binary: np.ndarray      # 255 = ink
    h_mask: np.ndarray      # horizontal rulings (255)
    v_mask: np.ndarray      # vertical rulings (255)
    angle: float            # degrees the page was rotated by to deskew it

    @property
    def line_mask(self) -> np.ndarray:
        return cv2.bitwise_or(self.h_mask, self.v_mask)


def _px(inches: float, dpi: int) -> int:
    return max(1, int(round(inches * dpi)))


def components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """8-connected components of a mask, as cv2.connectedComponentsWithStats gives them.
    16-bit labels where they suffice (almost always: rulings, text blobs), at a third of the
    cost of 32-bit ones on a 300-dpi page; OpenCV refuses a 65,536th label, and then the
    page is labelled again with 32 bits."""
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_32S)


def binarize(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Ink as 255: a local threshold copes with the uneven shading of scans."""
    block = _px(0.12, dpi) | 1
    local = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    _, glob = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return cv2.bitwise_and(local, glob)


def estimate_skew(binary: np.ndarray, dpi: int) -> float:
    """Angle (degrees) that makes text lines and rulings horizontal: the rotation that
    gives the sharpest horizontal projection profile, coarse then fine."""
    scale = min(1.0, 100 / dpi)
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if small.sum() == 0:
        return 0.0

    def score(angle: float) -> float:
        h, w = small.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rotated = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(profile) ** 2))

    coarse = np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.25)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return float(max(fine, key=score))


def looks_sideways(gray: np.ndarray, dpi: int) -> bool:
    """Text lines may run vertically (a landscape page scanned as portrait): the column
    profile of the ink is sharper than the row profile (upright pages measure about 0.6,
    sideways ones about 1.7). Only a hint: Tesseract's orientation check decides."""
    binary = binarize(gray, dpi)
    scale = min(1.0, 100 / dpi)
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    run = _px(0.4, 100)                 # table rulings would dominate both profiles: drop them
    for kernel in ((run, 1), (1, run)):
        small = cv2.subtract(small, cv2.morphologyEx(small, cv2.MORPH_OPEN,
                                                     cv2.getStructuringElement(cv2.MORPH_RECT, kernel)))
    small = small.astype(np.float64)
    rows = float(np.sum(np.diff(small.sum(axis=1)) ** 2))
    cols = float(np.sum(np.diff(small.sum(axis=0)) ** 2))
    return cols > SIDEWAYS_RATIO * rows and cols > 0


def rotate(image: np.ndarray, angle: float, fill: int) -> np.ndarray:
    if abs(angle) < 0.02:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=fill)


def remove_specks(binary: np.ndarray, dpi: int) -> np.ndarray:
    """Drop scanner dust: tiny blobs anywhere, and dot-sized blobs with no letter nearby
    (a full stop or the dot of a date sits right next to a glyph, a speck does not)."""
    tiny = max(2, int((dpi / 300) ** 2 * 6))
    dot = int((dpi / 300) ** 2 * 80)
    n, labels, stats, _ = components(binary)
    area = stats[:, cv2.CC_STAT_AREA]
    big = (area > dot)
    big[0] = False
    reach = _px(0.05, dpi)
    near_big = cv2.dilate(np.where(big[labels], 255, 0).astype(np.uint8),
                          cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, reach + 1)))
    small_ids = np.flatnonzero((area <= dot) & (np.arange(n) > 0))
    drop = np.zeros(n, dtype=bool)
    drop[small_ids[area[small_ids] <= tiny]] = True
    touching = np.zeros(n, dtype=bool)
    touching[np.unique(labels[(near_big > 0) & (labels > 0)])] = True
    drop[small_ids[~touching[small_ids]]] = True
    out = binary.copy()
    out[drop[labels]] = 0
    return out


def ruling_masks(binary: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines: long thin ink runs (morphological opening),
    kept only when they are long or meet a ruling of the other direction, since a word
    whose letters touch (“менее”) can make a long horizontal run too."""
    bridge = max(2, _px(0.007, dpi))
    h_src = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1)))
    v_src = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge)))
    h = cv2.morphologyEx(h_src, cv2.MORPH_OPEN,
                         cv2.getStructuringElement(cv2.MORPH_RECT, (_px(H_LINE_MIN_IN, dpi), 1)))
    v = cv2.morphologyEx(v_src, cv2.MORPH_OPEN,
                         cv2.getStructuringElement(cv2.MORPH_RECT, (1, _px(V_LINE_MIN_IN, dpi))))
    reach = _px(LINE_CLUSTER_IN, dpi)
    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, 2 * reach + 1))
    h_near, v_near = cv2.dilate(h, grow), cv2.dilate(v, grow)
    h = _keep_connected(h, v_near, _px(LONG_LINE_IN, dpi), horizontal=True)
    v = _keep_connected(v, h_near, _px(LONG_LINE_IN, dpi), horizontal=False)
    # a one-line row's rulings are shorter than any kernel that ignores glyph strokes:
    # keep a short vertical run only when it reaches a horizontal ruling at both ends
    short = cv2.morphologyEx(v_src, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (1, _px(SHORT_V_LINE_IN, dpi))))
    h_near = cv2.dilate(h, grow)
    n, labels, stats, _ = components(short)
    keep = np.zeros(n, dtype=bool)
    for i in range(1, n):
        x, y, w, hh, _ = stats[i]
        cx = x + w // 2
        keep[i] = w <= _px(0.03, dpi) and bool(h_near[y, cx]) and bool(h_near[y + hh - 1, cx])
    v = cv2.bitwise_or(v, np.where(keep[labels], short, 0).astype(np.uint8))
    return h, v


def _keep_connected(mask: np.ndarray, other_near: np.ndarray, long_px: int, horizontal: bool) -> np.ndarray:
    n, labels, stats, _ = components(mask)
    keep = np.zeros(n, dtype=bool)
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if (w if horizontal else h) >= long_px:
            keep[i] = True
            continue
        ends = ((y + h // 2, x), (y + h // 2, x + w - 1)) if horizontal else ((y, x + w // 2), (y + h - 1, x + w // 2))
        keep[i] = any(other_near[r, c] for r, c in ends)
    return np.where(keep[labels], mask, 0).astype(np.uint8)


def preprocess(gray: np.ndarray, dpi: int) -> CleanPage:
    """Denoise, deskew and binarize a page; find its ruling lines."""
    if dpi >= 250:                     # below that a thin ruling is a 1-pixel line a median would erase
        gray = cv2.medianBlur(gray, 3)
    angle = estimate_skew(binarize(gray, dpi), dpi)
    gray = rotate(gray, angle, fill=255)
    binary = remove_specks(binarize(gray, dpi), dpi)
    h, v = ruling_masks(binary, dpi)
    return CleanPage(gray=gray, binary=binary, h_mask=h, v_mask=v, angle=angle)


def text_image(page: CleanPage, dpi: int) -> np.ndarray:
    """What Tesseract reads: clean black-on-white ink with the rulings erased."""
    grow = cv2.getStructuringElement(cv2.MORPH_RECT, (_px(0.015, dpi) | 1,) * 2)
    lines = cv2.dilate(page.line_mask, grow)
    ink = page.binary.copy()
    ink[lines > 0] = 0
    return 255 - ink


def uncovered_blobs(text_img: np.ndarray, words: list["Word"], dpi: int,
                    limit: int = 80) -> list[tuple[int, int, int, int]]:
    """Word-sized ink blobs no OCR word covers (x, y, w, h): Tesseract's layout analysis
    drops isolated short tokens such as the "1." of a row-number column."""
    ink = (text_img < 128).astype(np.uint8) * 255
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_px(0.035, dpi), _px(0.015, dpi)))
    blobs = cv2.dilate(ink, kernel)
    covered = np.zeros_like(ink)
    for w in words:
        covered[w.top:w.bottom + 1, w.left:w.right + 1] = 255
    n, labels, stats, _ = components(blobs)
    out = []
    min_h, max_h = _px(0.06, dpi), _px(0.45, dpi)
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if not (min_h <= h <= max_h) or w < _px(0.04, dpi) or w > _px(3.0, dpi):
            continue
        region_ink = ink[y:y + h, x:x + w]
        ink_count = int(np.count_nonzero(region_ink))
        if ink_count < (dpi / 300) ** 2 * 120:
            continue
        hidden = np.count_nonzero(region_ink & covered[y:y + h, x:x + w])
        if hidden / ink_count < 0.3:
            out.append((int(x), int(y), int(w), int(h)))
    return out if len(out) <= limit else []


def stack_blobs(text_img: np.ndarray, boxes: list[tuple[int, int, int, int]], dpi: int
                ) -> tuple[np.ndarray, list[tuple[int, int, int, int, int]]]:
    """One image with every blob on its own line; slots map lines back (y0, y1, x, y, pad)."""
    pad, gap = _px(0.05, dpi), _px(0.15, dpi)
    width = max(w for _, _, w, _ in boxes) + 2 * pad
    height = sum(h + gap for _, _, _, h in boxes) + gap
    canvas = np.full((height, width), 255, dtype=np.uint8)
    slots = []
    y_at = gap
    for x, y, w, h in boxes:
        canvas[y_at:y_at + h, pad:pad + w] = text_img[y:y + h, x:x + w]
        slots.append((y_at, y_at + h, x, y, pad))
        y_at += h + gap
    return canvas, slots


# ---------------------------------------------------------------- table grids

@dataclass
class TableGrid:
    """A ruled table: grid line positions and the merged cells over the grid."""
    xs: list[int]
    ys: list[int]
    cell_of: list[list[int]]             # grid (row, col) → cell id
    spans: list[tuple[int, int, int, int]]  # cell id → (row0, col0, row1, col1) inclusive
    # (row, col) whose border with the row below is missing but partly inked: a lost ruling
    # joined the cells, so the lower one is not taken as continuing the upper one's text
    broken_below: frozenset = frozenset()

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def near_line(self, word: "Word", tol: int) -> bool:
        return (any(abs(word.cy - y) <= tol for y in self.ys)
                or any(abs(word.cx - x) <= tol for x in self.xs))

    def locate(self, x: float, y: float) -> Optional[tuple[int, int]]:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        col = min(int(np.searchsorted(self.xs, x, side="right")) - 1, len(self.xs) - 2)
        row = min(int(np.searchsorted(self.ys, y, side="right")) - 1, len(self.ys) - 2)
        return row, col


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, int, int]]:
    """(position across, start, end along) of each connected ruling."""
    n, labels, stats, centroids = components(mask)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if horizontal:
            out.append((float(centroids[i][1]), int(x), int(x + w)))
        else:
            out.append((float(centroids[i][0]), int(y), int(y + h)))
    return out


def _cluster(values: list[float], tol: float) -> list[int]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(round(median(group))) for group in out]


def _coverage(profile: np.ndarray) -> float:
    return float(np.count_nonzero(profile)) / max(1, profile.size)


def find_tables(page: CleanPage, dpi: int) -> list[TableGrid]:
    """Every ruled table on the page, top to bottom."""
    union = cv2.dilate(page.line_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (_px(0.03, dpi),) * 2))
    n, labels, stats, _ = components(union)
    grids = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < _px(MIN_TABLE_W_IN, dpi) or h < _px(MIN_TABLE_H_IN, dpi):
            continue
        region = labels[y:y + h, x:x + w] == i
        grid = _grid(page.h_mask[y:y + h, x:x + w] & (region * 255).astype(np.uint8),
                     page.v_mask[y:y + h, x:x + w] & (region * 255).astype(np.uint8), dpi)
        if grid is None:
            continue
        grid.xs = [v + x for v in grid.xs]
        grid.ys = [v + y for v in grid.ys]
        grids.append(grid)
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _grid(h_mask: np.ndarray, v_mask: np.ndarray, dpi: int) -> Optional[TableGrid]:
    tol = _px(LINE_CLUSTER_IN, dpi)
    hs = _segments(h_mask, horizontal=True)
    vs = _segments(v_mask, horizontal=False)
    if len(hs) < 1 or len(vs) < 2:
        return None
    height, width = h_mask.shape
    ys = _cluster([s[0] for s in hs], tol)
    xs = _cluster([s[0] for s in vs], tol)
    # an open table (no outer frame) still ends where its rulings end
    if ys[0] > tol * 2:
        ys.insert(0, min(s[1] for s in vs))
    if height - ys[-1] > tol * 2:
        ys.append(max(s[2] for s in vs))
    if len(xs) < 3 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    half = max(2, tol // 2)
    parent = list(range(n_rows * n_cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(n_rows):
        y0, y1 = ys[r] + half, ys[r + 1] - half
        for c in range(n_cols - 1):
            x = xs[c + 1]
            strip = v_mask[max(0, y0):max(y0 + 1, y1), max(0, x - half):x + half + 1]
            if _coverage(strip.any(axis=1)) < BORDER_COVERAGE:
                union(r * n_cols + c, r * n_cols + c + 1)
    broken: set[tuple[int, int]] = set()
    for r in range(n_rows - 1):
        y = ys[r + 1]
        for c in range(n_cols):
            x0, x1 = xs[c] + half, xs[c + 1] - half
            strip = h_mask[max(0, y - half):y + half + 1, max(0, x0):max(x0 + 1, x1)]
            coverage = _coverage(strip.any(axis=0))
            if coverage < BORDER_COVERAGE:
                union(r * n_cols + c, (r + 1) * n_cols + c)
                if coverage > CLEAN_GAP_COVERAGE:
                    broken.add((r, c))
    ids: dict[int, int] = {}
    cell_of = [[0] * n_cols for _ in range(n_rows)]
    spans: list[list[int]] = []
    for r in range(n_rows):
        for c in range(n_cols):
            root = find(r * n_cols + c)
            if root not in ids:
                ids[root] = len(spans)
                spans.append([r, c, r, c])
            cid = ids[root]
            cell_of[r][c] = cid
            s = spans[cid]
            s[0], s[1], s[2], s[3] = min(s[0], r), min(s[1], c), max(s[2], r), max(s[3], c)
    if len(spans) < 2:
        return None
    return TableGrid(xs=xs, ys=ys, cell_of=cell_of, spans=[tuple(s) for s in spans], broken_below=frozenset(broken))


# ---------------------------------------------------------------- words → blocks

_RULING_DEBRIS = compiled(r"^[-–—_|=~.,:;'`‘’\\/]{1,4}$")
_STRAY = compiled(r"^[\W_]{1,3}$")
_EDGE_JUNK = "‘’‚'`°_|"


def usable_words(words: list["Word"]) -> list["Word"]:
    """Drop what Tesseract reads from leftover speckle: faint or stray punctuation tokens."""
    out = []
    for w in words:
        text = w.text.strip(_EDGE_JUNK) if w.conf < LOW_CONFIDENCE else w.text
        if not text:
            continue
        if _STRAY.match(text) and text not in ("-", "–", "—", "№", "%") and (w.conf < 70 or text in _EDGE_JUNK):
            continue
        if text != w.text:
            w = replace(w, text=text)
        out.append(w)
    return out


def _lines(words: list["Word"]) -> list[list["Word"]]:
    """Group words into text lines by vertical overlap, each line left to right."""
    lines: list[list["Word"]] = []
    for w in sorted(words, key=lambda w: w.cy):
        if lines:
            last = lines[-1]
            top = median(v.top for v in last)
            bottom = median(v.bottom for v in last)
            if top <= w.cy <= bottom:
                last.append(w)
                continue
        lines.append([w])
    return [sorted(line, key=lambda w: w.left) for line in lines]


def _line_text(line: list["Word"]) -> str:
    return " ".join(w.text for w in line)


def _fix_case(lines: list[list["Word"]]) -> list[list["Word"]]:
    """Case repair over a cell's or paragraph's words in reading order (see ocr_text)."""
    flat = [w for line in lines for w in line]
    fixed = iter(fix_case([w.text for w in flat]))
    return [[replace(w, text=next(fixed)) for w in line] for line in lines]


class _Unsure:
    def __init__(self, page: int):
        self.page = page
        self.items: list[str] = []
        self.count = 0

    def check(self, line: list["Word"], where: str) -> None:
        low = [w for w in line if w.conf < LOW_CONFIDENCE and any(ch.isalnum() for ch in w.text)]
        if not low:
            return
        self.count += 1
        if len(self.items) < MAX_WARNINGS_PER_PAGE:
            worst = min(w.conf for w in low)
            self.items.append(f"page {self.page}: OCR unsure ({where}, confidence {worst:.0f}): "
                              f"{_line_text(line)!r}")

    def warnings(self) -> list[str]:
        extra = self.count - len(self.items)
        if extra > 0:
            return self.items + [f"page {self.page}: OCR unsure of {extra} more line(s)"]
        return self.items


class _WordPage:
    """Just enough of a pdfplumber page (extract_words, in points) for the text-PDF
    extractor's borderless-table reader, so OCR and text layer share one algorithm."""

    def __init__(self, words: list["Word"], dpi: int):
        k = 72.0 / dpi
        self._words = []
        # ink boxes of one line differ in height (capitals, descenders): give every word its
        # line's top and bottom, as a text layer's font boxes would; and widen them by the
        # glyphs' side bearings, or justified prose has gaps as wide as a table's gutter
        for line in _lines(words):
            top, bottom = min(w.top for w in line), max(w.bottom for w in line)
            self._words += [{"text": w.text, "x0": w.left * k - SIDE_BEARING_PT, "x1": w.right * k + SIDE_BEARING_PT,
                             "top": top * k,
                             "bottom": bottom * k, "_word": w} for w in line]
        self.scale = k

    def extract_words(self, *args, **kwargs) -> list[dict]:
        return list(self._words)


def borderless_table(words: list["Word"], page: int, dpi: int) -> Optional[tuple[RawTable, list["Word"]]]:
    """A table printed without rulings, from word positions; returns it and the words it used."""
    fake = _WordPage(words, dpi)
    found = read_borderless_table(fake.extract_words(), page)
    if found is None:
        return None
    table, (x0, top, x1, bottom) = found
    k = fake.scale
    inside = [w for w in words if x0 <= w.cx * k <= x1 and top <= w.cy * k <= bottom]
    return table, inside


def assemble(words: list["Word"], tables: list[TableGrid], page: int,
             dpi: Optional[int] = None) -> tuple[list[Block], list[str]]:
    """Blocks top to bottom: a RawTable per grid (covered merge positions None), the words
    outside tables as paragraphs split at blank-line gaps. With no ruled table (and a dpi
    given) a table laid out by word positions alone is looked for."""
    words = usable_words(words)
    unsure = _Unsure(page)
    per_table: list[dict[int, list["Word"]]] = [dict() for _ in tables]
    loose: list["Word"] = []
    near = _px(0.04, dpi or 300)
    for w in words:
        for t_index, grid in enumerate(tables):
            spot = grid.locate(w.cx, w.cy)
            if spot is not None and _RULING_DEBRIS.match(w.text) and grid.near_line(w, near):
                break                      # a scrap of a ruling that erasing missed
            if spot is not None:
                cid = grid.cell_of[spot[0]][spot[1]]
                per_table[t_index].setdefault(cid, []).append(w)
                break
        else:
            loose.append(w)
    placed: list[tuple[float, Block]] = []
    for t_index, grid in enumerate(tables):
        table = _table_block(grid, per_table[t_index], page, unsure, t_index + 1, dpi)
        if table is not None:
            placed.append((grid.ys[0], table))
    if not tables and dpi and loose:
        loose_fixed = [w for line in _fix_case(_lines(loose)) for w in line]
        found = borderless_table(loose_fixed, page, dpi)
        if found is not None:
            table, used = found
            ids = {id(w) for w in used}
            placed.append((min(w.top for w in used), table))
            for line in _lines(used):
                unsure.check(line, "table")
            loose = [w for w in loose_fixed if id(w) not in ids]
    for top, text in _paragraphs(loose, unsure):
        placed.append((top, RawParagraph(text=text, page=page)))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed], unsure.warnings()


def _table_block(grid: TableGrid, cells: dict[int, list["Word"]], page: int,
                 unsure: _Unsure, number: int, dpi: int) -> Optional[RawTable]:
    """The grid's cells as a table; each row's box in points of the page as OCR read it
    (turned upright and deskewed)."""
    rows: list[list[Cell]] = []
    tall: set[tuple[int, int]] = set()
    for r, ids in enumerate(grid.cell_of):
        row: list[Cell] = []
        for c, cid in enumerate(ids):
            r0, c0, _, _ = grid.spans[cid]
            if (r0, c0) != (r, c):
                row.append(None)
                if r0 < r and not any((k, c) in grid.broken_below for k in range(r0, r)):
                    tall.add((r, c))
                continue
            lines = _fix_case(_lines(cells.get(cid, [])))
            for line in lines:
                unsure.check(line, f"table {number}, row {r + 1}, column {c + 1}")
            row.append("\n".join(_line_text(line) for line in lines))
        rows.append(row)
    kept = [r for r, row in enumerate(rows) if any(cell for cell in row)]
    new_index = {old: new for new, old in enumerate(kept)}
    rows = [rows[r] for r in kept]
    filled = sum(1 for row in rows for cell in row if cell)
    if not rows or filled < 2:
        return None
    continued = {(new_index[r], c) for r, c in tall if r in new_index}
    k = 72.0 / dpi if dpi else 1.0
    boxes = [tuple(round(v * k, 1) for v in (grid.xs[0], grid.ys[r], grid.xs[-1], grid.ys[r + 1])) for r in kept]
    return RawTable(rows=rows, row_pages=[page] * len(rows), continued=continued, row_boxes=boxes)


def _paragraphs(words: list["Word"], unsure: _Unsure) -> list[tuple[float, str]]:
    paragraphs: list[tuple[float, str]] = []
    current: list[str] = []
    top: Optional[float] = None
    last_bottom: Optional[float] = None
    for line in _fix_case(_lines(words)):
        l_top = median(w.top for w in line)
        l_bottom = median(w.bottom for w in line)
        height = max(l_bottom - l_top, 1.0)
        if current and last_bottom is not None and l_top - last_bottom > 0.8 * height:
            paragraphs.append((top, "\n".join(current)))
            current, top = [], None
        if top is None:
            top = l_top
        unsure.check(line, "text")
        current.append(_line_text(line))
        last_bottom = l_bottom
    if current:
        paragraphs.append((top, "\n".join(current)))
    return paragraphs
