"""Paragraphs into clean header lines; bilingual (national-language) headers reduced to their
Russian text."""
from __future__ import annotations

from typing import Optional, Sequence

from language.morphology import is_dictionary_word
from language.patterns import compiled
from language.words import is_abbreviation
from normalizers.header.acts import CUT_NUMBER, NUMBER_TAIL, is_preamble, match_doc_type
from normalizers.header.settings import HEADER
from normalizers.header.title import TITLE_START
from normalizers.regions import find_region_matches, fold_homoglyphs
from normalizers.text import clean_text

_MD_PREFIX = compiled(r"^\s*(?:#{1,6}\s+|>\s*)")


def _clean_line(raw: str) -> str:
    line = fold_homoglyphs(raw)
    line = _MD_PREFIX.sub("", line).replace("\\", " ")
    line = clean_text(line)
    return line.strip("* ").strip()


# Letters of the national languages printed beside Russian in republics' headers
# (Chuvash, Tatar, Bashkir, Yakut, Buryat, Kazakh, Kabardian …); Russian never uses them.
# Letters of the republics' languages (Ossetian Æ typed in either alphabet); a Latin I between
# Cyrillic letters is the palochka as typed (Adyghe, Kabardian, Chechen: `ШIЭНЫГЪЭ`).
_NATIONAL = compiled(r"[ĂăĔĕÇçŸÿӐӑӖӗҪҫӲӳӨөҮүҺһҢңҤҥҖҗӘәҘҙҠҡӀӏІіЇїҒғҚқҰұÖöÜüÄäŊŋӔӕÆæ]"
                       r"|(?<=[А-ЯЁа-яё])I(?=[А-ЯЁа-яё])")
_PUNCT = " .,;:«»\"()[]!?–—-"


def _russian_token(token: str) -> bool:
    if _NATIONAL.search(token):
        return False
    core = token.strip(_PUNCT)
    if not core or compiled(r"\d").search(core) or not compiled(r"[А-Яа-яЁё]").search(core):
        return True
    return all(is_dictionary_word(part) for part in core.split("-") if part)


def in_another_language(line: str) -> bool:
    """A letterhead line in a republic's language written in Russian letters only (`УДМУРТ
    ЭЛЬКУНЛЭН КИВАЛТЭТЭЗ`): most of its words of three letters or more are not Russian (a
    Russian line's unknown words are the few proper adjectives of its places: `БАКСАНСКОГО`).
    Lines with the languages' own letters are told by those (`header_lines`)."""
    words = [w for w in compiled(r"[^\W\d_]{3,}(?:-[^\W\d_]+)*").findall(line) if len(w) > 4 or not is_abbreviation(w)]
    return len(words) >= 3 and sum(_russian_token(w) for w in words) * 2 < len(words)


def russian_part(line: str) -> str:
    """The longest run of Russian words in a line of a bilingual header
    (`ЧĂВАШ РЕСПУБЛИКИН КАБИНЕТ МИНИСТРОВ` → `КАБИНЕТ МИНИСТРОВ`)."""
    regions = find_region_matches(line)
    if regions and regions[0].start == 0 and regions[-1].end >= len(line.rstrip(" .")) and not _NATIONAL.search(line):
        return line  # `КАБАРДИНО-БАЛКАРСКОЙ РЕСПУБЛИКИ`: a region's name, though no dictionary has it
    tokens = line.split()
    best: tuple[int, int] = (0, 0)
    start = 0
    for i, token in enumerate(tokens + [None]):
        if token is None or not _russian_token(token):
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = i + 1
    return " ".join(tokens[best[0] : best[1]])


def _national(text: str) -> bool:
    """National letters in `text` and most of its lines not Russian."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or not any(_NATIONAL.search(ln) for ln in lines):
        return False
    return sum(russian_part(ln) != ln.strip() for ln in lines) * 2 > len(lines)


def header_cells(rows: Sequence[Sequence[Optional[str]]]) -> list[str]:
    """A letterhead table's cells one by one, row by row — side by side they are columns (a
    bilingual letterhead: `ПРИКАЗ` | `УНАШЪ`), not one line of text. Of a cell in the national
    language only the lines with its letters are kept (`ТАТАРСТАН / РЕСПУБЛИКАСЫ / МӘГАРИФ ҺӘМ
    ФӘН / МИНИСТРЛЫГЫ`: the Russian-looking `ТАТАРСТАН` is no part of the issuer, and the line
    left tells `header_lines` the letterhead is bilingual), as of the cells without digits of a
    column in that language (a PDF reads it a line to a cell; its date or number stays)."""
    width = max((len(r) for r in rows), default=0)
    national_columns = {col for col in range(width)
                        if _national("\n".join(r[col] for r in rows if col < len(r) and r[col]))}
    cells = []
    for col, c in _reading_order(rows, width):
        if not (c and c.strip()):
            continue
        if _national(c) or (col in national_columns and not compiled(r"\d").search(c)):
            c = "\n".join(ln for ln in c.splitlines() if _NATIONAL.search(ln))
        if c.strip():
            cells.append(c)
    return cells


def _reading_order(rows: Sequence[Sequence[Optional[str]]], width: int) -> list[tuple[int, Optional[str]]]:
    """(column, cell) as a reader takes them: row by row; but a column at a time over the first
    rows when they are a PDF's printed lines (three or more rows of one-line cells without a
    digit: the names side by side), so that the lines of one column's name are not shuffled with
    the lines of the names beside it."""
    lines = 0
    while lines < len(rows) and all("\n" not in (c or "") and not compiled(r"\d").search(c or "") for c in rows[lines]):
        lines += 1
    if lines < 3 or width < 2:
        lines = 0
    names = [(col, r[col]) for col in range(width) for r in rows[:lines] if col < len(r)]
    return names + [(col, c) for r in rows[lines:] for col, c in enumerate(r)]


def _caps_word(token: str) -> bool:
    core = token.strip(_PUNCT)
    return len(core) >= 2 and core.isupper() and is_dictionary_word(core)


def split_columns(line: str) -> list[str]:
    """A line where a caps column and a mixed-case column were read side by side, split:
    `от 15.12.2021 № 1890 КАБИНЕТ МИНИСТРОВ` → [`от 15.12.2021 № 1890`, `КАБИНЕТ МИНИСТРОВ`].
    Only a run of two or more capitalized dictionary words counts as a column."""
    tokens = line.split()
    caps = [_caps_word(t) for t in tokens]
    lettered = [bool(compiled(r"[а-яё]").search(t)) for t in tokens]
    n = len(tokens)
    for cut in range(1, n):
        head_caps = all(caps[:cut]) and cut >= 2
        tail_caps = all(caps[cut:]) and n - cut >= 2
        if tail_caps and any(lettered[:cut]):
            return [" ".join(tokens[:cut]), " ".join(tokens[cut:])]
        if head_caps and not caps[cut] and any(lettered[cut:]):
            return [" ".join(tokens[:cut]), " ".join(tokens[cut:])]
    return [line]


def _drop_national(lines: list[str]) -> list[str]:
    """In a bilingual header (national letters near the top) split lines where two columns
    were read side by side, and keep only the Russian text of the lines above the title."""
    if not any(_NATIONAL.search(line) for line in lines[:HEADER.scan_lines]):
        return lines
    split: list[str] = []
    for i, line in enumerate(lines):
        if i < HEADER.scan_lines and not is_preamble(line):
            split.extend(split_columns(line))
        else:
            split.extend(lines[i:])
            break
    out = list(split)
    top = next((i for i, line in enumerate(split[:HEADER.scan_lines]) if TITLE_START.match(line) or is_preamble(line)),
               min(len(split), HEADER.scan_lines))
    after_national = False  # the line above (blank lines aside) was of the national language
    for i, line in enumerate(split[:top]):
        kept = russian_part(line)
        national = kept != line
        fragment = national and len(kept.split()) <= 1
        if fragment and not (match_doc_type(kept) or compiled(r"\d").search(kept)):
            kept = ""  # one word left of a national-language line (`ТАТАРСТАН РЕСПУБЛИКАСЫ`)
        elif (national or after_national) and _echoes(kept, [ln for ln in split[:i] if ln and russian_part(ln) == ln]):
            # `… ВЕЛÖДÖМ ДА НАУКА МИНИСТЕРСТВО`, or a line of them under the national name
            # (`И МИНИСТЕРСТВ`): the national name's loanwords, not a name
            kept = ""
        if line.strip():
            after_national = national
        out[i] = kept
    return out


def _echoes(kept: str, others: list[str]) -> bool:
    """Every longer word of `kept` is already in the Russian lines above (by its stem): the
    national-language name repeats the Russian one printed first."""
    stems = {w[:4] for ln in others for w in compiled(r"[а-яё]{4,}").findall(ln.lower())}
    words = compiled(r"[а-яё]{4,}").findall(kept.lower())
    return bool(words) and all(w[:4] in stems for w in words)


def header_lines(paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs split into cleaned lines (markdown, tabs, homoglyphs fixed); a blank
    paragraph becomes an empty line, because a blank line ends a title."""
    lines: list[str] = []
    for para in paragraphs:
        if not para or not para.strip():
            lines.append("")
            continue
        for raw in para.splitlines():
            line = _clean_line(raw)
            if lines and CUT_NUMBER.search(lines[-1]) and NUMBER_TAIL.fullmatch(line):
                lines[-1] += line  # `№ 89-` / `р/10`: a number wrapped at its hyphen
                continue
            lines.append(line)
    return _drop_national(lines)
