"""The parties vocabulary (data/abbreviations.json) and the small word predicates every
parties module shares."""
from __future__ import annotations

import re

from normalizers.vocabulary import load

_DATA = load("abbreviations")
EXPANSIONS: dict[str, dict] = _DATA["expansions"]
AUTHORITY_ABBRS = frozenset(_DATA["authority_abbreviations"])
ORG_FORMS = frozenset(_DATA["org_forms"])
SCHOOL_FORMS = frozenset(_DATA["school_org_forms"])
PERSON_HEADS = frozenset(_DATA["person_heads"])
BODY_HEADS = frozenset(_DATA["body_heads"])
LEVEL_ADJ = re.compile(
    r"^(?:%s)(?:ый|ой|ий|ые|ие|ая|ое|ого|ых)$" % "|".join(_DATA["level_adjective_stems"])
)
ROLE_NOUN = re.compile(r"^(?:%s)" % "|".join(_DATA["role_noun_stems"]))
GENITIVE_PERSONS = frozenset({"директора", "учителя", "руководителя", "заместителя"})
DASHES = "-–—‑−"
NON_GENITIVE_PREPOSITIONS = frozenset({"по", "в", "во", "на", "к", "ко", "о", "об", "при", "через", "за", "под", "над"})

# ---------------------------------------------------------------- small predicates

def norm(word: str) -> str:
    return word.lower().replace("ё", "е").strip(".,;:")


def is_school_word(word: str) -> bool:
    return bool(re.match(r"^школ[аы]?(?:[%s]\w+)?$" % DASHES, norm(word)))


def is_school_genitive(word: str) -> bool:
    return norm(word).startswith("школ")


CONTRACTION = re.compile(r"^(?:мин|деп)(?!истерств|артамент)\w+")  # Минобразования, Депобразования
ADJ_END = re.compile(r"(?:ый|ий|ой|ое|ее|ая|яя|ые|ие)$")
STOPWORDS = frozenset({"и", "в", "во", "с", "со", "по", "на", "для", "о", "об", "от", "при", "к", "из", "за"})
