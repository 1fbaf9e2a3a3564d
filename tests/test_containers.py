"""Office and OpenDocument files are ZIPs: they pass the same size, ratio and nesting checks as
inbox archives, from the central directory, before python-docx, calamine or LibreOffice
inflate a byte — and the reason says what was refused."""
from __future__ import annotations

import io
import resource
import zipfile
from pathlib import Path

import pytest

from extractors.containers import ArchiveLimits, InflateBudget, ContainerRefused, office_kind, open_checked
from extractors.discover import discover
from extractors.raw import ExtractionError
from extractors.sniff import sniff_format

BIG = 300 * 1024 * 1024  # past the default 256 MiB per member


def _zip(members: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _zip_streamed(path: Path, small: dict[str, bytes], big_name: str, big_size: int) -> Path:
    """A container with one member of `big_size` zero bytes, written in chunks (cheap to make)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in small.items():
            zf.writestr(name, data)
        info = zipfile.ZipInfo(big_name)
        info.compress_type = zipfile.ZIP_DEFLATED  # a bare ZipInfo would store the zeros as they are
        with zf.open(info, "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 22)
            for _ in range(big_size // len(chunk)):
                fh.write(chunk)
    return path


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bombs")
    return {
        "docx_comment": _zip_streamed(root / "comment.docx", DOCX_PARTS, "word/comments.xml", BIG),
        "odt_mimetype": _zip_streamed(root / "mime.odt", {"content.xml": b"<x/>"}, "mimetype", BIG),
        "xlsx_sheet": _zip_streamed(root / "sheet.xlsx", {"[Content_Types].xml": b"<Types/>",
                                                          "xl/workbook.xml": b"<workbook/>"},
                                    "xl/worksheets/sheet1.xml", BIG),
    }


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name,member", [
    ("docx_comment", "word/comments.xml"),
    ("odt_mimetype", "mimetype"),
    ("xlsx_sheet", "xl/worksheets/sheet1.xml"),
])
def test_office_bomb_is_refused_by_name_before_inflating(bombs, name, member):
    before = _peak_rss_mib()
    with pytest.raises(ExtractionError, match=f"archive member too large: '{member}'"):
        sniff_format(bombs[name])
    assert _peak_rss_mib() - before < 64, "the member was inflated"


def test_docx_reader_refuses_a_bomb_itself(bombs):
    from extractors.docx import extract_docx

    with pytest.raises(ExtractionError, match="archive member too large"):
        extract_docx(bombs["docx_comment"], "x")


def test_pipeline_reports_the_bomb_not_libreoffice(bombs):
    from pipeline.extract import extract

    with pytest.raises(ExtractionError) as err:
        extract(bombs["odt_mimetype"])
    assert "archive member too large" in str(err.value) and "LibreOffice" not in str(err.value)


@pytest.mark.parametrize("members,kind", [
    (DOCX_PARTS, "docx"),
    ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}, "xlsx"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, "odt"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}, "ods"),
    ({"mimetype": b"application/epub+zip"}, None),
    ({"readme.txt": b"hi"}, None),
])
def test_office_kind(tmp_path, members, kind):
    with open_checked(_zip(members, tmp_path / "x.zip")) as zf:
        assert office_kind(zf) == kind


@pytest.mark.parametrize("limits,members,reason", [
    (ArchiveLimits(max_members=2), {"a": b"1", "b": b"2", "c": b"3"}, r"3 members \(limit 2\)"),
    (ArchiveLimits(max_total_bytes=10), {"a": b"x" * 8, "b": b"y" * 8}, "would unpack to 16 bytes"),
])
def test_directory_limits(tmp_path, limits, members, reason):
    with pytest.raises(ExtractionError, match=reason):
        open_checked(_zip(members, tmp_path / "x.zip"), limits)


def test_corrupt_container(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(ExtractionError, match="corrupt ZIP container"):
        open_checked(path)


def test_budget_spans_nesting_levels():
    budget = InflateBudget(ArchiveLimits(max_total_bytes=100))
    budget.spend(60)
    with pytest.raises(ContainerRefused, match="nested archives would unpack past 100 bytes"):
        budget.spend(60)


def test_nested_archives_share_one_budget(tmp_path):
    """Each level is within the limit; together they are not."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("order.pdf", b"%PDF" + b"a" * 56)
    root = tmp_path / "inbox"
    root.mkdir()
    outer = _zip({"one.zip": inner.getvalue(), "two.pdf": b"%PDF" + b"b" * 56}, root / "outer.zip")
    declared = sum(i.file_size for i in zipfile.ZipFile(outer).infolist())
    limits = ArchiveLimits(max_total_bytes=declared + 30)  # the outer level fits, the tree does not
    items = {i.path.split("!", 1)[1]: i for i in discover(root, limits)}
    assert any(i.error and f"would unpack past {declared + 30} bytes" in i.error for i in items.values()), items
    assert sum(1 for i in items.values() if i.error is None) >= 1


def test_budget_is_per_archive_not_per_inbox(tmp_path):
    root = tmp_path / "inbox"
    root.mkdir()
    for k in range(3):
        _zip({f"o{k}.pdf": b"%PDF" + b"a" * 56}, root / f"a{k}.zip")
    items = discover(root, ArchiveLimits(max_total_bytes=100))
    assert len(items) == 3 and all(i.error is None for i in items)


def test_stale_member_copies_are_swept(tmp_path):
    import os
    import time

    from extractors.convert import CONVERT_DIR_PREFIX
    from extractors.discover import MEMBER_COPY_PREFIX, sweep_stale_copies

    old = tmp_path / f"{MEMBER_COPY_PREFIX}old"
    old_conversion = tmp_path / f"{CONVERT_DIR_PREFIX}old"  # LibreOffice's folder of a killed run
    fresh = tmp_path / f"{MEMBER_COPY_PREFIX}fresh"
    other = tmp_path / "someone-elses"
    for folder in (old, old_conversion, fresh, other):
        folder.mkdir()
        (folder / "x.docx").write_bytes(b"PK")
    hours_ago = time.time() - 7 * 3600
    for folder in (old, old_conversion, other):
        os.utime(folder, (hours_ago, hours_ago))
    assert sweep_stale_copies(base=tmp_path) == 2
    assert not old.exists() and not old_conversion.exists() and fresh.exists() and other.exists()


def test_ocr_cache_write_error_leaves_no_temp_file(tmp_path, monkeypatch):
    import json as json_module

    from extractors import ocr
    from extractors.raw import RawParagraph

    monkeypatch.setenv("ROADMAP_OCR_CACHE", str(tmp_path))

    def broken_dump(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json_module, "dump", broken_dump)
    ocr._store_cached("ab" * 32, 1, [RawParagraph(text="x", page=1)], [])
    assert list(tmp_path.rglob("*.tmp")) == []
    assert ocr._load_cached("ab" * 32, 1) is None
