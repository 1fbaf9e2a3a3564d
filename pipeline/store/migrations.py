"""Every upgrade of an older database, by the version it brings it to: the tables' own
(pipeline/store/tables.py) and those that resolve versions again with the store's writers."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from pipeline.identity import act_id_of
from pipeline.store.documents import refresh_region
from pipeline.store.tables import TABLE_MIGRATIONS, all_compliance_stale, corrections, documents


def _municipal_acts_apart(conn: Connection) -> None:
    """Version 5: a municipal act's identity includes its municipality — two districts'
    orders of one number and date had been taken for renditions of one act, one district's
    plan standing for both. Each document's act id is computed again; a correction follows
    the rendition it was made on (its act id, and the act id its activity id begins with);
    every region's versions are resolved again and its compliance is stale."""
    c, k = documents.c, corrections.c
    moved: dict[str, tuple[str, str]] = {}
    for row in conn.execute(select(c.id, c.region_code, c.number, c.date, c.doc_type, c.level, c.municipality,
                                   c.act_id)).all():
        new = act_id_of(row.region_code, row, row.id)
        if new != row.act_id:
            conn.execute(update(documents).where(c.id == row.id).values(act_id=new))
            moved[row.id] = (row.act_id, new)
    for document_id, (old, new) in moved.items():
        for correction in conn.execute(select(k.id, k.target).where(k.document_id == document_id)).all():
            target = new + correction.target[len(old):] if correction.target.startswith(f"{old}:") else correction.target
            conn.execute(update(corrections).where(k.id == correction.id).values(act_id=new, target=target))
    for code in conn.execute(select(c.region_code).distinct()).scalars().all():
        refresh_region(conn, code)
    all_compliance_stale(conn)


# version → upgrade function run inside one transaction, for databases older than it.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {**TABLE_MIGRATIONS, 5: _municipal_acts_apart}
