"""Word-shape predicates shared by every reader of Russian text."""
from __future__ import annotations


from language.patterns import compiled

_CAPS = compiled(r"^[A-ZА-ЯЁ0-9](?:[A-ZА-ЯЁ0-9-]|(?<=[A-ZА-ЯЁ])и(?=[A-ZА-ЯЁ]))*$")


def is_abbreviation(word: str) -> bool:
    """An all-caps abbreviation: ≥2 letters, upper case (a linking `и` allowed: ДОиН)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and bool(_CAPS.match(word)) and any(c.isupper() for c in letters)


def is_caps_text(text: str) -> bool:
    """Text printed in capitals: more than 70 % of its letters upper case (a header line)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.7


def match_case(template: str, word: str) -> str:
    """`word` written in the letter case of `template` (all caps, capitalised, lower)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return "-".join(p[:1].upper() + p[1:] for p in word.split("-")) if "-" in template \
            and all(x[:1].isupper() for x in template.split("-")) else word[:1].upper() + word[1:]
    return word


def capitalize(s: str) -> str:
    """First letter upper case, the rest as written."""
    return s[:1].upper() + s[1:] if s else s
