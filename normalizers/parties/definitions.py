"""Abbreviations a document defines for itself: `X (далее – ЦУ)`, bare `(ИМЦ)`, and a printed
list of abbreviations."""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from language.inflection import inflect_phrase
from language.morphology import agrees, is_dictionary_word, parse_word
from language.patterns import compiled
from language.words import capitalize, is_abbreviation
from normalizers.parties.initials import (
    alias_key, initials_any_order, is_mixed_abbreviation, letters_among, letters_in_order, match_initials,
    prefix_lengths, word_options,
)
from normalizers.parties.mixed_aliases import by_noun_and_letters, spells_in_attribute, spells_in_clause
from normalizers.parties.settings import PARTIES
from normalizers.parties.tails import names_territory, owner_tail_end
from normalizers.regions import find_region_matches
from normalizers.parties.words import (
    BODY_HEADS, CONTRACTION, DASHES, ORG_FORMS, PERSON_HEADS,
)
from normalizers.text import clean_text
from normalizers.vocabulary import load, pattern, spelled_form_stems

_DEF = compiled(
    r"\(\s*далее(?:\s+также)?(?:\s+по\s+тексту)?\s*(?:[-–—‑−:]+\s*|\s+)"
    r"(?:(?P<form>[А-ЯЁA-Z]{2,}(?:\s+[А-ЯЁA-Z]{2,}){0,3})\s*(?=«))?[«\"“]?(?P<alias>[^()«»\"“”]{1,60}?)[»\"”]?\s*\)",
    re.IGNORECASE,
)
# `(ИМЦ)`, `(ДО АГТ)`, `(КРИПКиПРО)`: capitals, a linking `и` between two of them allowed
_BARE_ABBR = compiled(
    r"\((?P<alias>[А-ЯЁA-Z](?:[А-ЯЁA-Z0-9-]|и(?=[А-ЯЁ]))+(?:\s[А-ЯЁA-Z](?:[А-ЯЁA-Z0-9-]|и(?=[А-ЯЁ]))*)*)\)")
_ADJ_CASES = compiled(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ой|ей|ую|юю|ых|их|ыми|ими)$")
_SENTENCE_END = compiled(
    r"(?<!\b\w)(?<!\bгг)(?<!\bим)(?<!\bул)(?<!\bдр)[.!?]\s+(?:\d{1,2}(?:\.\d{1,2})*\.\s+)?(?=[А-ЯЁA-Z«\"])"
)  # a numbered item (`… мониторинг. 4. Руководителям …`) starts after its number
_HARD_BOUNDARY = compiled(r"\n\s*\n|\t|\||;|:\s")
_WORD = compiled(r"\S+")


def _window(text: str, end: int) -> str:
    """The clause before a `(далее …)`: back to a sentence end, tab, blank line or `;`."""
    start = max(0, end - PARTIES.definition_window_chars)
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


_REGION_KIND_WORD = compiled(r"^(?:област|кра[яюе]|кра[йм]|округ|республик|район|город)\w*$")
# A legal form written out: `Государственное образовательное учреждение дополнительного
# профессионального образования «…»`, `муниципальное бюджетное учреждение «…»`.
_SPELLED_ORG_FORM = pattern(  # … its region at the end, a parenthesis with it: `Республики Саха (Якутия)`
    r"(?:{})\w*(?:\s+[а-яё]+){0,3}\s+(?:{})\w*(?:\s+(?:[–—-]\s+)?[а-яё]+(?:-[а-яё]+)?){0,7}(?:\s+\([а-яё]+\))?\s*$",
    spelled_form_stems(), load("legal_forms")["spelled"]["nouns"],
    flags=re.I,
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
    while k > 0 and len(words) - k < PARTIES.org_form_lookback_words:
        core = words[k - 1][0]
        if core.endswith((",", ";", ":", ".")) and not is_abbreviation(core.rstrip(".")):
            break
        region_word = bool(_REGION_KIND_WORD.match(core)) and k >= 2 and words[k - 2][0][:1].isupper()
        bracketed = core.startswith("(") and core.endswith(")") and is_abbreviation(core[1:-1])  # `ГОУ ДПО (ПК) С`
        if not (is_abbreviation(core) or all(c in DASHES for c in core) or core[:1].isupper() or region_word
                or bracketed):
            break  # `ГБУ Архангельской области «…»`: a region's name may stand between form and name
        k -= 1
        if core in ORG_FORMS:
            org_at = k
    if org_at is None:
        spelled = _SPELLED_ORG_FORM.search(w[:s])
        if not spelled or w[s:s + 1] not in "«\"“":
            return s, e, False
        # a region's adjective opening the name: `Тамбовскому областному государственному … учреждению`
        return _proper_adjective_start(w, spelled.start()), e, True
    return words[org_at][1], owner_tail_end(w, e, r"[,;:.()]"), True


def _dash_parts_nominative(phrase: str) -> str:
    """Nominative of each part of a dashed name: `автономном округе – Югре` → `… – Югра`."""
    parts = compiled(r"(\s+[—–]\s+)").split(phrase)
    return "".join(p if i % 2 else inflect_phrase(p, "nomn") for i, p in enumerate(parts))


_ON_THE_BASIS = compiled(r"\s+на\s+базе\s+\S", re.I)
_BRANCH_OF = compiled(r"\s*\(\s*филиал\w*\s*\)\s+(?=[а-яё]+\w*\s)", re.I)


def _by_initials(alias: str, w: str, words: list[tuple[str, int, int]], must_end: bool) -> Optional[str]:
    key, prefixes = alias_key(alias), prefix_lengths(alias)
    hit = match_initials([x[0] for x in words], key, must_end, prefixes) if key else None
    if key and hit is None and not must_end:
        hit = initials_any_order([x[0] for x in words], key)
    while hit and (places := _places_start(words, hit)) is not None:
        # `организаций Облученского и Октябрьского муниципальных районов (далее – ОО)`,
        # `организациям Ольского муниципального округа (далее – ОО)`: the initials met the
        # places' names; the phrase is before them
        hit = match_initials([x[0] for x in words[:places]], key, False, prefixes)
    if not hit or _region_lends_letters(key, words, hit, w):
        return None
    s, e = words[hit[0]][1], words[hit[1] - 1][2]
    s, e, org = _extend_org(w, s, e)
    if not org:  # `Управлению образования Администрации города Воткинска (далее – УО)`
        s = _proper_adjective_start(w, _form_adjectives_start(w, s, e))
        e = owner_tail_end(w, e, r"[,;:()«»\"]", body_first=True)
        e = _genitive_tail_end(w, e)
        if _ON_THE_BASIS.match(w, e):  # `службе на базе МАУ ДПО «…» (далее – ММС)`: where it is set up
            e = _clause_end(w, e)
    phrase = w[s:e].strip(" ,")
    name = _org_nominative(phrase) if org else capitalize(inflect_phrase(phrase, "nomn"))
    branch = _BRANCH_OF.match(w, e)  # `институту … (филиалу) федерального … «…» (далее – ТПИ)`: whose branch
    return f"{name} (филиал) {w[branch.end():_clause_end(w, branch.end())].strip(' ,')}" if branch else name


def _clause_end(w: str, start: int) -> int:
    """Where the phrase from `start` ends: the first comma outside quotes (a participle clause
    after it is no part of a name), else the clause's end."""
    quoted = _quote_spans(w)
    return next((i for i in range(start, len(w)) if w[i] == "," and not any(a <= i < b for a, b in quoted)), len(w))


_FORM_ADJECTIVE = pattern(r"^(?:{})[а-яё]+$", spelled_form_stems())
_FORM_NOUN = pattern(r"^(?:{})", load("legal_forms")["spelled"]["nouns"])


def _places_start(words: list[tuple[str, int, int]], hit: tuple[int, int]) -> Optional[int]:
    """Where the matched words turn into the proper names of places (`Облученского и
    Октябрьского` before `муниципальных районов`; `организациям Ольского` before `муниципального
    округа`: from `Ольского`): capitalised adjectives, `и` between them, ending the run with a
    territory noun right after it. None when the run does not end so."""
    after = words[hit[1]][0].lower() if hit[1] < len(words) else ""
    nxt = words[hit[1] + 1][0].lower() if hit[1] + 1 < len(words) else ""
    if not (_REGION_KIND_WORD.match(after) or (after.startswith("муниципальн") and _REGION_KIND_WORD.match(nxt))):
        return None
    k = hit[1]
    while k > hit[0] and (words[k - 1][0][:1].isupper() or words[k - 1][0] == "и"):
        k -= 1
    while k < hit[1] and words[k][0] == "и":
        k += 1
    return k if k < hit[1] else None


def _proper_adjective_start(w: str, s: int) -> int:
    """A capitalised adjective right before a body's name is part of it (`о Западном
    территориальном управлении (далее – ТУ)` → `Западное территориальное управление`)."""
    before = list(_WORD.finditer(w, 0, s))
    first = w[s:].split()[:1]
    if not before or not first:
        return s
    word = before[-1].group(0)
    if not word[:1].isupper() or not word[1:].islower():
        return s
    return before[-1].start() if agrees(word, first[0]) else s


def _form_adjectives_start(w: str, s: int, e: int) -> int:
    """The initials may leave out the adjectives of ownership or funding that open the name
    of institutions: `муниципальным общеобразовательным учреждениям (далее – ОУ)` defines
    `Муниципальные общеобразовательные учреждения`. Up to two such words right before w[s:],
    each agreeing in case and number with the phrase's first word, are taken in when the
    phrase ends in an institution noun (учреждения, организации); any other word is not
    (`помощи общеобразовательным организациям (далее – ОО)`), nor before anything else
    (`муниципальной Дорожной карты (далее – ДК)` defines `Дорожная карта`)."""
    first = w[s:e].split()[:1]
    if not first or not _FORM_NOUN.match(w[s:e].split()[-1].lower()):
        return s
    before = list(_WORD.finditer(w, 0, s))
    for m in reversed(before[-2:]):
        word = m.group(0)
        if not _FORM_ADJECTIVE.match(word) or not agrees(word, first[0]):
            break
        s = m.start()
    return s


def _org_nominative(phrase: str) -> str:
    """An organisation's name with its legal form spelled out is put in the nominative like any
    phrase (`Государственному автономному учреждению … «Институт …»` → `Государственное
    автономное учреждение …`); one that opens with the form's abbreviation (`ГАУ ДПО «…»`) or
    a quote stays as printed."""
    return capitalize(inflect_phrase(phrase, "nomn")) if phrase[:1].isalpha() else phrase


def _genitive_tail_end(w: str, e: int) -> int:
    """The initials may spell only the start of the phrase the definition closes: `школам с
    низкими образовательными результатами обучения (далее – ШНОР)`, `… мастерства педагогических
    работников (далее – ЦНППМ)`. Up to two lower-case words left before it, each a dictionary
    noun or adjective whose likeliest reading is genitive, complete the phrase; a capitalised tail (a territory, an
    owner: see tails.owner_tail_end), a territory noun (`района`) or any other word does not."""
    words = w[e:].split()
    if not words or len(words) > 2:
        return e
    for word in words:
        if not compiled(r"[а-яё]+").fullmatch(word) or _REGION_KIND_WORD.match(word):
            return e  # `организациям района (далее – ОО)`: the territory is not part of the name
        parses = [p for p in parse_word(word) if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
        if not parses or parses[0].tag.case != "gent" or not is_dictionary_word(word):
            return e
    return len(w.rstrip())


def _by_parts(alias: str, w: str, words: list[tuple[str, int, int]]) -> Optional[str]:
    """An alias of two parts each spelled by its own run of words, others between them
    (`Нижнетагильский филиал государственного … учреждения … «Институт развития образования»
    (далее – НТФ ИРО)`: НТФ, then a legal form written out, then ИРО in the quoted name)."""
    parts = alias.split()
    if len(parts) != 2 or not all(is_abbreviation(p) for p in parts):
        return None
    texts = [x[0] for x in words]
    last = match_initials(texts, alias_key(parts[1]))
    first = match_initials(texts[:last[0]], alias_key(parts[0])) if last else None
    if not first or last[0] - first[1] > PARTIES.parts_gap_max_words or not words[first[0]][0][:1].isupper():
        return None
    s, e = words[first[0]][1], words[last[1] - 1][2]
    for qs, qe in _quote_spans(w):
        if qs < e <= qe:
            e = qe
    return capitalize(inflect_phrase(w[s:e].strip(" ,"), "nomn"))


def _by_stem(alias: str, w: str, words: list[tuple[str, int, int]]) -> Optional[str]:
    stem_word = alias.split()[0].lower().replace("ё", "е")
    stem = stem_word[: max(4, len(stem_word) - 2)] if len(stem_word) > 4 else stem_word
    if CONTRACTION.match(stem_word):  # `Минобразования РК` names the `Министерством образования …` before it
        stem = "министерств" if stem_word.startswith("мин") else "департамент"
    for k in range(len(words) - 1, -1, -1):
        text, s, e = words[k]
        if not text.strip("«»\"“”(").lower().replace("ё", "е").startswith(stem):
            continue
        inside = next(((qs, qe) for qs, qe in _quote_spans(w) if qs <= s < qe), None)
        if inside:
            ext_s, ext_e, org = _extend_org(w, inside[0], inside[1])
            if org:  # a legal form names the quoted organisation
                return _org_nominative(w[ext_s:ext_e].strip(" ,"))
            phrase = w[s:inside[1]].strip("«»\"“” ,")
        else:
            ext_s, ext_e, org = _extend_org(w, s, len(w))
            if org:
                return _org_nominative(w[ext_s:ext_e].strip(" ,"))
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
        if tok in ORG_FORMS:
            return " ".join(toks[k:])
    for k in range(len(toks) - 1, -1, -1):  # "… февраль 2022 г. Министерство образования …"
        if toks[k][:1].isupper() and toks[k].lower() in BODY_HEADS and not CONTRACTION.match(toks[k].lower()):
            return " ".join(toks[k:]) if len(toks) - k <= PARTIES.clause_max_words else None
    return None


_ITEM_NUMBER = compiled(r"^\d{1,2}(?:\.\d{1,2})*[.)]?$")


def _after_verb(alias: str, w: str, words: list[tuple[str, int, int]]) -> Optional[str]:
    """Last resort for an initialism: the object after the clause's last verb, when the alias's
    letters are among its word initials, in order (`Рекомендовать органам местного самоуправления
    …, осуществляющим управление … (далее – МОУО)`) or not (`органам управления образованием
    администраций …`: the document defines it so); a region ending it is left out."""
    key = alias_key(alias)
    start = None
    for k, (text, _, _) in enumerate(words):
        low = text.lower().strip(".,;:«»\"()")
        if low and is_dictionary_word(low) and parse_word(low)[0].tag.POS in ("VERB", "INFN"):
            start = k + 1
    if start is None:
        start = 0  # a numbered item whose verb follows: `4. Руководителям органов … (далее – МОУО), обеспечить`
    while start < len(words) and _ITEM_NUMBER.match(words[start][0]):
        start += 1  # `5.1. органам …`: the item's number is no word of the phrase
    if start >= len(words) or len(words) - start > PARTIES.after_verb_max_words or not key:
        return None

    def spelled(first: int) -> bool:
        return letters_in_order(key, [o for text, _, _ in words[first:] for o in word_options(text)[:1]])

    if not spelled(start) and not letters_among(key, [text[:1].lower() for text, _, _ in words[start:]]):
        return None
    # `руководителям муниципальных органов …`: the people addressed are not the body named
    head = words[start][0].lower().strip(".,")
    if start + 1 < len(words) and any(p.normal_form in PERSON_HEADS for p in parse_word(head)) \
            and not key.startswith(head[:1].upper()) and spelled(start + 1):
        start += 1
    phrase = _without_region_end(w[words[start][1]:].strip(" ,"))
    return capitalize(inflect_phrase(phrase, "nomn"))


def _without_region_end(phrase: str) -> str:
    """The phrase without a region (a subject) ending it, as the spec has a territory ending the
    defined words (`… муниципальных районов и городских округов Калужской области`)."""
    regions = find_region_matches(phrase)
    last = regions[-1] if regions else None
    if last and last.start > 0 and last.end >= len(phrase.rstrip(" .,")):
        return phrase[:last.start].rstrip(" ,")
    return phrase


def _institutions_before(alias: str, w: str) -> Optional[str]:
    """Last resort for an initialism its words do not spell: institutions named right before it
    (`в муниципальных бюджетных общеобразовательных учреждениях города Димитровграда (далее –
    ОО)` → `Муниципальные бюджетные общеобразовательные учреждения`), when the word before the
    institution noun starts with the alias's first letter (Ш: schools are what
    `общеобразовательные` institutions are); a territory after them is left out, the adjectives
    of ownership or funding before them taken in, and a participle clause after them kept when
    its words spell the rest of the alias (`общеобразовательных организаций, имеющих низкие
    образовательные результаты (далее – ШНОР)`)."""
    words = list(_WORD.finditer(w))
    k = len(words)
    while k > 0 and not _FORM_NOUN.match(words[k - 1].group(0).lower()):
        k -= 1
    if k < 2:
        return None
    noun, adjective = words[k - 1], words[k - 2]
    end = noun.end()
    tail = (", " if noun.group(0).endswith(",") else "") + w[noun.end():].strip()
    place, _, clause = tail.partition(",")
    if tail and names_territory(tail):
        pass  # the territory is left out
    elif tail and spells_in_clause(alias[1:], tail):
        end = len(w.rstrip(" ,"))
    elif tail and spells_in_attribute(alias[1:], tail):
        end = len(w.rstrip(" ,"))  # `организациях с низкими образовательными результатами (далее – ШНОР)`
    elif place.strip() and names_territory(place.strip()) and spells_in_clause(alias[1:], "," + clause):
        end = len(w.rstrip(" ,"))  # `… организаций Ненецкого автономного округа, показавших …`: inside the phrase
    elif tail:
        return None  # other words after the institutions: not their name
    first = adjective.group(0).lower()
    school = alias[:1] == "Ш" and first.startswith("общеобразовательн")
    if not (first.startswith(alias[:1].lower()) or school) or not any(
            p.tag.POS == "ADJF" for p in parse_word(first)):
        return None
    s = _form_adjectives_start(w, adjective.start(), noun.end())
    return capitalize(inflect_phrase(w[s:end].strip(" ,"), "nomn"))  # `организации, имеющие …`


def _schools_before(alias: str, w: str) -> Optional[str]:
    """`в школах, показывающих низкие образовательные результаты (далее – ШНОР)`: schools, then
    a participle clause or an attribute with `с` whose words spell the rest of the alias."""
    found = [m for m in _WORD.finditer(w) if compiled(r"школ").match(m.group(0).lower())]
    if alias[:1] != "Ш" or not found:
        return None
    noun = found[-1]
    tail = ("," if noun.group(0).endswith(",") else "") + w[noun.end():].rstrip(" ,")
    if not (spells_in_clause(alias[1:], tail) or spells_in_attribute(alias[1:], tail.lstrip(" ,"))):
        return None
    return capitalize(inflect_phrase(w[noun.start():].strip(" ,"), "nomn"))


def _region_lends_letters(key: str, words: list[tuple[str, int, int]], hit: tuple[int, int], w: str) -> bool:
    """`органам местного самоуправления муниципальных образований Ульяновской области,
    осуществляющим управление в сфере образования (далее – МОУО)`: the initials met the region's
    name (У, О) where the participle clause after it spells those letters; the clause is the
    phrase's, the region is not the body's (the object after the verb is defined then)."""
    last = words[hit[1] - 1]
    start, end = words[hit[0]][1], last[1] + len(last[0].rstrip(",;:."))
    region = next((m for m in find_region_matches(w[start:end]) if start + m.end == end), None)
    if region is None:
        return False
    lent = sum(1 for _, s, _ in words[hit[0]:hit[1]] if s >= start + region.start)
    return 0 < lent < len(key) and spells_in_clause(key[-lent:], w[end:])


def _define_one(alias: str, w: str, bare: bool = False) -> Optional[str]:
    """The phrase `alias` stands for in the clause `w` before it (None when not found)."""
    w = w.rstrip()
    if not w.strip():
        return None
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(w)]
    first = alias.split()[0].strip(".")
    if is_abbreviation(first) or (is_mixed_abbreviation(first) and not bare):
        if bare:
            return _by_initials(alias, w, words, must_end=True)
        return (_by_initials(alias, w, words, must_end=False) or _by_parts(alias, w, words) or _by_clause(w)
                or _institutions_before(alias, w) or _schools_before(alias, w) or _after_verb(alias, w, words))
    if bare:
        return None
    return (by_noun_and_letters(alias, w) or _by_stem(alias, w, words) or _by_clause(w)
            or _by_common_word(alias, words))


def _by_common_word(alias: str, words: list[tuple[str, int, int]]) -> Optional[str]:
    """A plural common noun standing for the plural noun phrase the clause ends with
    (`общеобразовательных организациях городского округа «Охинский», вошедших в проект (далее –
    школы)` → `Общеобразовательные организации`): a participle clause after it and the territory
    it names are no part of it (spec), the phrase is put in the nominative."""
    if " " in alias or not alias[:1].islower() or not any(
            (p.tag.POS, p.tag.case, p.tag.number) == ("NOUN", "nomn", "plur") for p in parse_word(alias)):
        return None
    texts = [text.lower().strip(",.;«»\"") for text, _, _ in words]
    end = len(words)
    # `…, вошедших в проект`, `…, включенным в перечень участников проекта в 2021 году`
    for k in range(len(words) - 2, max(-1, len(words) - 12), -1):
        if words[k][0].endswith(",") and any(p.tag.POS == "PRTF" for p in parse_word(texts[k + 1])[:1]):
            end = k + 1
            break
    for k in range(end - 1, max(-1, end - 7), -1):
        best = parse_word(texts[k])[:1]
        if best and best[0].tag.POS == "NOUN" and best[0].tag.number == "plur" and "Geox" not in best[0].tag:
            start = k
            while start > 0 and agrees(texts[start - 1], texts[k]):
                start -= 1
            return capitalize(inflect_phrase(" ".join(texts[start:k + 1]), "nomn"))
    return None


_NESTED_NAME_END = compiled(r"«(?P<outer>[^«»]+)«(?P<inner>[^«»]+)»+\s*$")


def _named_inside(form: str, name: str, w: str) -> Optional[str]:
    """`ЦПК «Эксперт»` defined after `учреждению … «Центр повышения квалификации «Эксперт»`: a
    name quoted inside a quoted name whose words the abbreviation spells — the whole
    organisation, its legal form too. None when the words do not spell it."""
    m = _NESTED_NAME_END.search(w)
    if not m or m.group("inner").strip() != name:
        return None
    initials = [o for word in m.group("outer").split() for o in word_options(word)[:1] if o]
    if not letters_in_order(alias_key(form), initials):
        return None
    s, e, org = _extend_org(w, m.start(), len(w))
    return _org_nominative(w[s:e].strip(" ,")) if org else None


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
    # `(далее – МКУ «ЦМИС»)`: the quoted name is defined, and the alias as printed stands for it too
    candidates = [(m.start(), m.group("alias"), False, m.group("form")) for m in _DEF.finditer(text)]
    candidates += [(m.start(), m.group("alias"), True, None) for m in _BARE_ABBR.finditer(text)]
    for start, alias, bare, form in sorted(candidates):
        alias = clean_text(alias).strip(" .,")
        if not alias or alias in found or not any(c.isalpha() for c in alias):
            continue
        if form and not bare and not all(is_abbreviation(t) for t in alias.split()):
            named = _named_inside(" ".join(form.split()), alias, clean_text(_window(text, start)))
            if named:  # `… «Центр повышения квалификации «Эксперт» (далее – ЦПК «Эксперт»)`
                found.setdefault(f"{' '.join(form.split())} «{alias}»", named)
            continue
        if (bare or form) and not all(is_abbreviation(t) for t in alias.split()):
            continue
        full = _define_one(alias, clean_text(_window(text, start)), bare)
        if full:
            full = clean_text(full)
            if full and full.lower() != alias.lower():
                found[alias] = full
                if form:
                    found.setdefault(f"{' '.join(form.split())} «{alias}»", full)
    for alias, full in glossary.items():
        found.setdefault(alias, full)
    return found


_GLOSSARY_HEADING = compiled(r"сокращени\w*\s*:?", re.I)  # `Список (используемых) сокращений:`
_GLOSSARY_ENTRY = compiled(
    r"^(?P<alias>[А-ЯЁA-Z][А-ЯЁA-Zа-яё0-9]*(?:\s+(?:и\s+)?[А-ЯЁA-Z][А-ЯЁA-Zа-яё0-9]*){0,3})\s+[–—-]\s+(?P<full>\S.*)$",
    re.S,
)


# A note line of its own defining one abbreviation: `(ИПКРО – ТОГОАУ ДПО «Институт …»)`.
_NOTE_ENTRY = compiled(r"^[ \t]*\((?P<entry>[А-ЯЁA-Z][^()\n]{3,300})\)[ \t.]*$", re.M)


def glossary_definitions(text: str) -> dict[str, str]:
    """A list of abbreviations printed as such (`Список сокращений:` then `ИРОСТ – ГАОУ ДПО
    «Институт …»;` …), before or after the roadmap: entries run until one does not read
    `ABBR – expansion`, the list's final period or a blank line. Also a line that is one such
    entry in parentheses (a note under a title or a table)."""
    found: dict[str, str] = {}
    for note in _NOTE_ENTRY.finditer(text):
        m = _GLOSSARY_ENTRY.match(note.group("entry").strip())
        alias = " ".join(m.group("alias").split()) if m else ""
        if m and sum(c.isupper() for c in alias) >= 2 and len(alias) <= PARTIES.glossary_alias_max_chars:
            found.setdefault(alias, capitalize(" ".join(m.group("full").split()).rstrip(" .;")))
    for heading in _GLOSSARY_HEADING.finditer(text):
        rest = text[heading.end():heading.end() + PARTIES.glossary_span_chars]
        rest = compiled(r"\n\s*\n|\.\s*\n|\.\s*$").split(rest, 1)[0]
        for entry in compiled(r";").split(rest):
            m = _GLOSSARY_ENTRY.match(entry.strip())
            if not m:
                if found:
                    break
                continue
            alias = " ".join(m.group("alias").split())
            if sum(c.isupper() for c in alias) < 2 or len(alias) > PARTIES.glossary_alias_max_chars:
                continue
            full = _entry_words(alias, " ".join(m.group("full").split()).rstrip(" ."))
            if full:
                found.setdefault(alias, capitalize(full))
    return found


def _entry_words(alias: str, full: str) -> str:
    """What a glossary entry defines: without a participle clause after the words the initials
    spell (`ОО – общеобразовательные организации, участвующие …`), and without where they are
    (`… организации Челябинской области, показывающие …`)."""
    head, _, clause = full.partition(", ")
    words = head.split()
    cut = next((j for j in range(1, len(words)) if names_territory(" ".join(words[j:]))), len(words))
    if clause and match_initials(words[:cut], alias_key(alias), True) and any(
            p.tag.POS == "PRTF" for p in parse_word(clause.split()[0].lower())):
        return " ".join(words[:cut])
    return full


def glossary_table(rows: Iterable[Sequence[Optional[str]]]) -> dict[str, str]:
    """A list of abbreviations printed as a two-column table (`Сокращение | Полное наименование`
    / `ПК ИРО | Государственное автономное учреждение …`): each row of an abbreviation and the
    words it stands for, read as a printed list's entry; a table with fewer than two such rows
    is no glossary."""
    found: dict[str, str] = {}
    for row in rows:
        cells = [" ".join(c.split()) for c in row if c and c.strip()]
        if len(cells) != 2 or len(cells[0]) > PARTIES.glossary_alias_max_chars:
            continue
        alias, full = cells[0], cells[1].rstrip(" .;")
        if all(is_abbreviation(w) for w in alias.split()) and compiled(r"[а-яё]").search(full) and len(full.split()) >= 2:
            found.setdefault(alias, capitalize(_entry_words(alias, full)))
    return found if len(found) >= 2 else {}

