"""Federal 500+ milestones as data: the packaged per-year files, or a file a user supplies.

The schedule is expected to change (federal staff correct dates, add next year), so it lives
in JSON files (`pipeline/timelines/<year>.json`, a list of Milestone objects), never in code.
A user file in the same shape replaces the packaged timeline entirely.

How matching reads a milestone (pipeline/profiles.py): the title's first specific word is the
step's action (`Размещение концептуальных документов …`; after a generic action noun such as
`Разработка` the word it governs joins it). Each keyword is one concept: a word or a phrase
(`ИС МЭДК`, all words needed), with `|` between alternatives that say the same thing
(`рисковый профиль|РПШ`). Keywords should be generic domain words any plan may use, never
one region's wording; any grammatical form will do (they are lemmatized).
"""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Union

from pydantic import ValidationError

from schema import Milestone

_YEAR_FILE = re.compile(r"(\d{4})\.json")


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


def parse_milestones(data: object, origin: str = "<data>") -> list[Milestone]:
    """Validate decoded JSON: a list of milestones, or an object with a `milestones` list."""
    if isinstance(data, dict) and "milestones" in data:
        data = data["milestones"]
    if not isinstance(data, list):
        raise TimelineError(f"{origin}: expected a JSON list of milestones")
    milestones: list[Milestone] = []
    for index, item in enumerate(data, start=1):
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


def load_file(path: Union[str, Path]) -> list[Milestone]:
    """Read one timeline file (UTF-8 JSON)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TimelineError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TimelineError(f"{path}: not a UTF-8 JSON file ({exc})") from None
    return parse_milestones(data, str(path))


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


def load_timeline(files: Optional[Iterable[Union[str, Path]]] = None, year: Optional[int] = None) -> list[Milestone]:
    """User files when given (they replace the packaged timeline), else the packaged one.

    `year` keeps only that year's milestones. Sorted by deadline, then id.
    """
    files = list(files or [])
    if files:
        milestones: list[Milestone] = []
        for f in files:
            milestones.extend(load_file(f))
        ids = [m.id for m in milestones]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise TimelineError(f"duplicate milestone ids across timeline files: {', '.join(duplicates)}")
    else:
        milestones = load_packaged()
    if year is not None:
        milestones = [m for m in milestones if m.year == year]
    return sorted(milestones, key=lambda m: (m.deadline, m.id))
