"""Russian lemmas for matching activities to milestones.

spaCy's blank Russian pipeline with the pymorphy3 lemmatizer, loaded lazily once per process
(0.3 s) and only by code that matches text. Two blind spots of a tagger-less pipeline are
handled here: all-caps abbreviations (ИС, МЭДК, ФИОКО) would be "lemmatized" into other
words (ИС → иса), so they are kept as written; ambiguous forms keep their surface form
(первого), so those fall back to pymorphy3's most probable normal form. Dates and numbers are
never lemmatized: only words reach the lemmatizer.
"""
from __future__ import annotations

import threading
from typing import Optional

from language.morphology import is_dictionary_word, parse_word
from language.morphology import lemma as most_probable_lemma  # not this module's `lemma`
from language.patterns import compiled

_WORD = compiled(r"[А-ЯЁа-яёA-Za-z]+(?:-[А-ЯЁа-яёA-Za-z]+)*")
# An abbreviation, possibly with a case ending glued on: ИС, МЭДК, ШНОРах, ОО.
_ABBREVIATION = compiled(r"([А-ЯЁA-Z]{2,})([а-яё]{0,3})")

_lock = threading.RLock()
_nlp = None
_cache: dict[str, str] = {}


def _pipeline():
    """The spaCy pipeline, built on first use (no model download: blank + pymorphy3)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                nlp = spacy.blank("ru")
                nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
                nlp.initialize()
                _nlp = nlp
    return _nlp


def abbreviation(word: str) -> Optional[str]:
    """The abbreviation a word is (`ШНОРах` → `ШНОР`), or None for an ordinary word.

    An all-caps word that pymorphy3 knows as a dictionary word and that is longer than three
    letters (`ШКОЛА`, `ДОРОЖНАЯ` in a heading) is an ordinary word, not an abbreviation.
    """
    m = _ABBREVIATION.fullmatch(word)
    if not m:
        return None
    caps, ending = m.groups()
    if ending:
        return caps
    if len(caps) <= 3:
        return caps
    return None if is_dictionary_word(caps.lower()) else caps


def words(text: str) -> list[str]:
    """Word tokens of a text: letters only, hyphenated compounds split into their parts."""
    out: list[str] = []
    for m in _WORD.finditer(text or ""):
        out.extend(p for p in m.group(0).split("-") if p)
    return out


def _lemmatize_words(forms: list[str]) -> None:
    from spacy.tokens import Doc

    nlp = _pipeline()
    lemmatizer = nlp.get_pipe("lemmatizer")
    doc = lemmatizer(Doc(nlp.vocab, words=forms))
    for form, token in zip(forms, doc):
        lemma = (token.lemma_ or form).lower()
        if lemma == form.lower():
            lemma = most_probable_lemma(form.lower())
        _cache[form] = lemma.replace("ё", "е")


def lemma(word: str) -> str:
    """One word's lemma (lower case), or the abbreviation as written."""
    return lemmatize_words([word])[0]


def lemmatize_words(forms: list[str]) -> list[str]:
    """Lemmas of already tokenized words; abbreviations are kept (upper case)."""
    out: list[Optional[str]] = []
    todo: list[str] = []
    for form in forms:
        abbr = abbreviation(form)
        if abbr is not None:
            out.append(abbr)
            continue
        out.append(None)
        if form not in _cache:
            todo.append(form)
    if todo:
        with _lock:
            _lemmatize_words(list(dict.fromkeys(todo)))
    return [o if o is not None else _cache[f] for o, f in zip(out, forms)]


_pos_cache: dict[str, Optional[str]] = {}


def part_of_speech(lemma: str) -> Optional[str]:
    """pymorphy3's most probable part of speech of a lemma (`NOUN`, `ADJF`, …); abbreviations
    are nouns. Out of context, so a guess: good enough to skip adjectives before a noun."""
    if lemma.isupper():
        return "NOUN"
    if lemma not in _pos_cache:
        parses = parse_word(lemma)
        _pos_cache[lemma] = parses[0].tag.POS if parses else None
    return _pos_cache[lemma]


def lemmatize(text: str) -> list[str]:
    """Lemmas of every word of a text, in order (digits, dates and punctuation dropped)."""
    return lemmatize_words(words(text))
