"""LibreOffice conversion of .doc/.rtf/.odt to DOCX: errors are one-line ExtractionErrors,
and a converted fixture reads like its DOCX original."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors import convert
from extractors.raw import ExtractionError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "orders"
LEGACY = FIXTURES.parent / "legacy"
HAS_SOFFICE = any(shutil.which(n) for n in convert.SOFFICE_NAMES)
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed (Debian: libreoffice-writer)")


def test_missing_libreoffice_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("ROADMAP_CACHE", str(tmp_path / "cache"))
    doc = tmp_path / "a.rtf"
    doc.write_text("{\\rtf1 hello}")
    with pytest.raises(ExtractionError, match="libreoffice-writer"):
        convert.convert_to_docx(doc)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ExtractionError, match="cannot open"):
        convert.convert_to_docx(tmp_path / "absent.doc")


@needs_soffice
@pytest.mark.parametrize("content, suffix", [
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, ".doc"),
    (b"", ".rtf"),
    (b"PK\x03\x04 not really a zip", ".odt"),
])
def test_corrupt_input_is_an_extraction_error(tmp_path, monkeypatch, content, suffix):
    monkeypatch.setenv("ROADMAP_CACHE", str(tmp_path / "cache"))
    bad = tmp_path / f"bad{suffix}"
    bad.write_bytes(content)
    try:
        out = convert.convert_to_docx(bad, timeout=120)
    except ExtractionError as exc:
        assert "\n" not in str(exc)
    else:  # LibreOffice may read garbage as an empty text document: then it must be a valid DOCX
        import docx
        docx.Document(str(out))


@needs_soffice
def test_timeout_kills_the_conversion(tmp_path, monkeypatch):
    monkeypatch.setenv("ROADMAP_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "a.rtf"
    src.write_text("{\\rtf1\\ansi Приказ}")
    with pytest.raises(ExtractionError, match="timed out"):
        convert.convert_to_docx(src, timeout=0.05)


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["doc", "rtf"])
def test_legacy_fixture_reads_like_its_docx(tmp_path, monkeypatch, suffix):
    from extractors.docx import extract_docx

    stem = "tyumen-oblast-2022"
    src = LEGACY / f"{stem}.{suffix}"
    if not src.exists():
        pytest.skip("legacy fixtures not built (python fixtures/build_scans.py)")
    monkeypatch.setenv("ROADMAP_CACHE", str(tmp_path / "cache"))
    out = convert.convert_to_docx(src)
    assert out.suffix == ".docx" and out.parent == tmp_path / "cache" / "convert"
    converted = extract_docx(out, "0" * 64, fmt=suffix)
    original = extract_docx(FIXTURES / f"{stem}.docx", "0" * 64)
    assert converted.format == suffix
    assert [len(t.rows) for t in converted.tables] == [len(t.rows) for t in original.tables]
    fold = lambda t: [" ".join((c or "").split()) for row in t.rows for c in row]  # noqa: E731
    assert fold(converted.tables[0]) == fold(original.tables[0])
    assert convert.convert_to_docx(src) == out                 # second call: from the cache


FAKE_SOFFICE = """#!{python}
import pathlib, sys, time
args = sys.argv[1:]
profile = next(a for a in args if a.startswith("-env:UserInstallation=")).split("file://", 1)[1]
pathlib.Path(profile).mkdir(parents=True)
(pathlib.Path(profile) / "registrymodifications.xcu").write_text("x")
out = pathlib.Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True)
if "{mode}" == "hang":
    time.sleep(60)
if "{mode}" == "fail":
    sys.exit(1)
(out / "input.docx").write_bytes(b"PK not really a docx")
"""


@pytest.mark.parametrize("mode, error", [("ok", None), ("fail", "conversion failed"), ("hang", "timed out")])
def test_temp_files_removed_on_every_path_of_a_conversion(tmp_path, monkeypatch, mode, error):
    """Finding: temp files stayed behind. The conversion folder (profile, staged input,
    output) and the cache's half-written file go whether soffice succeeds, fails or hangs."""
    import sys
    import tempfile

    script = tmp_path / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable, mode=mode))
    script.chmod(0o755)
    monkeypatch.setenv("ROADMAP_SOFFICE", str(script))
    monkeypatch.setenv("ROADMAP_CACHE", str(tmp_path / "cache"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    src = tmp_path / "a.rtf"
    src.write_text("{\\rtf1\\ansi x}")
    if error is None:
        assert convert.convert_to_docx(src).read_bytes().startswith(b"PK")
    else:
        with pytest.raises(ExtractionError, match=error):
            convert.convert_to_docx(src, timeout=3)
    assert list(temp.iterdir()) == []
    assert [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.suffix != ".docx"] == []
