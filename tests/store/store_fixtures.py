"""Documents for store tests: the hand-checked gold documents and small synthetic ones."""
from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from functools import lru_cache
from typing import Optional

from schema import RoadmapDocument

ROOT = Path(__file__).resolve().parents[2]
GOLD = sorted((ROOT / "fixtures" / "gold").glob("*.json"))


def gold_documents() -> list[RoadmapDocument]:
    return [d.model_copy(deep=True) for d in _gold_documents()]


@lru_cache(maxsize=1)
def _gold_documents() -> tuple[RoadmapDocument, ...]:
    """The hand-checked documents of the four fixture orders, with ids and sources filled in
    as the extractor would (the gold files leave them null)."""
    docs = []
    for path in GOLD:
        data = json.loads(path.read_text(encoding="utf-8"))
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        data["id"] = sha[:16]
        data["source"] = {"path": f"/inbox/{path.stem}.docx", "sha256": sha, "format": "docx",
                          "pages": None, "ocr": False}
        docs.append(RoadmapDocument.model_validate(data))
    return tuple(docs)


def make_doc(seed: str, *, region: Optional[str] = "RU-TYU", number: Optional[str] = "1",
             date: Optional[str] = "2022-01-10", amends: Optional[list[dict]] = None,
             level: Optional[str] = "regional", activities: int = 3, path: Optional[str] = None,
             fmt: str = "docx", ocr: bool = False, doc_type: str = "приказ") -> RoadmapDocument:
    """A small synthetic document whose bytes-identity is `seed`."""
    sha = hashlib.sha256(seed.encode()).hexdigest()
    template = _gold_documents()[0].to_json_dict()
    acts = copy.deepcopy(template["activities"][:activities])
    data = {
        "id": sha[:16],
        "source": {"path": path or f"/inbox/{seed}.{fmt}", "sha256": sha, "format": fmt, "pages": None, "ocr": ocr},
        "issuer": "Департамент образования", "level": level, "municipality": None, "doc_type": doc_type,
        "region": {"code": region, "name": f"Регион {region}"} if region else None,
        "number": number, "date": date, "title": f"Об утверждении дорожной карты {seed}",
        "amends": amends or [], "period": None, "activities": acts, "warnings": [],
    }
    return RoadmapDocument.model_validate(data)
