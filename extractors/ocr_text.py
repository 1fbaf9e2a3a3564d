"""Token-level repair of Tesseract's Russian output: letter case.

Many Cyrillic capitals are the lowercase letter drawn larger (В/в, К/к, О/о, Ш/ш …), so
when a word has no letter with an ascender or descender Tesseract guesses its case from
size alone and gets it wrong: "документов ШКОЛ В системе", "Руководители оо". The
repair is decided by the word's neighbours and a dictionary (pymorphy3, a project
dependency): a capitalised dictionary word inside lowercase text is lowercased unless it
is a name or a place; a short lowercase non-word made of such letters is an
abbreviation and is upper-cased. Words with unambiguous letters are left as read.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from language.morphology import get_morph, is_dictionary_word, parse_word
from language.patterns import compiled

# Letters whose capital is (nearly) the small letter scaled up: case is a size guess.
AMBIGUOUS = set("вгжзийклмнопстхцчшщъыьэюяВГЖЗИЙКЛМНОПСТХЦЧШЩЪЫЬЭЮЯ")
_PROPER_TAGS = {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr"}
_NAME_TAGS = {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"}
_LETTERS = compiled(r"[А-Яа-яЁё]+")
_WORD = compiled(r"^(\W*)([А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*)(\W*)$")
_SENTENCE_END = (".", "!", "?", ":", ";", "»", '"', ")")
_NEVER_FIRST = "ЬЪЫ"


@lru_cache(maxsize=20000)
def _lookup(lower: str) -> tuple[bool, bool, bool]:
    """(is a dictionary word, is only ever a name/place/abbreviation, may be a name/place)."""
    if not is_dictionary_word(lower):
        return False, False, False
    tags = [set(str(p.tag).replace(" ", ",").split(",")) for p in parse_word(lower)]
    only_proper = all(_PROPER_TAGS & t for t in tags)
    maybe_name = any(_NAME_TAGS & t for t in tags)
    return True, only_proper, maybe_name


def _maybe_abbr(lower: str) -> bool:
    return len(lower) > 1 and any("Abbr" in str(p.tag) for p in parse_word(lower))


def _is_caps_word(token: Optional[str]) -> bool:
    letters = "".join(_LETTERS.findall(token or ""))
    return len(letters) >= 2 and letters.isupper()


def _is_lower_word(token: Optional[str]) -> bool:
    if token is None:
        return False
    letters = "".join(_LETTERS.findall(token))
    return bool(letters) and letters.islower()


def fix_case(tokens: list[str]) -> list[str]:
    """Repair case in one cell's or paragraph's tokens (in reading order)."""
    if get_morph() is None:
        return tokens
    tokens = [fix_tags(t) for t in tokens]
    out = list(tokens)
    for i, token in enumerate(tokens):
        m = _WORD.match(token)
        if not m:
            continue
        lead, word, tail = m.groups()
        if not set(word.replace("-", "")) <= AMBIGUOUS:
            continue
        fixed = _fix_word(word, lead, out[i - 1] if i else None,
                          tokens[i + 1] if i + 1 < len(tokens) else None, tail)
        if fixed != word:
            out[i] = lead + fixed + tail
    return out


def _is_place(token: Optional[str]) -> bool:
    letters = _LETTERS.findall(token or "")
    if not letters or not letters[0][:1].isupper() or get_morph() is None:
        return False
    return any("Geox" in str(p.tag) for p in parse_word(letters[0].lower()))


_TAG_LOOKALIKES = str.maketrans("рРаАеЕоОсСхХуЬьВв", "pPaAeEoOcCxXybbBb")
_TAG = compiled(r"</?[A-Za-zА-Яа-я]{1,4}>")


def fix_tags(text: str) -> str:
    """HTML debris read with Cyrillic look-alikes ("<р>") back to Latin, so the text
    normalizers' debris removal recognises it."""
    return _TAG.sub(lambda m: m.group(0).translate(_TAG_LOOKALIKES), text)


def _fix_word(word: str, lead: str, prev: Optional[str], nxt: Optional[str], tail: str = "") -> str:
    lower = word.lower()
    if word.isupper() and word[0] in _NEVER_FIRST and len(word) > 1:
        return lower                      # the tail of a hyphenated word: "общеобразовател ЬНЫХ"
    if len(word) == 1 and word.isupper() and tail.startswith(".") and _is_place(nxt):
        return lower                      # "Г. Тюмени" → "г. Тюмени"
    if word.islower():
        known, only_proper, _ = _lookup(lower)
        if _is_caps_word(prev) and 2 <= len(word) <= 3 and not _is_lower_word(nxt):
            return word.upper()           # "ДОН то" → "ДОН ТО"
        if (not known or only_proper) and 2 <= len(word) <= 5 and not (_is_lower_word(prev) and _is_lower_word(nxt)):
            return word.upper()           # "оо" → "ОО", unless it sits inside lowercase text
        return word
    known, only_proper, maybe_name = _lookup(lower)
    if not known or maybe_name or (only_proper and len(word) > 1) or _maybe_abbr(lower):
        if not word.isupper() and not word.istitle():
            return word.upper()           # "оО" → "ОО"
        return word
    starts_sentence = prev is None or prev.endswith(_SENTENCE_END) or bool(lead)
    lower_context = _is_lower_word(prev) or (prev is None and _is_lower_word(nxt))
    if word.isupper() and len(word) > 1 and lower_context and (_is_lower_word(nxt) or nxt is None or prev is not None):
        return word[0] + lower[1:] if starts_sentence else lower
    if len(word) == 1 and word.isupper() and _is_lower_word(prev) and _is_lower_word(nxt) and not starts_sentence:
        return lower                      # "школ В системе"
    if word.istitle() and len(word) > 1 and _is_lower_word(prev) and not starts_sentence:
        return lower                      # "по Мере необходимости"
    if not word.isupper() and not word.istitle():
        return lower if _is_lower_word(prev) or _is_lower_word(nxt) else word[0].upper() + lower[1:]
    return word
