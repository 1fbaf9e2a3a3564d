"""Responsible-column parsing: one `Party` per body or person named in a cell.

Cells list parties with commas, semicolons, bullets — or simply side by side, because a
PDF cell wraps lines and converters drop the breaks (`ДОН ТО ТОГИРРО МОУО`,
`Региональный координатор Департамент образования Ивановской области`). So a cell is cut
at top-level `,` `;` and bullets (never inside «…», "…" or (…)), and each piece is cut
again where a *party head* starts: a person-group noun (кураторы, директора, члены …), a
level adjective + role noun (Региональный координатор, муниципальные операторы …), a
capitalised body noun (Департамент, Университет, Центр …), a legal-form abbreviation
(ГБУ, МБОУ …) or an all-caps abbreviation standing after another abbreviation.
A head does not cut when it completes the party before it: the complement of a person
noun (`Методисты ГБУ ДПО СО «…»`, `директора ОО`), the name after a legal form
(`ОГБУ Центр оценки качества образования`), a region suffix (`ДОН ТО`), words after a
dash (`Команды школ – участники проекта`). Newlines inside a cell are only wraps.

`name` is canonical: parenthetical remarks dropped, abbreviations expanded from the
document's own `(далее – X)` definitions (see `find_definitions`) or the common list in
data/abbreviations.json, `<authority abbr> <region initials>` expanded with the region's
name (`ДОН ТО` + Тюменская область → `Департамент образования и науки Тюменской
области`), an abbreviation inside a phrase expanded in the genitive (`руководители МОУО` →
`Руководители муниципальных органов управления образованием`).

`kind` follows the schema; see `classify_party` for the rule order.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from language.inflection import inflect_phrase
from language.morphology import get_morph, is_dictionary_word, parse_word
from language.words import capitalize, is_abbreviation
from normalizers.text import clean_text, normalize_bullets
from schema import Party

_DATA = json.loads((Path(__file__).parent / "data" / "abbreviations.json").read_text("utf-8"))
_EXPANSIONS: dict[str, dict] = _DATA["expansions"]
_AUTHORITY_ABBRS = frozenset(_DATA["authority_abbreviations"])
_ORG_FORMS = frozenset(_DATA["org_forms"])
_SCHOOL_FORMS = frozenset(_DATA["school_org_forms"])
_PERSON_HEADS = frozenset(_DATA["person_heads"])
_BODY_HEADS = frozenset(_DATA["body_heads"])
_LEVEL_ADJ = re.compile(
    r"^(?:%s)(?:ый|ой|ий|ые|ие|ая|ое|ого|ых)$" % "|".join(_DATA["level_adjective_stems"])
)
_ROLE_NOUN = re.compile(r"^(?:%s)" % "|".join(_DATA["role_noun_stems"]))
_GENITIVE_PERSONS = frozenset({"директора", "учителя", "руководителя", "заместителя"})
_DASHES = "-–—‑−"
_NON_GENITIVE_PREPOSITIONS = frozenset({"по", "в", "во", "на", "к", "ко", "о", "об", "при", "через", "за", "под", "над"})

# ---------------------------------------------------------------- small predicates

def _norm(word: str) -> str:
    return word.lower().replace("ё", "е").strip(".,;:")


def _is_school_word(word: str) -> bool:
    return bool(re.match(r"^школ[аы]?(?:[%s]\w+)?$" % _DASHES, _norm(word)))


def _is_school_genitive(word: str) -> bool:
    return _norm(word).startswith("школ")


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"«[^«»]*(?:«[^«»]*»[^«»]*)*»?"          # «…» with one nesting level
    r"|\"[^\"]*\"?|“[^”]*”?|„[^“”]*[“”]?"    # straight and curly quotes
    r"|\((?:[^()]|\([^()]*\))*\)?"           # (…) with one nesting level
    r"|[^\s«\"“„(]+"
)


@dataclass
class _Tok:
    text: str
    start: int
    end: int
    kind: str = "word"  # word, caps, quote, paren, dash, unit

    @property
    def low(self) -> str:
        return _norm(self.text)


def _tokenize(piece: str, unit_keys: list[list[str]]) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(piece):
        t = m.group(0)
        if t[0] in "«\"“„":
            kind = "quote"
        elif t[0] == "(":
            kind = "paren"
        elif all(c in _DASHES for c in t):
            kind = "dash"
        elif is_abbreviation(t):
            kind = "caps"
        else:
            kind = "word"
        toks.append(_Tok(t, m.start(), m.end(), kind))
    # multi-word definition keys ("ДО АГТ", "МАУ ИМЦ г. Тюмени") become one unit token
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        for key in unit_keys:
            n = len(key)
            if n > 1 and [t.text for t in toks[i:i + n]] == key:
                out.append(_Tok(piece[toks[i].start:toks[i + n - 1].end], toks[i].start,
                                toks[i + n - 1].end, "unit"))
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


# ---------------------------------------------------------------- top-level split

_BULLET_SPLIT = re.compile(r"(?:^|\n)\s*(?:•|\d{1,2}[.)])\s+")


_TOGETHER_WITH = re.compile(r"\s+совместно\s+со?\s+", re.I)
_NAMED_LINE = re.compile(
    r"\n(?=\s*(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+))"
)


def _split_named_lines(text: str) -> str:
    """A line that opens with a person's name (`Магомедова П.А.`, `Т.С. Иванова`) starts a new
    party, unless the line above ends with a lower-case word the name completes
    (`заместитель главы` / `Иванов И.И.`) or is a post awaiting its holder (`директор МБОУ
    «СОШ № 1»` / `Иванов И.И.`): executors are often listed one per line."""
    out, pos = [], 0
    for m in _NAMED_LINE.finditer(text):
        before = text[:m.start()].rstrip()
        last = before.split()[-1] if before.split() else ""
        line = before.rsplit("\n", 1)[-1].split()
        post = bool(line) and line[0].lower() in _PERSON_HEADS and any(
            p.tag.number == "sing" for p in parse_word(line[0].lower()) if p.tag.POS == "NOUN")
        if last and not last[:1].islower() and not before.endswith((",", ";")) and not post:
            out.append(text[pos:m.start()] + ";")
            pos = m.start()
    out.append(text[pos:])
    return "".join(out)


def _split_top(cell: str) -> list[tuple[str, str]]:
    """Cut at `,` `;` and line bullets outside quotes and parentheses: (piece, separator before)."""
    text = _BULLET_SPLIT.sub(";", _split_named_lines(normalize_bullets(cell)))
    text = _TOGETHER_WITH.sub("\x00", text)
    pieces, buf, depth, quote = [], [], 0, False
    seps = [""]
    for ch in text:
        if ch == "«":
            depth += 1
        elif ch == "»":
            depth = max(0, depth - 1)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == '"':
            quote = not quote
        if ch in ",;\x00" and depth == 0 and not quote:
            pieces.append("".join(buf))
            seps.append(ch)
            buf = []
        else:
            buf.append(ch)
    pieces.append("".join(buf))
    out = []
    for p, sep in zip(pieces, seps):
        p = _strip_tail(clean_text(p))
        if p:
            out.append((p, sep))
    return out


def _head(toks: list[_Tok], i: int, alias_words: set[str]) -> Optional[str]:
    """What kind of party head starts at token i: person, level, body, orgform, abbr, or None."""
    t = toks[i]
    if t.kind == "unit":
        return "abbr"
    if t.kind == "caps":
        return "orgform" if t.text in _ORG_FORMS else "abbr"
    if t.kind != "word":
        return None
    low = t.low
    nxt = toks[i + 1].low if i + 1 < len(toks) and toks[i + 1].kind == "word" else ""
    if _LEVEL_ADJ.match(low) and nxt and _ROLE_NOUN.match(nxt):
        return "level"
    if low in _PERSON_HEADS or re.split(r"[%s]" % _DASHES, low)[0] in _PERSON_HEADS:
        return "person"
    if _is_school_word(t.text) and (t.text[0].isupper() or low.startswith("школы")):
        return "body"
    if t.text[0].isupper() and (low in _BODY_HEADS or t.text.strip(".,") in alias_words):
        return "body"
    return None


_CONTRACTION = re.compile(r"^(?:мин|деп)(?!истерств|артамент)\w+")  # Минобразования, Депобразования
_ADJ_END = re.compile(r"(?:ый|ий|ой|ое|ее|ая|яя|ые|ие)$")


@dataclass
class _Group:
    toks: list[_Tok] = field(default_factory=list)
    state: str = "closed"  # person_open, orgform, org_named, authority, closed

    @property
    def has_content(self) -> bool:
        return any(t.kind != "paren" for t in self.toks)


def _conjunction_splits(toks: list[_Tok], i: int, alias_words: set[str]) -> bool:
    """`X и Y` names two parties when Y is a head (`Кураторы и наставники`, `… и МОУО`),
    one when Y only continues a name (`Департамент образования и науки`, `КПЦОПМ и КП`)."""
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    nxt_head = _head(toks, i + 1, alias_words)
    if nxt.kind in ("caps", "unit"):
        return nxt_head == "orgform" or nxt.kind == "unit" or nxt.text in _EXPANSIONS \
            or nxt.text in alias_words
    return nxt_head in ("person", "level", "body")


def _starts_new_party(cur: _Group, toks: list[_Tok], i: int, head: Optional[str],
                      alias_words: set[str]) -> bool:
    """Whether token i begins a new party rather than continuing the one in `cur`."""
    t = toks[i]
    prev = next((p for p in reversed(cur.toks) if p.kind != "paren"), None)
    prev_any = cur.toks[-1]
    if cur.state == "person_open":  # a person noun takes one complement: "Методисты ГБУ …"
        if head not in ("person", "level", "body"):
            return False
        return not (t.low in _GENITIVE_PERSONS and prev is not None and prev.kind == "word"
                    and prev.low in _PERSON_HEADS)  # "заместители директора"
    if cur.state == "orgform":  # a legal form takes a name: "ОГБУ Центр оценки …"
        return head in ("person", "orgform")
    if cur.state == "org_named":  # … and an owner after the name: "БУ ЧР «…» Минобразования Чувашии"
        if head in ("person", "level", "orgform") or t.kind == "caps" or t.kind == "paren":
            return True
        if t.kind == "unit" and is_abbreviation(t.text.split()[0]):
            return True
        return head == "body" and t.low in _BODY_HEADS and not _CONTRACTION.match(t.low)
    if cur.state == "authority":  # "ДОН ТО": a short unknown abbreviation is a region suffix
        if t.kind == "caps" and len(t.text) <= 4 and t.text not in _EXPANSIONS \
                and t.text not in alias_words:
            return False
        return head is not None
    if head == "person":  # "школы участники", "ведущий специалист" are one party
        if prev is not None and prev.kind == "word" and prev.text[:1].islower() and _ADJ_END.search(prev.low):
            return False
        return not (prev is not None and _is_school_genitive(prev.text)
                    and t.low in {"участники", "участницы", "наставники", "лидеры"})
    if head in ("level", "orgform"):
        return True
    if head == "body":  # "Центральное Управление" is one party
        return not (prev is not None and prev.kind == "word" and prev.text[0].isupper()
                    and _ADJ_END.search(prev.low))
    if head == "abbr":  # after an abbreviation, a name or a closed role: new; after words: genitive
        return (
            prev_any.kind in ("caps", "unit", "quote", "paren")
            or (prev is not None and prev.kind == "word" and _ROLE_NOUN.match(prev.low)
                and cur.toks[0].kind == "word" and _LEVEL_ADJ.match(cur.toks[0].low) is not None)
            or (prev is not None and prev.kind == "word" and len(cur.toks) == 1
                and _head(cur.toks, 0, alias_words) == "body")
        )
    return False


def _state_after(cur: _Group, t: _Tok, head: Optional[str], width: int) -> str:
    """The group's state once token t (and its partner for a 2-word head) joined it."""
    if t.kind in ("paren", "dash"):
        return cur.state
    if len([x for x in cur.toks if x.kind != "paren"]) == width:  # the party starts here
        if head == "person":
            return "person_open"
        if head == "orgform":
            return "orgform"
        if t.kind == "caps" and t.text in _AUTHORITY_ABBRS:
            return "authority"
        return "closed"
    if cur.state == "person_open":
        if head == "orgform":
            return "orgform"
        if t.kind in ("caps", "unit", "quote") or (t.kind == "word" and t.text[0].isupper()):
            return "closed"
        return "person_open"
    if cur.state == "orgform":
        if t.kind == "quote":
            return "org_named"
        return "closed" if t.kind == "word" and t.text[0].isupper() else "orgform"
    return "closed"


def _split_juxtaposed(toks: list[_Tok], alias_words: set[str]) -> list[_Group]:
    """Cut one comma piece into parties printed side by side (see the module docstring)."""
    groups: list[_Group] = []
    cur = _Group()
    after_dash = False
    i = 0
    while i < len(toks):
        t = toks[i]
        head = _head(toks, i, alias_words)
        width = 2 if head == "level" else 1
        if t.kind == "word" and t.low == "и" and cur.has_content and _conjunction_splits(toks, i, alias_words):
            groups.append(cur)
            cur = _Group()
            i += 1
            continue
        if cur.has_content and not after_dash and t.kind not in ("paren", "dash") \
                and _starts_new_party(cur, toks, i, head, alias_words):
            groups.append(cur)
            cur = _Group()
        cur.toks.extend(toks[i:i + width])
        cur.state = _state_after(cur, t, head, width)
        after_dash = t.kind == "dash"
        i += width
    groups.append(cur)
    return [g for g in groups if g.toks]


# ---------------------------------------------------------------- regions

def region_initials(region_name: str) -> str:
    """`Тюменская область` → `ТО`, `Ханты-Мансийский автономный округ — Югра` → `ХМАО`."""
    main = re.split(r"\s[—–-]\s", region_name.strip())[0]
    parts = re.split(r"[\s\-]+", main)
    return "".join(p[0].upper() for p in parts if p and p.lower() not in {"и", "г.", "город"})


def region_genitive(region_name: str) -> str:
    """`Тюменская область` → `Тюменской области` (head phrase only: `Республики Татарстан`;
    each part of a dashed name: `…автономного округа — Югры`)."""
    parts = re.split(r"\s+[—–-]\s+", region_name.strip())
    return " — ".join(inflect_phrase(p, "gent") for p in parts)


# ---------------------------------------------------------------- definitions

_DEF = re.compile(
    r"\(\s*далее(?:\s+также)?(?:\s+по\s+тексту)?\s*(?:[-–—‑−:]+\s*|\s+)"
    r"[«\"“]?(?P<alias>[^()«»\"“”]{1,60}?)[»\"”]?\s*\)",
    re.IGNORECASE,
)
_BARE_ABBR = re.compile(r"\((?P<alias>[А-ЯЁA-Z][А-ЯЁA-Z0-9-]+(?:\s[А-ЯЁA-Z][А-ЯЁA-Z0-9-]*)*)\)")
_ADJ_CASES = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ой|ей|ую|юю|ых|их|ыми|ими)$")
_SENTENCE_END = re.compile(
    r"(?<!\b\w)(?<!\bгг)(?<!\bим)(?<!\bул)(?<!\bдр)[.!?]\s+(?:\d{1,2}(?:\.\d{1,2})*\.\s+)?(?=[А-ЯЁA-Z«\"])"
)  # a numbered item (`… мониторинг. 4. Руководителям …`) starts after its number
_HARD_BOUNDARY = re.compile(r"\n\s*\n|\t|\||;|:\s")
_STOPWORDS = frozenset({"и", "в", "во", "с", "со", "по", "на", "для", "о", "об", "от", "при", "к", "из", "за"})
_WORD = re.compile(r"\S+")


def _window(text: str, end: int) -> str:
    """The clause before a `(далее …)`: back to a sentence end, tab, blank line or `;`."""
    start = max(0, end - 500)
    w = text[start:end]
    cut = 0
    for rx in (_HARD_BOUNDARY, _SENTENCE_END):
        for m in rx.finditer(w):
            cut = max(cut, m.end())
    for m in _DEF.finditer(w):  # never reach back over an earlier definition
        cut = max(cut, m.end())
    return w[cut:]


def _quote_spans(s: str) -> list[tuple[int, int]]:
    spans, stack, straight = [], [], None
    for i, ch in enumerate(s):
        if ch in "«“":
            stack.append(i)
        elif ch in "»”" and stack:
            o = stack.pop()
            if not stack:
                spans.append((o, i + 1))
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 1))
                straight = None
    return spans


def _word_options(word: str) -> list[str]:
    core = word.strip("«»\"“”„()[].,;:")
    if not core:
        return [""]
    low = core.lower()
    opts: set[str] = set()
    if is_abbreviation(core):
        opts.add("".join(c for c in low if c.isalpha()))
    letters = [p for p in re.split(r"[-–—]", low) if p]
    if letters and letters[0][0].isalpha():
        opts.add(letters[0][0])
        if len(letters) > 1:
            opts.add("".join(p[0] for p in letters if p[0].isalpha()))
    if low in _STOPWORDS or (word.endswith(".") and len(core) <= 3 and not is_abbreviation(core)):
        opts.add("")
    return sorted(opts, key=len, reverse=True) or [""]


def _is_stop(word: str) -> bool:
    return "" in _word_options(word)


def _alias_key(alias: str) -> str:
    key = []
    for tok in alias.split():
        core = tok.strip(".,")
        if not core or (tok.endswith(".") and len(core) <= 3 and not is_abbreviation(core)):
            continue
        if is_abbreviation(core):
            key.append("".join(c for c in core.lower() if c.isalpha()))
        else:
            key.append(core[0].lower())
    return "".join(key)


def _match_initials(words: list[str], key: str, must_end: bool = False) -> Optional[tuple[int, int]]:
    """Nearest run of words (ending as late as possible) whose initials spell `key`."""
    options = [_word_options(w) for w in words]

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
            if fits(i, j, len(key)) and not _is_stop(words[i]) and not _is_stop(words[j - 1]):
                return i, j
    return None


_REGION_KIND_WORD = re.compile(r"^(?:област|кра[яюе]|кра[йм]|округ|республик|район|город)\w*$")
# A legal form written out: `Государственное образовательное учреждение дополнительного
# профессионального образования «…»`, `муниципальное бюджетное учреждение «…»`.
_SPELLED_ORG_FORM = re.compile(
    r"(?:федеральн|государственн|муниципальн|областн|краев|республиканск|частн|автономн|бюджетн|казенн)\w*"
    r"(?:\s+[а-яё]+){0,3}\s+(?:учреждени|организаци|предприяти)\w*(?:\s+[а-яё]+){0,5}\s*$",
    re.I,
)


def _extend_org(w: str, s: int, e: int) -> tuple[int, int, bool]:
    """Widen the phrase w[s:e] to the organisation it names: the whole «…» it sits in, back to
    a legal form printed before it (over abbreviations, dashes and capitalised words:
    `АУ ДПО ХМАО – Югры «…»`), and on over a short owner tail (`… Минобразования Чувашии`).
    Returns (s, e, whether a legal form was found)."""
    for qs, qe in _quote_spans(w):
        if qs <= s < qe or qs < e <= qe:
            s, e = min(s, qs), max(e, qe)
    words = [(m.group(0), m.start()) for m in _WORD.finditer(w, 0, s)]
    org_at = None
    k = len(words)
    while k > 0 and len(words) - k < 6:
        core = words[k - 1][0]
        if core.endswith((",", ";", ":", ".")) and not is_abbreviation(core.rstrip(".")):
            break
        region_word = bool(_REGION_KIND_WORD.match(core)) and k >= 2 and words[k - 2][0][:1].isupper()
        if not (is_abbreviation(core) or all(c in _DASHES for c in core) or core[:1].isupper() or region_word):
            break  # `ГБУ Архангельской области «…»`: a region's name may stand between form and name
        k -= 1
        if core in _ORG_FORMS:
            org_at = k
    if org_at is None:
        spelled = _SPELLED_ORG_FORM.search(w[:s])
        if not spelled or w[s:s + 1] not in "«\"“":
            return s, e, False
        return spelled.start(), e, True
    return words[org_at][1], _owner_tail_end(w, e, r"[,;:.()]"), True


def _owner_tail_end(w: str, e: int, stop: str, body_first: bool = False) -> int:
    """End of the phrase w[:e] taken on over a short owner tail up to the window's end
    (`… «…» Минобразования Чувашии`, `… образования Администрации города Воткинска`): at
    most four words, none of the `stop` characters; with `body_first` the tail must open
    with a body (`Администрации …`), not a region (`организациях Архангельской области`)."""
    tail = w[e:].strip()
    if not tail or len(tail.split()) > 4 or re.search(stop, tail):
        return e
    if body_first and not (tail[:1].isupper() and _is_body_word(tail.split()[0])):
        return e
    return len(w.rstrip())


def _is_body_word(word: str) -> bool:
    """`Администрации`, `Министерства`: a form of a body noun."""
    return any(p.normal_form in _BODY_HEADS for p in parse_word(word.lower().strip(".,")))


def _dash_parts_nominative(phrase: str) -> str:
    """Nominative of each part of a dashed name: `автономном округе – Югре` → `… – Югра`."""
    parts = re.split(r"(\s+[—–]\s+)", phrase)
    return "".join(p if i % 2 else inflect_phrase(p, "nomn") for i, p in enumerate(parts))


def _by_initials(alias: str, w: str, words: list[tuple[str, int, int]], must_end: bool) -> Optional[str]:
    key = _alias_key(alias)
    hit = _match_initials([x[0] for x in words], key, must_end) if key else None
    if not hit:
        return None
    s, e = words[hit[0]][1], words[hit[1] - 1][2]
    s, e, org = _extend_org(w, s, e)
    if not org:  # `Управлению образования Администрации города Воткинска (далее – УО)`
        e = _owner_tail_end(w, e, r"[,;:()«»\"]", body_first=True)
    phrase = w[s:e].strip(" ,")
    return phrase if org else capitalize(inflect_phrase(phrase, "nomn"))


def _by_stem(alias: str, w: str, words: list[tuple[str, int, int]]) -> Optional[str]:
    stem_word = alias.split()[0].lower().replace("ё", "е")
    stem = stem_word[: max(4, len(stem_word) - 2)] if len(stem_word) > 4 else stem_word
    for k in range(len(words) - 1, -1, -1):
        text, s, e = words[k]
        if not text.strip("«»\"“”(").lower().replace("ё", "е").startswith(stem):
            continue
        inside = next(((qs, qe) for qs, qe in _quote_spans(w) if qs <= s < qe), None)
        if inside:
            ext_s, ext_e, org = _extend_org(w, inside[0], inside[1])
            if org:  # a legal form names the quoted organisation
                return w[ext_s:ext_e].strip(" ,")
            phrase = w[s:inside[1]].strip("«»\"“” ,")
        else:
            ext_s, ext_e, org = _extend_org(w, s, len(w))
            if org:
                return w[ext_s:ext_e].strip(" ,")
            while k > 0 and words[k - 1][0][:1].isupper() and _ADJ_CASES.search(words[k - 1][0].lower()):
                k -= 1  # "Ханты-Мансийском автономном округе": take the proper adjective too
            phrase = w[words[k][1]:].strip(" ,")
        return capitalize(_dash_parts_nominative(phrase.lstrip("«\"“")))
    return None


def _by_clause(w: str) -> Optional[str]:
    """Fallback: the last comma-free stretch, when it starts with a legal form or a body noun."""
    depth = cut = 0
    for i, ch in enumerate(w):
        if ch in "«(":
            depth += 1
        elif ch in "»)":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            cut = i + 1
    toks = w[cut:].split()
    for k, tok in enumerate(toks[:-1] if len(toks) > 1 else toks):
        if tok in _ORG_FORMS:
            return " ".join(toks[k:])
    for k in range(len(toks) - 1, -1, -1):  # "… февраль 2022 г. Министерство образования …"
        if toks[k][:1].isupper() and toks[k].lower() in _BODY_HEADS and not _CONTRACTION.match(toks[k].lower()):
            return " ".join(toks[k:]) if len(toks) - k <= 15 else None
    return None


def _after_verb(alias: str, w: str, words: list[tuple[str, int, int]]) -> Optional[str]:
    """Last resort for an initialism: the object after the clause's last verb, when the
    alias's letters appear in order among its word initials (`Рекомендовать органам местного
    самоуправления муниципальных образований …, осуществляющим управление … (далее – МОУО)`)."""
    key = _alias_key(alias)
    start = None
    for k, (text, _, _) in enumerate(words):
        low = text.lower().strip(".,;:«»\"()")
        if low and is_dictionary_word(low) and parse_word(low)[0].tag.POS in ("VERB", "INFN"):
            start = k + 1
    if start is None:
        start = 0  # a numbered item whose verb follows: `4. Руководителям органов … (далее – МОУО), обеспечить`
    if start >= len(words) or len(words) - start > 20 or not key:
        return None

    def spelled(first: int) -> bool:
        initials = [o for text, _, _ in words[first:] for o in _word_options(text)[:1]]
        pos = 0
        for letter in key:
            while pos < len(initials) and not initials[pos].startswith(letter):
                pos += 1
            if pos == len(initials):
                return False
            pos += 1
        return True

    if not spelled(start):
        return None
    # `руководителям муниципальных органов …`: the people addressed are not the body named
    head = words[start][0].lower().strip(".,")
    if start + 1 < len(words) and any(p.normal_form in _PERSON_HEADS for p in parse_word(head)) \
            and not key.startswith(head[:1].upper()) and spelled(start + 1):
        start += 1
    phrase = w[words[start][1]:].strip(" ,")
    return capitalize(inflect_phrase(phrase, "nomn"))


def _define_one(alias: str, w: str, bare: bool = False) -> Optional[str]:
    """The phrase `alias` stands for in the clause `w` before it (None when not found)."""
    w = w.rstrip()
    if not w.strip():
        return None
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(w)]
    if is_abbreviation(alias.split()[0].strip(".")):
        if bare:
            return _by_initials(alias, w, words, must_end=True)
        return _by_initials(alias, w, words, must_end=False) or _by_clause(w) or _after_verb(alias, w, words)
    if bare:
        return None
    return _by_stem(alias, w, words) or _by_clause(w)


def find_definitions(text: str) -> dict[str, str]:
    """Abbreviations a document defines for itself: `X (далее – ЦУ)` → {"ЦУ": "X"}.

    Reads every `(далее – …)` / `(далее - …)` / `(далее-…)` (any dash, quotes optional)
    and finds the phrase it abbreviates in the clause before it: for an initialism the
    nearest run of words whose initials spell it (`департамента образования
    Администрации города Тюмени (далее - ДО АГТ)`); for a word alias the nearest word
    sharing its stem (`ГАУ ДПО ИО «Университет …» (далее – Университет)`). A phrase inside
    «…» after a legal form (ГБУ, ОГБУ …) widens to the whole organisation name. Leading
    adjectives and noun are put in the nominative. A bare all-caps `(ИМЦ)` right after the
    words whose initials spell it is a definition too (`МКУ «Информационно-методический
    центр» (ИМЦ)`). The first definition of an alias wins.
    """
    found: dict[str, str] = {}
    if not text:
        return found
    glossary = glossary_definitions(text)
    candidates = [(m.start(), m.group("alias"), False) for m in _DEF.finditer(text)]
    candidates += [(m.start(), m.group("alias"), True) for m in _BARE_ABBR.finditer(text)]
    for start, alias, bare in sorted(candidates):
        alias = clean_text(alias).strip(" .,")
        if not alias or alias in found or not any(c.isalpha() for c in alias):
            continue
        if bare and not all(is_abbreviation(t) for t in alias.split()):
            continue
        full = _define_one(alias, clean_text(_window(text, start)), bare)
        if full:
            full = clean_text(full)
            if full and full.lower() != alias.lower():
                found[alias] = full
    for alias, full in glossary.items():
        found.setdefault(alias, full)
    return found


_GLOSSARY_HEADING = re.compile(r"сокращени\w*\s*:?", re.I)  # `Список (используемых) сокращений:`
_GLOSSARY_ENTRY = re.compile(
    r"^(?P<alias>[А-ЯЁA-Z][А-ЯЁA-Zа-яё0-9]*(?:\s+(?:и\s+)?[А-ЯЁA-Z][А-ЯЁA-Zа-яё0-9]*){0,3})\s+[–—-]\s+(?P<full>\S.*)$",
    re.S,
)


def glossary_definitions(text: str) -> dict[str, str]:
    """A list of abbreviations printed as such (`Список сокращений:` then `ИРОСТ – ГАОУ ДПО
    «Институт …»;` …), before or after the roadmap: entries run until one does not read
    `ABBR – expansion`, the list's final period or a blank line."""
    found: dict[str, str] = {}
    for heading in _GLOSSARY_HEADING.finditer(text):
        rest = text[heading.end():heading.end() + 4000]
        rest = re.split(r"\n\s*\n|\.\s*\n|\.\s*$", rest, maxsplit=1)[0]
        for entry in re.split(r";", rest):
            m = _GLOSSARY_ENTRY.match(entry.strip())
            if not m:
                if found:
                    break
                continue
            alias = " ".join(m.group("alias").split())
            if sum(c.isupper() for c in alias) < 2 or len(alias) > 20:
                continue
            full = " ".join(m.group("full").split()).rstrip(" .")
            if full:
                found.setdefault(alias, capitalize(full))
    return found


# ---------------------------------------------------------------- expansion

_REMARK = re.compile(
    r"^\(\s*(?:(?i:по\s+согласовани|далее|при\s+необходимост|при\s+наличии|по\s+компетенци"
    r"|в\s+рамках\s+компетенци|в\s+пределах\s+компетенци|ответственн|исполнител)"
    r"|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.?"
    r"|[А-ЯЁA-Z]{2,}[А-ЯЁA-Z0-9 -]*\)$)"
)


def _is_remark(paren: str) -> bool:
    """`(по согласованию)`, `(далее – РЦ)`, `(Е.А.Юферова)`, `(ИМЦ)` are remarks, not part of a
    name; other parentheses qualify it (`(федеральный уровень)`) and stay."""
    return bool(_REMARK.match(paren))


def _initials(text: str) -> str:
    return "".join(
        p[0] for w in text.replace("«", " ").replace("»", " ").split()
        if w.lower() not in _STOPWORDS and not all(c in _DASHES for c in w)
        for p in re.split(r"[%s]" % _DASHES, w) if p and p[0].isalpha()
    ).upper()


def _refers_to_issuer(text: str, issuer: Optional[str]) -> bool:
    """`Департамент`, `ДОН ТО`, `Депобразования и молодежи Югры` stand for the issuer when
    they are its head noun, its initials, or a contraction of its words."""
    if not issuer or not text:
        return False
    words = text.split()
    if len(words) == 1 and _same_head(words[0], issuer):
        return True
    letters = "".join(c for c in text if c.isalpha())
    if all(is_abbreviation(w) for w in words) and len(letters) >= 3:
        return letters.upper() == _initials(issuer)
    full = [w.lower().strip("«»\"(),.") for w in issuer.split()]
    full = [w for w in full if w and w not in _STOPWORDS]
    mine = [w.lower().strip("«»\"(),.") for w in words]
    mine = [w for w in mine if w and w not in _STOPWORDS]
    if len(mine) < 2 or not full:
        return False

    def contracted(w: str, pool: list[str]) -> bool:
        """`депобразования` = `деп` + `образования`; `минобразование` = `мин` + `образование`
        (the contraction is declined on its own: only the ending may differ)."""
        return any(
            w[:n] == f[:n] and len(g) >= 5 and w[n:-2] == g[:-2] and abs(len(w) - n - len(g)) <= 1
            for f in pool for g in full for n in (3, 4, 5)
        )

    def matches(w: str, first: bool) -> bool:
        pool = full[:1] if first else full
        return contracted(w, pool) or any(len(w) >= 4 and f[:4] == w[:4] for f in pool)

    if not (matches(mine[0], True) and all(matches(w, False) for w in mine[1:])):
        return False
    # a plain prefix of the issuer's words ("Управление образования") is a name of its own
    return contracted(mine[0], full[:1]) or any(w not in full for w in mine)


def _expand_token(abbr: str, definitions: dict[str, str], issuer: Optional[str],
                  use_common: bool) -> Optional[str]:
    if abbr in definitions:
        return definitions[abbr]
    if _refers_to_issuer(abbr, issuer):
        return issuer
    if use_common and abbr in _EXPANSIONS:
        return _EXPANSIONS[abbr]["name"]
    return None


def _name_with(content: list[_Tok], definitions: dict[str, str], region_name: Optional[str],
               issuer: Optional[str], use_common: bool) -> str:
    texts = [t.text for t in content]
    whole = " ".join(texts)
    # the whole party is one defined abbreviation / alias, or the issuer
    if len(content) == 1 or whole in definitions:
        full = _expand_token(whole.strip(".,"), definitions, issuer, use_common)
        if full:
            return capitalize(full)
    if _refers_to_issuer(whole, issuer):
        return issuer
    # legal form + «ABBR»
    if len(content) == 2 and content[0].text in _ORG_FORMS and content[1].kind == "quote":
        inner = content[1].text.strip("«»\"“”„")
        full = _expand_token(inner, definitions, None, use_common)
        if full:
            return full if full.startswith(content[0].text) else f"{content[0].text} «{full}»"
    # authority abbreviation + region initials: "ДОН ТО" + Тюменская область
    if content[0].kind == "caps" and content[0].text in _AUTHORITY_ABBRS and len(content) >= 2 \
            and content[1].kind == "caps" and len(content[1].text) <= 4:
        base = _expand_token(content[0].text, definitions, None, True)
        if base and region_name and region_initials(region_name) == content[1].text.upper():
            return capitalize(" ".join([base, region_genitive(region_name)] + texts[2:]))
        if base and use_common:
            return capitalize(" ".join([base] + texts[1:]))
    if len(content) >= 2 and content[0].kind == "word" and _LEVEL_ADJ.match(content[0].low) \
            and content[1].kind == "word" and _ROLE_NOUN.match(content[1].low) and content[1].text.istitle():
        texts[1] = content[1].text.lower()  # "Региональный Координатор" (a wrap) → "…координатор"
    out: list[str] = []
    starts_with_org = content[0].text in _ORG_FORMS
    for k, t in enumerate(content):
        full = None
        if t.kind in ("caps", "unit") and k > 0 and not starts_with_org \
                and content[k - 1].text not in _ORG_FORMS \
                and content[k - 1].low not in _NON_GENITIVE_PREPOSITIONS \
                and not (t.text in _AUTHORITY_ABBRS and k + 1 < len(content) and content[k + 1].kind == "caps"):
            full = _expand_token(t.text, definitions, issuer, use_common)
        if full:
            first = full.split()[0]
            plain = re.match(r"^[А-ЯЁ][а-яё]", full) and first not in _ORG_FORMS and not is_abbreviation(first)
            out.append(inflect_phrase(full[0].lower() + full[1:], "gent", "nomn") if plain else full)
        else:
            out.append(texts[k])
    name = re.sub(r"\s+([,;])", r"\1", " ".join(out))
    return capitalize(name.strip(" ,;"))


def _names(group: _Group, definitions: dict[str, str], region_name: Optional[str],
           issuer: Optional[str], expand_common: bool) -> tuple[str, str]:
    """(canonical name, fully expanded name used to classify the party)."""
    kept = [t for t in group.toks if not (t.kind == "paren" and _is_remark(t.text))]
    content = [t for t in kept if t.kind != "paren"]
    if not content:
        return "", ""
    quals = [t.text for t in kept if t.kind == "paren"]
    name = _name_with(content, definitions, region_name, issuer, expand_common)
    full = _name_with(content, definitions, region_name, issuer, True)
    if quals:
        name = f"{name} {' '.join(quals)}"
    return name, full


def _same_head(word: str, issuer: str) -> bool:
    """`Департамент` and `Департамент образования Ивановской области` share their head."""
    w = word.lower()
    first = issuer.split()[0].lower() if issuer.split() else ""
    return len(w) >= 5 and w in _BODY_HEADS and first.startswith(w[:-1])


# ---------------------------------------------------------------- kinds

def _ci(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_CURATOR = _ci(r"^(куратор|наставник|тьютор|консультант)")
_PERSON = _ci(r"^((?:\w+(?:ий|ый|ой|ие|ые)\s+)?(?:директор\w*|руководител\w*|заместител\w*|специалист\w*"
              r"|сотрудник\w*|представител\w*|член\w*|учител\w*|педагог\w*|работник\w*|команд\w*"
              r"|эксперт\w*|психолог\w*|методист\w*))\b")
_SCHOOL_START = _ci(
    r"^((школ|гимнази|лице[йя]|школьн\w* (участник|команд))"
    r"|(\w+ )?(обще)?образовательн\w* (организаци|учреждени)|участни(к|ц)|центр\w* образования\b(?! и))"
)
_FEDERAL = _ci(r"(фиоко|рособрнадзор|минпросвещени|министерств\w* просвещени|российской федерации"
               r"|\bфипи\b|\bфгбну\b|федеральн\w* (оператор|координатор|институт|служб|центр|куратор|эксперт))")
_MUNICIPAL = _ci(r"(муниципальн|\bмоуо\b|местного самоуправления|администраци\w* (города|городского|район|муниципальн)"
                 r"|\bгорода\b|\bрайона\b|городского округа|\bимц\b|информационно-методическ\w* центр"
                 r"|(?-i:(^|\s)г\.\s*о?\.?\s*[А-ЯЁ]))")
_MUNICIPAL_FORMS = ("МАУ", "МБУ", "МКУ", "МУ")
_OPERATOR = _ci(r"(региональн\w* (оператор|координатор)|территориальн\w* (оператор|координатор)"
                r"|(^|\s)(оператор|координатор)\w*|университет|институт\w* развития|развития образования"
                r"|повышения квалификации|\bдпо\b|оценки качества|ресурсн\w* центр|профессионального мастерства"
                r"|обработки информации|непрерывного (образования|повышения)|методическ\w* центр"
                r"|(^|[\s«\"])(институт\w*|центр(?:а|у|ом|е|ы|ов)?|академи\w*)\b)")
_AUTHORITY = _ci(r"(^|\s)(департамент|министерств|министр|управлени|комитет|агентств|отдел|минобр|служб)\w*")
_REGION_QUALIFIER = _ci(r"(област|кра[яй]|республик|автономн\w* округ|\bсубъект)")
_OPERATOR_ABBR = re.compile(r"(ИР+О|ИПК|ЦОКО|РЦОИ|ЦНППМ|ЦОПМ|ИПКРО|ИРОиПК|ИРОИПК)")


def classify_party(name: str, issuer_level: Optional[str] = None) -> str:
    """The schema `kind` of a canonical party name. Rule order (first match wins):

    curator heads (кураторы, наставники, тьюторы, консультанты) → person groups (директора,
    руководители, методисты, члены, команды …) take the kind of what follows them
    (`руководители МОУО` → municipal, `методисты ГБУ ДПО «… ресурсный центр»` → regional
    operator, `члены окружных УМО` → other; with nothing after them: методисты → curator,
    school staff words → school, others → other) → school words at the start (школы…, ОО,
    образовательные организации, named schools МБОУ/ГБОУ/СОШ) → federal (ФИОКО,
    Рособрнадзор, Минпросвещения, федеральный оператор) → municipal (муниципальный …,
    МОУО, администрация города, ИМЦ, МАУ/МБУ) → regional operator (региональный
    оператор/координатор, institutes, universities, ДПО, assessment and resource centres)
    → authorities (департамент, министерство, управление …): regional when a region is
    named, otherwise by `issuer_level` (municipal → municipal, else regional_authority)
    → anything mentioning schools → operator-like abbreviations (…ИРО, ИПК, ЦОКО) → other.
    """
    n = clean_text(name)
    if not n:
        return "other"
    first = n.split()[0].strip("«»\"")
    if _CURATOR.match(n):
        return "curator"
    m = _PERSON.match(n)
    if m:
        rest = n[m.end():].strip(" -–—,")
        sub = classify_party(rest, issuer_level) if rest else "other"
        if sub != "other":
            return "school" if sub == "curator" else sub
        if re.search(r"(?i)методист", m.group(0)):
            return "curator"
        return "school" if re.search(r"(?i)директор|учител|педагог|команд|школьн", m.group(0)) else "other"
    # `ГАОУ ДПО «… институт развития образования»`: an educational institution, not a school
    adult_education = re.search(r"\bДПО\b|\bВО\b|институт|университет|академи", n, re.I)
    if _SCHOOL_START.match(n) or (first in _SCHOOL_FORMS and not adult_education) or (first in _ORG_FORMS and re.search(r"\b(СОШ|ООШ|НОШ)\b|школ|гимнази|лице[йя]", n, re.I) and not first.startswith("Ф")):
        return "school"
    if _FEDERAL.search(n):
        return "federal"
    if _MUNICIPAL.search(n) or first in _MUNICIPAL_FORMS:
        return "municipal"
    if _OPERATOR.search(n):
        return "regional_operator"
    if _AUTHORITY.search(n):
        if _REGION_QUALIFIER.search(n):
            return "regional_authority"
        return "municipal" if issuer_level == "municipal" else "regional_authority"
    if re.search(r"(?i)школ|общеобразовательн\w* организаци", n):
        return "school"
    if first in _EXPANSIONS:
        return _EXPANSIONS[first]["kind"]
    if is_abbreviation(first) and _OPERATOR_ABBR.search(first):
        return "regional_operator"
    return "other"


# ---------------------------------------------------------------- entry point

_VERB_ENDING = re.compile(r"(?:л|ла|ло|ли|ет|ют|ит|ат|ят|ем|им|ешь|ишь|ете|ите|ся|сь|ть|ти|й|те)$")


def _is_sentence(piece: str) -> bool:
    """A cell that reads as a sentence (has a finite verb) is not a list of parties."""
    morph = get_morph()
    if not morph:
        return False
    for word in re.findall(r"[А-ЯЁа-яё]+", piece):
        w = word.lower()
        if not _VERB_ENDING.search(w) or is_abbreviation(word) or w in _PERSON_HEADS or w in _BODY_HEADS \
                or not is_dictionary_word(w):
            continue
        p = parse_word(w)[0]
        if p.tag.POS == "VERB" and p.score >= 0.5:
            return True
    return False


def parse_parties(
    cell: Optional[str],
    definitions: Optional[dict[str, str]] = None,
    region_name: Optional[str] = None,
    *,
    issuer_level: Optional[str] = None,
    issuer: Optional[str] = None,
    expand_common: bool = True,
) -> list[Party]:
    """Split a responsible/executors cell into Party objects (see the module docstring).

    definitions: the document's abbreviations (`find_definitions(full_text)`); the cell's
    own `(далее – X)` remarks are added. region_name: the document region's name, for
    `ДОН ТО`-style abbreviations. issuer_level: the document level (`regional`,
    `municipal`, `territorial`) decides the kind of a bare `Департамент`/`Управление`.
    issuer: the issuing body's name, the canonical name of a party that is its head noun,
    initials or contraction (`Департамент`, `ДОН ТО`, `Депобразования и молодежи Югры`).
    expand_common: also expand abbreviations only the common list knows (`МОУО` →
    `Муниципальные органы управления образованием`, `руководители МОУО` → `Руководители
    муниципальных органов управления образованием`); False keeps them as printed. Kinds
    use the common list either way.
    Empty cells, `-` and pure remarks give []. Never raises on odd input.
    """
    try:
        return _parse_parties(cell, definitions, region_name, issuer_level, issuer, expand_common)
    except Exception:  # noqa: BLE001 - a bad cell must never stop a document
        text = clean_text(cell or "")
        if not text or not any(c.isalpha() for c in text):
            return []
        return [Party(raw=text, name=text, kind="other")]


def _parse_parties(cell, definitions, region_name, issuer_level, issuer, expand_common) -> list[Party]:
    if not cell or not any(c.isalpha() for c in cell):
        return []
    defs = dict(definitions or {})
    for k, v in find_definitions(clean_text(cell)).items():
        defs.setdefault(k, v)
    unit_keys = sorted((k.split() for k in defs if " " in k), key=len, reverse=True)
    alias_words = {k for k in defs if " " not in k and k[:1].isupper() and not is_abbreviation(k)}
    parties: list[Party] = []
    for piece, instrumental in _merge_continuations(_split_top(cell), alias_words):
        sentence = _is_sentence(piece)
        if sentence or _NAME_AND_POST.match(piece):
            groups = [_Group(_tokenize(piece, unit_keys))]
        else:
            groups = _split_juxtaposed(_tokenize(piece, unit_keys), alias_words)
        pending_remark = ""
        for g in groups:
            if not g.has_content:
                pending_remark = piece[g.toks[0].start:g.toks[-1].end] + " "
                continue
            raw = _strip_tail(pending_remark + piece[g.toks[0].start:g.toks[-1].end])
            pending_remark = ""
            name, full = _names(g, defs, region_name, issuer, expand_common)
            if instrumental and name == capitalize(raw):
                # `совместно с органами …, осуществляющими …` → `Органы …, осуществляющие …`
                name = full = capitalize(inflect_phrase(raw[:1].lower() + raw[1:], "nomn"))
            name = name.strip(" ,;")
            if not name or not any(c.isalpha() for c in name):
                continue
            kind = "other" if sentence else _kind_of(g, full, issuer_level)
            parties.append(Party(raw=raw, name=name, kind=kind))
    return parties


def _strip_tail(s: str) -> str:
    """Drop separators at the ends, and a final period unless it closes an initial (Г.П.)."""
    s = s.strip(" ,;")
    if s.endswith(".") and not re.search(r"(?:\b[А-ЯЁA-Z]|\b[а-яё]{1,3})\.$", s):
        s = s[:-1].rstrip()
    return s


def _kind_of(group: _Group, full_name: str, issuer_level: Optional[str]) -> str:
    toks = [t for t in group.toks if t.kind != "paren"]
    if len(toks) == 1 and toks[0].text in _EXPANSIONS \
            and full_name == capitalize(_EXPANSIONS[toks[0].text]["name"]):
        return _EXPANSIONS[toks[0].text]["kind"]
    return classify_party(full_name, issuer_level)


def _oblique_only(word: str) -> bool:
    """A known noun/adjective with no nominative reading cannot start a party's name."""
    parses = [p for p in parse_word(word) if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
    return bool(parses) and is_dictionary_word(word) and all(p.tag.case != "nomn" for p in parses)


_NAMED_PERSON = r"(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.?|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+)"
_PERSON_NAME = re.compile(rf"^{_NAMED_PERSON}$")
# `Иванова Т.С., региональный координатор проекта`: one person, named and then described
_NAME_AND_POST = re.compile(rf"^{_NAMED_PERSON},\s+[а-яё]")


def _merge_continuations(pieces: list[tuple[str, str]], alias_words: set[str]) -> list[tuple[str, bool]]:
    """Glue back a comma piece that cannot start a party: a participle clause (`органы …,
    осуществляющие …`), a position after a person's name (`Доржиева С.Б., ведущий
    специалист …`), or a lower-case piece with no party head and nothing that names a kind
    of party (`Министерство образования, науки и …`). Each piece comes with whether it
    follows `совместно с` (its party is named in the instrumental case)."""
    out: list[str] = []
    instrumental: list[bool] = []
    for p, sep in pieces:
        first = p.split()[0]
        toks = _tokenize(p, [])
        low = first.lower()
        clause = out and sep == "," and first[:1].islower() and (
            low in {"которые", "который", "которая", "которое"}
            or (parse_word(low) and parse_word(low)[0].tag.POS == "PRTF")  # "…, осуществляющие …"
            or _oblique_only(low)  # "… муниципальных районов, муниципальных округов …"
            or _PERSON_NAME.match(out[-1]) is not None)  # "Доржиева С.Б., ведущий специалист …"
        starts_party = not clause and (
            sep != ","
            or first[:1].isupper()
            or first[:1] in "«\"("
            or _head(toks, 0, alias_words) is not None
            or is_abbreviation(first)
            or classify_party(p) != "other"
        )
        if out and not starts_party:
            out[-1] = f"{out[-1]}, {p}"
        else:
            out.append(p)
            instrumental.append(sep == "\x00")
    return list(zip(out, instrumental))
