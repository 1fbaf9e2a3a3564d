"""Federal 500+ milestones as data: the packaged per-year files, or a file a user supplies.

The schedule is expected to change (federal staff correct dates, add next year), so it lives
in JSON files (`pipeline/timelines/<year>.json`, a list of Milestone objects), never in code.
A user file in the same shape, or a spreadsheet in the template's shape
(pipeline/timeline_sheet.py), replaces the packaged timeline entirely.

How matching reads a milestone (pipeline/profiles.py): the title's first specific word is the
step's action (`Размещение концептуальных документов …`; after a generic action noun such as
`Разработка` the word it governs joins it). Each keyword is one concept: a word or a phrase
(`ИС МЭДК`, all words needed), with `|` between alternatives that say the same thing
(`рисковый профиль|РПШ`). Keywords should be generic domain words any plan may use, never
one region's wording; any grammatical form will do (they are lemmatized).
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Union

from pydantic import ValidationError

from language.patterns import compiled
from schema import Milestone

_YEAR_FILE = compiled(r"(\d{4})\.json")


class TimelineError(ValueError):
    """A timeline file that cannot be used; the message names the file and the problem."""


def packaged_years() -> list[int]:
    """Years for which a timeline ships with the package."""
    folder = resources.files("pipeline") / "timelines"
    years = []
    for entry in folder.iterdir():
        m = _YEAR_FILE.fullmatch(entry.name)
        if m:
            years.append(int(m.group(1)))
    return sorted(years)


def parse_milestones(data: object, origin: str = "<data>", warnings: Optional[list[str]] = None) -> list[Milestone]:
    """Validate decoded JSON: a list of milestones, or an object with a `milestones` list.

    Written by people, so forgiving where nothing is lost: `sources` may be a list (kept as one
    `source`, `; `-joined), and a field the schema does not know is dropped with a warning."""
    if isinstance(data, dict) and "milestones" in data:
        data = data["milestones"]
    if not isinstance(data, list):
        raise TimelineError(f"{origin}: expected a JSON list of milestones")
    milestones: list[Milestone] = []
    for index, item in enumerate(data, start=1):
        item = _tolerant(item, f"{origin}: milestone {index}", warnings)
        try:
            milestone = Milestone.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "milestone"
            raise TimelineError(f"{origin}: milestone {index}: {where}: {first['msg']}") from None
        if milestone.start is not None and milestone.start > milestone.deadline:
            raise TimelineError(f"{origin}: milestone {milestone.id}: start {milestone.start} is after deadline {milestone.deadline}")
        milestones.append(milestone)
    ids = [m.id for m in milestones]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TimelineError(f"{origin}: duplicate milestone ids: {', '.join(duplicates)}")
    return milestones


_KNOWN_FIELDS = set(Milestone.model_fields)


def _tolerant(item: object, where: str, warnings: Optional[list[str]]) -> object:
    if not isinstance(item, dict):
        return item
    item = dict(item)
    sources = item.pop("sources", None)
    if sources is not None:
        listed = [sources] if isinstance(sources, str) else list(sources) if isinstance(sources, list) else None
        if listed is None:
            raise TimelineError(f"{where}: sources: expected a list of texts")
        item["source"] = "; ".join(str(s).strip() for s in [item.get("source")] + listed if s and str(s).strip()) or None
    unknown = sorted(k for k in item if k not in _KNOWN_FIELDS)
    if unknown:
        if warnings is not None:
            warnings.append(f"{where}: unknown field(s) ignored: {', '.join(unknown)}")
        item = {k: v for k, v in item.items() if k in _KNOWN_FIELDS}
    return item


def load_file(path: Union[str, Path], warnings: Optional[list[str]] = None) -> list[Milestone]:
    """Read one timeline file: UTF-8 JSON, or a spreadsheet (XLSX, XLS, ODS, CSV) with a header
    row (pipeline/timeline_sheet.py), told apart by their bytes."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TimelineError(f"{path}: no such file") from None
    except OSError as exc:
        raise TimelineError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TimelineError(f"{path}: not a UTF-8 JSON file ({exc})") from None
        return parse_milestones(data, str(path), warnings)
    return parse_milestones(_sheet_items(path, warnings), str(path), warnings)


def _sheet_items(path: Path, warnings: Optional[list[str]]) -> list[dict]:
    from extractors.raw import ExtractionError
    from extractors.sniff import sniff_format
    from pipeline.timeline_sheet import read_sheet_items

    try:
        fmt = sniff_format(path)
    except ExtractionError as exc:
        raise TimelineError(f"{path}: neither JSON nor a spreadsheet ({exc})") from None
    if fmt not in ("xlsx", "xls", "ods", "csv"):
        raise TimelineError(f"{path}: a {fmt.upper()} file, not a timeline (JSON, XLSX, XLS, ODS or CSV)")
    try:
        return read_sheet_items(path, fmt, warnings)
    except (ExtractionError, ValueError) as exc:
        raise TimelineError(str(exc)) from None


def load_packaged(years: Optional[Iterable[int]] = None) -> list[Milestone]:
    """The packaged milestones of the given years (all packaged years when None)."""
    wanted = packaged_years() if years is None else sorted(set(years))
    folder = resources.files("pipeline") / "timelines"
    milestones: list[Milestone] = []
    for year in wanted:
        entry = folder / f"{year}.json"
        if not entry.is_file():
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        milestones.extend(parse_milestones(data, f"packaged timeline {year}"))
    return milestones


def load_timeline(files: Optional[Iterable[Union[str, Path]]] = None, year: Optional[int] = None,
                  warnings: Optional[list[str]] = None) -> list[Milestone]:
    """User files when given (they replace the packaged timeline), else the packaged one.

    `year` keeps only that year's milestones. Sorted by deadline, then id. What a user file
    held that was dropped is appended to `warnings`.
    """
    files = list(files or [])
    if files:
        milestones: list[Milestone] = []
        for f in files:
            milestones.extend(load_file(f, warnings))
        ids = [m.id for m in milestones]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise TimelineError(f"duplicate milestone ids across timeline files: {', '.join(duplicates)}")
    else:
        milestones = load_packaged()
    if year is not None:
        milestones = [m for m in milestones if m.year == year]
    return sorted(milestones, key=lambda m: (m.deadline, m.id))
