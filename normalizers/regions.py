"""Find the federal subject (region) an order belongs to, from any case form in free text.

Why hand-written declension instead of pymorphy3: the subjects are a closed list of 89
names, and their words decline by a handful of regular endings (adjective endings, -ия,
-а, -ь, a consonant, ...). Generating those forms from the nominative names in
`data/regions.json` is deterministic, needs no dictionary (pymorphy3 guesses lemmas of
rare proper nouns such as «Тыве», «Саха», «Югры» and may guess wrong), costs no load
time, and over-generating a few non-words is harmless because a match needs the whole
phrase (adjective + «области», «Республики» + name, ...). pymorphy3 stays the right tool
for the open list of municipality names (see normalizers/header.py).

Codes are ISO 3166-2:RU; the subjects ISO does not list use the codes Russian sources
use: RU-CR (Крым), RU-SEV (Севастополь), RU-DPR, RU-LPR, RU-ZAP, RU-KHE.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from language.patterns import compiled
from normalizers.vocabulary import load
from schema import Region

_DATA = load("regions")

# Latin letters that OCR and careless typing put inside Cyrillic words; each maps to one
# character, so positions in the folded text equal positions in the original.
_HOMOGLYPHS = str.maketrans(
    "aceopxyABCEHKMOPTXY", "асеорхуАВСЕНКМОРТХУ"
)
_MIXED_WORD = compiled(r"[A-Za-zА-Яа-яЁё]+")
_CYRILLIC = compiled(r"[А-Яа-яЁё]")

_ADJ_END = (
    "(?:ая|яя|ой|ей|ую|юю|ою|ею|ий|ый|ое|ее|ого|его|ому|ему|им|ым|ом|ем|ие|ые|их|ых|ими|ыми)"
)
_ADJ_NOMINATIVE = ("ий", "ый", "ой", "ая", "яя", "ое", "ее")
# Words that never decline inside the official names.
_INDECLINABLE = frozenset(_DATA["indeclinable_words"])
_HYPHEN = r"\s*[-‐‑–—]\s*"
_LEFT = r"(?<![\w‐-])"
_RIGHT = r"(?!\w)"


def fold_homoglyphs(text: str) -> str:
    """Replace Latin look-alikes inside words that also hold Cyrillic letters (OCR slips).

    Length-preserving, so offsets in the result are offsets in the original text.
    """
    def fix(m: re.Match) -> str:
        word = m.group(0)
        return word.translate(_HOMOGLYPHS) if _CYRILLIC.search(word) else word

    return _MIXED_WORD.sub(fix, text)


def _fold(text: str) -> str:
    """Homoglyphs fixed and `ё` read as `е`: the form every pattern here is written for."""
    return fold_homoglyphs(text).replace("ё", "е").replace("Ё", "Е")


def _part_pattern(part: str) -> str:
    """Regex for every case form of one word (or one hyphen part of a word)."""
    original = part
    p = part.lower().replace("ё", "е")
    if (original.isupper() and len(original) > 1) or len(p) <= 2 or p in _INDECLINABLE:
        return re.escape(p)
    if len(p) >= 5 and p.endswith(_ADJ_NOMINATIVE):
        return re.escape(p[:-2]) + _ADJ_END
    rules = (
        ("ия", "(?:ия|ии|ию|ией|иею)"),
        ("ея", "(?:ея|еи|ею|еей)"),
        ("я", "(?:я|и|е|ю|ей|ею)"),
        ("а", "(?:а|ы|и|е|у|ой|ою)"),
        ("ь", "(?:ь|и|ью|я|ю|ем|е)"),
        ("й", "(?:й|я|ю|ем|е|и)"),
        ("о", "(?:о|а|у|ом|е)"),
        ("е", "(?:е|я|ю|ем|и)"),
        ("ы", "(?:ы|ам|ах|ами)?"),
    )
    for ending, forms in rules:
        if p.endswith(ending):
            return re.escape(p[: -len(ending)]) + forms
    if p[-1] in "иуэю":
        return re.escape(p)
    return re.escape(p) + "(?:а|у|ом|е)?"


def phrase_pattern(phrase: str) -> str:
    """Regex (no anchors) matching a nominative phrase in any grammatical case."""
    words = []
    for word in phrase.split():
        parts = compiled(r"[-‐‑]").split(word)
        words.append(_HYPHEN.join(_part_pattern(part) for part in parts if part))
    return r"\s+".join(words)


@dataclass(frozen=True)
class RegionMatch:
    """One mention of a subject: offsets in the searched text and the mention re-cased."""

    start: int
    end: int
    region: Region
    text: str
    cased: str


@dataclass(frozen=True)
class _Subject:
    code: str
    name: str
    phrases: tuple[str, ...]
    capital: Optional[str]
    capital_forms: tuple[str, ...]

    @property
    def region(self) -> Region:
        return Region(code=self.code, name=self.name)


def _name_phrases(name: str) -> list[str]:
    """The matchable core of a canonical name: drop `(Якутия)` and the part after ` — `."""
    core = compiled(r"\s*\([^)]*\)").sub("", name)
    return [compiled(r"\s+[—–-]\s+").split(core)[0].strip()]


@lru_cache(maxsize=1)
def _subjects() -> tuple[_Subject, ...]:
    subjects = []
    for s in _DATA["subjects"]:
        phrases: list[str] = []
        for phrase in _name_phrases(s["name"]) + list(s.get("aliases", [])):
            if phrase not in phrases:
                phrases.append(phrase)
        subjects.append(
            _Subject(
                code=s["code"],
                name=s["name"],
                phrases=tuple(phrases),
                capital=s.get("capital"),
                capital_forms=tuple(s.get("capital_forms", [])),
            )
        )
    return tuple(subjects)


def all_regions() -> list[Region]:
    """All 89 subjects, in the data file's order."""
    return [s.region for s in _subjects()]


def region_by_code(code: str) -> Optional[Region]:
    """The subject with this code (case-insensitive), or None."""
    code = code.strip().upper()
    for s in _subjects():
        if s.code == code:
            return s.region
    return None


_GENERIC_WORDS = frozenset(_DATA["generic_words"])


@lru_cache(maxsize=1)
def _subject_stems() -> tuple[tuple[_Subject, frozenset[str]], ...]:
    """Per subject, the first letters of its distinctive words: a cheap pre-filter, so
    the (slow to compile) case-form regex is built only for subjects the text may name."""
    out = []
    for subject in _subjects():
        stems = {
            w[:4] if len(w) >= 6 else w[:3]
            for phrase in subject.phrases
            for w in compiled(r"[\s\-‐‑]+").split(_fold(phrase).lower())
            if len(w) >= 3 and w not in _GENERIC_WORDS
        }
        out.append((subject, frozenset(stems)))
    return tuple(out)


def _candidate_codes(folded: str) -> tuple[str, ...]:
    low = folded.lower()
    return tuple(s.code for s, stems in _subject_stems() if not stems or any(st in low for st in stems))


@lru_cache(maxsize=256)
def _subject_regex(codes: tuple[str, ...]) -> tuple[re.Pattern, dict[str, tuple[_Subject, str]]]:
    alternatives: list[tuple[str, str, _Subject]] = []
    for subject in _subjects():
        if subject.code not in codes:
            continue
        for phrase in subject.phrases:
            alternatives.append((phrase_pattern(phrase), phrase, subject))
    # Longer phrases first, so `Ханты-Мансийский автономный округ` wins over shorter aliases.
    alternatives.sort(key=lambda a: -len(a[1]))
    groups: dict[str, tuple[_Subject, str]] = {}
    parts = []
    for i, (pattern, phrase, subject) in enumerate(alternatives):
        name = f"g{i}"
        groups[name] = (subject, phrase)
        parts.append(f"(?P<{name}>{pattern})")
    regex = compiled(_LEFT + "(?:" + "|".join(parts) + ")" + _RIGHT, re.IGNORECASE)
    return regex, groups


_TOKEN = compiled(r"\w+")


def _recase(matched: str, template: str) -> str:
    """Give each word of `matched` the capitalization of the template phrase's word."""
    shapes = []
    for tok in _TOKEN.findall(template):
        if tok.isupper() and len(tok) > 1:
            shapes.append("upper")
        elif tok[0].isupper():
            shapes.append("title")
        else:
            shapes.append("lower")
    it = iter(shapes)

    def apply(m: re.Match) -> str:
        shape = next(it, "lower")
        word = m.group(0)
        if shape == "upper":
            return word.upper()
        if shape == "title":
            return word[:1].upper() + word[1:].lower()
        return word.lower()

    return _TOKEN.sub(apply, matched)


def find_region_matches(text: str) -> list[RegionMatch]:
    """Every mention of a subject in `text`, in order of position (non-overlapping)."""
    folded = _fold(text)
    codes = _candidate_codes(folded)
    if not codes:
        return []
    regex, groups = _subject_regex(codes)
    found = []
    for m in regex.finditer(folded):
        subject, phrase = groups[m.lastgroup]
        original = text[m.start() : m.end()]
        found.append(
            RegionMatch(
                start=m.start(),
                end=m.end(),
                region=subject.region,
                text=original,
                cased=_recase(fold_homoglyphs(original), phrase),
            )
        )
    return found


def find_regions(text: str) -> list[tuple[int, Region]]:
    """(offset, Region) for every subject mention, earliest first, so the caller can choose."""
    return [(m.start, m.region) for m in find_region_matches(text)]


def find_region(text: str) -> Optional[Region]:
    """The earliest subject named in `text` (any case form), or None."""
    matches = find_region_matches(text)
    return matches[0].region if matches else None


@lru_cache(maxsize=1)
def _capital_stems() -> tuple[tuple[_Subject, frozenset[str]], ...]:
    """Per subject with a capital, the first letters of the capital's name and of each of
    its listed forms (`Орёл`, `Орла`): a case ending never reaches them, so a text without
    any of them cannot name that capital. Like `_subject_stems`, it keeps the regex small:
    all 85 capitals in every case form took ≈ 60 ms to compile, in every process that met a
    `г. …`."""
    out = []
    for subject in _subjects():
        if not subject.capital:
            continue
        names = (subject.capital, *subject.capital_forms)
        stems = {w[: min(3, len(w) - 1)] for w in (_fold(n).lower() for n in names) if len(w) >= 2}
        out.append((subject, frozenset(stems)))
    return tuple(out)


def _candidate_capitals(folded: str) -> tuple[str, ...]:
    low = folded.lower()
    return tuple(s.code for s, stems in _capital_stems() if any(st in low for st in stems))


@lru_cache(maxsize=256)
def _capital_regex(codes: tuple[str, ...]) -> tuple[re.Pattern, dict[str, _Subject]]:
    """The capitals of the subjects `codes` in any case form, longest name first."""
    alternatives = []
    for subject in _subjects():
        if not subject.capital or subject.code not in codes:
            continue
        pats = [phrase_pattern(subject.capital)]
        pats += [re.escape(f.lower().replace("ё", "е")) for f in subject.capital_forms]
        alternatives.append(("|".join(pats), subject))
    alternatives.sort(key=lambda a: -len(a[1].capital or ""))
    groups = {}
    parts = []
    for i, (pattern, subject) in enumerate(alternatives):
        groups[f"c{i}"] = subject
        parts.append(f"(?P<c{i}>{pattern})")
    return compiled("(?:" + "|".join(parts) + ")", re.IGNORECASE), groups


def _capital_named(name: str) -> Optional[_Subject]:
    folded = _fold(name.strip())
    codes = _candidate_capitals(folded)
    if not codes:
        return None
    regex, groups = _capital_regex(codes)
    m = regex.fullmatch(folded)
    return groups[m.lastgroup] if m else None


def region_of_city(name: str) -> Optional[Region]:
    """The subject whose administrative centre is `name` (any case form: `Тюмени`), else None.

    Only regional capitals (and the three federal cities) are known; other towns return None.
    """
    subject = _capital_named(name)
    return subject.region if subject else None


def capital_nominative(name: str) -> Optional[str]:
    """The nominative of a regional capital given in any case form (`Тюмени` → `Тюмень`)."""
    subject = _capital_named(name)
    return subject.capital if subject else None


_CITY_MARK = r"(?<!\w)(?:город[а-я]*|гор\.|г\.)\s*"


@lru_cache(maxsize=256)
def _city_mention_regex(codes: tuple[str, ...]) -> re.Pattern:
    regex, _ = _capital_regex(codes)
    return compiled(_CITY_MARK + "(?P<city>" + regex.pattern + r")(?!\w)", re.IGNORECASE)


def find_city_regions(text: str) -> list[tuple[int, Region]]:
    """(offset, Region) for each `города Тюмени` / `г. Перми` naming a regional capital."""
    found = []
    folded = _fold(text)
    codes = _candidate_capitals(folded)
    if not codes:
        return found
    for m in _city_mention_regex(codes).finditer(folded):
        region = region_of_city(m.group("city"))
        if region is not None:
            found.append((m.start(), region))
    return found
