"""Plain text for a terminal or a pipe: the diff of two versions of a plan, one change a line."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from pipeline.reports import FIELD_LABELS, STATUS_LABELS, signed

if TYPE_CHECKING:
    from pipeline.diff import ActivityChange, PlanDiff


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
    changed = [m for m in diff.milestones if (m.before, m.before_delta) != (m.after, m.after_delta)]
    if changed:
        lines.append("Вехи, у которых изменился статус:")
        for m in changed:
            before = STATUS_LABELS.get(m.before, m.before) + ("" if m.before_delta is None else f" ({signed(m.before_delta)})")
            after = STATUS_LABELS.get(m.after, m.after) + ("" if m.after_delta is None else f" ({signed(m.after_delta)})")
            lines.append(f"  {m.milestone_id} (срок {m.deadline}): {before} → {after}")
    return "\n".join(lines) + "\n"
