"""Parquet: the store's current activities for analysts' tools (pandas, DuckDB, Spark)."""
from __future__ import annotations

import io

import pandas as pd


def render_activities(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()
