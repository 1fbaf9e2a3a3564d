"""Scans sent as images (JPEG, PNG, multi-page TIFF) → RawDocument through the same OCR as a
scanned PDF: every frame is a page, brought to the OCR resolution, read and cached by the
file's sha256, and the page tables are stitched like a PDF's.

Pillow reads the header first, so an image too large to be a page (a decompression bomb, a
30,000 × 30,000 px "scan") is refused before a pixel is decoded.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from extractors.raw import ExtractionError, RawDocument


@dataclass(frozen=True)
class ImageLimits:
    """What one image file may hold. An A4 page at 600 dpi is 35 megapixels."""

    max_frame_pixels: int = 80_000_000
    min_side: int = 500             # px: smaller is a photo or an icon, not a page
    max_frames: int = 500
    default_dpi: int = 300          # when the file does not say
    min_dpi: int = 100              # a stated resolution below this is taken as unknown


DEFAULT_LIMITS = ImageLimits()


def extract_image(path: str | Path, sha256: str, fmt: str, limits: ImageLimits = DEFAULT_LIMITS,
                  workers: Optional[int] = None) -> RawDocument:
    """Every frame of the image OCRed as one page; ExtractionError when it cannot be a scan."""
    from PIL import Image

    from extractors.ocr import RENDER_DPI, ocr_rendered_pages

    image = _open(path, Image)
    try:
        width, height = image.size
        if min(width, height) < limits.min_side:
            raise ExtractionError(
                f"not a scanned page: the file is a {width} × {height} px {fmt.upper()} image"
            )
        count = _frame_count(image, limits)
        dpi = _dpi(image, limits)

        def render(number: int):
            return _frame_gray(image, number, dpi, RENDER_DPI, limits)

        res = ocr_rendered_pages(sha256, count, render, workers=workers)
    finally:
        image.close()
    return res.document(path, sha256, fmt)


def _open(path: str | Path, Image):
    try:
        image = Image.open(str(path))
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"image too large to be a page: {exc}") from exc
    except Exception as exc:
        raise ExtractionError(f"corrupt image: {type(exc).__name__}: {exc}") from exc
    return image


def _frame_count(image, limits: ImageLimits) -> int:
    count = int(getattr(image, "n_frames", 1) or 1)
    if count > limits.max_frames:
        raise ExtractionError(f"image has {count} frames (the limit is {limits.max_frames} pages)")
    return count


def _dpi(image, limits: ImageLimits) -> int:
    stated = image.info.get("dpi")
    try:
        value = int(round(float(stated[0]))) if stated else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if value >= limits.min_dpi else limits.default_dpi


def _frame_gray(image, number: int, dpi: int, target_dpi: int, limits: ImageLimits):
    """Frame `number` (1-based) as a greyscale array at the OCR resolution."""
    import cv2
    import numpy as np

    image.seek(number - 1)
    width, height = image.size
    if width * height > limits.max_frame_pixels:
        raise ExtractionError(
            f"image too large to be a page: {width} × {height} px "
            f"(the limit is {limits.max_frame_pixels // 1_000_000} megapixels)"
        )
    try:
        gray = np.asarray(image.convert("L"))
    except Exception as exc:
        raise ExtractionError(f"corrupt image: page {number}: {type(exc).__name__}: {exc}") from exc
    if dpi != target_dpi:
        scale = target_dpi / dpi
        if width * height * scale * scale > limits.max_frame_pixels:
            scale = (limits.max_frame_pixels / (width * height)) ** 0.5
        if abs(scale - 1.0) > 0.01:
            gray = cv2.resize(gray, None, fx=scale, fy=scale,
                              interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    return np.ascontiguousarray(gray)
