"""The auditor's web page: one self-contained HTML file (no scripts, no fonts, no network).

A regions × milestones matrix coloured by status, then per document a timeline chart drawn
as inline SVG (federal window and deadline ◆ against the plan's end ●, coloured by status)
and the detail table. Every text that comes from a document or a timeline file is escaped.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from html import escape
from typing import Optional, Sequence

from schema import ComplianceRow, Milestone, RoadmapDocument
from pipeline.reports import (
    FIELD_LABELS, NOT_APPLICABLE_COLOUR, STATUS_COLOURS, STATUS_LABELS, STATUS_ORDER, DocumentInfo, Report,
    ReportRow, build_report, counts_text, evidence_place, signed, status_label,
)

# Stronger colours for chart marks than the pale cell fills.
AFTER_DEADLINE_MARK = ' <span class="after-deadline">поправка принята после срока этапа</span>'
MARK_COLOURS = {"on_time": "#2e8b57", "late": "#d9622b", "undated": "#c9a100", "missing": "#c9302c"}
_MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]

CSS = """
td.unsure{background-image:repeating-linear-gradient(135deg,transparent 0 6px,rgba(255,255,255,.55) 6px 10px);outline:2px dashed #b36b00;outline-offset:-3px}
.legend span.unsure{outline:2px dashed #b36b00;outline-offset:-2px}
.ev{font-size:12px;color:#444;margin-top:3px}.why{font-size:12px;color:#8a4b00;margin-top:2px}.fixed{font-size:12px;color:#1f5f99;margin-top:2px}
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#222;font-size:14px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:32px 0 6px}h3{font-size:16px;margin:16px 0 6px}
td.doc{min-width:240px}
.meta{color:#555;margin:0 0 16px}.scroll{overflow-x:auto}
table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top}
th{background:#f3f3f3;font-weight:600}
table.matrix th.m{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-size:12px}
table.matrix td.s{text-align:center;font-size:12px;white-space:nowrap}
table.detail td.num{text-align:right;white-space:nowrap}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #bbb;font-size:12px}
svg{display:block;margin:8px 0 12px;background:#fff}
"""


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def _status_cell(r: Optional[ReportRow]) -> str:
    if r is None:
        return f'<td class="s" style="background:#{NOT_APPLICABLE_COLOUR}" title="не относится к году плана">—</td>'
    row = r.row
    text = status_label(row)
    if row.delta_days is not None:
        text += f" ({signed(row.delta_days)})"
    tip = row.activity_text or "нет подходящего мероприятия"
    if row.needs_review:
        tip += " — проверить: " + "; ".join(row.review_reasons)
    unsure = " unsure" if row.needs_review else ""
    return (f'<td class="s{unsure}" style="background:#{STATUS_COLOURS[row.status]}" '
            f'title="{_e(tip)}">{_e(text)}</td>')


def _legend() -> str:
    items = "".join(
        f'<span style="background:#{STATUS_COLOURS[s]}">{_e(STATUS_LABELS[s])}</span>' for s in STATUS_ORDER
    )
    return (f'<p class="legend">{items}<span style="background:#{NOT_APPLICABLE_COLOUR}">— веха другого года</span>'
            '<span class="unsure" style="background:#fff">статус? — проверить</span>'
            " В скобках — отклонение планового срока от федерального, дней. Статус со знаком «?» в пунктирной"
            " рамке опирается на неуверенное сопоставление или прочтение: причины — в подсказке и в таблице"
            " документа.</p>")


def _summary(report: Report) -> str:
    """One matrix per federal year: the documents whose plans cover it × its milestones."""
    tables = []
    for year in sorted({m.year for m in report.milestones}):
        milestones = [m for m in report.milestones if m.year == year]
        documents = [d for d in report.documents if any(report.cell(d.id, m.id) for m in milestones)]
        if not documents:
            continue
        head = "".join(
            f'<th class="m" title="{_e(m.title)}">{_e(m.deadline.strftime("%d.%m.%Y"))} {_e(_short(m.title, 36))}</th>'
            for m in milestones
        )
        counts_head = "".join(f"<th>{_e(STATUS_LABELS[s])}</th>" for s in STATUS_ORDER)
        body = []
        for doc in documents:
            cells = "".join(_status_cell(report.cell(doc.id, m.id)) for m in milestones)
            counts = {s: 0 for s in STATUS_ORDER}
            for m in milestones:
                r = report.cell(doc.id, m.id)
                if r is not None:
                    counts[r.row.status] += 1
            count_cells = "".join(f'<td class="s">{counts[s]}</td>' for s in STATUS_ORDER)
            body.append(f'<tr><td class="doc"><a href="#doc-{_e(doc.id)}">{_e(doc.label)}</a></td>'
                        f"<td>{_e(doc.region_code or '')}</td>{cells}{count_cells}</tr>")
        totals = "".join(
            f'<td class="s">{counts_text(report.milestone_counts(m.id), "<br>")}</td>' for m in milestones
        )
        tables.append(
            f"<h3>{year}</h3>"
            f'<div class="scroll"><table class="matrix"><thead><tr><th>Документ</th><th>Регион</th>{head}'
            f'{counts_head}</tr></thead><tbody>{"".join(body)}</tbody>'
            f'<tfoot><tr><th colspan="2">Итого по вехе</th>{totals}<td colspan="{len(STATUS_ORDER)}"></td></tr>'
            "</tfoot></table></div>"
        )
    return ('<section id="summary"><h2>Сводка: документы × вехи федерального графика</h2>'
            f'{"".join(tables)}{_legend()}</section>')


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def timeline_svg(report: Report, doc: DocumentInfo) -> str:
    """Federal windows and deadlines (grey, ◆) against the plan's end dates (●, by status)."""
    rows = report.rows_for(doc.id)
    if not rows:
        return ""
    dates: list[date] = []
    for r in rows:
        dates.append(r.milestone.deadline)
        if r.milestone.start:
            dates.append(r.milestone.start)
        if r.row.planned_end:
            dates.append(r.row.planned_end)
    years = doc.years or sorted({d.year for d in dates})
    lo = min([date(min(years), 1, 1)] + dates)
    hi = max([date(max(years), 12, 31)] + dates)
    lo, hi = _month_start(lo), _month_end(hi)
    span = max(1, (hi - lo).days + 1)

    label_w, plot_w, right_w, row_h, top = 330, 640, 120, 24, 36
    width = label_w + plot_w + right_w
    height = top + row_h * len(rows) + 16

    def x(d: date) -> float:
        return round(label_w + plot_w * ((d - lo).days / span), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e("График: федеральные сроки и сроки плана — " + doc.label)}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">'
    ]
    for i in range(len(rows)):
        if i % 2 == 0:
            parts.append(f'<rect x="0" y="{top + i * row_h}" width="{width}" height="{row_h}" fill="#f6f6f6"/>')
    month = lo
    while month <= hi:
        mx = x(month)
        parts.append(f'<line x1="{mx}" y1="{top - 6}" x2="{mx}" y2="{height - 12}" stroke="#ddd"/>')
        label = _MONTHS[month.month - 1] + (f" {month.year}" if month.month == 1 or month == lo else "")
        parts.append(f'<text x="{mx + 2}" y="{top - 10}" fill="#666" font-size="10">{_e(label)}</text>')
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    parts.append(f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - 12}" stroke="#999"/>')

    for i, r in enumerate(rows):
        cy = top + i * row_h + row_h // 2
        m, row = r.milestone, r.row
        colour = MARK_COLOURS[row.status]
        parts.append(
            f'<text x="6" y="{cy + 4}"><title>{_e(m.id + ": " + m.title)}</title>'
            f'{_e(m.deadline.strftime("%d.%m"))} {_e(_short(m.title, 44))}</text>'
        )
        if m.start and m.start < m.deadline:
            parts.append(f'<rect x="{x(m.start)}" y="{cy - 4}" width="{max(2.0, x(m.deadline) - x(m.start))}" '
                         'height="8" fill="#888" opacity="0.45"/>')
        dx = x(m.deadline)
        parts.append(f'<polygon points="{dx},{cy - 7} {dx + 6},{cy} {dx},{cy + 7} {dx - 6},{cy}" fill="#333">'
                     f'<title>{_e("Федеральный срок " + m.deadline.strftime("%d.%m.%Y"))}</title></polygon>')
        tip = f"{STATUS_LABELS[row.status]}: {row.activity_text or 'нет подходящего мероприятия'}"
        if row.planned_end is not None:
            px = x(row.planned_end)
            parts.append(f'<line x1="{dx}" y1="{cy}" x2="{px}" y2="{cy}" stroke="{colour}" stroke-width="2"/>')
            parts.append(f'<circle cx="{px}" cy="{cy}" r="6" fill="{colour}" stroke="#222" stroke-width="1">'
                         f'<title>{_e(tip + " — " + row.planned_end.strftime("%d.%m.%Y"))}</title></circle>')
        rx = label_w + plot_w + 10
        if row.status in ("undated", "missing"):
            mark = "○ без даты" if row.status == "undated" else "✕ нет в плане"
            parts.append(f'<text x="{rx}" y="{cy + 4}" fill="{colour}" font-weight="bold">'
                         f'<title>{_e(tip)}</title>{_e(mark)}</text>')
        else:
            parts.append(f'<text x="{rx}" y="{cy + 4}" fill="{colour}">{_e(f"{signed(row.delta_days)} дн.")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _detail(report: Report, doc: DocumentInfo) -> str:
    body = []
    for r in report.rows_for(doc.id):
        row = r.row
        body.append(
            "<tr>"
            f"<td>{_e(row.milestone_id)}</td><td>{_e(r.milestone.title)}</td>"
            f'<td class="num">{_e(row.federal_deadline.strftime("%d.%m.%Y"))}</td>'
            f'<td class="{"unsure" if row.needs_review else ""}" style="background:#{STATUS_COLOURS[row.status]}">'
            f"{_e(status_label(row))}{_evidence(row)}</td>"
            f"<td>{_e(row.activity_seq or '')}</td><td>{_e(row.activity_text or '')}</td>"
            f"<td>{_e(r.planned_raw or '')}</td>"
            f'<td class="num">{_e(row.planned_end.strftime("%d.%m.%Y") if row.planned_end else "")}</td>'
            f'<td class="num">{_e("" if row.delta_days is None else signed(row.delta_days))}</td>'
            f'<td class="num">{_e("" if row.match_score is None else row.match_score)}</td>'
            f'<td class="num">{_e("" if row.confidence is None else f"{row.confidence:.2f}")}</td>'
            "</tr>"
        )
    head = "".join(f"<th>{_e(h)}</th>" for h in (
        "Веха", "Федеральное мероприятие", "Федеральный срок", "Статус", "№", "Мероприятие плана",
        "Срок в плане", "Плановое окончание", "Отклонение, дн.", "Совпадение, %", "Уверенность"))
    return f'<table class="detail"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _evidence(row) -> str:
    """Under a status: where its activity was printed, the date cell as printed, and why to
    check it when it needs review."""
    parts = []
    if row.evidence is not None:
        parts.append(f'<div class="ev">{_e(evidence_place(row))}')
        if row.evidence.date_text:
            parts.append(f" · «{_e(row.evidence.date_text)}»")
        parts.append("</div>")
        if row.needs_review:
            parts.append(f'<div class="why">проверить: {_e("; ".join(row.review_reasons))}</div>')
    if row.corrections:
        parts.append(f'<div class="fixed">исправлено: {_e("; ".join(row.corrections))}</div>')
    return "".join(parts)


def render_html(report: Report) -> str:
    sections = []
    for doc in report.documents:
        sections.append(
            f'<section class="doc" id="doc-{_e(doc.id)}"><h2>{_e(doc.label)}</h2>'
            f'<p class="meta">{_e(doc.path or "")}</p>'
            f'<div class="scroll">{timeline_svg(report, doc)}</div>'
            f'<div class="scroll">{_detail(report, doc)}</div></section>'
        )
    title = "Соответствие планов федеральному графику проекта 500+"
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        f'<p class="meta">Сформировано {_e(report.generated.strftime("%d.%m.%Y"))}. '
        f"Документов: {len(report.documents)}. Вех: {len(report.milestones)}. "
        "На графиках: серая полоса и ◆ — федеральное окно и срок, ● — плановое окончание мероприятия.</p>"
        f"{_summary(report)}{''.join(sections)}</body></html>\n"
    )


def render_compliance(rows: Sequence[ComplianceRow], documents: Sequence[RoadmapDocument],
                      milestones: Sequence[Milestone]) -> str:
    return render_html(build_report(documents, rows, milestones))


def render_diff(diff) -> str:
    """The diff of two versions of a plan as one offline page: moved, changed, added and
    dropped activities, then the milestones whose status changed."""
    def row(kind: str, change) -> str:
        old, new = change.old, change.new
        activity = new or old
        days = "" if getattr(change, "days", None) is None else signed(change.days)
        return (f'<tr class="{kind}"><td>{_e(kind)}</td><td>{_e(activity.seq or "")}</td>'
                f"<td>{_e(activity.text)}</td><td>{_e(old.schedule.raw if old else '')}</td>"
                f"<td>{_e(new.schedule.raw if new else '')}</td><td class=\"num\">{_e(days)}</td>"
                f"<td>{_changes(change)}</td></tr>")

    def _changes(change) -> str:
        def shown(value) -> str:
            values = value if isinstance(value, list) else [value]
            return "<br>".join(_e(v) for v in values if v) or "—"

        return "".join(f"<div><b>{_e(FIELD_LABELS.get(name, name))}</b>: {shown(v['old'])} → {shown(v['new'])}</div>"
                       for name, v in change.changes().items()) or _e(", ".join(change.fields))

    body = "".join(row(kind, c) for kind, changes in (("moved", diff.moved), ("changed", diff.changed),
                                                      ("added", diff.added), ("dropped", diff.dropped))
                   for c in changes)
    head = "".join(f"<th>{_e(h)}</th>" for h in ("Изменение", "№", "Мероприятие", "Срок было", "Срок стал",
                                                 "Сдвиг, дн.", "Что ещё изменилось"))
    milestones = "".join(
        f"<tr><td>{_e(m.milestone_id)}</td><td class=\"num\">{_e(m.deadline)}</td>"
        f"<td>{_e(STATUS_LABELS.get(m.before, m.before))}</td><td>{_e(STATUS_LABELS.get(m.after, m.after))}"
        f"{AFTER_DEADLINE_MARK if m.after_deadline else ''}</td></tr>"
        for m in diff.milestones if m.status_changed)
    title = f"Изменения плана: {diff.old_id} → {diff.new_id}"
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}"
        "tr.moved td{background:#FFF2CC}tr.added td{background:#E2EFDA}tr.dropped td{background:#FCE4D6}"
        "span.after-deadline{color:#a94400;font-weight:600}</style></head><body>"
        f"<h1>{_e(title)}</h1><p class=\"meta\">Перенесено {len(diff.moved)}, изменено {len(diff.changed)}, "
        f"добавлено {len(diff.added)}, исключено {len(diff.dropped)}, без изменений {diff.unchanged}.</p>"
        f'<table class="detail"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        + (f'<h2>Вехи, у которых изменился статус или срок</h2><table class="detail"><thead><tr><th>Веха</th><th>Срок</th>'
           f"<th>Было</th><th>Стало</th></tr></thead><tbody>{milestones}</tbody></table>" if milestones else "")
        + "</body></html>\n"
    )
