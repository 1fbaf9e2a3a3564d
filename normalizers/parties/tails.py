"""Where a defined phrase ends past the words its abbreviation spells: a body's owner or the
territory it serves goes with it (`Управлению образования Администрации города Воткинска (далее
– УО)`), a territory of the things defined does not."""
from __future__ import annotations

import re

from language.morphology import agrees, parse_word
from language.patterns import compiled
from normalizers.header.municipality import MUNICIPALITY
from normalizers.parties.settings import PARTIES
from normalizers.parties.words import BODY_HEADS
from normalizers.regions import find_region_matches


def owner_tail_end(w: str, e: int, stop: str, body_first: bool = False) -> int:
    """End of the phrase w[:e] taken on over a short owner tail up to the window's end
    (`… «…» Минобразования Чувашии`, `… образования Администрации города Воткинска`): at
    most four words, or a body and the territory it serves (`администрации городского округа
    город Елец`) or the body that owns it (`Комитета по образованию Администрации Павловского
    района`), none of the `stop` characters; with `body_first` the tail must open with a
    body (`Администрации …`), not a region (`организациях Архангельской области`)."""
    tail = w[e:].strip()
    if not tail:
        return e
    words = tail.split()
    body_and_territory = len(words) <= PARTIES.territory_tail_max_words and _body_and_territory(words)
    if re.search(stop, tail) and not (body_and_territory and not compiled(r"[,;:()]").search(tail)):
        return e  # a quoted name only in a territory (`муниципального района «Заполярный район»`)
    if len(words) > PARTIES.owner_tail_max_words and not body_and_territory:
        return e
    if body_first and not (is_body_word(words[0]) or _adjectives_then_body(words)):
        return e
    return len(w.rstrip())


def names_territory(phrase: str) -> bool:
    """`городского округа город Елец`, `Липецкой области`: the whole phrase is a territory."""
    low = phrase.lower()
    found = MUNICIPALITY.match(low)
    if found and found.end() >= len(low.rstrip(" .")):
        return True
    regions = find_region_matches(phrase)
    return bool(regions) and regions[0].start == 0 and regions[-1].end >= len(phrase.rstrip(" ."))


def is_body_word(word: str) -> bool:
    """`Администрации`, `Министерства`: a form of a body noun."""
    return any(p.normal_form in BODY_HEADS for p in parse_word(word.lower().strip(".,")))


def _adjectives_then_body(words: list[str]) -> bool:
    """`Нерюнгринской районной администрации`: one or two adjectives, then the body they name
    (an owner named by its territory's adjective, not a region: `Архангельской области`)."""
    for j in range(1, min(3, len(words))):
        body = words[j].strip(".,")
        # the adjectives agree with the body's own reading: `районной администрации`, not
        # `подведомственных … управлению`
        if is_body_word(body) and all(agrees(x.strip(".,"), body, lambda p: p.normal_form in BODY_HEADS)
                                      for x in words[:j]):
            return True
    return False


def _body_and_territory(words: list[str]) -> bool:
    """A body, the lower-case words of its subject (up to three: `министерства образования и
    науки`), then a territory (`департамента образования Еврейской автономной области`) or
    another such body owning it."""
    return is_body_word(words[0]) and any(
        all(x.islower() for x in words[1:j])
        and (names_territory(" ".join(words[j:])) or _body_and_territory(words[j:]))
        for j in range(1, min(5, len(words))))
