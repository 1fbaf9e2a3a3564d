"""Many rows of one table in one driver `executemany`: how the store writes a batch of
documents' activities, parties and indicators, their ledger rows and compliance rows."""
from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable, Optional, Sequence

from sqlalchemy import JSON, Table, insert
from sqlalchemy.engine import Connection

# (dialect, driver, table, columns) → the driver's INSERT text, its parameters' order, each
# column's bind processor (None: the value goes as it is) and whether parameters are positional.
_PREPARED: dict[tuple, tuple[str, tuple[str, ...], list[Optional[Callable[[Any], Any]]], bool]] = {}


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Many rows of one table (every row with the same keys) in one driver `executemany`.

    SQLAlchemy's own executemany builds and processes a parameter set per row through its
    compiled-statement machinery: ≈ 20 µs a row, the largest part of storing a document
    (≈ 130 activity, party and indicator rows). Here the statement is compiled once per
    dialect and the values are taken column by column: only the columns whose type has a bind
    processor (dates for SQLite, JSON) go through it, so the database receives what
    SQLAlchemy would have sent."""
    if not rows:
        return
    dialect = conn.dialect
    columns = tuple(rows[0])
    key = (dialect.name, dialect.driver, table.name, columns)
    prepared = _PREPARED.get(key)
    if prepared is None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        order = compiled.positiontup if compiled.positional else columns
        processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order]
        prepared = _PREPARED[key] = (compiled.string, order, processors, compiled.positional)
    sql, order, processors, positional = prepared
    take = itemgetter(*order)
    values = list(map(take, rows)) if len(order) > 1 else [(take(row),) for row in rows]
    if any(processors):
        by_column = list(zip(*values))
        for n, proc in enumerate(processors):
            if proc is not None:
                by_column[n] = _processed(proc, by_column[n], isinstance(table.c[order[n]].type, JSON))
        values = list(zip(*by_column))
    conn.exec_driver_sql(sql, values if positional else [dict(zip(order, v)) for v in values])


def _processed(proc: Callable[[Any], Any], column: Sequence[Any], json: bool) -> list[Any]:
    """One column's values through its bind processor. Most JSON cells of a roadmap are None
    or an empty list (an activity's other dates, its federal step): each is processed once."""
    null = proc(None)
    if not json:
        return [null if v is None else proc(v) for v in column]
    empty = proc([])
    return [null if v is None else empty if v == [] else proc(v) for v in column]
