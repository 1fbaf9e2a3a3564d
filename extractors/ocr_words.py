"""A word Tesseract read, with its box in page pixels and its confidence: shared by the OCR
runner and the layout reader without either importing the other."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Word:
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def right(self) -> int:
        return self.left + self.width
