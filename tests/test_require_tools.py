"""tests/conftest.py: with ROADMAP_REQUIRE_TOOLS=1 a skip for a missing tool is a failure."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

SAMPLE = '''
import pytest

@pytest.mark.skipif(True, reason="tesseract not installed (Debian: tesseract-ocr)")
def test_marker():
    pass

def test_inside():
    pytest.skip("PostgreSQL not configured: set ROADMAP_TEST_PG_URL")

def test_other_reason():
    pytest.skip("the set's figures need all scans: ROADMAP_OCR_FULL=1")

@pytest.mark.xfail(reason="chromium", strict=False)
def test_xfail():
    assert False
'''


@pytest.fixture
def sample(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(Path(__file__).with_name("conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(SAMPLE)
    return pytester


def test_tool_skips_fail_when_tools_are_required(sample, monkeypatch):
    monkeypatch.setenv("ROADMAP_REQUIRE_TOOLS", "1")
    result = sample.runpytest_subprocess("-rA")
    result.assert_outcomes(failed=1, errors=1, skipped=1, xfailed=1)  # a skipif marker fails in setup: an error
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*ROADMAP_REQUIRE_TOOLS=1 but a needed tool is missing: *tesseract*"])


def test_tool_skips_skip_otherwise(sample, monkeypatch):
    monkeypatch.delenv("ROADMAP_REQUIRE_TOOLS", raising=False)
    sample.runpytest_subprocess().assert_outcomes(skipped=3, xfailed=1)
