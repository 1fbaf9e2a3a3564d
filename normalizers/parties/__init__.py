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
dash (`Команды школ – участники проекта`). Newlines inside a cell are only wraps, but in a few
line-shaped lists: an abbreviation or a defined short name alone on a line after a person's post
or another short name, curators alone above an organisation (`_end_posts_before_lone_abbreviations`,
`_end_lines_before_aliases`).

`name` is canonical: parenthetical remarks dropped, abbreviations expanded from the
document's own `(далее – X)` definitions (see `find_definitions`) or the common list in
data/abbreviations.json, `<authority abbr> <region initials>` expanded with the region's
name (`ДОН ТО` + Тюменская область → `Департамент образования и науки Тюменской
области`), an abbreviation inside a phrase expanded in the genitive (`руководители МОУО` →
`Руководители муниципальных органов управления образованием`).

`kind` follows the schema; see `classify_party` (rules in data/party_kinds.json).

Modules: `split` cuts a cell into parties, `definitions` finds a document's own
abbreviations, `expand` gives each party its canonical name, `classify` its kind; `words`
holds the vocabulary they share and `settings` the tunables (`PartySettings`).
"""
from __future__ import annotations

import re
from typing import Optional

from language.inflection import inflect_phrase
from language.morphology import get_morph, is_dictionary_word, parse_word
from language.patterns import compiled
from language.words import capitalize, is_abbreviation
from normalizers.parties.classify import classify_party, kind_of, post_body_kind
from normalizers.parties.definitions import find_definitions, glossary_definitions, glossary_table
from normalizers.parties.footnotes import with_marks, without_marks
from normalizers.parties.expand import party_names, printed_name, region_genitive, region_initials
from normalizers.parties.mixed_aliases import alias_case_forms
from normalizers.parties.settings import PARTIES
from normalizers.parties.split import (
    NAME_AND_POST, merge_continuations, one_person, plural, split_juxtaposed, split_named_lines, split_top,
    strip_tail,
)
from normalizers.parties.tokens import Group, tokenize
from normalizers.parties.words import BODY_HEADS, ORG_FORMS, PERSON_HEADS, PERSON_NAME
from normalizers.text import clean_text
from schema import Party

__all__ = [
    "classify_party", "find_definitions", "glossary_definitions", "glossary_table", "parse_parties",
    "region_genitive", "region_initials",
]

# `методист ТУ Гольдман Р.С.`: a post, then the person holding it
_POST_AND_NAME = compiled(rf"^[а-яё][^,;]*\s(?P<name>{PERSON_NAME})$")

_VERB_ENDING = compiled(r"(?:л|ла|ло|ли|ет|ют|ит|ат|ят|ем|им|ешь|ишь|ете|ите|ся|сь|ть|ти|й|те)$")


def _is_sentence(piece: str) -> bool:
    """A cell that reads as a sentence (has a finite verb) is not a list of parties."""
    morph = get_morph()
    if not morph:
        return False
    for word in compiled(r"[А-ЯЁа-яё]+").findall(piece):
        w = word.lower()
        if not _VERB_ENDING.search(w) or is_abbreviation(word) or w in PERSON_HEADS or w in BODY_HEADS \
                or not is_dictionary_word(w):
            continue
        p = parse_word(w)[0]
        if p.tag.POS == "VERB" and p.score >= PARTIES.sentence_verb_score:
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


# Teaching ranks of higher and further education: a person holding one serves a university or an institute
TEACHING_RANKS = ("доцент", "профессор", "старший преподаватель", "заведующий кафедрой", "зав. кафедрой")
_POST_SEPARATOR = compiled(r",|\s[–—-]\s")
# A label the cell prints before its other executors (`министерство` / `соисполнители:` / `НИРО`):
# no party, a separator
_ROLE_LABEL = compiled(r"(?:^|(?<=[\n;,]))\s*(?:ответственн\w*\s+)?(?:(?:со)?исполнител\w*|ответственн\w*|"
                       r"при\s+участии|с\s+участием|участник\w*)\s*:\s*", re.I)


def _post_of(named: str) -> str:
    """The post after a person's name: past the comma (`Иванова Т.С., методист`) or the dash
    (`Голубева Е.А. – начальник отдела`)."""
    parts = _POST_SEPARATOR.split(named, maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _name_and_post(toks: list, alias_words: set[str]) -> list[Group]:
    """`Лебедева О.Н., муниципальный координатор проекта` is one party, the post kept whole with
    the name; a party printed after the post without a separator (the next line's `руководители
    МОУ`) is cut off as it would be after any party."""
    # the last comma: posts listed after the name are all the person's (`…, ведущий специалист
    # Комитета, муниципальный координатор проекта`: split_top's merge kept only one person's)
    comma = next((i for i in range(len(toks) - 1, -1, -1) if toks[i].text.endswith(",")), None)
    if comma is None:  # `Голубева Е.А. – начальник отдела`: the post after a dash
        comma = next((i for i, t in enumerate(toks) if t.kind == "dash"), None)
    if comma is None or comma + 1 >= len(toks):
        return [Group(toks)]
    post = split_juxtaposed(toks[comma + 1:], alias_words)
    return [Group(toks[:comma + 1] + post[0].toks)] + post[1:]


# `УО`, `МОУО (по согласованию)`: one abbreviation, a remark after it at most
_LONE_ABBREVIATION = compiled(r"^[А-ЯЁ](?:[А-ЯЁ0-9-]|и(?=[А-ЯЁ]))+(?:\s*\([^()]*\))?$")


def _end_posts_before_lone_abbreviations(cell: str) -> str:
    """A line holding one abbreviation after the lines naming a person and a post of two words
    or more is a party of its own (`Гасанов Р.М., заместитель главы администрации` / `УО`, in a
    PDF the post wrapped over lines as well): the line above it is ended with `;`. A bare
    `директор` / `ГЦРО` is the director of ГЦРО and stays one party."""
    lines = cell.split("\n")
    start = 0  # the first line of the party above: a PDF wraps a person's post over lines
    for i in range(1, len(lines)):
        if lines[i - 1].rstrip().endswith(";"):
            start = i
        line, k = lines[i].strip(), i + 1
        while line.count("(") > line.count(")") and k < len(lines):  # `МОУО (по` / `согласованию)`
            line, k = f"{line} {lines[k].strip()}", k + 1
        if not _LONE_ABBREVIATION.match(line):
            continue
        opener = lines[i - 1].split()[:1]
        if i - 1 > start and opener and opener[0].lower() in PERSON_HEADS and plural(opener[0].lower()):
            continue  # `…, муниципальный координатор` / `руководители` / `МБОУ`: the heads of МБОУ, a group
        above = " ".join(text.strip() for text in lines[start:i])
        post = _post_of(above) if NAME_AND_POST.match(above) else ""
        later = post.split(",")[1:]  # posts after the first: the same person's (`…, региональный координатор`)
        if len(post.split()) >= 2 and ";" not in post and all(
                x.split() and one_person(x.split()[0].lower()) for x in later):  # one party: the person and the posts
            lines[i - 1] = lines[i - 1].rstrip() + ";"
            start = i
    return "\n".join(lines)


_CURATORS_LINE = compiled(r"^(?:куратор|наставник|тьютор)\w*[,;]?$", re.I)


def _end_lines_before_aliases(cell: str, definitions: dict[str, str]) -> str:
    """Short names the document defined, one per line (`ТУ` / `департамент`), are parties of their
    own: the line above such a line, itself a short name or an abbreviation, is ended with `;`
    (a post above one, `директор` / `ГЦРО`, still takes it as its complement), as is a defined
    short name above a line opening with a body (`Управление` / `Отдел общего образования`), and
    curators alone on a line above an organisation's legal form or short name (`кураторы` / `ОГКУ
    «…»`, `кураторы` / `РЦОКО`: they are not its curators, as `Методисты ГБУ ДПО СО «…»` on one
    line are its methodists)."""
    aliases = {k.lower() for k in definitions}
    lines = cell.split("\n")
    for i in range(1, len(lines)):
        above, line = lines[i - 1].strip(), lines[i].strip()
        short = above.lower() in aliases or bool(_LONE_ABBREVIATION.match(above))
        first = line.split()[0] if line.split() else ""
        body_line = first[:1].isupper() and first.lower() in BODY_HEADS  # `Управление` / `Отдел общего …`
        curators = bool(_CURATORS_LINE.match(above)) and (first in ORG_FORMS or line.lower() in aliases)
        if (line.lower() in aliases and short) or (above.lower() in aliases and body_line) or curators:
            lines[i - 1] = lines[i - 1].rstrip() + ";"
    return "\n".join(lines)


def _parse_parties(cell, definitions, region_name, issuer_level, issuer, expand_common) -> list[Party]:
    if not cell or not any(c.isalpha() for c in cell):
        return []
    printed, cell = cell, without_marks(cell)
    if cell != printed:
        return with_marks(_parse_parties(cell, definitions, region_name, issuer_level, issuer, expand_common), printed)
    cell = _ROLE_LABEL.sub(";", cell)
    defs = dict(definitions or {})
    for k, v in find_definitions(clean_text(cell)).items():
        defs.setdefault(k, v)
    for k, v in list(defs.items()):  # `(далее – отдел общего образования)`, capitalized in a cell
        if k[:1].islower() and " " in k:
            defs.setdefault(k[:1].upper() + k[1:], v)
            for form in alias_case_forms(k):  # `руководители школ НОР` for `(далее – школы НОР)`
                defs.setdefault(form, v)
    unit_keys = sorted((k.split() for k in defs if " " in k), key=len, reverse=True)
    alias_words = {k for k in defs if " " not in k and k[:1].isupper() and not is_abbreviation(k)}
    parties: list[Party] = []
    cell = _SCHOOLS_BY_NUMBER.sub(_each_school, cell)
    # each line opening with a person's name ends the party above first: the party a lone
    # abbreviation's line follows starts there
    cell = _end_lines_before_aliases(_end_posts_before_lone_abbreviations(split_named_lines(cell)), defs)
    for piece, instrumental in merge_continuations(split_top(cell), alias_words):
        sentence = _is_sentence(piece)
        person = None
        if sentence:
            groups = [Group(tokenize(piece, unit_keys))]
        elif NAME_AND_POST.match(piece):
            groups = _name_and_post(tokenize(piece, unit_keys), alias_words)
            person = groups[0]
        else:
            groups = split_juxtaposed(tokenize(piece, unit_keys), alias_words)
        pending_remark = ""
        for g in groups:
            if not g.has_content:
                pending_remark = piece[g.toks[0].start:g.toks[-1].end] + " "
                continue
            raw = strip_tail(pending_remark + piece[g.toks[0].start:g.toks[-1].end])
            pending_remark = ""
            name, full = party_names(g, defs, region_name, issuer, expand_common)
            holder = _POST_AND_NAME.match(raw) if g is not person and not sentence else None
            if holder and raw.split()[0].lower() in PERSON_HEADS:
                # a person named after the post: as printed, the post's body giving the kind
                name = capitalize(printed_name(g))
                post = raw[:holder.start("name")]
                kind = post_body_kind(post, issuer_level) or kind_of(g, full, issuer_level)
                parties.append(Party(raw=raw, name=name.strip(" ,;"), kind=kind))
                continue
            if g is person:
                # a person with a post: named as printed; the expanded post (`директор МУ ДПО
                # «Городской центр …»`) only tells the kind of the body the post belongs to
                name = printed_name(g)
            elif instrumental and is_abbreviation(raw.split()[0]):
                pass  # `совместно с МБОУ «СОШ № 5»`: an abbreviation opening it does not decline
            elif instrumental and name == capitalize(raw):
                # `совместно с органами …, осуществляющими …` → `Органы …, осуществляющие …`
                name = full = capitalize(inflect_phrase(raw[:1].lower() + raw[1:], "nomn"))
            elif instrumental and name.split()[:1] == capitalize(raw).split()[:1]:
                # … with an abbreviation of its tail expanded (`органами управления образованием МО`)
                name = capitalize(inflect_phrase(name[:1].lower() + name[1:], "nomn"))
            name = name.strip(" ,;")
            if not name or not any(c.isalpha() for c in name):
                continue
            if sentence:
                kind = "other"
            elif g is person:
                post = _post_of(full)  # `…, куратор проекта`: a post naming no body, a curator's role
                low = post.strip().lower()
                if low.startswith(TEACHING_RANKS):
                    # a university's or an institute's, whatever its abbreviation and whatever its
                    # chair's name says (`кафедрой управления образованием`)
                    kind = "regional_operator"
                else:
                    kind = post_body_kind(post, issuer_level) or (
                        "curator" if low.startswith(("куратор", "наставник", "тьютор"))
                        else kind_of(g, full, issuer_level))
            else:
                kind = kind_of(g, full, issuer_level)
            body = _PERSON_AND_BODY.match(raw)
            if body and (is_abbreviation(body.group("body")) or body.group("body") in defs):
                # `Семенова Л.В. (УО)`: a person and the body they serve, named as printed, of its kind
                name = f"{body.group('person')} ({body.group('body')})"
                served = Group(tokenize(body.group("body"), unit_keys))
                kind = kind_of(served, party_names(served, defs, region_name, issuer, expand_common)[1], issuer_level)
            parties.append(Party(raw=raw, name=name, kind=kind))
    return parties


_PERSON_AND_BODY = compiled(rf"^(?P<person>{PERSON_NAME})\s*\((?P<body>[^()]+)\)$")


# `МБОУ СОШ № 1, 3, 5`: schools of one kind listed by their numbers, each a party
_SCHOOLS_BY_NUMBER = compiled(r"(?P<kind>(?<![\w«])(?:[А-ЯЁ]{2,}\s+){1,3})№\s*(?P<numbers>\d+(?:(?:\s*,\s*|\s+и\s+)\d+)+)(?![\d«])")


def _each_school(m: re.Match) -> str:
    numbers = compiled(r"\d+").findall(m.group("numbers"))
    return ", ".join(f"{m.group('kind')}№ {number}" for number in numbers)
