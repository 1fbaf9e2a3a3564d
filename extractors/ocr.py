"""Scanned PDF pages → RawParagraph/RawTable blocks, the same shapes the text-PDF extractor makes.

Regional orders are often signed on paper and published as scans. Per page: render,
denoise, deskew, find the table ruling lines, erase them, OCR the page once with Tesseract
(TSV word boxes), then put every word into the table cell (or the out-of-table text line)
its centre falls in. Cutting cells from the rulings, rather than asking the OCR engine for
layout, keeps merged header cells and multi-line cells exactly where the text-PDF path
puts them (merged positions are None), so the table normalizers need no OCR special case.

Public API:
    ocr_page_blocks(path, sha256, pages)  -> OcrPages(blocks={page: [Block]}, warnings=[...])
    ocr_pdf(path, sha256, pages=None)     -> RawDocument (ocr=True), tables stitched over pages
    check_tesseract()                     raises ExtractionError naming the Debian package

Results are cached per page by the file's sha256 (see cache_dir()); a re-run costs nothing.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from extractors.ocr_words import Word
from extractors.raw import Block, ExtractionError, RawDocument, RawParagraph, RawTable
from language.patterns import compiled

# Bump when anything that changes OCR output changes: old cache entries are then ignored.
OCR_VERSION = "10"
LANG = "rus"
RENDER_DPI = 300
TESSERACT_TIMEOUT_S = 300

_render_lock = threading.Lock()


# ---------------------------------------------------------------- tool checks and cache

def check_tesseract() -> str:
    """Path of the tesseract binary; ExtractionError naming the package when it or Russian is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise ExtractionError(
            "scanned PDF needs OCR but tesseract is not installed: install the Debian packages "
            "tesseract-ocr and tesseract-ocr-rus"
        )
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ExtractionError(f"tesseract does not run ({exc}): reinstall the Debian package tesseract-ocr") from exc
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    if LANG not in langs:
        raise ExtractionError(
            "tesseract has no Russian language data: install the Debian package tesseract-ocr-rus"
        )
    return exe


def cache_dir() -> Path:
    """$ROADMAP_OCR_CACHE, else $ROADMAP_CACHE/ocr, else ~/.cache/roadmap-pipeline/ocr."""
    if os.environ.get("ROADMAP_OCR_CACHE"):
        return Path(os.environ["ROADMAP_OCR_CACHE"])
    if os.environ.get("ROADMAP_CACHE"):
        return Path(os.environ["ROADMAP_CACHE"]) / "ocr"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roadmap-pipeline" / "ocr"


def _cache_file(sha256: str, page: int) -> Path:
    return cache_dir() / sha256 / f"v{OCR_VERSION}-{LANG}-p{page}.json"


def _load_cached(sha256: str, page: int) -> Optional[tuple[list[Block], list[str]]]:
    path = _cache_file(sha256, page)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [_block_from_json(b) for b in data["blocks"]], list(data["warnings"])


def _store_cached(sha256: str, page: int, blocks: list[Block], warnings: list[str]) -> None:
    path = _cache_file(sha256, page)
    tmp: Optional[str] = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"blocks": [_block_to_json(b) for b in blocks], "warnings": warnings}
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # a read-only or full cache only costs speed
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _block_to_json(block: Block) -> dict:
    if isinstance(block, RawTable):
        return {"table": block.rows, "row_pages": block.row_pages, "continued": sorted(block.continued),
                "row_boxes": block.row_boxes}
    return {"text": block.text, "page": block.page}


def _block_from_json(data: dict) -> Block:
    if "table" in data:
        return RawTable(rows=data["table"], row_pages=data["row_pages"],
                        continued={(r, c) for r, c in data.get("continued", [])},
                        row_boxes=[tuple(b) if b else None for b in data.get("row_boxes", [])])
    return RawParagraph(text=data["text"], page=data["page"])


# ---------------------------------------------------------------- public entry points

@dataclass
class OcrPages:
    """OCR output for some pages of one PDF: blocks per 1-based page number, and warnings."""
    blocks: dict[int, list[Block]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    page_count: int = 0

    def document(self, path: str | Path, sha256: str, fmt: str) -> RawDocument:
        """The pages as one OCRed RawDocument, tables stitched across pages."""
        from extractors.stitch import stitch_page_tables

        numbers = sorted(self.blocks)
        raw = RawDocument(path=str(path), sha256=sha256, format=fmt, pages=self.page_count, ocr=True)
        raw.blocks = stitch_page_tables([self.blocks[n] for n in numbers])
        raw.warnings = list(self.warnings)
        raw.textless_pages = [n for n in numbers if not self.blocks[n]]
        return raw


def default_workers() -> int:
    """Worker budget: $ROADMAP_WORKERS, else the CPUs this process may use (tesseract runs single-threaded)."""
    env = os.environ.get("ROADMAP_WORKERS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def ocr_page_blocks(path: str | Path, sha256: str, pages: Optional[list[int]] = None,
                    workers: Optional[int] = None) -> OcrPages:
    """OCR the given 1-based pages (all when None) in parallel; cached by sha256 and page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise ExtractionError(f"corrupt PDF: {type(exc).__name__}: {exc}") from exc
    try:
        return ocr_rendered_pages(sha256, len(pdf), lambda number: _render(pdf, number), pages, workers)
    finally:
        pdf.close()


def ocr_rendered_pages(sha256: str, count: int, render: Callable[[int], Any], pages: Optional[list[int]] = None,
                       workers: Optional[int] = None, dpi: int = RENDER_DPI) -> OcrPages:
    """OCR pages that `render(number)` draws as greyscale arrays at `dpi`: a PDF's pages or an
    image file's frames. Cached by sha256 and page; rendering is serialised, OCR runs in parallel."""
    wanted = sorted(set(pages)) if pages is not None else list(range(1, count + 1))
    wanted = [p for p in wanted if 1 <= p <= count]
    result = OcrPages(page_count=count)
    todo = []
    for number in wanted:
        cached = _load_cached(sha256, number)
        if cached is None:
            todo.append(number)
        else:
            result.blocks[number] = cached[0]
            result.warnings.extend(cached[1])
    if todo:
        exe = check_tesseract()

        def run(number: int) -> tuple[int, list[Block], list[str]]:
            with _render_lock:
                image = render(number)
            blocks, warnings = ocr_image(image, number, exe=exe, dpi=dpi)
            _store_cached(sha256, number, blocks, warnings)
            return number, blocks, warnings

        n = max(1, min(workers or default_workers(), len(todo)))
        with ThreadPoolExecutor(max_workers=n) as pool:
            for number, blocks, warnings in pool.map(run, todo):
                result.blocks[number] = blocks
                result.warnings.extend(warnings)
    result.warnings.sort(key=_page_of_warning)
    return result


def _page_of_warning(text: str) -> int:
    m = compiled(r"page (\d+)").match(text)
    return int(m.group(1)) if m else 0


def ocr_pdf(path: str | Path, sha256: str, pages: Optional[list[int] | RawDocument] = None,
            workers: Optional[int] = None) -> RawDocument:
    """A scanned PDF as a RawDocument (ocr=True), tables stitched across pages.

    `pages`: None → every page; a list → those 1-based pages; the text-layer RawDocument
    of the same file → its `textless_pages` are OCRed and put in place among its blocks.
    """
    if isinstance(pages, RawDocument):
        return _fill_textless(path, sha256, pages, workers)
    res = ocr_page_blocks(path, sha256, pages, workers=workers)
    return res.document(path, sha256, "pdf")


def _block_page(block: Block) -> int:
    page = block.page
    return page if page is not None else 0


def _fill_textless(path: str | Path, sha256: str, base: RawDocument, workers: Optional[int]) -> RawDocument:
    """OCR the pages a text extraction found empty; a wholly scanned file is OCRed whole."""
    todo = sorted(set(base.textless_pages))
    if not todo:
        return base
    if base.pages is not None and len(todo) >= base.pages:
        raw = ocr_pdf(path, sha256, None, workers=workers)
        raw.warnings = list(base.warnings) + raw.warnings
        return raw
    from extractors.stitch import stitch_page_tables

    res = ocr_page_blocks(path, sha256, todo, workers=workers)
    per_page: dict[int, list[Block]] = {}
    for block in base.blocks:
        per_page.setdefault(_block_page(block), []).append(block)
    per_page.update(res.blocks)
    merged: list[Block] = []
    for number in sorted(per_page):
        if number in res.blocks:
            merged.extend(stitch_page_tables([res.blocks[number]]))
        else:
            merged.extend(per_page[number])
    return RawDocument(
        path=base.path, sha256=base.sha256, format=base.format, pages=base.pages, blocks=merged,
        ocr=True, warnings=list(base.warnings) + res.warnings,
        textless_pages=[n for n in todo if not res.blocks.get(n)],
    )


# ---------------------------------------------------------------- image pipeline

def _render(pdf, number: int):
    """Page as a greyscale numpy array at RENDER_DPI (a 150–200 dpi scan gains from upscaling)."""
    import numpy as np

    page = pdf[number - 1]
    bitmap = page.render(scale=RENDER_DPI / 72, grayscale=True)
    image = bitmap.to_numpy()
    if image.ndim == 3:
        image = image[:, :, 0]
    return np.ascontiguousarray(image)


def ocr_image(gray, page: int, exe: str = "tesseract", dpi: int = RENDER_DPI) -> tuple[list[Block], list[str]]:
    """One page image → blocks in reading order plus low-confidence warnings."""
    from extractors import ocr_layout as layout

    if layout.looks_sideways(gray, dpi):
        gray = upright(gray, exe, dpi)
    clean = layout.preprocess(gray, dpi)
    tables = layout.find_tables(clean, dpi)
    image = layout.text_image(clean, dpi)
    words = run_tesseract(image, exe=exe, dpi=dpi)
    words += recover_missed(image, words, exe, dpi)
    return layout.assemble(words, tables, page, dpi=dpi)


def upright(gray, exe: str, dpi: int):
    """Turn a sideways page upright; Tesseract's orientation detection tells 90 from 270."""
    import cv2

    ok, png = cv2.imencode(".png", gray)
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    try:
        proc = subprocess.run([exe, "stdin", "stdout", "--psm", "0", "--dpi", str(dpi)], input=png.tobytes(),
                              capture_output=True, timeout=TESSERACT_TIMEOUT_S, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        m = compiled(r"Rotate:\s*(\d+)").search(proc.stdout.decode("utf-8", "replace"))
        angle = int(m.group(1)) if m else 0
    except (OSError, subprocess.SubprocessError):
        angle = 0
    return cv2.rotate(gray, turns[angle]) if angle in turns else gray


def recover_missed(image, words: list["Word"], exe: str, dpi: int) -> list["Word"]:
    """Second look at ink the page OCR skipped, all blobs in one extra tesseract run."""
    from dataclasses import replace

    from extractors import ocr_layout as layout

    boxes = layout.uncovered_blobs(image, words, dpi)
    if not boxes:
        return []
    canvas, slots = layout.stack_blobs(image, boxes, dpi)
    found = []
    for w in run_tesseract(canvas, exe=exe, dpi=dpi, psm=6):
        for y0, y1, x, y, pad in slots:
            if y0 - 2 <= w.cy <= y1 + 2:
                found.append(replace(w, left=x + w.left - pad, top=y + w.top - y0))
                break
    return found


def run_tesseract(image, exe: str = "tesseract", dpi: int = RENDER_DPI, psm: int = int(os.environ.get("OCR_PSM", "4"))) -> list[Word]:
    """Words with boxes and confidence from one tesseract run (TSV), single-threaded."""
    import cv2

    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise ExtractionError("OCR: cannot encode the page image")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            [exe, "stdin", "stdout", "-l", LANG, "--psm", str(psm), "--dpi", str(dpi), "tsv"],
            input=png.tobytes(), capture_output=True, timeout=TESSERACT_TIMEOUT_S, env=env,
        )
    except FileNotFoundError as exc:
        raise ExtractionError(
            "tesseract is not installed: install the Debian packages tesseract-ocr and tesseract-ocr-rus"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(f"OCR timed out after {TESSERACT_TIMEOUT_S} s on one page") from exc
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionError(f"tesseract failed: {reason[-1] if reason else proc.returncode}")
    return parse_tsv(proc.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Word]:
    words = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        words.append(Word(text=text, conf=float(row["conf"]), left=int(row["left"]),
                          top=int(row["top"]), width=int(row["width"]), height=int(row["height"])))
    return words
