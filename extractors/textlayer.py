"""Whether a PDF page's text layer can be trusted, or the page must be OCRed."""
from __future__ import annotations

import unicodedata

from language.patterns import compiled


_CID = compiled(r"\(cid:\d+\)")
_WORD = compiled(r"[A-Za-zА-Яа-яЁё]{2,}")
_RU_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_LATIN_VOWELS = set("aeiouyAEIOUY")
_MOJIBAKE = compiled(r"[À-ÿ]")
MIN_USEFUL_CHARS = 25


def needs_ocr(page_text: str) -> bool:
    """True when a page's text layer is missing or unusable, so the page must be OCRed.

    Unusable: too little text (an image-only page, maybe with a stamp's caption), pdfminer
    `(cid:N)` codes (a font with no Unicode map), Windows-1251 read as Latin-1 (`Ïðèêàç`),
    replacement or private-use characters, or "words" with no vowels (a broken glyph map
    yields consonant soup).
    """
    text = page_text or ""
    cids = len(_CID.findall(text))
    text = _CID.sub("\ufffd", text)
    visible = [ch for ch in text if not ch.isspace()]
    if len(visible) < MIN_USEFUL_CHARS:
        return True
    bad = sum(1 for ch in visible if _bad_char(ch))
    if cids * 3 > len(visible) / 10 or bad / len(visible) > 0.1:
        return True
    if len(_MOJIBAKE.findall(text)) / len(visible) > 0.2:
        return True
    words = _WORD.findall(text)
    if len(words) < 3:
        return sum(ch.isalnum() for ch in visible) / len(visible) < 0.5
    voiced = sum(1 for w in words if (set(w) & _RU_VOWELS) or (set(w) & _LATIN_VOWELS))
    return voiced / len(words) < 0.6


def _bad_char(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    cat = unicodedata.category(ch)
    return cat in ("Co", "Cs", "Cn") or (cat == "Cc")
