"""How matching reads milestones and plan rows: weighted concepts and lexical scores.

1. A milestone is a list of weighted *concepts*: each keyword is one concept (alternatives
   separated by `|`; a phrase needs all its words), then each title lemma. Lemmas sharing a
   stem (анкета / анкетирование) are one concept. A concept weighs by its rarity among the
   timeline's milestones ("экспертиза" far more than "документ"); keywords weigh more than
   title words; stop words and words every 500+ plan uses weigh nothing. The title's first
   specific word is the step's *action* (after a generic action noun such as "Разработка",
   the word it governs joins it).
2. An activity's score (0–100) is the weighted share of the milestone's concepts its text
   expresses (the result/indicator columns count half). Lemmas compare exactly, by a shared
   stem, or (OCR slips) by rapidfuzz ratio.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Optional, Sequence

from language.patterns import compiled
from schema import Activity, Milestone, Schedule

# Tuning constants (roles: see the module docstring and pipeline/matching.py).
EXTRA_FACTOR = 0.5        # result / indicator columns count this much of the activity text
IN_PHRASE_WEIGHT = 0.5    # a title word that is part of a keyword phrase, counted again
KEYWORD_BOOST = 1.5       # a keyword concept weighs this much more than a title lemma
HEAD_KEYWORD_CLOSENESS = 0.5  # a row starting with a keyword must be dated within ≈ 6 weeks
ANCHOR_HIT = 0.4          # a concept counts as named from this hit (a word, 2 of 3 phrase words)

UNDATED_KINDS = {"ongoing", "as_needed", "unspecified", "recurring"}

# Words every 500+ plan uses: they say nothing about which step a row is.
DOMAIN_STOP = frozenset(
    """
    проект школа участник участница образовательный общеобразовательный организация
    учреждение мероприятие проведение реализация работа рамка включить включённый включенный
    план год дорожный карта региональный муниципальный территориальный уровень цель
    обеспечение осуществление также ОО ШНОР НОР школьный этап
    """.split()
)
# Action nouns any step can start with: a title's action is the first word after them.
GENERIC_ACTIONS = frozenset(
    """
    подготовка разработка формирование организация проведение создание обеспечение
    осуществление выполнение участие направление представление составление утверждение
    обновление актуализация
    """.split()
)
_ORDINAL_WORDS = {
    "первый": 1, "второй": 2, "третий": 3, "четвёртый": 4, "четвертый": 4, "пятый": 5,
    "первичный": 1, "повторный": 2,
}
_ORDINAL_NUMERIC = compiled(
    r"(?<![\d.])([1-5])\s*-?\s*(?:й|я|ой|ый|ая|го|ого)?\s+(?:этап|опрос|мониторинг|экспертиз|посещени|цикл)"
    r"|(?:этап|опрос|мониторинг|экспертиз\w*)\s*№?\s*([1-5])(?![\d.])"
    r"|[,(]\s*([1-5])\s*-?\s*(?:й|я|ой|ый|ая)?\s*\)?\s*$"
    r"|№\s*([1-5])\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.ru.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | DOMAIN_STOP


def content_lemmas(text: str) -> list[str]:
    """Lemmas that can tell steps apart: no stop words, ordinals, or one-letter words."""
    from pipeline.lemmas import lemmatize

    stops = stop_words()
    return [
        lemma for lemma in lemmatize(text)
        if len(lemma) > 1 and lemma not in stops and lemma not in _ORDINAL_WORDS
    ]


def ordinal(text: str) -> Optional[int]:
    """The ordinal a text gives its step (`второй опрос`, `2 этап`, `…, 1-я`), else None."""
    from pipeline.lemmas import lemmatize

    for m in _ORDINAL_NUMERIC.finditer(text or ""):
        return int(next(g for g in m.groups() if g))
    for lemma in lemmatize(text or ""):
        if lemma in _ORDINAL_WORDS:
            return _ORDINAL_WORDS[lemma]
    return None


@lru_cache(maxsize=200_000)
def lemma_similarity(a: str, b: str) -> float:
    """How far two lemmas are one word: 1 exact, 0.8 shared stem, ~0.9 OCR slip, else 0.

    A shared stem is one word being the start of the other (риск/рисковый), or a common
    start of 6 letters (верификация/верифицировать), or of 5 covering ¾ of the shorter word
    (анкета/анкетирование); размещение/разместить (5 of 10) stay apart.

    Abbreviations (upper case) only equal themselves.
    """
    if a == b:
        return 1.0
    if a.isupper() or b.isupper():
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short):
        return 0.8
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    if common >= 6 or (common >= 5 and common >= 0.75 * len(short)):
        return 0.8
    if len(short) >= 6:
        from rapidfuzz.fuzz import ratio

        r = ratio(a, b)
        if r >= 90:
            return r / 100.0 - 0.05
    return 0.0


@lru_cache(maxsize=400_000)
def _best_hit(term: str, lemmas: frozenset[str]) -> float:
    """The term's best similarity to any of the lemmas. Cached: every milestone asks of
    every activity's lemmas, and the same terms recur across milestones (a frozenset
    keeps its hash, so the key costs little)."""
    if term in lemmas:
        return 1.0
    return max((lemma_similarity(term, lemma) for lemma in lemmas), default=0.0)


Alternative = tuple[str, ...]  # one way to say a concept: a lemma, or a phrase of lemmas


@dataclass
class Concept:
    """One thing a milestone is about; any of its alternatives expresses it."""

    alternatives: tuple[Alternative, ...]
    weight: float
    keyword: bool = False

    def lemmas(self) -> set[str]:
        return {t for alt in self.alternatives for t in alt}


@dataclass
class MilestoneProfile:
    milestone: Milestone
    concepts: list[Concept]
    ordinal: Optional[int]
    # The step's action: the title's first specific word, with the generic action noun before
    # it (Разработка концептуальных …) or keyword synonyms of it (анкетирование|анкета).
    action: tuple[Alternative, ...] = ()

    @property
    def total(self) -> float:
        return sum(c.weight for c in self.concepts) or 1.0

    @property
    def terms(self) -> dict[str, float]:
        """Lemma → weight, for sibling detection."""
        out: dict[str, float] = {}
        for c in self.concepts:
            for t in c.lemmas():
                out[t] = max(out.get(t, 0.0), c.weight)
        return out


@dataclass
class ActivityProfile:
    index: int
    activity: Activity
    main: frozenset[str]
    extra: frozenset[str]
    ordinal: Optional[int]
    span: Optional[tuple[date, date]]
    head: frozenset[str] = frozenset()


def _keyword_alternatives(keyword: str) -> tuple[Alternative, ...]:
    """A keyword's alternatives. A phrase keeps the domain's common words (`итоги проекта`
    needs both words), a single word does not count if it is one of them."""
    from pipeline.lemmas import lemmatize

    function_words = stop_words() - DOMAIN_STOP
    alts = []
    for part in keyword.split("|"):
        lemmas = tuple(dict.fromkeys(
            t for t in lemmatize(part) if len(t) > 1 and t not in function_words and t not in _ORDINAL_WORDS
        ))
        if len(lemmas) == 1 and lemmas[0] in DOMAIN_STOP:
            continue
        if lemmas:
            alts.append(lemmas)
    return tuple(alts)


def _similar(a: str, b: str) -> bool:
    return lemma_similarity(a, b) >= 0.8


def milestone_profiles(milestones: Sequence[Milestone]) -> list[MilestoneProfile]:
    """Concepts of every milestone; weights are rarities over the timeline's distinct milestones.
    The same timeline is profiled once per process (≈ 2 ms, every document compared against it
    paid it again); the profiles are read, never changed, by those who get them."""
    key = tuple((m.id, m.year, m.title, m.deadline, m.start, tuple(m.keywords), m.source) for m in milestones)
    profiles = _PROFILED.get(key)
    if profiles is None:
        if len(_PROFILED) >= _PROFILED_TIMELINES:
            _PROFILED.clear()
        profiles = _PROFILED[key] = tuple(_build_profiles(milestones))
    return list(profiles)


# Timelines profiled in this process, by their milestones' content (a user's --timeline files,
# the packaged one, a year of either): a few, so kept whole.
_PROFILED: dict[tuple, tuple[MilestoneProfile, ...]] = {}
_PROFILED_TIMELINES = 8


def _build_profiles(milestones: Sequence[Milestone]) -> list[MilestoneProfile]:
    parsed = []
    for m in milestones:
        keywords = [alts for alts in (_keyword_alternatives(k) for k in m.keywords) if alts]
        parsed.append((m, keywords, list(dict.fromkeys(content_lemmas(m.title)))))
    distinct = {
        frozenset(title) | frozenset(t for alts in keywords for alt in alts for t in alt)
        for _, keywords, title in parsed
    }
    df: dict[str, int] = {}
    for bag in distinct:
        for lemma in bag:
            df[lemma] = df.get(lemma, 0) + 1

    def idf(lemma: str) -> float:
        return math.log(1.0 + len(distinct) / df.get(lemma, 1))

    profiles = []
    for m, keywords, title in parsed:
        concepts: list[Concept] = []
        for alts in keywords:
            weight = KEYWORD_BOOST * max(idf(t) for alt in alts for t in alt)
            single = all(len(alt) == 1 for alt in alts)
            for c in concepts:
                if single and all(len(a) == 1 for a in c.alternatives) and any(
                    _similar(a[0], b[0]) for a in alts for b in c.alternatives
                ):
                    c.alternatives = tuple(dict.fromkeys(c.alternatives + alts))
                    c.weight = max(c.weight, weight)
                    break
            else:
                concepts.append(Concept(alts, weight, keyword=True))
        n_keywords = len(concepts)
        covered = {alt[0] for c in concepts for alt in c.alternatives if len(alt) == 1}
        action = _title_action(title)
        if len(action) == 1:
            synonyms = [alt for c in concepts for alt in c.alternatives
                        if any(len(a) == 1 and _similar(action[0], a[0]) for a in c.alternatives)]
            actions = tuple(dict.fromkeys([action] + synonyms))
        else:
            actions = (action,) if action else ()
        in_phrases = {t for c in concepts for alt in c.alternatives if len(alt) > 1 for t in alt}
        for lemma in title:
            if any(_similar(lemma, t) for t in covered):
                continue
            # a title word a keyword phrase already holds counts again, at half weight
            weight = idf(lemma) * (IN_PHRASE_WEIGHT if any(_similar(lemma, t) for t in in_phrases) else 1.0)
            for c in concepts[n_keywords:]:
                if any(_similar(lemma, a[0]) for a in c.alternatives):
                    c.alternatives += ((lemma,),)
                    c.weight = max(c.weight, weight)
                    break
            else:
                concepts.append(Concept(((lemma,),), weight))
        profiles.append(MilestoneProfile(m, concepts, ordinal(m.title), actions))
    return profiles


def _title_action(title: list[str]) -> Alternative:
    """`Анкетирование школ …` → (анкетирование,); `Разработка концептуальных …` →
    (разработка, концептуальный): a generic action noun needs the word it governs."""
    for i, lemma in enumerate(title):
        if lemma not in GENERIC_ACTIONS:
            return (title[i - 1], lemma) if i > 0 else (lemma,)
    return ()


def schedule_span(schedule: Optional[Schedule]) -> Optional[tuple[date, date]]:
    """The days a dated schedule covers; None for undated kinds."""
    if schedule is None or schedule.kind in UNDATED_KINDS:
        return None
    dates = list(schedule.dates)
    start = schedule.start or (min(dates) if dates else None)
    end = schedule.end or (max(dates) if dates else None)
    if start is None and end is None:
        return None
    return (start or end, end or start)


_MODIFIERS = {"ADJF", "ADJS", "PRTF", "PRTS", "NUMR", "ADVB"}


def _head(lemmas: list[str]) -> Optional[str]:
    """The noun a row starts with, past generic action nouns and adjectives:
    `Промежуточный мониторинг …` → мониторинг, `Участие в анкетировании …` → анкетирование."""
    from pipeline.lemmas import part_of_speech

    for lemma in lemmas:
        if lemma in GENERIC_ACTIONS or part_of_speech(lemma) in _MODIFIERS:
            continue
        return lemma
    return None


def activity_profiles(activities: Sequence[Activity]) -> list[ActivityProfile]:
    from pipeline.lemmas import lemmatize

    profiles = []
    for i, a in enumerate(activities):
        extra_text = " ".join([a.result or ""] + [ind.text for ind in a.indicators])
        lemmas = content_lemmas(a.text)
        common = [t for t in lemmatize(a.text) if t in DOMAIN_STOP]  # for keyword phrases (итоги проекта)
        first = _head(lemmas)
        profiles.append(
            ActivityProfile(
                index=i,
                activity=a,
                main=frozenset(lemmas + common),
                head=frozenset([first] if first else []),
                extra=frozenset(content_lemmas(extra_text)),
                ordinal=ordinal(a.text),
                span=schedule_span(a.schedule) or schedule_span(a.federal_schedule),
            )
        )
    return profiles


@lru_cache(maxsize=400_000)
def alternative_hit(alt: Alternative, lemmas: frozenset[str]) -> float:
    """A lemma's hit; for a phrase the mean of its words', scaled by the share present.
    Cached like `_best_hit`: a concept's alternatives meet each activity many times."""
    hits = [_best_hit(t, lemmas) for t in alt]
    present = sum(1 for h in hits if h >= 0.8) / len(hits)
    return (sum(hits) / len(hits)) * present


def concept_hit(c: Concept, a: ActivityProfile) -> float:
    """How well an activity expresses a concept (0–1)."""
    hit = max(alternative_hit(alt, a.main) for alt in c.alternatives)
    if hit < 1.0 and a.extra:
        hit = max(hit, EXTRA_FACTOR * max(alternative_hit(alt, a.extra) for alt in c.alternatives))
    return hit


def expresses_anchor(m: MilestoneProfile, a: ActivityProfile, closeness: float = 0.0) -> bool:
    """Does the activity's own text name the step, not just something it involves?

    It must name the milestone's action (the title's first specific word), or two of its
    keywords (one when the milestone has a single keyword), or start with a keyword and be
    dated near the federal window: "Назначение кураторов" names curators, but not the
    curators' visits; "Анкетирование организаций" in February starts with what "Заполнение
    анкет (анкетирование)" is about.
    """
    def named(c: Concept) -> bool:
        return max(alternative_hit(alt, a.main) for alt in c.alternatives) >= ANCHOR_HIT

    if names_action(m, a):
        return True
    keywords = [c for c in m.concepts if c.keyword]
    if keywords:
        if sum(1 for c in keywords if named(c)) >= min(2, len(keywords)):
            return True
        return bool(a.head) and closeness >= HEAD_KEYWORD_CLOSENESS and any(
            any(_best_hit(t, a.head) >= 0.8 for t in alt) and alternative_hit(alt, a.main) >= 0.8
            for c in keywords for alt in c.alternatives
        )
    return not m.action and any(named(c) for c in m.concepts)


def names_action(m: MilestoneProfile, a: ActivityProfile) -> bool:
    """Does the activity's text name the milestone's action (every word of it)?"""
    return any(alternative_hit(alt, a.main) >= 0.8 for alt in m.action)


def head_names_action(m: MilestoneProfile, a: ActivityProfile, keyword: bool = False) -> bool:
    """Does the activity start with the milestone's action (Анкетирование …, Экспертиза …)?

    `keyword`: only when the action is also one of the milestone's keywords (the timeline's
    author marked it essential: `экспертиза`, not the `размещение` of any information).
    """
    if keyword and not any(c.keyword and any(alt in m.action for alt in c.alternatives) for c in m.concepts):
        return False
    return bool(a.head) and any(
        _best_hit(alt[-1], a.head) >= 0.8 and alternative_hit(alt, a.main) >= 0.8 for alt in m.action
    )


def lexical_score(m: MilestoneProfile, a: ActivityProfile,
                  commonness: Optional[list[float]] = None) -> float:
    """0–100: the weighted share of the milestone's concepts the activity expresses.

    `commonness` (ranking only) scales concepts down by how many plan rows share them.
    """
    factors = commonness or [1.0] * len(m.concepts)
    matched = sum(concept_hit(c, a) * c.weight * f for c, f in zip(m.concepts, factors))
    return 100.0 * matched / m.total
