"""What an extractor hands to the normalizers: text blocks with provenance, no interpretation.

A cell is a string, or None where a merged cell covers that grid position (the text
stands in the merge's first, top-left position). Line breaks inside cells stay as "\n".
A table also says which None positions continue the cell above (a vertical merge, a tall
cell), where the reader can tell; what such a cell means for the rows it spans is the
normalizers' call.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

Cell = Optional[str]
Box = tuple[float, float, float, float]


@dataclass
class RawParagraph:
    text: str
    page: Optional[int] = None


@dataclass
class RawTable:
    rows: list[list[Cell]]
    row_pages: list[Optional[int]] = field(default_factory=list)
    # (row, column) positions, 0-based, covered by the cell above them (vertical merges)
    continued: set[tuple[int, int]] = field(default_factory=set)
    # per row, its box on its page in PDF points (x0, top, x1, bottom; top-left origin), where
    # the reader knows it (text-layer and scanned PDFs); empty or None otherwise
    row_boxes: list[Optional[Box]] = field(default_factory=list)

    def box(self, row: int) -> Optional[Box]:
        return self.row_boxes[row] if row < len(self.row_boxes) else None

    @property
    def page(self) -> Optional[int]:
        return self.row_pages[0] if self.row_pages else None

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Union[RawParagraph, RawTable]


@dataclass
class RawDocument:
    path: str
    sha256: str
    format: str
    pages: Optional[int]
    blocks: list[Block] = field(default_factory=list)
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)
    textless_pages: list[int] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[RawParagraph]:
        return [b for b in self.blocks if isinstance(b, RawParagraph)]

    @property
    def tables(self) -> list[RawTable]:
        return [b for b in self.blocks if isinstance(b, RawTable)]


class ExtractionError(Exception):
    """A file that cannot be read as a roadmap order; the message is a one-line reason."""


class NotAnOrder(ExtractionError):
    """A stray file in an inbox (a log, a note, a picture): skipped, not a failed order."""
