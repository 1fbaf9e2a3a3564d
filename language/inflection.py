"""The one engine that declines a Russian noun phrase (pymorphy3): leading adjectives and the
first noun take the wanted case, the genitive tail after the noun stays as printed."""
from __future__ import annotations

from typing import Optional

from language.morphology import get_morph, parse_word
from language.patterns import compiled
from language.words import is_abbreviation, match_case


def inflect_phrase(phrase: str, case: str, from_case: Optional[str] = None, *,
                   head_last: bool = False) -> str:
    """`_inflect_phrase`, spelled as the document spells: pymorphy3 writes `ё` (`казённое`), a
    phrase printed without it (`казенному`) gets none."""
    out = _inflect_phrase(phrase, case, from_case, head_last=head_last)
    return out if "ё" in phrase.lower() else out.replace("ё", "е").replace("Ё", "Е")


def _inflect_phrase(phrase: str, case: str, from_case: Optional[str] = None, *,
                    head_last: bool = False) -> str:
    """Put the leading adjectives and first noun of `phrase` into `case` (nomn, gent …).

    Words after the first noun (its genitive tail) stay as printed. A phrase that does not
    start with a word (a legal form, a quote, an abbreviation) is returned unchanged.
    from_case: the case the phrase is known to be in (an expansion from the list is nominative),
    which settles ambiguous readings (`школы`: nominative plural, not genitive singular).
    head_last: the phrase is known to be adjectives + one head noun in the singular
    (`южского муниципального района`), so the last word is the noun whatever else its
    readings say (`березовского` is also a surname); words come back in lower case.
    """
    morph = get_morph()
    words = phrase.split(" ")
    if head_last:
        return _inflect_head_last(words, case) if morph else phrase
    if not morph or not words or not compiled(r"^[А-Яа-яЁё-]+$").match(words[0].rstrip(",")) or is_abbreviation(words[0]):
        return phrase
    noun_idx = None
    for i, w in enumerate(words[:6]):
        w = w.rstrip(",") if i == 0 or not words[i - 1].endswith(",") else w
        if not compiled(r"^[А-Яа-яЁё-]+$").match(w) or is_abbreviation(w):
            return phrase
        parses = parse_word(w.lower())
        pos = {p.tag.POS for p in parses}
        if parses[0].tag.POS == "NOUN" or ("NOUN" in pos and not pos & {"ADJF", "PRTF"}):
            noun_idx = i
            break
        if w != words[i]:
            return phrase  # a comma before the noun: not one noun phrase
        if not pos & {"ADJF", "PRTF", "NUMR"}:
            return phrase
    if noun_idx is None:
        return phrase
    comma = "," if words[noun_idx].endswith(",") else ""
    noun_parses = [p for p in parse_word(words[noun_idx].rstrip(",").lower()) if p.tag.POS == "NOUN"]
    if from_case:
        noun_parses = [p for p in noun_parses if p.tag.case == from_case] or noun_parses
    adj_parses = [
        [p for p in parse_word(w.lower()) if p.tag.POS in ("ADJF", "PRTF", "NUMR")]
        for w in words[:noun_idx]
    ]
    # pick the noun reading whose case/number every adjective can share, best score first
    compatible = [
        p for p in noun_parses
        if all(any((a.tag.case, a.tag.number or p.tag.number) == (p.tag.case, p.tag.number) for a in aps)
               for aps in adj_parses)
    ] or noun_parses[:1]
    if any(p.tag.case == case and p.score >= 0.1 for p in compatible):
        return phrase  # already in the wanted case on a likely reading ("школы": nomn plur)
    chosen = next((p for p in compatible if p.tag.case != case), compatible[0])
    number = chosen.tag.number or "sing"
    if "Pltm" in chosen.tag or "Sgtm" in chosen.tag:
        target = {case}
    else:
        target = {case, number}
    new_noun = chosen.inflect(target)
    if new_noun is None:
        return phrase
    out = list(words)
    out[noun_idx] = match_case(words[noun_idx], new_noun.word) + comma
    gender = chosen.tag.gender
    for j, aps in enumerate(adj_parses):
        same = [a for a in aps if a.tag.case == chosen.tag.case] or aps
        same = sorted(same, key=lambda a: (-a.score, "Qual" in a.tag))
        if not same:
            continue
        feats = _features(case, number, gender)
        if case == "accs":
            feats.add(chosen.tag.animacy or "inan")
        new_adj = same[0].inflect(feats)
        if new_adj is not None:
            out[j] = match_case(words[j], new_adj.word)
    # "органам …, осуществляющим управление" → "органы …, осуществляющие управление": a
    # participle opening a clause after a comma agrees with the noun, so it moves along. The
    # clause may follow a genitive tail with commas of its own ("органам … районов,
    # муниципальных и городских округов края, осуществляющим …"): comma pieces that do not
    # open with a participle are passed over, and so is one whose participle agrees with a noun
    # of the tail instead ("образований, расположенных на территории области, осуществляющим
    # …"); the first that agrees with the noun ends the search.
    for k in range(noun_idx + 1, len(words)):
        if not words[k - 1].endswith(","):
            continue
        readings = [p for p in parse_word(words[k].lower()) if p.tag.POS == "PRTF"]
        participle = [p for p in readings
                      if p.tag.case == chosen.tag.case and (p.tag.number or number) == number]
        if not participle:
            continue
        new_part = participle[0].inflect(_features(case, number, gender))
        if new_part is not None:
            out[k] = match_case(words[k], new_part.word)
        break
    # "город Москва" → "города Москвы": the proper name after "город" agrees too
    if case != "nomn" and chosen.normal_form == "город" and noun_idx + 1 < len(words):
        nxt = parse_word(words[noun_idx + 1].lower())[0]
        if nxt.tag.POS == "NOUN" and nxt.tag.case == "nomn":
            inf = nxt.inflect({case})
            if inf is not None:
                out[noun_idx + 1] = match_case(words[noun_idx + 1], inf.word)
    return " ".join(out)


def _features(case: str, number: str, gender: Optional[str]) -> set[str]:
    """Grammemes an adjective takes to agree with its noun (gender only in the singular)."""
    return {case, number} if number == "plur" or not gender else {case, number, gender}


def _inflect_head_last(words: list[str], case: str) -> str:
    head = words[-1].lower()
    noun = next((p for p in parse_word(head) if p.tag.POS == "NOUN"), None)
    if noun is None:
        return " ".join(words)
    new_head = noun.inflect({case, "sing"})
    gender = noun.tag.gender or "masc"
    out = []
    for word in words[:-1]:
        adj = next((p for p in parse_word(word.lower()) if p.tag.POS == "ADJF"), None)
        form = adj.inflect(_features(case, "sing", gender)) if adj else None
        out.append(form.word if form else word.lower())
    out.append(new_head.word if new_head else head)
    return " ".join(out)
