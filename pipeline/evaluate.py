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
- Per-field figures are shares of GOLD activities (an unmatched gold activity counts as
  wrong), except parties (micro precision/recall over matched activities) and party kinds
  (share of matched parties).
- Metadata: share of the ten header fields that agree (issuer and title fuzzily).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from rapidfuzz import fuzz

ACTIVITY_MATCH_THRESHOLD = 85.0
PARTY_MATCH_THRESHOLD = 85.0
SECTION_MATCH_THRESHOLD = 90.0
RESULT_MATCH_THRESHOLD = 90.0
ISSUER_MATCH_THRESHOLD = 85.0
TITLE_MATCH_THRESHOLD = 90.0

METADATA_FIELDS = ("issuer", "region.code", "level", "municipality", "doc_type", "number", "date", "title",
                   "amends", "period")

# figure name → (label, kind); kinds: "ratio" = counts[name], special ones computed
FIGURES: tuple[tuple[str, str], ...] = (
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

_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\*\*|__|`")
_LEADING_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)+\.?|\d+[.)])\s+")
_QUOTES = str.maketrans({c: '"' for c in "«»“”„‟″'’‘`"})
_DASHES = re.compile(r"\s*[‐‑‒–—―-]\s*")


def fold(text: Optional[str]) -> str:
    """Whitespace folded, nothing else: the schema's 'as printed, folded'."""
    return " ".join((text or "").split())


def normalize(text: Optional[str]) -> str:
    """Comparison form: debris removed, lower case, ё→е, one kind of quote and dash, folded."""
    text = _TAG.sub(" ", text or "")
    text = text.lower().replace("ё", "е").translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return fold(text)


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
    parties_tp: int = 0
    parties_predicted: int = 0
    parties_gold: int = 0
    metadata_fields: dict[str, bool] = field(default_factory=dict)
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


def _match_parties(predicted: Sequence[Mapping], gold: Sequence[Mapping]) -> list[tuple[Mapping, Mapping]]:
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            similarity = _party_similarity(normalize(g.get("name")), normalize(p.get("name")))
            if similarity >= PARTY_MATCH_THRESHOLD:
                candidates.append((-similarity, abs(i - j), i, j))
    candidates.sort()
    pairs, used_g, used_p = [], set(), set()
    for _, _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((gold[i], predicted[j]))
    return pairs


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


def _fuzzy_equal(a: Optional[str], b: Optional[str], threshold: float, scorer=fuzz.ratio) -> bool:
    if not a and not b:
        return True
    if not a or not b:
        return False
    return scorer(normalize(a), normalize(b)) >= threshold


def _number(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    return re.sub(r"\s+", "", value.replace("№", "")).lower() or None


def _metadata(predicted: Mapping, gold: Mapping) -> dict[str, bool]:
    region_p = (predicted.get("region") or {}).get("code")
    region_g = (gold.get("region") or {}).get("code")
    amends_p = {(_number(a.get("number")), a.get("date")) for a in predicted.get("amends") or []}
    amends_g = {(_number(a.get("number")), a.get("date")) for a in gold.get("amends") or []}
    period_p, period_g = predicted.get("period") or {}, gold.get("period") or {}
    return {
        "issuer": _fuzzy_equal(predicted.get("issuer"), gold.get("issuer"), ISSUER_MATCH_THRESHOLD,
                               fuzz.token_sort_ratio),
        "region.code": region_p == region_g,
        "level": predicted.get("level") == gold.get("level"),
        "municipality": normalize(predicted.get("municipality")) == normalize(gold.get("municipality")),
        "doc_type": normalize(predicted.get("doc_type")) == normalize(gold.get("doc_type")),
        "number": _number(predicted.get("number")) == _number(gold.get("number")),
        "date": predicted.get("date") == gold.get("date"),
        "title": _fuzzy_equal(predicted.get("title"), gold.get("title"), TITLE_MATCH_THRESHOLD),
        "amends": amends_p == amends_g,
        "period": (period_p.get("start"), period_p.get("end")) == (period_g.get("start"), period_g.get("end")),
    }


def _short(text: Optional[str], n: int = 60) -> str:
    text = fold(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _difference(gold: Optional[str], predicted: Optional[str], context: int = 25) -> str:
    """Where a predicted text first departs from the gold, with a little context."""
    g, p = fold(gold), fold(predicted)
    at = next((i for i, (a, b) in enumerate(zip(g, p)) if a != b), min(len(g), len(p)))
    start = max(0, at - context)
    return f"…{p[start:at + context]!r} where gold has …{g[start:at + context]!r}"


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
        p = pred_acts[pairs[i]] if i in pairs else None
        label = f"«{_short(g.get('text'))}»"
        if p is None:
            score.mismatches.append(f"missing: {label}")
        gs, ps = _schedule(g), _schedule(p)
        checks = {
            "text_exact": p is not None and fold(p.get("text")) == fold(g.get("text")),
            "seq": p is not None and _seq(p.get("seq")) == _seq(g.get("seq")),
            "section": p is not None and _fuzzy_equal(p.get("section"), g.get("section"), SECTION_MATCH_THRESHOLD),
            "schedule_kind": p is not None and ps.get("kind") == gs.get("kind"),
            "schedule_start": p is not None and ps.get("start") == gs.get("start"),
            "schedule_end": p is not None and ps.get("end") == gs.get("end"),
            "result": p is not None and _fuzzy_equal(p.get("result"), g.get("result"), RESULT_MATCH_THRESHOLD),
        }
        if g.get("federal_schedule") is not None:
            checks["federal_end"] = p is not None and _schedule(p, "federal_schedule").get("end") == \
                g["federal_schedule"].get("end")
        gold_targets, pred_targets = _targets(g), _targets(p)
        if gold_targets or pred_targets:
            checks["indicator_target"] = p is not None and _same_targets(gold_targets, pred_targets)
        for key, ok in checks.items():
            _add(score, key, ok)
            if p is not None and not ok and key == "text_exact":
                score.mismatches.append(f"text: {label} predicted {_difference(g.get('text'), p.get('text'))}")
            if p is not None and not ok and key in ("seq", "section", "schedule_kind", "schedule_end",
                                                       "federal_end", "indicator_target"):
                got = {"seq": lambda a: a.get("seq"), "section": lambda a: a.get("section"),
                       "schedule_kind": lambda a: _schedule(a).get("kind"),
                       "schedule_end": lambda a: _schedule(a).get("end"),
                       "federal_end": lambda a: _schedule(a, "federal_schedule").get("end"),
                       "indicator_target": _targets}[key]
                score.mismatches.append(f"{key}: {label} gold {got(g)!r} predicted {got(p)!r}")

        if p is not None:
            g_parties, p_parties = list(g.get("responsible") or []), list(p.get("responsible") or [])
            matched = _match_parties(p_parties, g_parties)
            score.parties_tp += len(matched)
            score.parties_gold += len(g_parties)
            score.parties_predicted += len(p_parties)
            for gp, pp in matched:
                _add(score, "party_kind", gp.get("kind") == pp.get("kind"))
            if len(matched) != len(g_parties) or len(matched) != len(p_parties):
                score.mismatches.append(
                    f"parties: {label} gold {[x.get('name') for x in g_parties]} "
                    f"predicted {[x.get('name') for x in p_parties]}")

    matched_pred = set(pairs.values())
    for j, p in enumerate(pred_acts):
        if j not in matched_pred:
            score.mismatches.append(f"extra: «{_short(p.get('text'))}»")

    score.metadata_fields = _metadata(pred, gold)
    for key, ok in score.metadata_fields.items():
        _add(score, "metadata", ok)
        if not ok:
            value = (lambda d: (d.get("region") or {}).get("code")) if key == "region.code" else (lambda d: d.get(key))
            score.mismatches.append(f"metadata {key}: gold {value(gold)!r} predicted {value(pred)!r}")
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
        total.mismatches.extend(f"{s.name}: {m}" for m in s.mismatches)
    return total


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
        cells = []
        for c, w in zip(columns, widths):
            value = c.figure(key)
            cells.append(("—" if value is None else f"{value:.3f}").rjust(w))
        lines.append(label.ljust(label_width) + "  " + "  ".join(cells))
    return "\n".join(lines)


def format_report(scores: Sequence[DocumentScore], total: Optional[DocumentScore] = None, shown: int = 25) -> str:
    """The figures table, then each document's first `shown` mismatches: what a failing
    accuracy test prints, so the reader sees which rows and fields went wrong."""
    lines = [format_scores(list(scores) + ([total] if total else []))]
    for score in scores:
        if score.mismatches:
            lines.append(f"\n{score.name}: {len(score.mismatches)} mismatches")
            lines += [f"  {m}" for m in score.mismatches[:shown]]
            if len(score.mismatches) > shown:
                lines.append(f"  … {len(score.mismatches) - shown} more")
    return "\n".join(lines)
