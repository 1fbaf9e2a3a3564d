"""Inbox discovery: recursive, archive members as items, hostile archives refused with a reason."""
from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

import pytest

from extractors.discover import ArchiveLimits, FileItem, discover, local_copy, member_name, read_item_bytes


def _docx_bytes(text: str = "x") -> bytes:
    """A minimal Office container (what makes a ZIP a document, not an archive)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # fixed member times: two calls give the same bytes
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", _FIXED_TIME), "<Types/>")
        zf.writestr(zipfile.ZipInfo("word/document.xml", _FIXED_TIME), f"<w:document>{text}</w:document>")
    return buf.getvalue()


_FIXED_TIME = (2022, 1, 10, 9, 0, 0)


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _by_name(items: list[FileItem]) -> dict[str, FileItem]:
    return {i.path.split("/inbox/", 1)[1]: i for i in items}


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    (root / "2022" / "march").mkdir(parents=True)
    (root / "a.docx").write_bytes(_docx_bytes("a"))
    (root / "2022" / "b.pdf").write_bytes(b"%PDF-1.4 b")
    (root / "2022" / "march" / "c.rtf").write_bytes(b"{\\rtf1 c}")
    (root / "empty.pdf").write_bytes(b"")
    (root / ".hidden.docx").write_bytes(b"x")
    (root / "~$a.docx").write_bytes(b"lock")
    (root / ".git").mkdir()
    (root / ".git" / "x.pdf").write_bytes(b"%PDF")
    return root


def test_walks_recursively_and_skips_hidden_and_lock_files(inbox: Path) -> None:
    items = _by_name(discover(inbox))
    assert sorted(items) == ["2022/b.pdf", "2022/march/c.rtf", "a.docx", "empty.pdf"]
    b = items["2022/b.pdf"]
    assert b.sha256 == hashlib.sha256(b"%PDF-1.4 b").hexdigest()
    assert (b.size, b.members, b.error, b.source) == (10, (), None, b.path)
    assert items["empty.pdf"].size == 0 and items["empty.pdf"].error is None  # the extractor says why


def test_a_docx_is_a_document_not_an_archive(inbox: Path) -> None:
    item = _by_name(discover(inbox))["a.docx"]
    assert item.members == () and item.error is None


def test_missing_inbox_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        discover(tmp_path / "nope")


def test_archive_members_become_items(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    inner = _zip({"deep/d.docx": _docx_bytes("d")})
    (root / "batch.zip").write_bytes(_zip({
        "orders/x.docx": _docx_bytes("x"), "y.pdf": b"%PDF-1.7 y", "nested.zip": inner,
        "__MACOSX/orders/._x.docx": b"junk", "orders/.DS_Store": b"junk",
    }))
    items = _by_name(discover(root))
    assert sorted(items) == ["batch.zip!nested.zip!deep/d.docx", "batch.zip!orders/x.docx", "batch.zip!y.pdf"]
    y = items["batch.zip!y.pdf"]
    assert (y.members, y.sha256, y.size, y.error) == (("y.pdf",), hashlib.sha256(b"%PDF-1.7 y").hexdigest(), 10, None)
    assert read_item_bytes(y) == b"%PDF-1.7 y"
    d = items["batch.zip!nested.zip!deep/d.docx"]
    assert d.members == ("nested.zip", "deep/d.docx")
    assert read_item_bytes(d) == _docx_bytes("d")
    with local_copy(d) as path:
        assert path.suffix == ".docx" and path.read_bytes() == _docx_bytes("d")
        kept = path
    assert not kept.exists()


def test_cp866_member_names_are_read_as_windows_wrote_them(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("x")
    russian = "Приказ 918-02.pdf"
    info.filename = russian.encode("cp866").decode("cp437")  # what zipfile reads without the UTF-8 flag
    info.flag_bits = 0
    assert member_name(info) == russian
    utf8 = zipfile.ZipInfo(russian)
    utf8.flag_bits = 0x800
    assert member_name(utf8) == russian


@pytest.mark.parametrize("name", [
    "../escape.docx",
    "a/../../escape.docx",
    "/etc/escape.docx",
    "..\\..\\escape.docx",
    "C:\\Windows\\escape.docx",
    "C:/escape.docx",
])
def test_path_traversal_members_are_refused(tmp_path: Path, name: str) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok.pdf", b"%PDF ok")
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # bypass zipfile's own sanitising, as a hostile archiver would
        zf.writestr(info, b"%PDF evil")
    (root / "a.zip").write_bytes(buf.getvalue())
    items = discover(root)
    bad = [i for i in items if i.error]
    assert len(bad) == 1 and bad[0].error.startswith("unsafe path in archive")
    assert [i.name for i in items if not i.error] == ["ok.pdf"]
    assert not (tmp_path / "escape.docx").exists()


def test_symlink_members_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("link.pdf")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    (root / "a.zip").write_bytes(buf.getvalue())
    [item] = discover(root)
    assert item.error.startswith("symbolic link in archive")


def test_encrypted_members_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    data = bytearray(_zip({"secret.pdf": b"%PDF secret"}, compression=zipfile.ZIP_STORED))
    # set the "encrypted" flag bit in the local and the central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + offset
        data[at] |= 0x01
    (root / "a.zip").write_bytes(bytes(data))
    [item] = discover(root)
    assert item.error == "encrypted archive member (password-protected ZIP)"


def test_high_ratio_members_are_refused_as_bombs(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "bomb.zip").write_bytes(_zip({"zeros.pdf": b"\0" * (4 * 1024 * 1024), "fine.pdf": b"%PDF fine"}))
    items = {i.name: i for i in discover(root)}
    assert "zip bomb" in items["zeros.pdf"].error
    assert items["fine.pdf"].error is None


@pytest.mark.parametrize("limits, members, reason", [
    (ArchiveLimits(max_members=3), {f"{i}.pdf": b"%PDF" for i in range(4)}, "4 members (limit 3)"),
    (ArchiveLimits(max_total_bytes=100), {"a.pdf": b"%PDF" + b"a" * 60, "b.pdf": b"%PDF" + b"b" * 60},
     "would unpack to 128 bytes"),
])
def test_archive_level_limits(tmp_path: Path, limits: ArchiveLimits, members: dict, reason: str) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "many.zip").write_bytes(_zip(members))
    [item] = discover(root, limits)
    assert item.path.endswith("many.zip") and reason in item.error


def test_member_size_limit(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "a.zip").write_bytes(_zip({"big.pdf": b"%PDF" + bytes(range(256)) * 10}))
    [item] = discover(root, ArchiveLimits(max_member_bytes=1000))
    assert item.error.startswith("archive member too large")


def test_nesting_depth_is_limited(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    payload = _zip({"order.pdf": b"%PDF deep"})
    for level in range(3):
        payload = _zip({f"level{level}.zip": payload})
    (root / "a.zip").write_bytes(payload)
    [item] = discover(root, ArchiveLimits(max_depth=3))
    assert "nested deeper than 3" in item.error
    [ok] = discover(root, ArchiveLimits(max_depth=5))
    assert ok.error is None and read_item_bytes(ok) == b"%PDF deep"


def test_corrupt_archive_is_one_failed_item(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    good = _zip({"a.pdf": b"%PDF a" * 100})
    (root / "broken.zip").write_bytes(good[: len(good) // 2] + b"\0" * 10 + good[-22:])
    [item] = discover(root)
    assert item.error and ("corrupt" in item.error)
