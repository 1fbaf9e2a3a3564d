"""Helpers of the workbench tests (imported by name: tests/ is not a package)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional


@contextmanager
def client_for(url: str, uploads: Optional[Path] = None, **options) -> Iterator:
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(url, uploads=uploads, **options)) as client:
        yield client


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
