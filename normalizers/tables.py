"""Which tables are roadmaps, which column is which, and which rows are activities.

Columns are recognised by header vocabulary first (Мероприятие / Срок / Ответственный …),
then by cell content when a header is missing or unusual, so unseen layouts and column
orders still read. The output keeps the cells' text untouched: dates, parties and
indicators are parsed by their own normalizers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from extractors.raw import Block, Cell, RawParagraph, RawTable
from extractors.stitch import is_spanning
from language.patterns import compiled
from language.words import is_caps_text
from normalizers.dates import month_number, year_columns_cell
from normalizers.headings import names_no_section
from normalizers.row_shapes import cell_text, continues_above, is_closing_note, is_column_numbering
from normalizers.spans import fill_merged_down
from normalizers.table_labels import column_labels, indicator_sub_role
from normalizers.vocabulary import load, pattern

ROLES = (
    "seq", "text", "date", "date_start", "date_end", "federal_date", "regional_date",
    "responsible", "responsible_post", "co_responsible", "indicator", "indicator_value", "result", "group",
)



@dataclass(frozen=True)
class TableSettings:
    """Tunables of the roadmap-table reader; the defaults are the values the fixtures were read with."""

    max_header_rows: int = 3  # header rows read at the top of a table (a column-numbering row may follow)
    label_max_chars: int = 60  # a longer cell is content, not a header label
    seq_column_share: float = 0.6  # share of row numbers that makes a column the seq column
    date_column_share: float = 0.4  # share of date-like cells that makes a headerless column the dates
    party_column_share: float = 0.4  # … and of party words that makes it the responsible column
    date_cell_max_chars: int = 80  # a longer cell is text that mentions a date, not a date
    min_content_rows: int = 2  # a headerless table needs this many rows with two filled cells …
    min_content_columns: int = 3  # … and this many columns to be read by content
    section_heading_max_chars: int = 200  # a longer one-text row is not a section heading
    preceding_heading_max_chars: int = 250  # … nor a longer numbered paragraph above a table
    separator_paragraph_max_chars: int = 200  # a longer paragraph between two tables ends a table


TABLE_SETTINGS = TableSettings()

_LABELS = load("column_labels")
_MONTH_LABELS = [m.get("label", m["root"]) for m in load("date_words")["months"]]

# Order matters: the first role whose pattern matches a header label wins.
_HEADER_VOCABULARY: list[tuple[str, re.Pattern]] = [
    (r["role"], pattern("{}", r["patterns"], flags=re.I)) for r in _LABELS["roles"]
]
# The activity itself, as opposed to a column that groups activities (`Направление`,
# `Задачи`, `Этап`): when both are present the grouping one names the rows' section.
_ACTIVITY_LABEL = pattern("{}", _LABELS["activity"], flags=re.I)
_GROUP_LABEL = pattern("{}", _LABELS["group"], flags=re.I)
_INDICATOR_NAMED = pattern("{}", _LABELS["indicator_named"], flags=re.I)
_INDICATOR_VALUE = pattern("{}", _LABELS["indicator_value"], flags=re.I)
_FEDERAL = pattern("{}", _LABELS["federal"], flags=re.I)
_REGIONAL = pattern("{}", _LABELS["regional"], flags=re.I)
_START = pattern("{}", _LABELS["start"], flags=re.I)
_END = pattern("{}", _LABELS["end"], flags=re.I)
_SUBHEADER_WORDS = pattern("{}", _LABELS["subheader"], flags=re.I)
# A header label holding only a year besides its words: `Срок исполнения (2022 год)`.
_YEAR_ONLY = compiled(r"^\D*\b20\d\d\b\D*$")
_YEAR_LABEL = compiled(r"((?:19|20)\d\d)\s*(?:г\.?|год)?\s*")  # `2022 г.`, `2023 год`: a year column
# A calendar column's label: a month (`янв`, `Март`) or a quarter (`I кв.`, `2 квартал`).
_QUARTER_LABEL = compiled(r"^(?:[IV]{1,3}|[1-4])\s*-?\s*(?:й\s*)?кв(?:артал)?\.?$", re.I)
_MIN_CALENDAR_COLUMNS = 3

_DATE_LIKE = pattern(
    r"\d{1,2}\s*\.\s*\d{1,2}\s*\.?\s*(\d{2,4})?|\b({})|{}|\b20\d\d\b",
    _MONTH_LABELS, _LABELS["date_cell_words"],
    flags=re.I,
)
_SEQ_LIKE = compiled(r"^\s*\d{1,3}(\s*\.\s*\d{1,3})*\s*\.?\s*$")
_ROMAN_SEQ = compiled(r"^\s*[IVX]{1,5}\s*\.?\s*$")  # a section's number: `I.`, `IV`
_SECTION_HEADING = pattern(r"^\s*(\d{1,2}|[IVX]{1,5})\s*\.?\s+\S|^\s*({})\b", _LABELS["section_heading_words"], flags=re.I)
_PARTY_WORDS = pattern("{}", _LABELS["party_cell_words"], flags=re.I)


@dataclass
class ColumnMap:
    """Column index for each role (absent roles are missing from `index`)."""

    index: dict[str, int] = field(default_factory=dict)
    header_rows: int = 0
    by_content: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # role → its header label, as printed
    # A plan laid out as a calendar (a column per month or quarter, the activity's cells marked
    # `Х` / `+`): column → its label, and the year the header names (`Срок (2022 год)`).
    calendar: dict[int, str] = field(default_factory=dict)
    calendar_year: Optional[str] = None
    # `Сроки` over `2022 г.` | `2023 г.`: a date column per year of the plan, column → its year
    year_columns: dict[int, int] = field(default_factory=dict)

    def get(self, role: str) -> Optional[int]:
        return self.index.get(role)

    @property
    def has_dates(self) -> bool:
        return bool(self.calendar) or any(
            r in self.index for r in ("date", "date_start", "date_end", "federal_date", "regional_date"))


@dataclass
class TableRow:
    """One activity row's cells by role, with provenance (1-based table and row numbers)."""

    cells: dict[str, str]
    section: Optional[str]
    page: Optional[int]
    table: int
    row: int
    labels: dict[str, str] = field(default_factory=dict)  # role → header label (`Целевой показатель, %`)
    box: Optional[tuple[float, float, float, float]] = None  # the row on its page, in points
    caption: Optional[str] = None  # the paragraphs right above its table (`План … на 2023 год`)


@dataclass
class RoadmapTables:
    rows: list[TableRow]
    first_block: Optional[int]  # index of the first roadmap table among the blocks
    warnings: list[str] = field(default_factory=list)


def _fold(text: str) -> str:
    return compiled(r"\s+").sub(" ", text).strip().lower()


def header_role(label: str) -> Optional[str]:
    """The role a header label names, or None."""
    label = _fold(label)
    if not label:
        return None
    for role, pattern in _HEADER_VOCABULARY:
        if pattern.search(label):
            return role
    return None


def _is_header_row(row: list[Cell], settings: TableSettings) -> bool:
    labels = [_fold(c or "") for c in row if c and c.strip()]
    if not labels or (len(set(labels)) == 1 and _SECTION_HEADING.match(labels[0])):
        return False
    if any(_SEQ_LIKE.match(lb) or _ROMAN_SEQ.match(lb.upper()) or (_DATE_LIKE.search(lb) and compiled(r"\d").search(lb)
                                    and not (_YEAR_ONLY.match(lb) and header_role(lb))) for lb in labels):
        return False
    hits = sum(1 for label in labels if header_role(label) and len(label) < settings.label_max_chars)
    return hits >= 2 or (hits >= 1 and len(labels) <= 2 and not any(_DATE_LIKE.search(lb) for lb in labels))


def _caps_heading(row: list[Cell]) -> bool:
    """`МЕТОДИЧЕСКОЕ СОПРОВОЖДЕНИЕ` alone in its row, in capitals: under a header it heads a
    section, though its words (`мероприятия`) may name a column."""
    filled = [c for c in row if c and c.strip()]
    return len(filled) == 1 and is_caps_text(filled[0])


def _is_calendar_label(label: str) -> bool:
    label = " ".join(label.split())
    return bool(label) and (_QUARTER_LABEL.match(label) is not None or (
        len(label) <= 12 and " " not in label and month_number(label) is not None))


def _calendar_columns(row: list[Cell]) -> dict[int, str]:
    """Columns of a row of month or quarter labels (a calendar plan's second header level)."""
    found = {col: " ".join(cell.split()) for col, cell in enumerate(row) if cell and _is_calendar_label(cell)}
    return found if len(found) >= _MIN_CALENDAR_COLUMNS else {}


def _is_year_row(row: list[Cell]) -> bool:
    """A second header level of years only (`2022 г.` | `2023 г.` under `Сроки`)."""
    labels = [" ".join(c.split()) for c in row if c and c.strip()]
    return len(labels) >= 2 and all(_YEAR_LABEL.fullmatch(lb) for lb in labels)


def _is_subheader_row(row: list[Cell], settings: TableSettings) -> bool:
    """The second level of a two-level header (федеральный проект | региональный проект)."""
    labels = [_fold(c or "") for c in row if c and c.strip()]
    if any(_ROMAN_SEQ.match(lb.upper()) for lb in labels):
        return False  # `I.` | `Диагностика и планирование`: a section row
    if is_spanning(row):
        return False  # one text from the № column merged over the row: a section row too
    return bool(labels) and all(len(lb) < settings.label_max_chars and not compiled(r"\d").search(
        _YEAR_LABEL.sub("", lb)) for lb in labels) and any(
        _SUBHEADER_WORDS.search(lb) for lb in labels
    )


def map_header(rows: list[list[Cell]], settings: Optional[TableSettings] = None) -> Optional[ColumnMap]:
    """Read the header rows at the top of a table into a ColumnMap, or None if there are none."""
    settings = settings or TABLE_SETTINGS
    # `ПЛАН МЕРОПРИЯТИЙ («ДОРОЖНАЯ КАРТА»)` merged over the table above its header: a caption
    caption = int(len(rows) > 1 and len(rows[0]) > 2 and is_spanning(rows[0]) and _is_header_row(rows[1], settings))
    n_header = caption
    while n_header < min(settings.max_header_rows + caption, len(rows)) and (n_header == caption or not is_spanning(
            rows[n_header])) and (  # a text spanning the row under the header heads a section, labels no column
        (_is_header_row(rows[n_header], settings) and (n_header == caption or not _caps_heading(rows[n_header])))
        or (n_header > caption and (_is_subheader_row(rows[n_header], settings) or _calendar_columns(rows[n_header])
                                    or _is_year_row(rows[n_header])))
    ):
        n_header += 1
    if n_header == caption:
        return None
    width = max(len(r) for r in rows)
    labels, sub_labels = column_labels(rows[caption:n_header], width)
    while n_header < len(rows) and is_column_numbering(rows[n_header]):
        n_header += 1
    mapping = ColumnMap(header_rows=n_header)
    for row in rows[:n_header]:
        mapping.calendar = mapping.calendar or _calendar_columns(row)
    if mapping.calendar:
        years = [m.group(0) for col in mapping.calendar if (m := compiled(r"\b20\d\d\b").search(labels[col]))]
        mapping.calendar_year = years[0] if years else None
    body = rows[n_header:]
    years = {col: int(m.group(1)) for col in range(width)
             if (m := _YEAR_LABEL.fullmatch(sub_labels[col])) and header_role(labels[col]) == "date"}
    if len(years) >= 2:
        mapping.year_columns = years
        mapping.index["date"] = min(years)
    activity = [c for c, label in enumerate(labels) if _ACTIVITY_LABEL.search(label)]
    for col, label in enumerate(labels):
        if col in mapping.calendar or col in mapping.year_columns:
            continue  # read as the row's schedule (_row_cells), not as a date column
        if activity and col not in activity and _GROUP_LABEL.search(label) \
                and header_role(label) in ("text", None) and "group" not in mapping.index:
            mapping.index["group"] = col
            continue
        # Under a merged parent (`Ожидаемые результаты` over `Индикатор | Форма отчетности`)
        # the sub-label says what the column holds; a date sub-label (`начало`, `федеральный
        # проект`) has no role of its own and qualifies its parent's.
        role = indicator_sub_role(label, sub_labels[col]) or header_role(sub_labels[col]) or header_role(label)
        if role == "skip":
            continue  # a baseline beside an indicator's target: no field holds it
        if role == "date":
            role = _date_role(label, labels)
        if role == "responsible" and "responsible" in mapping.index and "co_responsible" not in mapping.index \
                and labels[col] != labels[mapping.index["responsible"]]:
            role = "co_responsible"  # `Ответственный` | `Соисполнители`: both name executors
        if role and role not in mapping.index:
            mapping.index[role] = col if role.startswith("date_") else _widest_in_span(body, labels, col)
    _prefer_named_indicator(mapping, labels)
    names = [c for c, sub in enumerate(sub_labels) if compiled(r"ф\.?\s*и\.?\s*о\.?", re.I).fullmatch(sub.strip())]
    posts = [c for c, sub in enumerate(sub_labels) if compiled(r"должност\w*", re.I).fullmatch(sub.strip())]
    if names and posts and "responsible" in mapping.index:  # `Ответственные` over `ФИО` | `должность`
        mapping.index["responsible"], mapping.index["responsible_post"] = names[0], posts[0]
        mapping.index = {role: col for role, col in mapping.index.items() if role == "responsible_post" or col != posts[0]}
    _add_unlabelled_seq(body, mapping, settings)
    mapping.labels = {role: labels[col] for role, col in mapping.index.items() if col < len(labels)}
    if mapping.calendar and "date" not in mapping.index:
        first = min(mapping.calendar)
        mapping.labels["date"] = labels[first].replace(mapping.calendar[first], "").strip() or "календарь"
    return mapping


def _prefer_named_indicator(mapping: ColumnMap, labels: list[str]) -> None:
    """`Планируемый результат` | `Показатель`: both name indicators, and the column called so
    holds them (the first would otherwise win, as the first column of any role does). A
    further indicator column naming a value (`Показатель` | `Целевое значение`, `Значение
    показателя, %`) holds the indicators' targets: `indicator_value`."""
    col = mapping.get("indicator")
    if col is None:
        return
    free = [c for c, label in enumerate(labels) if c not in mapping.index.values() and c not in mapping.calendar
            and header_role(label) in ("indicator", None)]
    named = [c for c in free if _INDICATOR_NAMED.search(labels[c]) and not _INDICATOR_VALUE.search(labels[c])
             and header_role(labels[c]) == "indicator"]
    if named and not _INDICATOR_NAMED.search(labels[col]):
        mapping.index["indicator"], col = named[0], named[0]
    values = sorted((c for c in free if c != col and _INDICATOR_VALUE.search(labels[c])),
                    key=lambda c: not compiled(r"целев|план", re.I).search(labels[c]))  # not `Базовое значение`
    if values and not _INDICATOR_VALUE.search(labels[col]) and "indicator_value" not in mapping.index:
        mapping.index["indicator_value"] = values[0]


def _date_role(label: str, labels: list[str]) -> str:
    """`Дата федеральный проект` / `региональный`, `Срок начало` / `окончание`, or plain date."""
    sub = label.split(" ", 1)[1] if " " in label else ""
    if _FEDERAL.search(label):
        return "federal_date"
    if _REGIONAL.search(label) and _FEDERAL.search(" ".join(labels)):
        return "regional_date"
    if sub and _START.search(sub) and not _END.search(sub):
        return "date_start"
    if sub and _END.search(sub):
        return "date_end"
    return "date"


def _seq_share(body: list[list[Cell]], col: int) -> float:
    values = [cell_text(r, col) for r in body if any(c and c.strip() for c in r)]
    return sum(1 for v in values if _SEQ_LIKE.match(v)) / len(values) if values else 0.0


def _widest_in_span(body: list[list[Cell]], labels: list[str], col: int) -> int:
    """A header merged over several columns (`Задачи` over № and text) names the column
    with the most text; the others are left for content rules."""
    span = [c for c in range(col, len(labels)) if labels[c] == labels[col]]
    span = [c for c in span if c == col or all(labels[k] == labels[col] for k in range(col, c + 1))]
    if len(span) == 1:
        return col
    return max(span, key=lambda c: sum(len(cell_text(r, c)) for r in body))


def _add_unlabelled_seq(body: list[list[Cell]], mapping: ColumnMap, settings: TableSettings) -> None:
    """A column of row numbers whose header is empty or shared is the seq column."""
    if "seq" in mapping.index or not body:
        return
    width = mapping.index.get("text", max(len(r) for r in body))
    for col in range(width):
        if col not in mapping.index.values() and _seq_share(body, col) >= settings.seq_column_share:
            mapping.index["seq"] = col
            return


def _content_map(rows: list[list[Cell]], settings: TableSettings) -> ColumnMap:
    """Guess roles from cell content for a table without a recognisable header."""
    width = max((len(r) for r in rows), default=0)
    body = [r for r in rows if sum(1 for c in r if c and c.strip()) >= 2]
    mapping = ColumnMap(by_content=True)
    if len(body) < settings.min_content_rows or width < settings.min_content_columns:
        return mapping

    def share(col: int, test) -> float:
        values = [cell_text(r, col) for r in body if cell_text(r, col)]
        return sum(1 for v in values if test(v)) / len(body) if values else 0.0

    seq_scores = [share(c, lambda v: bool(_SEQ_LIKE.match(v))) for c in range(width)]
    if max(seq_scores) >= settings.seq_column_share:
        mapping.index["seq"] = seq_scores.index(max(seq_scores))
    date_scores = [
        share(c, lambda v: bool(_DATE_LIKE.search(v)) and len(v) < settings.date_cell_max_chars) if c not in mapping.index.values() else 0
        for c in range(width)
    ]
    if max(date_scores) >= settings.date_column_share:
        mapping.index["date"] = date_scores.index(max(date_scores))
    free = [c for c in range(width) if c not in mapping.index.values()]
    if free:
        lengths = {c: sum(len(cell_text(r, c)) for r in body) / len(body) for c in free}
        left = [c for c in free if c < mapping.index.get("date", width)] or free
        mapping.index["text"] = max(left, key=lambda c: lengths[c])
    if "date" in mapping.index and "text" in mapping.index and sum(
            1 for r in body if cell_text(r, mapping.index["text"]) and _DATE_LIKE.search(cell_text(r, mapping.index["date"]))
    ) < settings.min_content_rows:
        # dates and texts on different rows: a letterhead (the body's name above, `от 21.01.2022`
        # | `№ 185` below), not activities with their dates
        return ColumnMap(by_content=True)
    free = [c for c in range(width) if c not in mapping.index.values()]
    if free:
        party = [share(c, lambda v: bool(_PARTY_WORDS.search(v))) for c in free]
        if max(party) >= settings.party_column_share:
            mapping.index["responsible"] = free[party.index(max(party))]
    free = [c for c in range(width) if c not in mapping.index.values()]
    if free:
        mapping.index["indicator"] = free[0]
    return mapping


def _section_text(row: list[Cell], mapping: ColumnMap, settings: TableSettings) -> Optional[str]:
    """The heading if this row is a section heading row: one text spanning the row, or a Roman
    numeral in the № column and one text beside it (`I.` | `Диагностический этап`, the title
    merged over the other columns) → `I. Диагностический этап`."""
    filled = [c.strip() for c in row if c and c.strip()]
    seq_col = mapping.get("seq")
    numeral = cell_text(row, seq_col) if seq_col is not None else ""
    if len(filled) == 2 and _ROMAN_SEQ.match(numeral) and filled[0] == numeral.strip() \
            and len(filled[1]) < settings.section_heading_max_chars:
        return f"{numeral.strip()} {filled[1]}"
    if len(set(filled)) != 1:
        return None
    text = filled[0]
    merged = sum(1 for c in row if c is None) >= max(1, (len(row) - 1) // 2)
    date_col = mapping.get("date") if mapping.get("date") is not None else mapping.get("federal_date")
    spans_row = all(c is None for c in row[1:]) and len(row) > 2  # `Январь 2022 года` merged over a date-first row
    if date_col is not None and cell_text(row, date_col) == text and not spans_row \
            and not (merged and not _DATE_LIKE.search(text)):
        return None  # a date cell alone; but a heading spans the row from a first-column date column
    if _SEQ_LIKE.match(text):
        return None
    if merged or (_SECTION_HEADING.match(text) and len(text) < settings.section_heading_max_chars):
        return text
    if is_caps_text(text) and len(text) < settings.section_heading_max_chars \
            and cell_text(row, mapping.get("text")) == text:
        return text  # `МЕТОДИЧЕСКОЕ СОПРОВОЖДЕНИЕ` alone in the activity column, in capitals
    return None


def _row_cells(row: list[Cell], mapping: ColumnMap) -> dict[str, str]:
    cells = {role: cell_text(row, col) for role, col in mapping.index.items()}
    if mapping.calendar and "date" not in cells:
        cells["date"] = _calendar_cell(row, mapping)
    if mapping.year_columns:
        cells["date"] = year_columns_cell([(year, cell_text(row, col)) for col, year in sorted(mapping.year_columns.items())])
    return cells


def _calendar_cell(row: list[Cell], mapping: ColumnMap) -> str:
    """A calendar plan's row as the date cell it stands for: the labels of its marked columns
    (`мар, апр, май 2022`), which the schedule parser reads as any date cell."""
    marked = [label for col, label in sorted(mapping.calendar.items()) if cell_text(row, col)]
    if not marked:
        return ""
    return ", ".join(marked) + (f" {mapping.calendar_year}" if mapping.calendar_year else "")


def _preceding_heading(blocks: list[Block], index: int, settings: TableSettings) -> Optional[str]:
    """A numbered heading paragraph right above a table names the table's section."""
    if index > 0 and isinstance(blocks[index - 1], RawParagraph):
        lines = [ln.strip() for ln in blocks[index - 1].text.strip().splitlines() if ln.strip()]
        starts = [i for i, ln in enumerate(lines) if _SECTION_HEADING.match(ln) and not _DATE_LIKE.match(ln)]
        if starts:
            heading = " ".join(lines[starts[-1]:])
            # `… изложить в следующей редакции:`, `2. План мероприятий`, `1. Утвердить план …:`: no section
            if len(heading) < settings.preceding_heading_max_chars and not names_no_section(heading):
                return heading
    return None


def _caption(blocks: list[Block], index: int, most: int = 3) -> Optional[str]:
    """The paragraphs right above a table (up to `most`, none past another table): where a
    plan approved in parts says which part the table is (`План мероприятий … на 2023 год`)."""
    lines: list[str] = []
    k = index - 1
    while k >= 0 and index - k <= most and isinstance(blocks[k], RawParagraph):
        lines.insert(0, blocks[k].text)
        k -= 1
    return "\n".join(lines) or None


def find_roadmap_rows(blocks: list[Block], settings: Optional[TableSettings] = None) -> RoadmapTables:
    """Activity rows of every roadmap table among the blocks, in document order."""
    settings = settings or TABLE_SETTINGS
    result = RoadmapTables(rows=[], first_block=None)
    previous: Optional[ColumnMap] = None
    previous_width = -1
    section: Optional[str] = None
    caption: Optional[str] = None
    table_no = 0
    for index, block in enumerate(blocks):
        if not isinstance(block, RawTable) or not block.rows:
            continue
        table_no += 1
        mapping = map_header(block.rows, settings)
        continues = False
        if mapping is None or not mapping.has_dates:
            if previous is not None and block.n_cols == previous_width and _adjacent(blocks, index, settings):
                mapping, continues = ColumnMap(index=dict(previous.index), labels=dict(previous.labels),
                                               calendar=dict(previous.calendar),
                                               calendar_year=previous.calendar_year), True
            elif mapping is None:
                guess = _content_map(block.rows, settings)
                mapping = guess if guess.has_dates and "text" in guess.index else None
                if mapping is not None:
                    result.warnings.append(
                        f"table {table_no}: no recognisable header, columns guessed from content"
                    )
            else:
                mapping = None
        if mapping is None or not mapping.has_dates or "text" not in mapping.index:
            previous, previous_width = None, -1
            continue
        if result.first_block is None:
            result.first_block = index
        # the same header printed again over a table right after the last (`Продолжение
        # приложения`, a page's repeat): the section goes on (a caption above it still names
        # its part of the plan, as in a plan approved in yearly tables)
        repeated = previous is not None and block.n_cols == previous_width and mapping.index == previous.index \
            and _adjacent(blocks, index, settings)
        heading = _preceding_heading(blocks, index, settings)
        if heading:
            section = heading
        elif not (continues or repeated):
            section = None
        if not continues:
            caption = _caption(blocks, index)
        first_row = len(result.rows)
        _read_rows(block, mapping, table_no, section, result, settings)
        for row in result.rows[first_row:]:
            row.caption = caption
        if result.rows and result.rows[-1].table == table_no:
            section = result.rows[-1].section
        previous, previous_width = mapping, block.n_cols
    return result


def _adjacent(blocks: list[Block], index: int, settings: TableSettings) -> bool:
    """True when only short paragraphs (page furniture, headings) separate a table from the last."""
    for block in reversed(blocks[:index]):
        if isinstance(block, RawTable):
            return True
        if len(block.text) > settings.separator_paragraph_max_chars:
            return False
    return False


def _repeats_header(row: list[Cell], mapping: ColumnMap, settings: TableSettings) -> bool:
    """A header printed again inside the body (a page's repeat, reworded or abbreviated):
    header-like, and at least two of its labels name the roles their columns hold. A data
    row that only happens to use header words (`Участие в итоговом мониторинге` | `в
    сроки, установленные ФИОКО`) names the wrong roles in the wrong places."""
    if not _is_header_row(row, settings):
        return False
    roles = {col: role for role, col in mapping.index.items()}
    agree = 0
    for col, cell in enumerate(row):
        role = header_role(cell or "")
        if role is None or col not in roles:
            continue
        wanted = roles[col]
        if role == wanted or (role == "date" and "date" in wanted):
            agree += 1
    return agree >= 2


def _parents_as_sections(rows: list[TableRow]) -> list[TableRow]:
    """`1. | Организационный этап | январь – февраль` over `1.1`, `1.2`: a numbered row whose
    number the next rows extend is their heading (even with a date of its own), not an
    activity; its number and text become their section. One that names its own executors
    (`4. | Разработка … документов | март | руководители ОО` over `4.1`) is an activity done
    in parts, and the parts keep the section above them."""
    out: list[TableRow] = []
    parent: Optional[tuple[str, str]] = None
    for i, row in enumerate(rows):
        seq = (row.cells.get("seq") or "").strip()
        key = seq.rstrip(".")
        nxt = (rows[i + 1].cells.get("seq") or "").strip().rstrip(".") if i + 1 < len(rows) else ""
        if compiled(r"\d{1,3}(?:\.\d{1,3})*").fullmatch(key) and nxt.startswith(key + ".") \
                and not (row.cells.get("responsible") or "").strip():
            parent = (key, " ".join(f"{seq} {row.cells.get('text', '')}".split()))
            continue
        if parent and key and not key.startswith(parent[0] + "."):
            parent = None
        if parent:
            row.section = parent[1]
        out.append(row)
    return out


def _read_rows(table: RawTable, mapping: ColumnMap, table_no: int, section: Optional[str],
               result: RoadmapTables, settings: TableSettings) -> None:
    first = len(result.rows)
    _read_table_rows(table, mapping, table_no, section, result, settings)
    result.rows[first:] = _parents_as_sections(result.rows[first:])


def _read_table_rows(table: RawTable, mapping: ColumnMap, table_no: int, section: Optional[str],
                     result: RoadmapTables, settings: TableSettings) -> None:
    header_keys = {tuple(_fold(c or "") for c in r) for r in table.rows[: mapping.header_rows]}
    first = len(result.rows)
    group_rows, last_group = len(result.rows), ""  # where the current grouping cell's rows start
    for row_no, row in enumerate(fill_merged_down(table, mapping.index, mapping.header_rows), start=1):
        if row_no <= mapping.header_rows or not any(c and c.strip() for c in row):
            continue
        if tuple(_fold(c or "") for c in table.rows[row_no - 1]) in header_keys or is_column_numbering(row) or (
            mapping.header_rows and _repeats_header(row, mapping, settings)
        ):
            continue  # a header again, or its row of column numbers heading a continued table
        heading = _section_text(row, mapping, settings)
        if heading is not None:
            section = heading
            continue
        if is_closing_note(row, mapping.get("seq"), mapping.get("text")):
            continue
        if continues_above(row, row_no - 1, table.continued, mapping.get("seq"), mapping.get("text"),
                           mapping.index.values(), bool(result.rows[first:] and result.rows[-1].cells.get("seq"))):
            above = result.rows[-1]  # `– обучающихся и родителей` under its numbered row, the rest merged or empty
            above.cells["text"] = f"{above.cells.get('text', '')}\n{cell_text(row, mapping.get('text'))}"
            continue
        cells = _row_cells(row, mapping)
        group = cells.pop("group", "")
        page = table.row_pages[row_no - 1] if row_no - 1 < len(table.row_pages) else None
        if group and group != last_group and last_group and group[:1].islower():
            # the grouping cell broken by a page: its words go on from the part before it
            # (`Задача 3. Организовать … и методическую` / `поддержку педагогов ШНОР`)
            joined = f"{last_group} {group}"
            for earlier in result.rows[group_rows:]:
                if earlier.section == last_group:
                    earlier.section = joined
            group = joined
        elif group and group != last_group:
            group_rows = len(result.rows)
        if group:  # a grouping cell (merged down over its rows) names their section
            section, last_group = group, group
        if not cells.get("text"):
            others = [v for k, v in cells.items() if v and k != "seq"]
            if not others:
                continue
        result.rows.append(TableRow(cells=cells, section=section, page=page, table=table_no, row=row_no,
                                    labels=mapping.labels, box=table.box(row_no - 1)))

