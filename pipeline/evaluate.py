"""Accuracy of an extracted RoadmapDocument against a hand-checked gold one (fixtures/gold).

Pure scoring, no I/O: `score_document(predicted, gold)` returns counts per field, so several
documents aggregate by summing (micro averages), and `format_scores` renders them.

How predictions meet the gold:
- Activities are paired one-to-one by text similarity: rapidfuzz `fuzz.ratio` on normalized
  text (lower case, HTML/markdown debris and a leading row number removed, quotes, dashes and
  whitespace unified) of at least ACTIVITY_MATCH_THRESHOLD. Pairs are taken greedily, best
  score first; equal scores (repeated activities) go to the pair closest in relative
  position. A row left split by a page break (half its text) does not reach the threshold:
  it counts as a miss plus an extra.
- Per-field figures count the fields where the gold or the prediction has a value: a field
  empty on both sides of a matched pair is a correct "nothing there", counted apart
  ("both empty: …") so it cannot inflate a hit rate. A missing gold activity counts as wrong
  in every field where the gold has a value. Parties: micro precision/recall over matched
  activities; party kinds: share of paired parties (exact names and near misses).
- Metadata: share of the ten header fields that agree, over the fields not empty on both sides.
- Names (parties, section, result, issuer, title, municipality, doc type) are compared exactly
  after one normalization, `name_key` (case, ё/е, quotes, spaces, hyphens and dashes); dates,
  numbers, regions and targets exactly. A pair the former fuzzy rule accepted (`NEAR_MISS_*`
  thresholds) but the exact one rejects is a miss, counted as its own figure ("near misses:
  …"); `format_report` prints a few examples of each.
"""
from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from rapidfuzz import fuzz

from language.patterns import compiled

ACTIVITY_MATCH_THRESHOLD = 85.0
# The former lenient rules: a pair they accept but exact comparison rejects is a near miss.
NEAR_MISS_PARTY = 85.0
NEAR_MISS_SECTION = 90.0
NEAR_MISS_RESULT = 90.0
NEAR_MISS_ISSUER = 85.0
NEAR_MISS_TITLE = 90.0

METADATA_FIELDS = ("issuer", "region.code", "level", "municipality", "doc_type", "number", "date", "title",
                   "amends", "period")

# Ratios (higher is better): figure name → label.
RATIO_FIGURES: tuple[tuple[str, str], ...] = (
    ("activity_precision", "activities: precision"),
    ("activity_recall", "activities: recall"),
    ("activity_f1", "activities: F1"),
    ("text_exact", "text exact (folded)"),
    ("seq", "seq"),
    ("section", "section"),
    ("schedule_kind", "schedule kind"),
    ("schedule_start", "schedule start"),
    ("schedule_end", "schedule end"),
    ("federal_end", "federal schedule end"),
    ("parties_precision", "parties: precision"),
    ("parties_recall", "parties: recall"),
    ("parties_f1", "parties: F1"),
    ("party_kind", "party kind"),
    ("indicator_target", "indicator targets"),
    ("result", "result"),
    ("metadata", "metadata"),
)
# Fields whose names the former scorer matched fuzzily: near misses are counted (lower is better).
NEAR_MISS_FIELDS: tuple[tuple[str, str], ...] = (
    ("party", "party names"), ("section", "section"), ("result", "result"), ("issuer", "issuer"), ("title", "title"),
)
# Fields that may be empty on both sides: "both empty" counted apart (informational).
BOTH_EMPTY_FIELDS: tuple[tuple[str, str], ...] = (
    ("seq", "seq"), ("section", "section"), ("schedule_start", "schedule start"), ("schedule_end", "schedule end"),
    ("federal_end", "federal schedule end"), ("parties", "parties (activities)"),
    ("indicator_target", "indicator targets"), ("result", "result"), ("metadata", "metadata fields"),
)
FIGURES: tuple[tuple[str, str], ...] = (
    RATIO_FIGURES
    + tuple((f"{key}_near_miss", f"near misses: {label}") for key, label in NEAR_MISS_FIELDS)
    + tuple((f"{key}_both_empty", f"both empty: {label}") for key, label in BOTH_EMPTY_FIELDS)
)
NEAR_MISS_EXAMPLES = 3

_TAG = compiled(r"</?[a-zA-Z][^>]*>|\*\*|__|`")
_LEADING_NUMBER = compiled(r"^\s*(?:\d+(?:\.\d+)+\.?|\d+[.)])\s+")
_QUOTES = str.maketrans({c: '"' for c in "«»“”„‟″'’‘`"})
_NO_QUOTES = str.maketrans({c: " " for c in "\"«»“”„‟″'’‘`"})
_DASHES = compiled(r"\s*[‐‑‒–—―-]\s*")


def figure_kind(name: str) -> str:
    """'ratio' (higher is better), 'near_miss' (a count, lower is better) or 'both_empty' (a count)."""
    if name.endswith("_near_miss"):
        return "near_miss"
    if name.endswith("_both_empty"):
        return "both_empty"
    return "ratio"


def fold(text: Optional[str]) -> str:
    """Whitespace folded, nothing else: the schema's 'as printed, folded'."""
    return " ".join((text or "").split())


def normalize(text: Optional[str]) -> str:
    """Comparison form: debris removed, lower case, ё→е, one kind of quote and dash, folded."""
    text = _TAG.sub(" ", text or "")
    text = text.lower().replace("ё", "е").translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return fold(text)


def name_key(text: Optional[str]) -> str:
    """The one normalization names get before exact comparison: case, ё/е, quotes dropped,
    whitespace folded, hyphens and dashes unified without spaces around them. Nothing else:
    markup debris, a missing word or a wrong letter stays a difference."""
    text = (text or "").lower().replace("ё", "е").translate(_NO_QUOTES)
    return fold(_DASHES.sub("-", fold(text)))


def activity_key(text: Optional[str]) -> str:
    """What activity matching compares: normalized text without a leading row number."""
    return normalize(_LEADING_NUMBER.sub("", _TAG.sub(" ", text or "")))


def _similar(a: str, b: str) -> float:
    return float(fuzz.ratio(a, b)) if a or b else 100.0


def _party_similarity(a: str, b: str) -> float:
    return max(float(fuzz.ratio(a, b)), float(fuzz.token_sort_ratio(a, b)))


@dataclass(repr=False)
class DocumentScore:
    """Counts behind every figure; ratios are computed from them so documents add up."""

    name: str
    n_gold: int = 0
    n_predicted: int = 0
    n_matched: int = 0
    counts: dict[str, list[int]] = field(default_factory=dict)  # figure → [correct, total]
    both_empty: dict[str, int] = field(default_factory=dict)  # field → pairs empty on both sides
    near_misses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # field → (gold, predicted)
    parties_tp: int = 0
    parties_predicted: int = 0
    parties_gold: int = 0
    metadata_fields: dict[str, Optional[bool]] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    documents: int = 1

    def _ratio(self, key: str) -> Optional[float]:
        correct, total = self.counts.get(key, [0, 0])
        return correct / total if total else None

    @property
    def activity_precision(self) -> Optional[float]:
        return self.n_matched / self.n_predicted if self.n_predicted else (None if not self.n_gold else 0.0)

    @property
    def activity_recall(self) -> Optional[float]:
        return self.n_matched / self.n_gold if self.n_gold else None

    @property
    def activity_f1(self) -> Optional[float]:
        return _f1(self.n_matched, self.n_predicted, self.n_gold)

    @property
    def parties_precision(self) -> Optional[float]:
        return self.parties_tp / self.parties_predicted if self.parties_predicted else None

    @property
    def parties_recall(self) -> Optional[float]:
        return self.parties_tp / self.parties_gold if self.parties_gold else None

    @property
    def parties_f1(self) -> Optional[float]:
        return _f1(self.parties_tp, self.parties_predicted, self.parties_gold)

    @property
    def metadata(self) -> Optional[float]:
        return self._ratio("metadata")

    def figure(self, name: str) -> Optional[float]:
        """One figure by its FIGURES name (None when nothing was there to score)."""
        kind = figure_kind(name)
        if kind == "near_miss":
            return len(self.near_misses.get(name[: -len("_near_miss")], []))
        if kind == "both_empty":
            return self.both_empty.get(name[: -len("_both_empty")], 0)
        if hasattr(type(self), name) and isinstance(getattr(type(self), name), property):
            return getattr(self, name)
        return self._ratio(name)

    def figures(self) -> dict[str, Optional[float]]:
        return {name: self.figure(name) for name, _ in FIGURES}

    def __repr__(self) -> str:  # short: pytest prints it in failure reports
        return (f"DocumentScore({self.name!r}, matched={self.n_matched}/{self.n_gold} gold/{self.n_predicted} "
                f"predicted, {len(self.mismatches)} mismatches)")


def _f1(tp: int, predicted: int, gold: int) -> Optional[float]:
    if not predicted and not gold:
        return None
    if not tp:
        return 0.0
    precision, recall = tp / predicted, tp / gold
    return 2 * precision * recall / (precision + recall)


def _as_dict(document: Any) -> dict:
    if hasattr(document, "model_dump"):
        return document.model_dump(mode="json")
    return dict(document)


def _add(score: DocumentScore, key: str, ok: bool) -> None:
    entry = score.counts.setdefault(key, [0, 0])
    entry[0] += int(bool(ok))
    entry[1] += 1


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, tuple, dict)) and not value)


def _compare(score: DocumentScore, key: str, gold: Any, predicted: Any, equal=operator.eq) -> Optional[bool]:
    """Whether a field agrees, counted in its figure; None (counted apart) when both are empty."""
    if _empty(gold) and _empty(predicted):
        score.both_empty[key] = score.both_empty.get(key, 0) + 1
        return None
    ok = bool(equal(gold, predicted))
    _add(score, key, ok)
    return ok


def _same_name(a: Optional[str], b: Optional[str]) -> bool:
    return name_key(a) == name_key(b)


def _near_miss(score: DocumentScore, key: str, gold: Optional[str], predicted: Optional[str],
               threshold: float, similarity=_similar) -> None:
    """Record a pair of differing names that the former fuzzy rule would have counted as a hit."""
    g, p = normalize(gold), normalize(predicted)
    if g and p and not _same_name(gold, predicted) and similarity(g, p) >= threshold:
        score.near_misses.setdefault(key, []).append((fold(gold), fold(predicted)))


def match_activities(predicted: Sequence[Mapping], gold: Sequence[Mapping],
                     threshold: float = ACTIVITY_MATCH_THRESHOLD) -> dict[int, int]:
    """One-to-one pairs gold index → predicted index, greedy by similarity then by position."""
    gold_keys = [activity_key(a.get("text")) for a in gold]
    pred_keys = [activity_key(a.get("text")) for a in predicted]
    candidates = []
    for i, g in enumerate(gold_keys):
        for j, p in enumerate(pred_keys):
            similarity = _similar(g, p)
            if similarity >= threshold:
                distance = abs(i / max(len(gold_keys), 1) - j / max(len(pred_keys), 1))
                candidates.append((-similarity, distance, i, j))
    candidates.sort()
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, _, i, j in candidates:
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


Pairs = list[tuple[Mapping, Mapping]]


def _match_parties(predicted: Sequence[Mapping], gold: Sequence[Mapping]) -> tuple[Pairs, Pairs]:
    """(exact pairs, near misses): names equal after name_key pair first, in order; of the rest,
    the pairs the former fuzzy rule accepted are near misses."""
    exact: Pairs = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if j not in used_p and _same_name(g.get("name"), p.get("name")):
                exact.append((g, p))
                used_g.add(i)
                used_p.add(j)
                break
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if i in used_g or j in used_p:
                continue
            similarity = _party_similarity(normalize(g.get("name")), normalize(p.get("name")))
            if similarity >= NEAR_MISS_PARTY:
                candidates.append((-similarity, abs(i - j), i, j))
    candidates.sort()
    near: Pairs = []
    for _, _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            near.append((gold[i], predicted[j]))
    return exact, near


def _schedule(activity: Optional[Mapping], key: str = "schedule") -> Mapping:
    if activity is None:
        return {}
    return activity.get(key) or {}


def _seq(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    value = fold(_TAG.sub(" ", value)).rstrip(".").strip()
    return value or None


def _targets(activity: Optional[Mapping]) -> list[float]:
    if activity is None:
        return []
    return sorted(float(i["target"]) for i in activity.get("indicators") or [] if i.get("target") is not None)


def _same_targets(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9) for x, y in zip(a, b))


def _activity_fields(activity: Mapping) -> dict[str, Any]:
    """The per-activity fields scored, each in its comparison form."""
    return {
        "text_exact": fold(activity.get("text")),
        "seq": _seq(activity.get("seq")),
        "section": activity.get("section"),
        "schedule_kind": _schedule(activity).get("kind"),
        "schedule_start": _schedule(activity).get("start"),
        "schedule_end": _schedule(activity).get("end"),
        "federal_end": _schedule(activity, "federal_schedule").get("end"),
        "indicator_target": _targets(activity),
        "result": activity.get("result"),
    }


_ACTIVITY_EQUAL = {"section": _same_name, "result": _same_name, "indicator_target": _same_targets}
_NEAR_MISS_THRESHOLDS = {"section": NEAR_MISS_SECTION, "result": NEAR_MISS_RESULT}


def _number(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    return compiled(r"\s+").sub("", value.replace("№", "")).lower() or None


def _metadata_fields(document: Mapping) -> dict[str, Any]:
    period = document.get("period") or {}
    return {
        "issuer": document.get("issuer"),
        "region.code": (document.get("region") or {}).get("code"),
        "level": document.get("level"),
        "municipality": document.get("municipality"),
        "doc_type": document.get("doc_type"),
        "number": _number(document.get("number")),
        "date": document.get("date"),
        "title": document.get("title"),
        "amends": sorted({(_number(a.get("number")) or "", a.get("date") or "") for a in document.get("amends") or []}),
        "period": None if not (period.get("start") or period.get("end")) else (period.get("start"), period.get("end")),
    }


_METADATA_NAMES = ("issuer", "municipality", "doc_type", "title")
_METADATA_NEAR_MISS = {"issuer": (NEAR_MISS_ISSUER, lambda a, b: float(fuzz.token_sort_ratio(a, b))),
                       "title": (NEAR_MISS_TITLE, _similar)}


def _metadata(score: DocumentScore, predicted: Mapping, gold: Mapping) -> dict[str, Optional[bool]]:
    """Each header field: True/False, None when empty on both sides (counted apart)."""
    fields_g, fields_p = _metadata_fields(gold), _metadata_fields(predicted)
    result: dict[str, Optional[bool]] = {}
    for key in METADATA_FIELDS:
        equal = _same_name if key in _METADATA_NAMES else operator.eq
        result[key] = ok = _compare(score, "metadata", fields_g[key], fields_p[key], equal)
        if ok is False and key in _METADATA_NEAR_MISS:
            threshold, similarity = _METADATA_NEAR_MISS[key]
            _near_miss(score, key, fields_g[key], fields_p[key], threshold, similarity)
    return result


def _short(text: Optional[str], n: int = 60) -> str:
    text = fold(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _difference(gold: Optional[str], predicted: Optional[str], context: int = 25) -> str:
    """Where a predicted text first departs from the gold, with a little context."""
    g, p = fold(gold), fold(predicted)
    at = next((i for i, (a, b) in enumerate(zip(g, p)) if a != b), min(len(g), len(p)))
    start = max(0, at - context)
    return f"…{p[start:at + context]!r} where gold has …{g[start:at + context]!r}"


_REPORTED_FIELDS = ("seq", "section", "schedule_kind", "schedule_start", "schedule_end", "federal_end",
                    "indicator_target", "result")


def _score_parties(score: DocumentScore, gold: Mapping, predicted: Mapping, label: str) -> None:
    g_parties, p_parties = list(gold.get("responsible") or []), list(predicted.get("responsible") or [])
    if not g_parties and not p_parties:
        score.both_empty["parties"] = score.both_empty.get("parties", 0) + 1
        return
    exact, near = _match_parties(p_parties, g_parties)
    score.parties_tp += len(exact)
    score.parties_gold += len(g_parties)
    score.parties_predicted += len(p_parties)
    for gp, pp in exact + near:
        _add(score, "party_kind", gp.get("kind") == pp.get("kind"))
    score.near_misses.setdefault("party", []).extend((fold(g.get("name")), fold(p.get("name"))) for g, p in near)
    if len(exact) != len(g_parties) or len(exact) != len(p_parties):
        score.mismatches.append(
            f"parties: {label} gold {[x.get('name') for x in g_parties]} "
            f"predicted {[x.get('name') for x in p_parties]}")


def score_document(predicted: Union[Any, Mapping], gold: Mapping, name: Optional[str] = None) -> DocumentScore:
    """Score one extracted document (RoadmapDocument or its JSON dict) against its gold dict."""
    pred = _as_dict(predicted)
    gold = dict(gold)
    score = DocumentScore(name=name or str(gold.get("title") or "document")[:40])
    gold_acts = list(gold.get("activities") or [])
    pred_acts = list(pred.get("activities") or [])
    score.n_gold, score.n_predicted = len(gold_acts), len(pred_acts)
    pairs = match_activities(pred_acts, gold_acts)
    score.n_matched = len(pairs)

    for i, g in enumerate(gold_acts):
        label = f"«{_short(g.get('text'))}»"
        fields_g = _activity_fields(g)
        if i not in pairs:
            score.mismatches.append(f"missing: {label}")
            for key, value in fields_g.items():
                if not _empty(value):
                    _add(score, key, False)
            continue
        p = pred_acts[pairs[i]]
        fields_p = _activity_fields(p)
        for key in fields_g:
            ok = _compare(score, key, fields_g[key], fields_p[key], _ACTIVITY_EQUAL.get(key, operator.eq))
            if ok is not False:
                continue
            if key == "text_exact":
                score.mismatches.append(f"text: {label} predicted {_difference(g.get('text'), p.get('text'))}")
            elif key in _REPORTED_FIELDS:
                score.mismatches.append(f"{key}: {label} gold {fields_g[key]!r} predicted {fields_p[key]!r}")
            if key in _NEAR_MISS_THRESHOLDS:
                _near_miss(score, key, fields_g[key], fields_p[key], _NEAR_MISS_THRESHOLDS[key])
        _score_parties(score, g, p, label)

    matched_pred = set(pairs.values())
    for j, p in enumerate(pred_acts):
        if j not in matched_pred:
            score.mismatches.append(f"extra: «{_short(p.get('text'))}»")

    score.metadata_fields = _metadata(score, pred, gold)
    fields_g, fields_p = _metadata_fields(gold), _metadata_fields(pred)
    for key, ok in score.metadata_fields.items():
        if ok is False:
            score.mismatches.append(f"metadata {key}: gold {fields_g[key]!r} predicted {fields_p[key]!r}")
    return score


def aggregate(scores: Iterable[DocumentScore], name: str = "all") -> DocumentScore:
    """Micro average: every count summed over the documents."""
    total = DocumentScore(name=name, documents=0)
    for s in scores:
        total.documents += s.documents
        total.n_gold += s.n_gold
        total.n_predicted += s.n_predicted
        total.n_matched += s.n_matched
        total.parties_tp += s.parties_tp
        total.parties_gold += s.parties_gold
        total.parties_predicted += s.parties_predicted
        for key, (correct, count) in s.counts.items():
            entry = total.counts.setdefault(key, [0, 0])
            entry[0] += correct
            entry[1] += count
        for key, count in s.both_empty.items():
            total.both_empty[key] = total.both_empty.get(key, 0) + count
        for key, examples in s.near_misses.items():
            total.near_misses.setdefault(key, []).extend(examples)
        total.mismatches.extend(f"{s.name}: {m}" for m in s.mismatches)
    return total


def format_figure(name: str, value: Optional[float]) -> str:
    """A figure as printed: a ratio to 3 decimals, a count as an integer, — for nothing to score."""
    if value is None:
        return "—"
    return f"{value:.3f}" if figure_kind(name) == "ratio" else str(int(value))


def format_scores(scores: Union[Sequence[DocumentScore], Mapping[str, DocumentScore]]) -> str:
    """A plain-text table: one row per figure, one column per document (or aggregate)."""
    columns = list(scores.values()) if isinstance(scores, Mapping) else list(scores)
    names = [c.name for c in columns]
    label_width = max(len(label) for _, label in FIGURES)
    widths = [max(len(n), 6) for n in names]
    lines = [" " * label_width + "  " + "  ".join(n.rjust(w) for n, w in zip(names, widths))]
    lines.append(" " * label_width + "  " + "  ".join(
        f"{c.n_matched}/{c.n_gold}g/{c.n_predicted}p".rjust(w) for c, w in zip(columns, widths)))
    for key, label in FIGURES:
        cells = [format_figure(key, c.figure(key)).rjust(w) for c, w in zip(columns, widths)]
        lines.append(label.ljust(label_width) + "  " + "  ".join(cells))
    return "\n".join(lines)


def format_near_misses(score: DocumentScore, shown: int = NEAR_MISS_EXAMPLES) -> list[str]:
    """Near misses (counted as misses) with a few examples each."""
    lines = []
    for key, label in NEAR_MISS_FIELDS:
        examples = score.near_misses.get(key) or []
        if examples:
            lines.append(f"  near misses, {label}: {len(examples)}, e.g. "
                         + "; ".join(f"gold «{g}» ≠ predicted «{p}»" for g, p in examples[:shown]))
    return lines


def format_report(scores: Sequence[DocumentScore], total: Optional[DocumentScore] = None, shown: int = 25) -> str:
    """The figures table, then each document's near misses and first `shown` mismatches: what a
    failing accuracy test prints, so the reader sees which rows and fields went wrong."""
    lines = [format_scores(list(scores) + ([total] if total else []))]
    for score in scores:
        near = format_near_misses(score)
        if score.mismatches or near:
            lines.append(f"\n{score.name}: {len(score.mismatches)} mismatches")
            lines += near
            lines += [f"  {m}" for m in score.mismatches[:shown]]
            if len(score.mismatches) > shown:
                lines.append(f"  … {len(score.mismatches) - shown} more")
    return "\n".join(lines)
