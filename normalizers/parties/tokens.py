"""Tokens of a responsible cell (words, abbreviations, «…», (…), dashes, defined units) and
the group of tokens that names one party."""
from __future__ import annotations

from dataclasses import dataclass, field

from language.patterns import compiled
from language.words import is_abbreviation
from normalizers.parties.words import DASHES, norm

_TOKEN = compiled(
    r"«[^«»]*(?:«[^«»]*»[^«»]*)*»?"          # «…» with one nesting level
    r"|\"[^\"]*\"?|“[^”]*”?|„[^“”]*[“”]?"    # straight and curly quotes
    r"|\((?:[^()]|\([^()]*\))*\)?"           # (…) with one nesting level
    r"|[^\s«\"“„(]+"
)


@dataclass
class Tok:
    text: str
    start: int
    end: int
    kind: str = "word"  # word, caps, quote, paren, dash, unit

    @property
    def low(self) -> str:
        return norm(self.text)


def tokenize(piece: str, unit_keys: list[list[str]]) -> list[Tok]:
    toks: list[Tok] = []
    for m in _TOKEN.finditer(piece):
        t = m.group(0)
        if t[0] in "«\"“„":
            kind = "quote"
        elif t[0] == "(":
            kind = "paren"
        elif all(c in DASHES for c in t):
            kind = "dash"
        elif is_abbreviation(t):
            kind = "caps"
        else:
            kind = "word"
        toks.append(Tok(t, m.start(), m.end(), kind))
    # multi-word definition keys ("ДО АГТ", "МАУ ИМЦ г. Тюмени") become one unit token
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        for key in unit_keys:
            n = len(key)
            if n > 1 and [t.text for t in toks[i:i + n]] == key:
                out.append(Tok(piece[toks[i].start:toks[i + n - 1].end], toks[i].start,
                                toks[i + n - 1].end, "unit"))
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


@dataclass
class Group:
    toks: list[Tok] = field(default_factory=list)
    state: str = "closed"  # person_open, orgform, org_named, authority, closed

    @property
    def has_content(self) -> bool:
        return any(t.kind != "paren" for t in self.toks)
