"""How an abbreviation's letters meet the words it stands for: each word's initial (or more:
`Нижне|тагильский` gives two letters, `Бр|атский` in `БрГУ` its beginning), stop words that
give none, and the run of words that spells a key, in order or in any order."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from language.patterns import compiled
from language.words import is_abbreviation
from normalizers.parties.words import STOPWORDS


def word_options(word: str, prefixes: tuple[int, ...] = ()) -> list[str]:
    core = word.strip("«»\"“”„()[].,;:")
    if not core:
        return [""]
    low = core.lower()
    opts: set[str] = {low[:n] for n in prefixes if len(low) > n and low[:n].isalpha()}
    if is_abbreviation(core):
        opts.add("".join(c for c in low if c.isalpha()))
    letters = [p for p in compiled(r"[-–—]").split(low) if p]
    if letters and letters[0][0].isalpha():
        opts.add(letters[0][0])
        if len(letters) > 1:
            opts.add("".join(p[0] for p in letters if p[0].isalpha()))
    compound = _COMPOUND_PLACE.match(low)
    if compound:  # `Нижнетагильский филиал … (далее – НТФ …)`: the compound gives two letters
        opts.add(compound.group(1)[0] + compound.group(2))
    if low in STOPWORDS or (word.endswith(".") and len(core) <= 3 and not is_abbreviation(core)):
        opts.add("")
    return sorted(opts, key=len, reverse=True) or [""]


# A place's compound adjective: `Нижне|тагильский`, `Старо|оскольский`, `Северо|двинский`.
_COMPOUND_PLACE = compiled(r"^(нижне|верхне|ново|старо|северо|юго|южно|восточно|западно|велико|мало|средне)"
                             r"([а-яё])[а-яё]*(?:ий|ый|ой|ая|ое|ие|ые|ого|его|ому|ему|ым|им|ом|ем|ой|ей|ую|юю|ых|их)$")


def is_stop(word: str) -> bool:
    return "" in word_options(word)


def alias_key(alias: str) -> str:
    key = []
    for tok in alias.split():
        core = tok.strip(".,")
        if not core or (tok.endswith(".") and len(core) <= 3 and not is_abbreviation(core)):
            continue
        if is_abbreviation(core) or is_mixed_abbreviation(core):
            key.append("".join(c for c in core.lower() if c.isalpha()))
        else:
            key.append(core[0].lower())
    return "".join(key)


# An abbreviation of word beginnings: `БрГУ` (Бр|атский Г|осударственный У|ниверситет), `ТюмГУ`.
_MIXED_ABBREVIATION = compiled(r"^(?:[А-ЯЁ][а-яё]{0,3}){2,}$")


def is_mixed_abbreviation(token: str) -> bool:
    return bool(_MIXED_ABBREVIATION.match(token)) and not token.istitle()


def prefix_lengths(alias: str) -> tuple[int, ...]:
    """The lengths of the word beginnings a mixed-case abbreviation spells (`БрГУ` → 2), which
    the initials alone never match."""
    chunks = [c for tok in alias.split() if is_mixed_abbreviation(tok.strip(".,"))
              for c in compiled(r"[А-ЯЁ][а-яё]*").findall(tok.strip(".,"))]
    return tuple(sorted({len(c) for c in chunks if len(c) > 1}))


def match_initials(words: list[str], key: str, must_end: bool = False,
                    prefixes: tuple[int, ...] = ()) -> Optional[tuple[int, int]]:
    """Nearest run of words (ending as late as possible) whose initials spell `key`
    (`prefixes`: word beginnings of these lengths count as well, prefix_lengths)."""
    options = [word_options(w, prefixes) for w in words]

    @lru_cache(maxsize=None)
    def fits(i: int, j: int, k: int) -> bool:
        # can words[i:j] spell key[:k]?
        if j == i:
            return k == 0
        for opt in options[j - 1]:
            if key[:k].endswith(opt) and fits(i, j - 1, k - len(opt)):
                return True
        return False

    n = len(words)
    for j in range(n, 0 if not must_end else n - 1, -1):
        if "" in options[j - 1] and len(options[j - 1]) == 1:
            continue
        for i in range(j - 1, max(-1, j - 2 * len(key) - 3), -1):
            if fits(i, j, len(key)) and not is_stop(words[i]) and not is_stop(words[j - 1]):
                return i, j
    return None


def initials_any_order(words: list[str], key: str) -> Optional[tuple[int, int]]:
    """The run of words right before the definition whose initials hold the key's letters in
    another order, the first first (`школам с низкими результатами обучения (далее – ШНОР)`)."""
    for i in range(len(words) - 1, max(-1, len(words) - len(key) - 3), -1):
        initials = [w[:1].lower() for w in words[i:] if not is_stop(w)]
        if initials and initials[0] == key[:1] and len(initials) == len(key) and letters_among(key, initials) \
                and not is_stop(words[i]):
            return i, len(words)
    return None


def letters_among(letters: str, initials: list[str]) -> bool:
    """Whether the initials hold every letter, in any order: the document defines the alias
    though its words spell it otherwise (`органам управления образованием администраций
    местного самоуправления муниципальных районов … (далее – МОУО)`)."""
    left = list(initials)
    for letter in letters:
        if letter not in left:
            return False
        left.remove(letter)
    return True


def letters_in_order(letters: str, initials: list[str]) -> bool:
    """Whether each letter opens one of the initials, in order (others may stand between)."""
    pos = 0
    for letter in letters:
        while pos < len(initials) and not initials[pos].startswith(letter):
            pos += 1
        if pos == len(initials):
            return False
        pos += 1
    return True
