"""The schema `kind` of a party name; see `classify_party` for the rule order."""
from __future__ import annotations

from typing import Callable, Optional

from language.inflection import inflect_phrase
from language.words import capitalize, is_abbreviation
from normalizers.parties.tokens import Group
from normalizers.parties.words import EXPANSIONS, ORG_FORMS, SCHOOL_FORMS
from normalizers.text import clean_text
from normalizers.vocabulary import KindRule, party_kind_rules


def classify_party(name: str, issuer_level: Optional[str] = None) -> str:
    """The schema `kind` of a canonical party name. Rule order (first match wins):

    curator heads (кураторы, наставники, тьюторы, консультанты) → person groups (директора,
    руководители, методисты, члены, команды …) take the kind of what follows them
    (`руководители МОУО` → municipal, `методисты ГБУ ДПО «… ресурсный центр»` → regional
    operator, `члены окружных УМО` → other; with nothing after them: методисты → curator,
    school staff words → school, others → other) → school words at the start (школы…, ОО,
    образовательные организации, named schools МБОУ/ГБОУ/СОШ) → federal (ФИОКО,
    Рособрнадзор, Минпросвещения, федеральный оператор) → municipal (муниципальный …,
    МОУО, администрация города, ИМЦ, МАУ/МБУ) → a body's unit named by its subject (отдел
    оценки качества образования, no organisation named: as authorities below) → regional operator (региональный
    оператор/координатор, institutes, universities, ДПО, assessment and resource centres)
    → authorities (департамент, министерство, управление …): regional when a region is
    named, otherwise by `issuer_level` (municipal → municipal, else regional_authority)
    → anything mentioning schools → operator-like abbreviations (…ИРО, ИПК, ЦОКО) → other.
    The rules and their words are data (data/party_kinds.json); the tests they name are here.
    """
    n = clean_text(name)
    if not n:
        return "other"
    first = n.split()[0].strip("«»\"")
    for rule in party_kind_rules():
        kind = _TESTS[rule.test](rule, n, first, issuer_level)
        if kind is not None:
            return kind
    return "other"


def post_body_kind(post: str, issuer_level: Optional[str] = None) -> Optional[str]:
    """The kind of the body a person's post names (`директор МУ ДПО «…»` → municipal,
    `заместитель директора ГБУ «ИРО»` → regional_operator), or None when the post names none
    (`методист`, `заместитель директора`): a person takes the kind of the body they serve."""
    rest = clean_text(post).strip(" ,")
    heads = [rule.regex for rule in party_kind_rules() if rule.test == "person_group"]
    while rest:
        m = next((found for regex in heads if (found := regex.match(rest))), None)
        if not m or not m.group(0).strip():
            break
        rest = rest[m.end():].strip(" .-–—,")
    if not rest or rest == clean_text(post).strip(" ,"):
        return None
    kind = classify_party(rest, issuer_level)
    return kind if kind != "other" else None


def _match(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    return rule.kind if rule.regex.match(n) else None


def _search(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    if "unless" in rule.lists and rule.lists["unless"].search(n):
        return None
    return rule.kind if rule.regex.search(n) or first in rule.first_words else None


def _person_group(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    """`руководители МОУО` → municipal: a person group takes the kind of what follows it."""
    m = rule.regex.match(n)
    if not m:
        return None
    rest = n[m.end():].strip(" .-–—,")  # `зам. директора`: the abbreviation's dot
    sub = classify_party(rest, issuer_level) if rest else "other"
    if sub != "other":
        return "school" if sub == "curator" else sub
    nominative = inflect_phrase(m.group(0), "nomn")  # `(члены) муниципальной команды`: as `муниципальная команда`
    if nominative != m.group(0) and (kind := classify_party(nominative, issuer_level)) != "other":
        return kind
    return next((kind for kind, words in rule.alone if words.search(m.group(0))), "other")


def _school(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    # `ГАОУ ДПО «… институт развития образования»`, `Государственное образовательное учреждение
    # дополнительного профессионального образования «… институт …»`: an institute, not a school
    adult_education = rule.lists["adult_education"].search(n)
    if (rule.regex.match(n) or first in SCHOOL_FORMS) and not adult_education \
            or (first in ORG_FORMS and rule.lists["named_school"].search(n) and not first.startswith(rule.prefix)):
        return rule.kind
    return None


def _authority(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    if not rule.regex.search(n):
        return None
    return _authority_kind(rule, n, issuer_level)


def _unit(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    """`отдел оценки качества образования`: a body's unit named by its subject is the body's,
    not the operator its subject words suggest — unless it names an organisation it belongs to."""
    if not rule.regex.match(n) or rule.lists["organisation"].search(n):
        return None
    return _authority_kind(rule, n, issuer_level)


def _authority_kind(rule: KindRule, n: str, issuer_level: Optional[str]) -> str:
    if rule.lists["region_named"].search(n):
        return "regional_authority"
    return "municipal" if issuer_level == "municipal" else "regional_authority"


def _expansion(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    return EXPANSIONS[first]["kind"] if first in EXPANSIONS else None


def _abbreviation(rule: KindRule, n: str, first: str, issuer_level: Optional[str]) -> Optional[str]:
    return rule.kind if is_abbreviation(first) and rule.regex.search(first) else None


_TESTS: dict[str, Callable[[KindRule, str, str, Optional[str]], Optional[str]]] = {
    "match": _match, "search": _search, "person_group": _person_group, "school": _school,
    "authority": _authority, "unit": _unit, "expansion": _expansion, "abbreviation": _abbreviation,
}


def kind_of(group: Group, full_name: str, issuer_level: Optional[str]) -> str:
    toks = [t for t in group.toks if t.kind != "paren"]
    if len(toks) == 1 and toks[0].text in EXPANSIONS \
            and full_name == capitalize(EXPANSIONS[toks[0].text]["name"]):
        return EXPANSIONS[toks[0].text]["kind"]
    return classify_party(full_name, issuer_level)
