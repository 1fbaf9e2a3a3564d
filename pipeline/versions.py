"""Which documents are the same act, and which act amends which: pure functions over
document rows (any objects with id, number, date, doc_type, level, municipality, format,
ocr, activity_count, amends), shared by the store and by `roadmap compare`."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Optional, Sequence

from language.patterns import compiled

_LOOKALIKES = str.maketrans({"a": "а", "o": "о", "e": "е", "p": "р", "c": "с", "x": "х", "k": "к",
                             "m": "м", "t": "т", "h": "н", "b": "в", "y": "у"})
_DASHES = compiled(r"[\u2010-\u2015\u2212]")


@lru_cache(maxsize=65536)
def normalize_act_number(number: Optional[str]) -> Optional[str]:
    """Compare act numbers the way people write them: case, spaces, `№`, dash kinds and
    Latin look-alike letters (OCR, keyboard layouts) do not make a different number.
    Cached: storing one act re-reads its region's acts, each number again."""
    if not number:
        return None
    value = _DASHES.sub("-", number.casefold())
    value = compiled(r"[\s№#]+").sub("", value).strip(".,;:")
    value = value.translate(_LOOKALIKES)
    return value or None


# Which rendition of an act is preferred: born-digital formats first, OCR last.
FORMAT_PREFERENCE = {"docx": 0, "odt": 1, "doc": 2, "rtf": 3, "pdf": 4}


def act_key(row: Any) -> Optional[tuple]:
    """What makes two documents of one region the same act: number, date, type and level,
    and for a municipal act its municipality (two districts number their orders alike; None
    when the number or the date is unknown: then no two documents are the same act). A
    municipal act whose municipality was not read is not taken for a named one's rendition:
    counted twice rather than one district's plan lost in another's."""
    number = normalize_act_number(row.number)
    if number is None or row.date is None:
        return None
    key = (number, row.date, (row.doc_type or "").casefold(), row.level)
    municipality = _municipality_of(row)
    return key + (municipality,) if municipality else key


def _municipality_of(row: Any) -> Optional[str]:
    """A municipal act's municipality key (None for other levels, or when it was not read)."""
    return municipality_key(getattr(row, "municipality", None)) if row.level == "municipal" else None


# Words every municipality's name may carry: not what tells one from another.
_GENERIC_PLACE_WORDS = frozenset({
    "муниципальный", "муниципального", "муниципальное", "муниципальная", "район", "района", "округ", "округа",
    "городской", "городского", "город", "города", "г", "образование", "образования", "поселение", "поселения",
    "сельское", "городское", "администрация", "администрации", "управление", "отдел", "комитет", "департамент",
})


# Where a municipality's name goes on to name its region (`… Республики Башкортостан`).
_REGION_WORDS = frozenset({"республики", "республика", "области", "область", "края", "край", "автономного",
                           "автономный"})


@lru_cache(maxsize=4096)
def municipality_key(municipality: Optional[str]) -> Optional[str]:
    """A municipality as two readings of one act name it alike (`муниципальный район
    «Туймазинский район» Республики Башкортостан` and `Туймазинский район` → `туйма`): its
    name's words by their first five letters — the distinctive words up to the first generic
    one after them (`район`, `округа`, `Республики` …: what follows names the kind or the
    region); None when it has none. (A district and the town it is named after — `Белгородский
    район`, `город Белгород` — share a key: their acts of one number and date are still one act.)"""
    words = compiled(r"[0-9a-zа-я]+").findall((municipality or "").casefold().replace("ё", "е"))
    kept: list[str] = []
    for word in words:
        if word in _GENERIC_PLACE_WORDS or word in _REGION_WORDS:
            if kept:
                break
            continue
        kept.append(word[:5])
    return " ".join(kept) or None


def _other_municipality(a: Any, b: Any) -> bool:
    """Two municipal acts of named, different municipalities."""
    first, second = _municipality_of(a), _municipality_of(b)
    return first is not None and second is not None and first != second


def resolve_versions(rows: Sequence[Any]) -> dict[str, tuple[Optional[str], Optional[str]]]:
    """document id → (superseded_by, duplicate_of) for one region's documents.

    Renditions of one act are grouped; the preferred one (no OCR, then format, then the
    most activities read, then id) stands for the act. An amendment supersedes every
    rendition of the act it names, and is named by its preferred rendition."""
    preferred: dict[str, str] = {}
    groups: dict[tuple, list[Any]] = {}
    for row in rows:
        key = act_key(row)
        if key is None:
            preferred[row.id] = row.id
        else:
            groups.setdefault(key, []).append(row)
    for members in groups.values():
        best = min(members, key=lambda r: (bool(r.ocr), FORMAT_PREFERENCE.get(r.format, 9),
                                           -(r.activity_count or 0), r.id))
        for row in members:
            preferred[row.id] = best.id
    amended = supersession(rows)
    return {
        row.id: (preferred[amended[row.id]] if amended[row.id] else None,
                 preferred[row.id] if preferred[row.id] != row.id else None)
        for row in rows
    }


def supersession(rows: Sequence[Any]) -> dict[str, Optional[str]]:
    """document id → id of the latest act of the same region that amends it.

    `rows` hold id, number, date, level, amends of one region's documents. A reference
    matches an act when its number (normalized) agrees, its date agrees when both are
    known, and the act is not later than the amending one; a reference with no date also
    needs the same level, so a municipal act numbered like a regional one is not taken."""
    wanted: dict[str, Optional[str]] = {row.id: None for row in rows}
    best_date: dict[str, date] = {}
    by_number: dict[Optional[str], list[Any]] = {}
    for row in rows:  # each number normalized once: a region may hold thousands of acts
        by_number.setdefault(normalize_act_number(row.number), []).append(row)
    for amending in rows:
        for ref in amending.amends or []:
            ref_number = normalize_act_number(ref.get("number"))
            ref_date = as_date(ref.get("date"))
            if ref_number is None and ref_date is None:
                continue
            for target in (by_number.get(ref_number, ()) if ref_number is not None else rows):
                if target.id == amending.id or _other_municipality(target, amending):
                    continue
                if ref_date is not None:
                    if target.date != ref_date:
                        continue
                elif target.level != amending.level:
                    continue
                if ref_number is None and target.level != amending.level:
                    continue
                if target.date and amending.date and target.date > amending.date:
                    continue
                when = amending.date or date.min
                if wanted[target.id] is None or when > best_date[target.id] or (
                        when == best_date[target.id] and amending.id > wanted[target.id]):
                    wanted[target.id] = amending.id
                    best_date[target.id] = when
    return wanted


def as_date(value: Any) -> Optional[date]:
    """A date from a date, an ISO string (JSON) or None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def preferred_renditions(documents: Sequence[Any]) -> dict[str, Optional[str]]:
    """document id → id of the preferred rendition of the same act (None for the preferred
    one and for documents that share an act with nothing), per region. Schema documents
    work as they are: their region's code decides the group."""
    by_region: dict[Optional[str], list[SimpleNamespace]] = {}
    for doc in documents:
        row = SimpleNamespace(
            id=doc.id, number=doc.number, date=doc.date, doc_type=doc.doc_type, level=doc.level,
            municipality=doc.municipality, format=doc.source.format, ocr=doc.source.ocr, activity_count=len(doc.activities),
            amends=[a.model_dump() for a in doc.amends],
        )
        by_region.setdefault(doc.region.code if doc.region else None, []).append(row)
    out: dict[str, Optional[str]] = {}
    for rows in by_region.values():
        for doc_id, (_superseded_by, duplicate_of) in resolve_versions(rows).items():
            out[doc_id] = duplicate_of
    return out
