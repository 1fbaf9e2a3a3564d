"""`roadmap diff`: an order against an edited copy of itself reports exactly the edits."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from pipeline.diff import activity_key, diff_activities, diff_plans, pair_activities
from schema import Activity, Party, RowSource, Schedule

ORDER = Path(__file__).resolve().parent.parent / "fixtures" / "orders" / "tyumen-oblast-2022.docx"


def _activity(text: str, end: str = "2022-03-01", who: str = "Министерство", row: int = 1) -> Activity:
    import datetime as dt

    return Activity(text=text, schedule=Schedule(raw=end, kind="deadline", end=dt.date.fromisoformat(end)),
                    responsible=[Party(raw=who, name=who, kind="regional_authority")],
                    source=RowSource(table=1, row=row))


@pytest.mark.parametrize("a,b", [
    ("1. Совещание с руководителями", "Совещание с руководителями"),
    ("Совещание  с   руководителями", "совещание с руководителями"),
    ("Семинар «Школа»", 'Семинар "Школа"'),
    ("Отчёт", "Отчет"),
    ("Совещание с командами школ –участниками проекта", "Совещание с командами школ – участниками проекта"),
    ("Вебинар—семинар", "Вебинар — семинар"),
])
def test_activity_key_ignores_print_details(a, b):
    assert activity_key(a) == activity_key(b)


def test_a_hyphen_inside_a_word_still_counts():
    assert activity_key("школ-участниц") != activity_key("школ участниц")


def test_changed_fields_carry_both_sides_in_every_format():
    """An auditor reads what changed, not only which field: JSON has each field's old and new
    value, the table and the page print them."""
    from pipeline.diff import ActivityChange
    from pipeline.reports.html import render_diff as html
    from pipeline.reports.text import render_diff as text

    old = _activity("Совещание", who="Министерство")
    new = _activity("Совещание", who="Институт развития образования")
    diff = diff_activities([old], [new])
    [change] = diff.changed
    assert isinstance(change, ActivityChange) and change.fields == ["responsible"]
    assert change.to_json()["changes"] == {"responsible": {"old": ["Министерство"],
                                                          "new": ["Институт развития образования"]}}
    assert "ответственные: «Министерство» → «Институт развития образования»" in text(diff)
    assert "<b>ответственные</b>: Министерство → Институт развития образования" in html(diff)


def test_pairs_are_one_to_one_and_follow_position():
    old = [_activity("Семинар для кураторов", row=1), _activity("Анкетирование школ", row=2),
           _activity("Семинар для кураторов", row=3)]
    new = [_activity("Семинар для кураторов", row=1), _activity("Анкетирование школ", row=2),
           _activity("Семинар для кураторов", row=3)]
    assert [(i, j) for i, j, _ in pair_activities(old, new)] == [(0, 0), (1, 1), (2, 2)]


@pytest.mark.parametrize("edit,kind,fields", [
    (lambda a: a.model_copy(update={"schedule": Schedule(raw="до 15.03.2022", kind="deadline",
                                                         end=__import__("datetime").date(2022, 3, 15))}),
     "moved", []),
    (lambda a: a.model_copy(update={"responsible": [Party(raw="ИРО", name="ИРО", kind="regional_operator")]}),
     "changed", ["responsible"]),
    (lambda a: a.model_copy(update={"text": a.text + " и кураторами"}), "changed", ["text"]),
    (lambda a: a.model_copy(update={"result": "протокол"}), "changed", ["result"]),
])
def test_pair_classification(edit, kind, fields):
    old = [_activity("Совещание с руководителями школ")]
    diff = diff_activities(old, [edit(old[0])])
    changes = diff.moved + diff.changed
    assert [(c.kind, c.fields) for c in changes] == [(kind, fields)]
    assert not diff.added and not diff.dropped


def test_moved_days():
    old = [_activity("Совещание", end="2022-03-01")]
    new = [_activity("Совещание", end="2022-03-15")]
    [moved] = diff_activities(old, new).moved
    assert moved.days == 14


def _edited_copy(tmp_path: Path) -> Path:
    """The fixture order with one date moved, one row dropped and one row added (python-docx)."""
    import docx

    document = docx.Document(str(ORDER))
    table = document.tables[0]
    rows = list(table.rows)

    def row_with(text: str):
        return next(r for r in rows if any(text in c.text for c in r.cells))

    moved = row_with("Анкетирование кандидатов в кураторы")
    for cell in moved.cells:
        if cell.text.strip() == "до 27.01.2022":
            cell.paragraphs[0].runs[0].text = "до 10.02.2022"
            for run in cell.paragraphs[0].runs[1:]:
                run.text = ""
    dropped = row_with("Формирование графиков посещения")
    template = copy.deepcopy(dropped._tr)
    dropped._tr.getparent().remove(dropped._tr)
    last = rows[-1]._tr
    last.addnext(template)
    added = table.rows[-1]
    for cell in added.cells:
        if "Формирование графиков посещения" in cell.text:
            cell.paragraphs[0].runs[0].text = "Проведение итоговой конференции по результатам проекта"
            for run in cell.paragraphs[0].runs[1:]:
                run.text = ""
    path = tmp_path / "edited.docx"
    document.save(str(path))
    return path


@pytest.mark.slow
def test_an_edited_copy_reports_exactly_its_three_edits(tmp_path):
    from pipeline.extract import extract
    from pipeline.timeline import load_timeline

    old = extract(ORDER)
    new = extract(_edited_copy(tmp_path))
    diff = diff_plans(old, new, load_timeline())
    assert [c.old.text[:40] for c in diff.moved] == ["Анкетирование кандидатов в кураторы и на"]
    assert diff.moved[0].days == 14
    assert [c.old.text[:40] for c in diff.dropped] == ["Формирование графиков посещения образова"]
    assert [c.new.text[:40] for c in diff.added] == ["Проведение итоговой конференции по резул"]
    assert diff.changed == []
    assert diff.unchanged == len(old.activities) - 2
    data = diff.to_json()
    assert {k: len(data[k]) for k in ("moved", "added", "dropped", "changed")} == \
        {"moved": 1, "added": 1, "dropped": 1, "changed": 0}
    assert data["milestones"] and all({"milestone_id", "before", "after"} <= set(m) for m in data["milestones"])


def test_a_document_against_itself_is_empty():
    from pipeline.extract import extract

    doc = extract(ORDER)
    diff = diff_plans(doc, doc)
    assert diff.is_empty and diff.unchanged == len(doc.activities)


def _plan(act_day: str, end: str):
    import datetime as dt

    from schema import Region, RoadmapDocument, Source

    return RoadmapDocument(
        id=f"doc-{act_day}", source=Source(path=f"/in/{act_day}.docx", sha256="a" * 64, format="docx", pages=2, ocr=False),
        number="5", date=dt.date.fromisoformat(act_day), region=Region(code="RU-TYU", name="Тюменская область"),
        activities=[_activity("Назначение кураторов, координаторов и наставников проекта", end=end)])


@pytest.mark.parametrize("amended_on, after_deadline", [
    ("2022-02-20", True),   # the step was due 2022-01-17: the amendment put it right afterwards
    ("2022-01-17", False),  # on the day it was due: not after it
    ("2022-01-05", False),
])
def test_a_status_an_amendment_changes_after_the_step_was_due_is_marked(amended_on, after_deadline) -> None:
    """An auditor tells a plan moved ahead of time from one put right once the step was due."""
    from pipeline.reports.formats import render
    from pipeline.timeline import load_timeline

    old = _plan("2021-12-20", end="2022-03-01")
    new = _plan(amended_on, end="2022-01-10")
    diff = diff_plans(old, new, load_timeline())
    [step] = [m for m in diff.milestones if m.status_changed]
    assert (step.milestone_id, step.before, step.after) == ("2022-team-formation", "late", "on_time")
    assert step.after_deadline is after_deadline
    assert diff.to_json()["milestones"][[m.milestone_id for m in diff.milestones].index(step.milestone_id)][
        "after_deadline"] is after_deadline
    for fmt in ("table", "html"):
        assert ("поправка принята после срока этапа" in render("diff", fmt, diff)) is after_deadline, fmt
