"""The accuracy sets, their floors and the README's accuracy table, shared by the accuracy
tests (tests/test_accuracy.py, test_unseen.py, test_ocr_accuracy.py) and by the command that
writes the floors (scripts/accuracy_floors.py).

Floors (tests/accuracy_floors.json) hold, per set, format and document and per set and format
("all", micro over its documents), every figure pipeline.evaluate prints, as it was when the
file was last written by `python scripts/accuracy_floors.py` and reviewed. The tests never
write it. A ratio may not fall below its floor (margin RATIO_MARGIN: exact to 6 decimals), a
near-miss count may not rise, a both-empty count may not fall (a value invented where the
gold is empty lowers it), and a figure with nothing to score (null) must stay so.

Keys: each set is scored against its gold; fixtures/gold, fixtures/unseen/gold and
fixtures/blind{,2}/gold were revised after their first scoring (commits cd5fc23, 735baa6;
blind and blind2 once the spec settled ОО in 9926436), so the sets reading them are also
scored against the keys as first written (`gold-original/`, the revised files only; the
others were not changed), as "<set>@original".
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional

from pipeline.evaluate import (
    FIGURES, DocumentScore, aggregate, figure_kind, format_figure, format_scores, score_document,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
FLOORS_FILE = Path(__file__).resolve().parent / "accuracy_floors.json"
README = ROOT / "README.md"
RATIO_MARGIN = 1e-6          # floors: exact to 6 decimals
README_MARGIN = 0.0005       # README: the figure as printed, to 3 decimals
ORIGINAL = "@original"
ALL = "all"


def stem_of(path: Path) -> str:
    return path.name.split(".")[0]


def format_of(path: Path) -> str:
    return "scan" if path.name.endswith(".scan.pdf") else path.suffix[1:]


@dataclass(frozen=True)
class AccuracySet:
    """Documents of one set with the folder of their gold (and of the keys as first written)."""

    name: str
    documents: tuple[Path, ...]
    gold_dir: Path
    original_dir: Optional[Path] = None

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(format_of(p) for p in self.documents))

    @property
    def keys(self) -> tuple[str, ...]:
        """The score keys: the set's name, and name@original where its gold was revised."""
        return (self.name,) + ((self.name + ORIGINAL,) if self.original_dir else ())

    def gold(self, path: Path, original: bool = False) -> dict:
        stem = stem_of(path)
        if original and self.original_dir and (self.original_dir / f"{stem}.json").exists():
            return json.loads((self.original_dir / f"{stem}.json").read_text(encoding="utf-8"))
        return json.loads((self.gold_dir / f"{stem}.json").read_text(encoding="utf-8"))


def _with_gold(paths: Iterable[Path], gold_dir: Path) -> tuple[Path, ...]:
    return tuple(p for p in paths if (gold_dir / f"{stem_of(p)}.json").exists())


def _invented(name: str, stems: tuple[str, ...], original: bool = False) -> AccuracySet:
    folder = FIXTURES / name
    return AccuracySet(name, tuple(folder / f"{stem}.{fmt}" for fmt in ("docx", "pdf") for stem in stems),
                       folder / "gold", folder / "gold-original" if original else None)


_GOLD, _ORIGINAL = FIXTURES / "gold", FIXTURES / "gold-original"
SETS: dict[str, AccuracySet] = {s.name: s for s in (
    AccuracySet("fixtures", _with_gold(sorted((FIXTURES / "orders").glob("*.docx"))
                                       + sorted((FIXTURES / "orders").glob("*.pdf")), _GOLD), _GOLD, _ORIGINAL),
    _invented("unseen", ("perm-2022", "kyakhta-2022", "chuvashia-2022", "khmao-2022"), original=True),
    _invented("blind", ("saratov-2021", "kizlyar-2022", "krasnoyarsk-2022", "leningrad-2022"), original=True),
    _invented("blind2", ("novosibirsk-2022", "chelny-2022", "rostov-2022", "chita-district-2022"), original=True),
    _invented("blind3", ("kurgan-2022", "komi-2022", "georgievsk-2022", "tavrichesky-2022")),
    _invented("blind4", ("arkhangelsk-2022", "tuymazy-2022", "tver-2022", "ussuriysk-2022")),
    _invented("blind5", ("volgograd-2022", "votkinsk-2022", "kozelsk-2022", "khabarovsk-2022")),
    _invented("blind6", ("orenburg-2022", "amur-2022", "petrozavodsk-2022", "ruzaevka-2022")),
    _invented("blind7", ("belgorod-2022", "tomsk-2022", "yakutsk-2022", "cherepovets-2022")),
    _invented("blind8", ("irkutsk-2022", "kirov-2022", "barnaul-2022", "pskov-2022")),
    _invented("blind9", ("murmansk-2022", "yaroslavl-2022", "kuzbass-2022", "abakan-2022")),
    _invented("blind10", ("kaliningrad-2022", "magnitogorsk-2022", "novgorod-2021", "navlya-2022")),
    _invented("blind11", ("tula-2022", "dimitrovgrad-2022", "sakhalin-2022", "kyzyl-2022")),
    _invented("blind12", ("astrakhan-2022", "yoshkar-ola-2022", "kostroma-2022", "tambov-2022")),
    _invented("blind13", ("kursk-2022", "nalchik-2022", "eao-zapad-2022", "nenets-2022")),
    _invented("blind14", ("gorno-altaysk-2022", "ryazan-2022-2023", "chukotka-2022", "yashkul-2022")),
    _invented("blind15", ("vladimir-2022", "stavropol-2022", "adygea-2022", "elizovo-2022")),
    _invented("blind16", ("orel-2022", "nizhny-tagil-2022", "alania-2022-2023", "ola-2022")),
    _invented("blind17", ("kaluga-2022", "biysk-2022", "ingushetia-2022", "vilyuy-2022")),
    _invented("blind18", ("chechnya-2022", "yamal-2022", "omsk-2022", "bakhchisaray-2021")),
    _invented("blind19", ("smolensk-2022", "novorossiysk-2022", "kchr-2022", "ust-kut-2022")),
    _invented("blind20", ("voronezh-2022", "balakhna-2022", "kolomna-2022", "spb-frunzensky-2022")),
    _invented("blind21", ("moscow-2022", "sevastopol-2022", "pervouralsk-2022", "kopeysk-2022")),
    _invented("blind22", ("tatarstan-2022", "armavir-2022", "kamensk-uralsky-2022", "pavlovsk-2022")),
    _invented("blind23", ("beloretsk-2021", "novocherkassk-2022", "kungur-2022-2023", "primorye-2022")),
    _invented("blind24", ("gorodets-2022", "tolyatti-2021-2022", "neryungri-2022", "altai-2022")),
    _invented("blind25", ("murom-2022", "velikiy-ustyug-2022", "sarapul-2022", "ulyanovsk-2022")),
    _invented("blind26", ("achinsk-2022", "kabansky-2022", "zlatoust-2022", "kamyshin-2022")),
    _invented("blind27", ("orsk-2022", "novomoskovsk-2022", "gatchina-2022-2023", "kuznetsky-2022")),
    _invented("blind28", ("berdsk-2022", "derbent-2022", "okha-2022", "tobolsk-2022-2023")),
    _invented("blind29", ("mari-el-2022", "stary-oskol-2022", "tara-2022-2023", "nevinnomyssk-2022")),
    _invented("blind30", ("bataysk-2022", "mozdok-2021", "nefteyugansk-2022", "verkhnebureinsky-2022-2023")),
    _invented("blind31", ("penza-2022", "severodvinsk-2022", "engels-2022", "ulan-ude-2022-2023")),
    _invented("blind32", ("lipetsk-2022", "miass-2022", "bratsk-2021", "labinsk-2022")),
    _invented("blind33", ("kemerovo-city-2022", "birobidzhan-2022", "kursk-district-2021", "chuvashia-alatyr-2022")),
    _invented("blind34", ("mordovia-2022", "norilsk-2022", "vyborg-2022", "magadan-2021-2022")),
    _invented("blind35", ("kalmykia-elista-2022", "tyva-kaa-khem-2022", "pskov-velikie-luki-2022", "bashkortostan-2022")),
    _invented("blind36", ("saransk-2022", "dzerzhinsk-2022", "kostomuksha-2022", "astrakhan-akhtubinsk-2021-2022")),
    _invented("blind37", ("sverdlovsk-2022", "kamchatka-2021", "chaykovsky-2021-2022", "shira-2022")),
    _invented("blind38", ("rostov-oblast-2021-2022", "sokol-2022", "baksan-2022", "rybinsk-2022")),
    _invented("blind39", ("udmurtia-2022", "chelyabinsk-2021-2022", "angarsk-2022", "komsomolsk-2022")),
    _invented("blind40", ("dagestan-2021", "vologda-2022", "kingisepp-2021-2022", "pyatigorsk-2022")),
    _invented("blind41", ("bryansk-2022", "zabaykalsky-2021-2022", "michurinsk-2021", "ruza-2022")),
    _invented("blind42", ("pskov-oblast-2022", "omsk-oblast-2021", "segezha-2021", "rtishchevo-2022")),
    _invented("blind43", ("yaroslavl-oblast-2022", "tambov-oblast-2021", "chusovoy-2021-2022", "konda-2022")),
    _invented("blind44", ("nizhny-oblast-2022", "buryatia-2021", "zheleznogorsk-2021", "volsk-2022")),
    AccuracySet("scans", _with_gold(sorted((FIXTURES / "scans").glob("*.scan.pdf")), _GOLD), _GOLD, _ORIGINAL),
    AccuracySet("legacy", _with_gold(sorted((FIXTURES / "legacy").glob("*.doc"))
                                     + sorted((FIXTURES / "legacy").glob("*.rtf")), _GOLD), _GOLD, _ORIGINAL),
    AccuracySet("merged", tuple(sorted((FIXTURES / "merged").glob("*.docx")) + sorted(
        p for p in (FIXTURES / "merged").glob("*.pdf") if not p.name.endswith(".scan.pdf"))
        + sorted((FIXTURES / "merged").glob("*.scan.pdf"))), FIXTURES / "merged" / "gold"),
    AccuracySet("spreadsheets", _with_gold(sorted(p for fmt in ("xlsx", "xls", "ods", "csv")
                                                  for p in (FIXTURES / "spreadsheets").glob(f"*.{fmt}")), _GOLD),
                _GOLD),
    AccuracySet("images", _with_gold(sorted((FIXTURES / "images").glob("*.tiff")), _GOLD), _GOLD),
)}

Scores = dict[str, dict[Path, DocumentScore]]  # score key → document → score


def score_set(accuracy_set: AccuracySet, extract: Callable, paths: Optional[Iterable[Path]] = None) -> Scores:
    """Each document extracted once and scored against every key of its set; a document the
    extractor refuses (not a roadmap, unreadable) is scored as nothing extracted, so it counts
    against its set instead of stopping the scoring."""
    from extractors.raw import ExtractionError

    scores: Scores = {key: {} for key in accuracy_set.keys}
    for path in paths if paths is not None else accuracy_set.documents:
        try:
            document = extract(str(path))
        except ExtractionError:
            document = {"activities": [], "amends": []}
        for key in accuracy_set.keys:
            gold = accuracy_set.gold(path, original=key.endswith(ORIGINAL))
            scores[key][path] = score_document(document, gold, name=path.name)
    return scores


def by_format(scores: Mapping[Path, DocumentScore], fmt: str) -> list[DocumentScore]:
    return [s for p, s in scores.items() if format_of(p) == fmt]


def floor_values(score: DocumentScore) -> dict[str, Optional[float]]:
    """What the floors file stores for a score: every printed figure, ratios to 6 decimals."""
    return {name: None if (v := score.figure(name)) is None else (round(v, 6) if figure_kind(name) == "ratio" else v)
            for name, _ in FIGURES}


def load_floors() -> dict:
    return json.loads(FLOORS_FILE.read_text(encoding="utf-8"))


def floor_problems(score: DocumentScore, floors: Mapping[str, Optional[float]]) -> list[str]:
    """Every figure of `score` that fell below its floor (or has none)."""
    problems = []
    for name, _ in FIGURES:
        if name not in floors:
            problems.append(f"{name}: no floor (run scripts/accuracy_floors.py and review the diff)")
            continue
        value, floor = score.figure(name), floors[name]
        kind = figure_kind(name)
        if floor is None or value is None:
            bad = (floor is None) != (value is None)
        elif kind == "ratio":
            bad = value < floor - RATIO_MARGIN
        elif kind == "near_miss":
            bad = value > floor
        else:
            bad = value < floor
        if bad:
            rule = {"ratio": "≥", "near_miss": "≤", "both_empty": "≥"}[kind]
            problems.append(f"{name} = {format_figure(name, value)}, floor {rule} {format_figure(name, floor)}")
    return problems


def check_document(key: str, path: Path, score: DocumentScore, report: Callable[[list], str]) -> None:
    """Assert one document's figures against its floors."""
    floors = load_floors()[key][format_of(path)][stem_of(path)]
    problems = floor_problems(score, floors)
    assert not problems, f"{key} {path.name}: " + "; ".join(problems) + f"\n{report([score])}"


def check_set(key: str, fmt: str, per_document: list[DocumentScore], report: Callable[..., str]) -> DocumentScore:
    """Assert a set's micro-averaged figures against its floors; returns the aggregate."""
    total = aggregate(per_document, name=f"{key} .{fmt}")
    problems = floor_problems(total, load_floors()[key][fmt][ALL])
    assert not problems, f"{key} {fmt}: " + "; ".join(problems) + f"\n{report(per_document, total)}"
    return total


def check_bars(name: str, per_document: list[DocumentScore], bars: Mapping[str, float],
               report: Callable[..., str], below: Iterable[str] = ()) -> None:
    """Assert the general bars (the same for every set) on a set's micro-averaged figures.
    `below` names figures known to miss their bar (held by the floors instead): they must
    still miss it, so the list shrinks the day they are fixed."""
    total = aggregate(per_document, name=name)
    print(f"\n{format_scores(per_document + [total])}")
    below = set(below)
    missed = {key: total.figure(key) for key, bar in bars.items()
              if key not in below and (total.figure(key) is None or total.figure(key) < bar)}
    assert not missed, (f"{name}: below the bars {dict(bars)}: "
                        + ", ".join(f"{k}={format_figure(k, v)}" for k, v in missed.items())
                        + f"\n{report(per_document, total)}")
    fixed = [key for key in below if (total.figure(key) or 0.0) >= bars[key]]
    assert not fixed, f"{name}: {fixed} now meet their bars: take them off the known shortfalls"


# ------------------------------------------------------------------ the README's accuracy table

README_COLUMNS = {
    "gold activities": "n_gold",
    "activity F1": "activity_f1",
    "schedule end": "schedule_end",
    "parties F1": "parties_f1",
    "party-name near misses": "party_near_miss",
    "metadata": "metadata",
}
README_FORMATS = {"DOCX": "docx", "PDF": "pdf", "scan": "scan", "DOC": "doc", "RTF": "rtf", "XLSX": "xlsx",
                  "XLS": "xls", "ODS": "ods", "CSV": "csv", "TIFF": "tiff"}


@dataclass(frozen=True)
class ReadmeRow:
    key: str      # score key: set name, or set@original
    fmt: str
    figures: dict[str, float]
    line: str


def readme_rows(text: Optional[str] = None) -> list[ReadmeRow]:
    """The rows of the README's current-figures table (between its two marker comments)."""
    text = text if text is not None else README.read_text(encoding="utf-8")
    table = text.split("<!-- accuracy-table -->")[1].split("<!-- /accuracy-table -->")[0]
    lines = [ln.strip() for ln in table.strip().splitlines() if ln.strip().startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = dict(zip(header, (c.strip() for c in line.strip("|").split("|"))))
        name = re.search(r"`([^`]+)`", cells["set"]).group(1)
        key = name + (ORIGINAL if cells["keys"].startswith("original") else "")
        figures = {README_COLUMNS[col]: float(cells[col]) for col in header if col in README_COLUMNS}
        rows.append(ReadmeRow(key, README_FORMATS[cells["format"]], figures, line))
    return rows


def check_readme(scores: Scores) -> int:
    """Assert every README row of these score keys against the computed figures; returns how many."""
    checked, problems = 0, []
    for row in readme_rows():
        if row.key not in scores:
            continue
        total = aggregate(by_format(scores[row.key], row.fmt))
        for name, quoted in row.figures.items():
            value = total.n_gold if name == "n_gold" else total.figure(name)
            if value is None or not math.isclose(value, quoted, abs_tol=README_MARGIN):
                problems.append(f"{row.key} {row.fmt} {name}: README {quoted}, measured "
                                f"{format_figure(name, value)}")
        checked += 1
    assert not problems, "README.md accuracy table out of date: " + "; ".join(problems)
    return checked
