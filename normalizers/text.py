"""Cell-text cleaning shared by every normalizer: one folded line per cell, no markup debris.

Extractors hand over cell text as printed: PDF line wraps as "\\n", words hyphenated at a
line end, HTML/markdown left by converters (`<p>`, `**`, `&nbsp;`). Downstream code
(matching, parsing, reports) wants one clean line, so everything goes through `clean_text`.

Rules, in order:
1. HTML entities are decoded (`&nbsp;`, `&quot;`, `&amp;` …); soft hyphens and zero-width
   characters are dropped.
2. HTML tags (`<p>`, `</p>`, `<b>`, `<br/>` …) become a space; markdown bold/italic
   markers (`**x**`, `__x__`, `*x*`) are removed, keeping their text; a footnote's mark
   (`результатами*`, `***`) stays.
3. A word broken at a line end (`предметни-\\nков`) or by a hyphen followed by a stray
   space (`школ- участниц`) is rejoined when the next fragment starts with a lower-case
   letter. It becomes one word (`предметников`) when the joined form is a dictionary
   word (pymorphy3), otherwise the hyphen is kept as in a compound (`школ-участниц`,
   `семинар-совещание`); before a capital the hyphen is kept and the break removed
   (`Гаврилово-\\nПосадский` → `Гаврилово-Посадский`). A word cut without a hyphen by a
   narrow column (`Муниципальн\\nый`) is rejoined when only the whole is a word.
4. Glyph bullets at a line start (`•`, `·`, `▪`, `*`) become ` - `, so a bulleted cell reads
   `…: - формирование … - информирование …` whether or not the extractor kept its line
   breaks; dash bullets (`-` `–` `—` when the lines form a list, see `normalize_bullets`)
   stay the dash printed (`…: – концепции развития; – …`), as a lone wrapped dash (`ХМАО\n–
   Югры`) does.
5. All whitespace (spaces, tabs, NBSP, thin spaces, `\\r`, `\\n`) folds to one space;
   spaces before `,` `;` `)` and after `(` are dropped.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Optional

from language.morphology import is_dictionary_word
from language.patterns import compiled

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = compiled(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_TAG = compiled(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?\s*>")
_WRAPPED_WORD = compiled(r"(?<=[а-яёА-ЯЁ])[ \t]*\n[ \t]*(?=[а-яё])")
_BOLD = compiled(r"(?<!\*)\*\*(?!\*)|__")  # `***` after a word is a footnote's mark, kept
_ITALIC = compiled(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_BULLET = compiled(r"(?m)^[ \t]*•[ \t]+")
_GLYPH_BULLET = compiled(r"^[ \t]*[•·▪◦●*][ \t]+")
_DASH_BULLET = compiled(r"^[ \t]*[-–—][ \t]+")
_BROKEN_WORD = compiled(
    r"(?<=[^\W\d_])-(?:[ \t]*\n[ \t]*(?=[^\W\d_])|[ \t]+(?=[a-zа-яё]))"
)
_SPACE_BEFORE = compiled(r"\s+([,;)])")
_SPACE_AFTER = compiled(r"\(\s+")
# A colon between a space and a lower-case letter (` :управления`): never punctuation in
# Russian, an OCR speck read as one.
_GLUED_SPECK = compiled(r"(?<=\s):(?=[а-яё])")
_WORD_LEFT = compiled(r"([^\W\d_]+)$")
_WORD_RIGHT = compiled(r"^([^\W\d_]+)")

_SEQ = compiled(
    r"^\s*(?P<seq>[1-9]\d{0,2}(?:\.[1-9]\d{0,2})*)(?P<dot>\.)?(?=\s|$|[A-ZА-ЯЁ])"
)


def _rejoin(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _BROKEN_WORD.finditer(text):
        left = _WORD_LEFT.search(text, 0, m.start())
        right = _WORD_RIGHT.search(text[m.end():])
        glue = "-"
        if (
            left
            and right
            and right.group(1)[0].islower()
            and is_dictionary_word(left.group(1) + right.group(1))
        ):
            glue = ""
        out.append(text[pos:m.start()])
        out.append(glue)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


# one letter that is no word on its own: a cut word's ending (`Организационно` / `е`), never
# a preposition or conjunction (`в`, `и`, `к`, `о`, `с`, `у`, `а`, `я`)
_LONE_ENDING = compiled(r"[бгдеёжзйлмнпртфхцчшщъыьэю]", re.I)


def rejoin_wrapped(text: str) -> str:
    """A word cut by a narrow PDF column without a hyphen (`Муниципальн\nый`) is rejoined
    when the whole is a word and its parts are not both words (`школ\nи` stays two), or the
    second is one letter that is no word (`Организационно\nе`)."""

    def glue(m: re.Match) -> str:
        left = _WORD_LEFT.search(text, 0, m.start())
        right = _WORD_RIGHT.search(text[m.end():])
        if (
            left
            and right
            and (not (is_dictionary_word(left.group(1)) and is_dictionary_word(right.group(1)))
                 or _LONE_ENDING.fullmatch(right.group(1)))
            and is_dictionary_word(left.group(1) + right.group(1))
        ):
            return ""
        return m.group(0)

    return _WRAPPED_WORD.sub(glue, text)


def normalize_bullets(text: str, keep_dashes: bool = False) -> str:
    """Mark real list bullets as "• " at their line start; leave other line-initial dashes.

    A glyph (•, ▪, ●, *) is always a bullet. A dash is one only in a list: when two or more
    lines start with a dash, or the dashed line opens the cell or follows a line ending in
    `:` or `;`. A lone dash elsewhere is a wrapped dash (`АУ ДПО ХМАО\n– Югры`). With
    `keep_dashes` a dash bullet stays the dash printed (`– концепции развития;`).
    """
    lines = text.split("\n")
    dashed = [i for i, ln in enumerate(lines) if _DASH_BULLET.match(ln)]
    first = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    out = []
    for i, ln in enumerate(lines):
        if _GLYPH_BULLET.match(ln):
            ln = _GLYPH_BULLET.sub("• ", ln)
        elif i in dashed:
            prev = lines[i - 1].rstrip() if i else ""
            if len(dashed) >= 2 or i == first or prev.endswith((":", ";")):
                ln = _DASH_BULLET.sub(lambda m: (m.group(0).strip() if keep_dashes else "•") + " ", ln)
        out.append(ln)
    return "\n".join(out)


def fold_whitespace(s: str) -> str:
    """Fold every kind of whitespace (incl. newlines) to single spaces and strip."""
    return compiled(r"\s+").sub(" ", _SPACES.sub(" ", s)).strip()


@lru_cache(maxsize=32768)
def clean_text(s: Optional[str]) -> str:
    """One clean line from a cell: markup removed, broken words rejoined, spaces folded.
    Cached: a batch cleans the same cells (repeated executors, merged dates) many times."""
    if not s:
        return ""
    t = html.unescape(s).translate(_INVISIBLE)
    t = t.replace("\r\n", "\n").replace("\r", "\n")
    t = _TAG.sub(" ", t)
    t = _BOLD.sub("", t)
    t = _ITALIC.sub(r"\1", t)
    t = _SPACES.sub(" ", t)
    t = _rejoin(t)
    t = rejoin_wrapped(t)
    t = _BULLET.sub(" - ", normalize_bullets(t, keep_dashes=True))
    t = fold_whitespace(t)
    t = _SPACE_BEFORE.sub(r"\1", t)
    t = _SPACE_AFTER.sub("(", t)
    return drop_specks(t)


def drop_specks(text: str) -> str:
    """`Центрального :управления` → `Центрального управления` (see _GLUED_SPECK)."""
    return _GLUED_SPECK.sub("", text)


def strip_seq(text: Optional[str]) -> tuple[Optional[str], str]:
    """Split a leading row number off an activity text: `17. Обучение…` → ("17", "Обучение…").

    Accepted: `17.`, `1.1.`, `3.1`, `2.10` followed by a space, the end, or a capital
    letter. Not accepted (returned as text): a bare number without a dot (`1 этап`), a
    date (`01.03.2022`, `10.03-24.03`), `1)` list markers, numbers over three digits.
    """
    t = clean_text(text)
    m = _SEQ.match(t)
    if not m:
        return None, t
    seq = m.group("seq")
    if "." not in seq and not m.group("dot"):
        return None, t
    return seq, t[m.end():].strip()
