"""The schema's validators are built on first use; `build_document_validators` builds a
document's all at once, for a caller with time to spare (`roadmap extract`)."""
from __future__ import annotations

import subprocess
import sys


def test_build_document_validators_builds_every_model_of_a_document() -> None:
    """Afterwards no model a document is made of is left to build on first use. In a fresh
    interpreter: this one may have built some already."""
    code = ("import schema, typing\n"
            "assert not any(m.__pydantic_complete__ for m in schema.DOCUMENT_MODELS)\n"
            "schema.build_document_validators()\n"
            "assert all(m.__pydantic_complete__ for m in schema.DOCUMENT_MODELS)\n"
            "def models(t):\n"
            "    if isinstance(t, type) and issubclass(t, schema._Model):\n"
            "        yield t\n"
            "        for f in t.model_fields.values():\n"
            "            yield from models(f.annotation)\n"
            "    for a in typing.get_args(t):\n"
            "        yield from models(a)\n"
            "assert set(models(schema.RoadmapDocument)) <= set(schema.DOCUMENT_MODELS)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
