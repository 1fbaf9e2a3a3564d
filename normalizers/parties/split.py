"""Cutting a responsible cell into parties: at top-level separators, at person names that
open a line, and where a party head starts (see the package docstring)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from language.morphology import is_dictionary_word, parse_word
from language.patterns import compiled
from language.words import is_abbreviation
from normalizers.parties.classify import classify_party
from normalizers.parties.tokens import Group, Tok, tokenize
from normalizers.parties.words import (
    ADJ_END, AUTHORITY_ABBRS, BODY_HEADS, CONTRACTION, DASHES, EXPANSIONS,
    GENITIVE_PERSONS, LEVEL_ADJ, ORG_FORMS, PERSON_HEADS, PERSON_NAME, RELATIVE_PRONOUNS, ROLE_NOUN,
    SCHOOL_MEMBER_NOUNS, is_school_genitive, is_school_word,
)
from normalizers.text import clean_text, normalize_bullets

_BULLET_SPLIT = compiled(r"(?:^|\n)\s*(?:•|\d{1,2}[.)])\s+")


_TOGETHER_WITH = compiled(r"\s+(?:совместно|во\s+взаимодействии)\s+со?\s+", re.I)  # work shared with another body
_NAMED_LINE = compiled(rf"\n(?=\s*{PERSON_NAME})")


def split_named_lines(text: str) -> str:
    """A line that opens with a person's name (`Магомедова П.А.`, `Т.С. Иванова`, `Рябова Татьяна
    Сергеевна`) starts a new party, unless the line above ends with a lower-case word the name
    completes (`заместитель главы` / `Иванов И.И.`) or is a post awaiting its holder (`директор
    МБОУ «СОШ № 1»` / `Иванов И.И.`): executors are often listed one per line. A line above that
    opens with a body's noun (`министерство`, `управление образования`) names a body, which a
    person's name does not complete, whatever case its last word is in; nor does a post printed
    after its holder's name (`Кирсанова Е.А.,` / `заместитель` / `начальника УНО`). Inside an
    open parenthesis the name goes on with it."""
    out, pos = [], 0
    for m in _NAMED_LINE.finditer(text):
        before = text[:m.start()].rstrip()
        last = before.split()[-1] if before.split() else ""
        line = _party_first_line(before.split("\n"))
        head = line[0].lower().rstrip(".") if line else ""  # `зам.` is `зам`
        # `Кирсанова Е.А.,` / `заместитель` / `начальника УНО`: a post after its holder awaits no other
        held = NAME_AND_POST.match(" ".join(text[pos:m.start()].split())) is not None
        post = not held and head in PERSON_HEADS and any(  # `директор`, not `директора` (школ): a group
            (p.tag.number, p.tag.case) == ("sing", "nomn") for p in parse_word(head) if p.tag.POS == "NOUN")
        body = bool(line) and line[0].lower() in BODY_HEADS
        inside = before.count("(") > before.count(")")  # `РИРО (директор` / `Федорова Н.Г.)`: a remark goes on
        # `кураторы проекта` / `Рогачева О.В., директор СГМЦ`: a group holds no one person's name,
        # and a remark in parentheses closes the party it follows
        complete = (bool(line) and _nominative_plural(line[0].lower())) or before.endswith(")") or held
        if last and (body or complete or not last[:1].islower()) and not before.endswith((",", ";")) and not post \
                and not inside:
            out.append(text[pos:m.start()] + ";")
            pos = m.start()
    out.append(text[pos:])
    return "".join(out)


def _nominative_plural(word: str) -> bool:
    """`кураторы`, `директора` (школ): a word that can head a group of people."""
    return plural(word) or (word in PERSON_HEADS and any(
        (p.tag.number, p.tag.case) == ("plur", "nomn") for p in parse_word(word)))


def _adjective(word: str) -> bool:
    """`Управленческие` opening a cell: read first as an adjective (not `Управление`)."""
    parses = parse_word(word)
    return bool(parses) and parses[0].tag.POS == "ADJF"


def _party_first_line(lines: list[str]) -> list[str]:
    """The words of the line the party above a name starts on: a PDF wraps a post over lines
    (`заместитель` / `директора` / `Департамента`), each continuing the one above when it opens
    in lower case with no person's noun (`директора`) or role (`муниципальный координатор`), or
    with a capitalised genitive (`Департамента`)."""
    k = len(lines) - 1
    while k > 0:
        words = lines[k].split()
        first = words[0] if words else ""
        genitive = first[:1].isupper() and any(p.tag.case == "gent" for p in parse_word(first.lower())[:1])
        role = len(words) > 1 and LEVEL_ADJ.match(first.lower()) and ROLE_NOUN.match(words[1].lower())
        above = lines[k - 1].split()  # `заместитель` / `директора`: the post's complement
        of_post = first.lower() in GENITIVE_PERSONS and bool(above) and above[-1].lower() in PERSON_HEADS
        continues = (first[:1].islower() and first.lower() not in PERSON_HEADS and not role) or genitive or of_post
        if not continues or lines[k - 1].rstrip().endswith((",", ";")):
            break
        k -= 1
    return lines[k].split()


def split_top(cell: str) -> list[tuple[str, str]]:
    """Cut at `,` `;` and line bullets outside quotes and parentheses: (piece, separator before).
    The cell comes cut at its name lines already (`split_named_lines`, which the party rules
    between the two need)."""
    text = _BULLET_SPLIT.sub(";", normalize_bullets(cell))
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
        p = strip_tail(clean_text(p))
        if p:
            out.append((p, sep))
    return out


def _head(toks: list[Tok], i: int, alias_words: set[str]) -> Optional[str]:
    """What kind of party head starts at token i: person, level, body, orgform, abbr, or None."""
    t = toks[i]
    if t.kind == "unit":
        return "abbr"
    if t.kind == "caps":
        return "orgform" if t.text in ORG_FORMS else "abbr"
    if t.kind != "word":
        return None
    low = t.low
    nxt = toks[i + 1].low if i + 1 < len(toks) and toks[i + 1].kind == "word" else ""
    if LEVEL_ADJ.match(low) and nxt and ROLE_NOUN.match(nxt) and not _oblique_only(low):
        return "level"  # `муниципальный координатор`, not `(члены) муниципальной команды`
    if low in PERSON_HEADS or re.split(r"[%s]" % DASHES, low)[0] in PERSON_HEADS or _instrumental_person(low):
        return "person"
    if is_school_word(t.text) and (t.text[0].isupper() or low.startswith("школы")):
        return "body"
    if t.text[0].isupper() and (low in BODY_HEADS or t.text.strip(".,") in alias_words):
        return "body"
    return None


def _instrumental_person(low: str) -> bool:
    """A person noun in the instrumental (`совместно с руководителями МБОУ`): a person head,
    its complement after it, as in the nominative."""
    return low.endswith(("ами", "ями", "ом", "ем")) and any(
        "ablt" in p.tag and p.normal_form in PERSON_HEADS for p in parse_word(low))


def _conjunction_splits(toks: list[Tok], i: int, alias_words: set[str]) -> bool:
    """`X и Y` names two parties when Y is a head (`Кураторы и наставники`, `… и МОУО`),
    one when Y only continues a name (`Департамент образования и науки`, `КПЦОПМ и КП`)."""
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    nxt_head = _head(toks, i + 1, alias_words)
    if nxt.kind in ("caps", "unit"):
        return nxt_head == "orgform" or nxt.kind == "unit" or nxt.text in EXPANSIONS \
            or nxt.text in alias_words
    return nxt_head in ("person", "level", "body")


@lru_cache(maxsize=1)
def _region_initials() -> frozenset[str]:
    """Every subject's initials (`РА` Республика Алтай, `ТО` Тюменская область, `НСО`)."""
    from normalizers.parties.expand import region_initials
    from normalizers.regions import all_regions

    return frozenset(region_initials(r.name) for r in all_regions())


def _pronoun(word: str) -> bool:
    """`все`, `каждый`, `эти`: a pronoun that qualifies the person noun after it."""
    return any("Apro" in p.tag for p in parse_word(word))


def _starts_new_party(cur: Group, toks: list[Tok], i: int, head: Optional[str],
                      alias_words: set[str]) -> bool:
    """Whether token i begins a new party rather than continuing the one in `cur`."""
    t = toks[i]
    prev = next((p for p in reversed(cur.toks) if p.kind != "paren"), None)
    prev_any = cur.toks[-1]
    if cur.state == "person_open":  # a person noun takes one complement: "Методисты ГБУ …"
        if head not in ("person", "level", "body"):
            return False
        if prev is not None and prev.kind == "word" and _oblique_only(prev.low) and ADJ_END.search(prev.low):
            return False  # "члены муниципальной команды": an adjective in an oblique case, its noun too
        if head == "body" and t.text[:1].islower() and prev is not None and prev.kind == "word":
            return False  # "директор школы", "члены команды школы": the school is the complement
        return not (t.low in GENITIVE_PERSONS and prev is not None and prev.kind == "word"
                    and prev.low in PERSON_HEADS)  # "заместители директора"
    if cur.state == "orgform":  # a legal form takes a name: "ОГБУ Центр оценки …"
        return head in ("person", "orgform")
    if cur.state == "org_named":  # … and an owner after the name: "БУ ЧР «…» Минобразования Чувашии"
        if head in ("person", "level", "orgform") or t.kind == "caps" or t.kind == "paren":
            return True
        if t.kind == "unit" and is_abbreviation(t.text.split()[0]):
            return True
        return head == "body" and t.low in BODY_HEADS and not CONTRACTION.match(t.low)
    if cur.state == "authority":  # "ДОН ТО": a short unknown abbreviation is a region suffix
        if t.kind == "caps" and len(t.text) <= 4 and t.text not in EXPANSIONS \
                and t.text not in alias_words:
            return False
        return head is not None
    if head == "person":  # "школы участники", "ведущий специалист", "все участники" are one party
        if prev is not None and prev.kind == "word" and (prev.text[:1].islower() or (
                len(cur.toks) == 1 and _adjective(prev.low))) and (ADJ_END.search(prev.low) or _pronoun(prev.low)):
            return False
        return not (prev is not None and is_school_genitive(prev.text)
                    and t.low in SCHOOL_MEMBER_NOUNS)
    if head is None and cur.state == "closed" and t.kind == "word" and t.text[:1].islower() \
            and ADJ_END.search(t.low) and i + 1 < len(toks) and _head(toks, i + 1, alias_words) == "person" \
            and prev_any.kind in ("caps", "unit", "quote", "paren"):
        return True  # `КИРО (по согласованию)` / `управленческие команды школ`: a group after a named body
    if head in ("level", "orgform"):
        return True
    if head == "body":  # "Центральное Управление" is one party
        return not (prev is not None and prev.kind == "word" and prev.text[0].isupper()
                    and ADJ_END.search(prev.low))
    if head == "abbr" and (prev_any.kind in ("caps", "unit") or CONTRACTION.match(prev_any.low)) \
            and len(t.text) >= 2 and t.text in _region_initials() and t.text not in EXPANSIONS \
            and t.text not in alias_words:
        return False  # `ИПКиППРО РА`, `Минобразования РК`: a region's initials after it are its suffix
    if head == "abbr":  # after an abbreviation, a name or a closed role: new; after words: genitive
        return (
            prev_any.kind in ("caps", "unit", "quote", "paren")
            or (prev is not None and prev.kind == "word" and ROLE_NOUN.match(prev.low)
                and cur.toks[0].kind == "word" and LEVEL_ADJ.match(cur.toks[0].low) is not None)
            or (prev is not None and prev.kind == "word" and len(cur.toks) == 1
                and _head(cur.toks, 0, alias_words) == "body")
        )
    return False


def _state_after(cur: Group, t: Tok, head: Optional[str], width: int) -> str:
    """The group's state once token t (and its partner for a 2-word head) joined it."""
    if t.kind in ("paren", "dash"):
        return cur.state
    if len([x for x in cur.toks if x.kind != "paren"]) == width:  # the party starts here
        if head == "person":
            return "person_open"
        if head == "orgform":
            return "orgform"
        if t.kind == "caps" and t.text in AUTHORITY_ABBRS:
            return "authority"
        return "closed"
    if head == "person" and cur.state == "closed" and all(
            x.kind == "word" and (x.text[:1].islower() or k == 0) and ADJ_END.search(x.low)
            for k, x in enumerate(cur.toks[:-1])):
        return "person_open"  # `управленческие команды` (МБОУ): adjectives, then the person noun
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


def split_juxtaposed(toks: list[Tok], alias_words: set[str]) -> list[Group]:
    """Cut one comma piece into parties printed side by side (see the module docstring)."""
    groups: list[Group] = []
    cur = Group()
    after_dash = False
    i = 0
    while i < len(toks):
        t = toks[i]
        head = _head(toks, i, alias_words)
        width = 2 if head == "level" else 1
        if t.kind == "word" and t.low == "и" and cur.has_content and _conjunction_splits(toks, i, alias_words):
            groups.append(cur)
            cur = Group()
            i += 1
            continue
        if cur.has_content and not after_dash and t.kind not in ("paren", "dash") \
                and _starts_new_party(cur, toks, i, head, alias_words):
            groups.append(cur)
            cur = Group()
        cur.toks.extend(toks[i:i + width])
        cur.state = _state_after(cur, t, head, width)
        after_dash = t.kind == "dash"
        i += width
    groups.append(cur)
    return [g for g in groups if g.toks]


_AND_OTHERS = compiled(r"\s+и\s+(?:др\.?|другие)$")


def strip_tail(s: str) -> str:
    """Drop separators at the ends, a closing `и др.` (no party of its own), and a final period
    unless it closes an initial (Г.П.)."""
    s = _AND_OTHERS.sub("", s.strip(" ,;")).strip(" ,;")
    if s.endswith(".") and not compiled(r"(?:\b[А-ЯЁA-Z]|\b[а-яё]{1,3})\.$").search(s):
        s = s[:-1].rstrip()
    return s


def _oblique_only(word: str) -> bool:
    """A known noun/adjective with no nominative reading cannot start a party's name."""
    parses = [p for p in parse_word(word) if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
    return bool(parses) and is_dictionary_word(word) and all(p.tag.case != "nomn" for p in parses)


_PERSON_NAME = compiled(rf"^{PERSON_NAME}$")
# `Иванова Т.С., региональный координатор проекта`: one person, named and then described
NAME_AND_POST = compiled(rf"^{PERSON_NAME}(?:,|\s+[–—-])\s+[а-яё]")  # `Иванова Т.С., …` / `Голубева Е.А. – …`


def one_person(word: str) -> bool:
    """A word opening a post of one person (`муниципальный`, `координатор`), not a group
    (`кураторы`, `руководители`) nor a body (`департамент`)."""
    parses = parse_word(word)
    if not parses or parses[0].tag.number != "sing":
        return False
    return parses[0].tag.POS in ("ADJF", "PRTF") or "anim" in parses[0].tag


def plural(word: str) -> bool:
    """`руководители`, `кураторы`: a word read first as a plural noun or adjective; a hyphenated
    pair by its second noun too (`школы-участницы`, whose whole pymorphy3 reads first as `школы`
    in the genitive)."""
    parses = parse_word(word)
    if bool(parses) and parses[0].tag.number == "plur" and parses[0].tag.POS in ("NOUN", "ADJF", "PRTF"):
        return True
    parts = word.split("-")
    return len(parts) == 2 and all(len(part) > 2 for part in parts) and plural(parts[1])


def merge_continuations(pieces: list[tuple[str, str]], alias_words: set[str]) -> list[tuple[str, bool]]:
    """Glue back a comma piece that cannot start a party: a participle clause (`органы …,
    осуществляющие …`), a position after a person's name (`Доржиева С.Б., ведущий
    специалист …`), or a lower-case piece with no party head and nothing that names a kind
    of party (`Министерство образования, науки и …`). Each piece comes with whether it
    follows `совместно с` (its party is named in the instrumental case)."""
    out: list[str] = []
    instrumental: list[bool] = []
    for p, sep in pieces:
        first = p.split()[0]
        toks = tokenize(p, [])
        low = first.lower()
        clause = out and sep == "," and first[:1].islower() and (
            low in RELATIVE_PRONOUNS
            or (parse_word(low) and parse_word(low)[0].tag.POS == "PRTF")  # "…, осуществляющие …"
            or _oblique_only(low)  # "… муниципальных районов, муниципальных округов …"
            # "Доржиева С.Б., ведущий специалист …", not "Доржиева С.Б., руководители ОО" (a group)
            or (_PERSON_NAME.match(out[-1]) is not None and not plural(low))
            # "Ефимова Н.С., ведущий специалист Комитета, муниципальный координатор": a second post
            or (NAME_AND_POST.match(out[-1]) is not None and one_person(low)))
        starts_party = not clause and (
            sep != ","
            or first[:1].isupper()
            or first[:1] in "«\"("
            or _head(toks, 0, alias_words) is not None
            or (_pronoun(low) and len(toks) > 1 and _head(toks, 1, alias_words) is not None)  # `все кураторы`
            or is_abbreviation(first)
            or classify_party(p) != "other"
        )
        if out and not starts_party:
            out[-1] = f"{out[-1]}, {p}"
        else:
            out.append(p)
            instrumental.append(sep == "\x00")
    return list(zip(out, instrumental))
