"""Compliance rows as CSV (or JSON): exactly the schema's ComplianceRow fields, for programs."""
from __future__ import annotations

import csv
import io
import json
from typing import Sequence

from schema import ComplianceRow

COLUMNS = list(ComplianceRow.model_fields)


def render_json(rows: Sequence[ComplianceRow]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2) + "\n"


def render_csv(rows: Sequence[ComplianceRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in r.model_dump(mode="json").items()})
    return buffer.getvalue()
