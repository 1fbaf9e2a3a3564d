"""A source page as a PNG with one table row framed: the auditor sees the cell a status rests on.

PDFs (text layer and scans alike) are rendered with pypdfium2; image scans (JPEG, PNG, TIFF)
are scaled from their pixels to points at the resolution the file states. Row boxes are in
PDF points from the page's top-left corner, so one fixed scale maps them onto the picture.
The original is used only while its bytes still hash to the stored sha256: a file replaced
under the same name would put the frame on the wrong text.
"""
from __future__ import annotations

import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

SCALE = 1.5  # pixels per PDF point: an A4 page is 893 × 1263 px
IMAGE_FORMATS = {"jpeg", "png", "tiff"}
FRAME = (220, 30, 30)
FILL = (255, 220, 0, 70)
DEFAULT_IMAGE_DPI = 300
MIN_IMAGE_DPI = 100


def can_render(fmt: str) -> bool:
    return fmt == "pdf" or fmt in IMAGE_FORMATS


@lru_cache(maxsize=256)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def original_available(path: str, sha256: str) -> bool:
    """The stored document's file is still where the ledger says, with the same bytes."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    if not Path(path).is_file():
        return False
    try:
        return _sha256(path, stat.st_size, stat.st_mtime_ns) == sha256
    except OSError:
        return False


def _pdf_page(path: str, page: int):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        if not 1 <= page <= len(pdf):
            raise ValueError(f"page {page} is not in the file ({len(pdf)} pages)")
        bitmap = pdf[page - 1].render(scale=SCALE)
        return bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()


def _image_page(path: str, page: int):
    from PIL import Image

    with Image.open(path) as image:
        frames = int(getattr(image, "n_frames", 1) or 1)
        if not 1 <= page <= frames:
            raise ValueError(f"page {page} is not in the file ({frames} frames)")
        image.seek(page - 1)
        dpi = image.info.get("dpi", (DEFAULT_IMAGE_DPI,))[0] or DEFAULT_IMAGE_DPI
        dpi = float(dpi) if float(dpi) >= MIN_IMAGE_DPI else DEFAULT_IMAGE_DPI
        width, height = image.size
        size = (max(1, round(width * 72 / dpi * SCALE)), max(1, round(height * 72 / dpi * SCALE)))
        return image.convert("RGB").resize(size)


def render_page(path: str, fmt: str, page: int, boxes: Sequence[Optional[Sequence[float]]] = ()) -> bytes:
    """The page as PNG bytes, each given box (points, top-left origin) framed and tinted."""
    from PIL import Image, ImageDraw

    picture = _pdf_page(path, page) if fmt == "pdf" else _image_page(path, page)
    overlay = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for box in boxes:
        if not box or len(box) != 4:
            continue
        x0, top, x1, bottom = (v * SCALE for v in box)
        draw.rectangle((x0 - 2, top - 2, x1 + 2, bottom + 2), fill=FILL, outline=FRAME + (255,), width=3)
    picture = Image.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
