"""People an order lists with their posts (a working group, the project's team: `Ф.И.О. |
Должность | Роль в проекте`), so that an executor named by surname and initials alone
(`Орлова М.С.`) takes the kind of the body the list says the person serves."""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

from language.patterns import compiled
from normalizers.parties.classify import classify_party, post_body_kind
from normalizers.parties.split import one_person
from normalizers.parties.words import PERSON_NAME

_NAME_LABEL = compiled(r"^\s*(?:ф\.?\s*и\.?\s*о\.?|фамилия)", re.I)
_POST_LABEL = compiled(r"должност|роль|место\s+работы|функци", re.I)
_ROLE_LABEL = compiled(r"роль|функци", re.I)
_NAMES_A_BODY = compiled(r"\s(?:[«\"]|[А-ЯЁ]{2,}|[А-ЯЁ][а-яё])")  # past the post's first word: `МБОУ`, `«…»`, `Управления`
_FULL_NAME = compiled(r"^\s*([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+([А-ЯЁ])[а-яё]+\s+([А-ЯЁ])[а-яё]+\s*$")
_SHORT_NAME = compiled(rf"^\s*{PERSON_NAME}\s*$")
_INITIALS_FIRST = compiled(r"^\s*([А-ЯЁ])\.\s?([А-ЯЁ])\.\s?(\S+)\s*$")
_SURNAME_FIRST = compiled(r"^\s*(\S+)\s+([А-ЯЁ])\.\s?([А-ЯЁ])\.?\s*$")

Roster = dict[str, list[tuple[str, bool]]]  # фамилия ИО → (post or role text, whether a role)


def _key(surname: str, first: str, middle: str) -> str:
    return f"{surname.lower().replace('ё', 'е')} {first}{middle}"


def find_roster(tables: Iterable[Sequence[Sequence[Optional[str]]]]) -> Roster:
    """Each listed person (`фамилия ИО`) → the texts of their post and role columns (each with
    whether it is a role), from every
    table whose header names a person column (`Ф.И.О.`) and a post or role column."""
    roster: Roster = {}
    for rows in tables:
        if not rows:
            continue
        header = [c or "" for c in rows[0]]
        name_cols = [i for i, c in enumerate(header) if _NAME_LABEL.match(c)]
        post_cols = [i for i, c in enumerate(header) if _POST_LABEL.search(c)]
        if not name_cols or not post_cols:
            continue
        for row in rows[1:]:
            cell = row[name_cols[0]] if name_cols[0] < len(row) else None
            key = _listed_key(" ".join((cell or "").split()))
            if key is None:
                continue
            texts = [(" ".join((row[i] or "").split()), bool(_ROLE_LABEL.search(header[i])))
                     for i in post_cols if i < len(row) and row[i]]
            roster[key] = [(text, role) for text, role in texts if text]
    return roster


def _listed_key(name: str) -> Optional[str]:
    """A listed person's key: from the full name (`Матвеева Людмила Николаевна`) or, as a list
    may print it, surname and initials (`Матвеева Л.Н.`, `Л.Н. Матвеева`)."""
    m = _FULL_NAME.match(name)
    if m:
        return _key(*m.groups())
    m = _SURNAME_FIRST.match(name)
    if m and m.group(1)[:1].isupper():
        return _key(m.group(1), m.group(2), m.group(3))
    m = _INITIALS_FIRST.match(name)
    return _key(m.group(3), m.group(1), m.group(2)) if m else None


def listed_kind(name: str, roster: Roster, issuer_level: Optional[str] = None,
                definitions: Optional[dict[str, str]] = None) -> Optional[str]:
    """The kind of the body a person named by surname and initials serves: the body their post
    or role in the roster names (the document's abbreviations read as it defines them: `методист
    ИМО`), else what the role, then the post, itself is (`куратор`); None when they are not listed."""
    if not roster or not _SHORT_NAME.match(name):
        return None
    m = _SURNAME_FIRST.match(name)
    if m:
        key = _key(m.group(1), m.group(2), m.group(3))
    else:
        m = _INITIALS_FIRST.match(name)
        if not m:
            return None
        key = _key(m.group(3), m.group(1), m.group(2))
    listed = [(_expanded(text, definitions or {}), role) for text, role in roster.get(key, ())]
    for text, _ in listed:
        kind = post_body_kind(text, issuer_level)
        if kind is not None:
            return kind
    # a post naming its body (`учитель МБОУ «СОШ № 2»`) says it; a role says what a post naming
    # none (`учитель-методист`) leaves open (`куратор проекта`)
    named = [text for text, role in listed if not role and _NAMES_A_BODY.search(text)]
    ordered = named + [text for text, role in listed if role] + [text for text, role in listed if not role]
    return next((kind for text in ordered if (kind := classify_party(text, issuer_level)) != "other"), None)


def _expanded(text: str, definitions: dict[str, str]) -> str:
    return " ".join(definitions.get(word.strip(",;"), word) for word in text.split())


def with_posts(names: str, posts: str) -> str:
    """`ФИО` | `должность` columns under `Ответственные`: each person joined to their post
    (`Гриценко О.П., заместитель начальника …`), one party a line. A post a narrow cell wrapped
    goes on until the next line opening a person's post (`директор`, `муниципальный …`)."""
    people = [line.strip(" ,;") for line in names.splitlines() if line.strip(" ,;")]
    lines = [line.strip(" ,;") for line in posts.splitlines() if line.strip(" ,;")]
    if not people or not lines:
        return names
    joined: list[str] = []
    for line in lines:
        if joined and not one_person(line.split()[0].lower()):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    if len(joined) != len(people):
        return names
    return ";\n".join(f"{person}, {post}" for person, post in zip(people, joined))
