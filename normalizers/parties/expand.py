"""Canonical party names: remarks dropped, abbreviations expanded from the document's
definitions, the issuer or the common list, region initials spelled out."""
from __future__ import annotations

import re
from typing import Optional

from language.inflection import inflect_phrase
from language.morphology import parse_word
from language.patterns import compiled
from language.words import capitalize, is_abbreviation
from normalizers.parties.tokens import Group, Tok
from normalizers.parties.words import (
    AUTHORITY_ABBRS, BODY_HEADS, DASHES, EXPANSIONS, LEVEL_ADJ, NON_GENITIVE_PREPOSITIONS, ORG_FORMS,
    PERSON_NAME, REGION_INITIALS_SKIP, REMARK_OPENERS, ROLE_NOUN, STOPWORDS,
)
from normalizers.vocabulary import fill


def region_initials(region_name: str) -> str:
    """`Тюменская область` → `ТО`, `Ханты-Мансийский автономный округ — Югра` → `ХМАО`."""
    main = compiled(r"\s[—–-]\s").split(region_name.strip())[0]
    parts = compiled(r"[\s\-]+").split(main)
    return "".join(p[0].upper() for p in parts if p and p.lower() not in REGION_INITIALS_SKIP)


def region_genitive(region_name: str) -> str:
    """`Тюменская область` → `Тюменской области` (head phrase only: `Республики Татарстан`;
    each part of a dashed name: `…автономного округа — Югры`)."""
    parts = compiled(r"\s+[—–-]\s+").split(region_name.strip())
    return " — ".join(inflect_phrase(p, "gent") for p in parts)


_REMARK = compiled(
    r"^\(\s*(?:(?i:" + fill("{}", REMARK_OPENERS) + ")"
    r"|(?:[а-яё][а-яё-]*\s+){0,4}" + PERSON_NAME +  # `(Петрова А.А.)`, `(директор Федорова Н.Г.)`
    r"|[А-ЯЁA-Z]{2,}[А-ЯЁA-Z0-9 -]*\)$)"
)


def _is_remark(paren: str) -> bool:
    """`(по согласованию)`, `(далее – РЦ)`, `(Е.А.Юферова)`, `(директор Федорова Н.Г.)`, `(ИМЦ)`
    are remarks, not part of a name; other parentheses qualify it (`(федеральный уровень)`) and
    stay."""
    return bool(_REMARK.match(paren))


def _initials(text: str) -> str:
    return "".join(
        p[0] for w in text.replace("«", " ").replace("»", " ").split()
        if w.lower() not in STOPWORDS and not all(c in DASHES for c in w)
        for p in re.split(r"[%s]" % DASHES, w) if p and p[0].isalpha()
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
    full = [w for w in full if w and w not in STOPWORDS]
    mine = [w.lower().strip("«»\"(),.") for w in words]
    mine = [w for w in mine if w and w not in STOPWORDS]
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
    if use_common and abbr in EXPANSIONS:
        return EXPANSIONS[abbr]["name"]
    return None


def _is_determiner(word: str) -> bool:
    """`все`, `каждый`: a pronoun-like adjective in the nominative, which the abbreviation after
    it agrees with (`все МОО` → `все муниципальные общеобразовательные организации`), not a noun
    it is the genitive complement of (`руководители МОО`; `всех МОО` is genitive already)."""
    return any(p.tag.POS == "ADJF" and "Apro" in p.tag and "nomn" in p.tag for p in parse_word(word))


def _name_with(content: list[Tok], definitions: dict[str, str], region_name: Optional[str],
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
    if len(content) == 2 and content[0].text in ORG_FORMS and content[1].kind == "quote":
        inner = content[1].text.strip("«»\"“”„")
        full = _expand_token(inner, definitions, None, use_common)
        if full:
            return full if full.startswith(content[0].text) else f"{content[0].text} «{full}»"
    # authority abbreviation + region initials: "ДОН ТО" + Тюменская область
    if content[0].kind == "caps" and content[0].text in AUTHORITY_ABBRS and len(content) >= 2 \
            and content[1].kind == "caps" and len(content[1].text) <= 4:
        base = _expand_token(content[0].text, definitions, None, True)
        if base and region_name and region_initials(region_name) == content[1].text.upper():
            return capitalize(" ".join([base, region_genitive(region_name)] + texts[2:]))
        if base and use_common:
            return capitalize(" ".join([base] + texts[1:]))
    if len(content) >= 2 and content[0].kind == "word" and LEVEL_ADJ.match(content[0].low) \
            and content[1].kind == "word" and ROLE_NOUN.match(content[1].low) and content[1].text.istitle():
        texts[1] = content[1].text.lower()  # "Региональный Координатор" (a wrap) → "…координатор"
    out: list[str] = []
    starts_with_org = content[0].text in ORG_FORMS
    for k, t in enumerate(content):
        declined = _alias_in_genitive(t, definitions) if k > 0 and t.kind == "word" else None
        if declined:  # `директора школ`, `(далее – школы)`: the defined phrase in the alias's case
            out.append(declined)
            continue
        full = None
        if t.kind in ("caps", "unit") and k > 0 and not starts_with_org \
                and content[k - 1].text not in ORG_FORMS \
                and content[k - 1].low not in NON_GENITIVE_PREPOSITIONS \
                and not (t.text in AUTHORITY_ABBRS and k + 1 < len(content) and content[k + 1].kind == "caps"):
            full = _expand_token(t.text, definitions, issuer, use_common)
        if full:
            first = full.split()[0]
            plain = compiled(r"^[А-ЯЁ][а-яё]").match(full) and first not in ORG_FORMS and not is_abbreviation(first)
            if plain and _is_determiner(content[k - 1].low):  # `все МОО`: all of them, not of something
                out.append(full[0].lower() + full[1:])
            else:
                out.append(inflect_phrase(full[0].lower() + full[1:], "gent", "nomn") if plain else full)
        else:
            out.append(texts[k])
    name = compiled(r"\s+([,;])").sub(r"\1", " ".join(out))
    return capitalize(name.strip(" ,;"))


def _alias_in_genitive(t: Tok, definitions: dict[str, str]) -> Optional[str]:
    """A plural word alias the document defined in the nominative (`(далее – школы)`: bodies of
    one kind), printed here in the genitive after its noun (`директора школ`): the defined phrase
    in the genitive. A singular one (`(далее – проект)`) names no party and stays as printed."""
    if not t.text[:1].islower() or t.text in definitions:
        return None
    readings = [p for p in parse_word(t.low) if p.tag.POS == "NOUN" and p.tag.case == "gent"]
    for alias, full in definitions.items():
        if " " in alias or not alias[:1].islower() or not full[:1].isupper():
            continue
        for reading in parse_word(alias):
            if (reading.tag.POS, reading.tag.case, reading.tag.number) == ("NOUN", "nomn", "plur") and any(
                    p.normal_form == reading.normal_form and p.tag.number == "plur" for p in readings):
                return inflect_phrase(full[0].lower() + full[1:], "gent", "nomn")
    return None


def party_names(group: Group, definitions: dict[str, str], region_name: Optional[str],
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


def printed_name(group: Group) -> str:
    """The party's words as printed, remarks (`(по согласованию)`) left out and nothing
    expanded: the name of a person given with a post (`Лебедев А.С., директор ГЦРО`), whose
    post names a body the way the document does."""
    return " ".join(t.text for t in group.toks if not (t.kind == "paren" and _is_remark(t.text)))


def _same_head(word: str, issuer: str) -> bool:
    """`Департамент` and `Департамент образования Ивановской области` share their head."""
    w = word.lower()
    first = issuer.split()[0].lower() if issuer.split() else ""
    return len(w) >= 5 and w in BODY_HEADS and first.startswith(w[:-1])
