"""The benchmark's order generator: reworded copies are still whole orders of their template,
each with activities of its own, so a benchmark over them does not measure cache hits."""
from __future__ import annotations

import pytest

from pipeline.extract import extract

from flow_fixtures import ORDERS, generator

pytestmark = pytest.mark.usefixtures("extraction_available")


@pytest.mark.parametrize("template", ["ivanovo-2022.docx", "tyumen-oblast-2022.docx"])
def test_reworded_copies_differ_in_wording_only(tmp_path, template):
    original = extract(ORDERS / template)
    paths = generator().generate_orders(tmp_path, 2, start=41, templates=[ORDERS / template], reword=True)
    copies = [extract(p) for p in paths]
    for copy in copies:
        assert len(copy.activities) == len(original.activities)
        assert [a.schedule for a in copy.activities] == [a.schedule for a in original.activities]
        assert copy.region == original.region and copy.number != original.number
    texts = [[a.text for a in doc.activities] for doc in (original, *copies)]
    reworded = [sum(x != y for x, y in zip(texts[0], other)) for other in texts[1:]]
    assert all(n >= 0.8 * len(original.activities) for n in reworded), reworded
    # one word fewer, never a different word
    for before, after in zip(texts[0], texts[1]):
        assert len(after.split()) in (len(before.split()), len(before.split()) - 1)
    assert sum(x != y for x, y in zip(texts[1], texts[2])) >= 0.8 * len(original.activities)


def test_repeated_copies_keep_the_wording(tmp_path):
    template = ORDERS / "ivanovo-2022.docx"
    paths = generator().generate_orders(tmp_path, 2, start=41, templates=[template])
    first, second = (extract(p) for p in paths)
    assert [a.text for a in first.activities] == [a.text for a in second.activities]
