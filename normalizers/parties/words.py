"""The parties vocabulary (data/abbreviations.json, body_heads.json, legal_forms.json,
function_words.json) and the small word predicates every parties module shares."""
from __future__ import annotations

import re

from language.patterns import compiled
from normalizers.vocabulary import body_heads, load, pattern

_DATA = load("abbreviations")
_LEGAL = load("legal_forms")
_FUNCTION_WORDS = load("function_words")

EXPANSIONS: dict[str, dict] = _DATA["expansions"]
AUTHORITY_ABBRS = frozenset(_DATA["authority_abbreviations"])
# A legal form not listed, built the way they all are: the owner's level letters (К краевое /
# Кировское, О областное, Г государственное, М муниципальное, Ф федеральное, Р республиканское,
# Н негосударственное, Ч частное, О образовательное), the type (А автономное, Б бюджетное, К
# казённое), the kind of education it gives after the type (О общеобразовательное, ПО
# профессиональное образовательное) and У учреждение — `КОГАУ`, `КОГОАУ`, `КАУ`, `КГАОУ`,
# `КГБПОУ`; the region's own initial may open it (`ТОГОАУ`: Тамбовское областное
# государственное образовательное автономное учреждение).
_SPELLED_FORM = compiled(r"^[А-ЯЁ]?[КОГМФРНЧ]{1,4}[АБК](?:П?О)?У$")


class LegalForms(frozenset):
    """Legal-form abbreviations; a listed form with an education level glued on (`ГАУДПО`,
    `МБУДО`) is one too, as senders print them either way."""

    suffixes: tuple[str, ...] = tuple(_LEGAL["glued_suffixes"])

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and (self._bare(token) or any(
            token.endswith(suffix) and self._bare(token[: -len(suffix)]) for suffix in self.suffixes))

    def _bare(self, token: str) -> bool:
        """Listed, or built the way listed forms are (_SPELLED_FORM)."""
        return frozenset.__contains__(self, token) or _SPELLED_FORM.match(token) is not None


ORG_FORMS = LegalForms(_LEGAL["abbreviations"])
SCHOOL_FORMS = frozenset(_LEGAL["school_abbreviations"])
PERSON_HEADS = frozenset(_DATA["person_heads"])
BODY_HEADS = body_heads("party")
LEVEL_ADJ = pattern(r"^(?:{})(?:ый|ой|ий|ые|ие|ая|ое|ого|ых)$", _DATA["level_adjective_stems"])
ROLE_NOUN = pattern(r"^(?:{})", _DATA["role_noun_stems"])
GENITIVE_PERSONS = frozenset(_DATA["genitive_persons"])
NON_GENITIVE_PREPOSITIONS = frozenset(_DATA["non_genitive_prepositions"])
REMARK_OPENERS: list[str] = _DATA["remark_openers"]
REGION_INITIALS_SKIP = frozenset(_DATA["region_initials_skip"])
SCHOOL_MEMBER_NOUNS = frozenset(_DATA["school_member_nouns"])
RELATIVE_PRONOUNS = frozenset(_FUNCTION_WORDS["relative_pronouns"])
STOPWORDS = frozenset(_FUNCTION_WORDS["open_end_words"] + _DATA["initialism_extra_skip_words"])

DASHES = "-–—‑−"
CONTRACTION = compiled(r"^(?:мин|деп)(?!истерств|артамент)\w+")  # Минобразования, Депобразования
ADJ_END = compiled(r"(?:ый|ий|ой|ое|ее|ая|яя|ые|ие)$")


# A named person: `Иванова Т.С.`, `Т.С. Иванова`, or in full, `Иванова Татьяна Сергеевна` (the
# patronymic's ending tells a full name from three capitalised words of a body's name).
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
PERSON_NAME = (
    rf"(?:{_SURNAME}\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.?"
    rf"|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?{_SURNAME}"
    rf"|{_SURNAME}\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:ович|евич|ьич|ич|овна|евна|ична|инична)\b)"
)


def norm(word: str) -> str:
    return word.lower().replace("ё", "е").strip(".,;:")


def is_school_word(word: str) -> bool:
    return bool(re.match(r"^школ[аы]?(?:[%s]\w+)?$" % DASHES, norm(word)))


def is_school_genitive(word: str) -> bool:
    return norm(word).startswith("школ")
