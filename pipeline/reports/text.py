"""Plain text for a terminal or a pipe: the diff of two versions of a plan, one change a line;
a plan's compliance, one milestone a line under the plan's label and counts."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

from pipeline.reports import (
    FIELD_LABELS, STATUS_LABELS, STATUS_ORDER, build_report, evidence_place, signed, status_label,
)

if TYPE_CHECKING:
    from pipeline.diff import ActivityChange, PlanDiff
    from schema import ComplianceRow, Milestone, RoadmapDocument


def _brief(text: Optional[str], limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _place(change: "ActivityChange") -> str:
    activity = change.new or change.old
    seq = f"№ {activity.seq}, " if activity.seq else ""
    return f"{seq}строка {activity.source.row}"


def _shown(value) -> str:
    if isinstance(value, list):
        return "; ".join(f"«{v}»" for v in value) or "—"
    return f"«{value}»" if value else "—"


def render_diff(diff: "PlanDiff") -> str:
    lines = [f"{diff.old_id} → {diff.new_id}: перенесено {len(diff.moved)}, изменено {len(diff.changed)}, "
             f"добавлено {len(diff.added)}, исключено {len(diff.dropped)}, без изменений {diff.unchanged}"]
    for c in diff.moved:
        days = "" if c.days is None else f" ({signed(c.days)} дн.)"
        lines.append(f"  перенесено  {_place(c)}: «{c.old.schedule.raw}» → «{c.new.schedule.raw}»{days}  "
                     f"{_brief(c.new.text)}" + (f" [также: {', '.join(FIELD_LABELS.get(f, f) for f in c.fields)}]"
                                                if c.fields else ""))
    for c in diff.changed:
        lines.append(f"  изменено    {_place(c)}: {', '.join(FIELD_LABELS.get(f, f) for f in c.fields)}  "
                     f"{_brief(c.new.text)}")
        lines += [f"      {FIELD_LABELS.get(name, name)}: {_shown(v['old'])} → {_shown(v['new'])}"
                  for name, v in c.changes().items()]
    for c in diff.added:
        lines.append(f"  добавлено   {_place(c)}: «{c.new.schedule.raw}»  {_brief(c.new.text)}")
    for c in diff.dropped:
        lines.append(f"  исключено   {_place(c)}: «{c.old.schedule.raw}»  {_brief(c.old.text)}")
    changed = [m for m in diff.milestones if m.status_changed]
    if changed:
        lines.append("Вехи, у которых изменился статус или срок:")
        for m in changed:
            before = STATUS_LABELS.get(m.before, m.before) + ("" if m.before_delta is None else f" ({signed(m.before_delta)})")
            after = STATUS_LABELS.get(m.after, m.after) + ("" if m.after_delta is None else f" ({signed(m.after_delta)})")
            late = "  — поправка принята после срока этапа" if m.after_deadline else ""
            lines.append(f"  {m.milestone_id} (срок {m.deadline}): {before} → {after}{late}")
    return "\n".join(lines) + "\n"


_COMPLIANCE_HEADER = ("веха", "срок", "статус", "дн.", "в плане", "мероприятие (где напечатано)")


def render_compliance(rows: Sequence["ComplianceRow"], documents: Sequence["RoadmapDocument"],
                      milestones: Sequence["Milestone"]) -> str:
    """Each compared plan: its label and file, its statuses counted, then one line per federal
    milestone — the deadline, the status (`?` when it needs review), days late or early, the
    plan's date cell as printed and the activity it was read from, with its place in the file.
    What an auditor reads at a terminal; JSON, CSV, XLSX and HTML carry every field."""
    report = build_report(documents, rows, milestones)
    order = {m.id: n for n, m in enumerate(report.milestones)}
    width = max([len(_COMPLIANCE_HEADER[0])] + [len(m.id) for m in report.milestones])
    status_width = max(len(label) for label in STATUS_LABELS.values()) + 1
    lines: list[str] = []
    for info in report.documents:
        own = sorted(report.rows_for(info.id), key=lambda r: order.get(r.row.milestone_id, len(order)))
        if not own:
            continue
        counts = report.counts(info.id)
        lines.append(f"{info.label}" + (f"  ({info.path})" if info.path else ""))
        lines.append("  " + " · ".join(f"{STATUS_LABELS[s]} {counts[s]}" for s in STATUS_ORDER if counts[s]))
        name, deadline, status, days, plan, activity = _COMPLIANCE_HEADER
        lines.append(f"  {name:<{width}}  {deadline:<10}  {status:<{status_width}}  {days:>5}  {plan:<24}  {activity}")
        for r in own:
            row = r.row
            delta = signed(row.delta_days) if row.delta_days is not None else ""
            activity = ""
            if row.activity_text:
                seq = f"№ {row.activity_seq} " if row.activity_seq else ""
                place = evidence_place(row)
                activity = f"{seq}{_brief(row.activity_text, 50)}" + (f" ({place})" if place else "")
            lines.append(f"  {row.milestone_id:<{width}}  {row.federal_deadline:%d.%m.%Y}  "
                         f"{status_label(row):<{status_width}}  {delta:>5}  {_brief(r.planned_raw, 24):<24}  {activity}"
                         .rstrip())
            if row.corrections:
                lines.append(f"  {'':<{width}}  исправлено: {'; '.join(row.corrections)}")
        lines.append("")
    return "\n".join(lines)
