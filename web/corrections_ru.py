"""Corrections in the workbench's Russian: what the store says of a row's corrections (`status:
on_time → missing (Иванова, 2026-12-08)`, `confirmed (…)`) and why it refused one. The store and
the CLI keep their English lines (the schema's `corrections` texts); the pages translate them,
and what they do not know stays as written."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from pipeline.reports import STATUS_LABELS
from web.reasons import in_russian

if TYPE_CHECKING:
    from schema import Correction

_FIELDS = {"status": "статус", "schedule.end": "срок", "schedule.start": "начало", "schedule.kind": "вид срока",
           "schedule.dates": "даты", "schedule.raw": "срок как напечатан", "text": "формулировка",
           "responsible": "ответственные", "indicators": "показатели", "result": "результат", "section": "раздел",
           "seq": "номер", "*": "строка"}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

_DONE = [
    (re.compile(r"^confirmed \((?P<who>[^()]*)\)$"), "подтверждено ({who})"),
    (re.compile(r"^(?P<field>[\w.*]+): (?P<old>.*) → (?P<new>.*) \((?P<who>[^()]*)\)$"), "{field}: {old} → {new} ({who})"),
]
_REFUSED = [
    (re.compile(r"^a status correction must say why"),
     "исправляя статус, напишите в комментарии почему: исправление отменяет прочитанное"),
    (re.compile(r"^(?P<field>[\w.*]+): (?P<day>\S+) is not a plausible date for an act of (?P<year>\d{4})"),
     "{field}: {day} — неправдоподобная дата для акта {year} года (исправленная дата — не дальше пяти лет от даты акта)"),
    (re.compile(r"^already confirmed by (?P<who>.+), and nothing corrected since$"),
     "уже подтверждено ({who}), с тех пор ничего не исправлено"),
    (re.compile(r"^an author is at most (?P<a>\d+) characters and a comment at most (?P<c>\d+)$"),
     "имя — не длиннее {a} знаков, комментарий — не длиннее {c}"),
    (re.compile(r"^(?P<field>[\w.*]+): no such day: .*, got (?P<value>.+)$"), "{field}: такого дня нет ({value})"),
    (re.compile(r"^(?P<field>[\w.*]+): expected a date with its year .*, got (?P<value>.+)$"),
     "{field}: нужна дата с годом (2022-04-29, 29.04.2022 или 29 апреля 2022 г.), а не {value}"),
    (re.compile(r"^status: "), "такого статуса нет"),
    (re.compile(r"^unknown milestone row"), "в хранилище нет такой строки соответствия"),
    (re.compile(r"^unknown activity_id"), "в хранилище нет такого мероприятия"),
    (re.compile(r"^(?P<field>[\w.*]+) already reads (?P<value>.+): nothing to correct"),
     "{field} уже {value}: исправлять нечего (чтобы подтвердить строку, нажмите «Подтвердить как есть»)"),
]


def correction_ru(text: Optional[str]) -> str:
    """One of a row's `corrections` texts in Russian: its field, statuses and days as the pages say them."""
    return _translated(text or "", _DONE)


def refusal_ru(message: str) -> str:
    """A CorrectionError's message (its reasons joined by `; `) in Russian, reason by reason."""
    return "; ".join(_translated(part, _REFUSED) for part in message.split("; "))


def _translated(text: str, shapes: list[tuple[re.Pattern, str]]) -> str:
    return in_russian(text, shapes, _part)


def _part(name: str, value: str) -> str:
    if name == "field":
        return _FIELDS.get(value, value)
    if name in ("old", "new", "day", "value"):
        value = STATUS_LABELS.get(value, value)
        return _ISO.sub(lambda m: f"{m.group(3)}.{m.group(2)}.{m.group(1)}", value)
    if name == "who":
        return _ISO.sub(lambda m: f"{m.group(3)}.{m.group(2)}.{m.group(1)}", value)
    return value


def correction_line(c: "Correction") -> str:
    """What one recorded correction did, as the document page lists it (`статус: в срок → позже
    срока`, `срок: 07.02.2022 → 15.01.2022`, `подтверждено`), without who and when (their own columns)."""
    if c.kind == "confirm":
        return "подтверждено"
    return f"{_part('field', c.field)}: {_part('old', _shown(c.old_value))} → {_part('new', _shown(c.new_value))}"


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v.get("name") or v.get("raw") or v) if isinstance(v, dict) else str(v) for v in value)
    return str(value)
