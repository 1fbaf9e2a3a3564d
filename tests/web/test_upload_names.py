"""What of an uploaded file's name its copy on disk keeps (web.security.upload_stem): enough
to tell the file in the ledger, nothing that can leave the upload folder or hide its type."""
from __future__ import annotations

import re

import pytest

from web.security import UPLOAD_STEM_CHARS, upload_stem


@pytest.mark.parametrize("filename, stem", [
    ("Приказ 918 Тюменская область.docx", "Приказ 918 Тюменская область"),
    ("roadmap_2022-01.pdf", "roadmap_2022-01"),
    ("../../evil<b>.docx", "evil_b"),
    ("..\\..\\windows\\system32\\x.pdf", "x"),
    ("/etc/passwd", "passwd"),
    ("archive.tar.gz", "archive_tar"),
    (".hidden", "hidden"),
    ("..", ""),
    (".", ""),
    ("", ""),
    (None, ""),
    ("...pdf", "pdf"),
    ("a\x00b.pdf", "a_b"),
    ("line\nbreak.pdf", "line_break"),
    ("report\u202efdp.exe", "report_fdp"),  # a right-to-left override may not hide the real name
    ("  spaced  .docx", "spaced"),
    ("___.docx", ""),
    ("order (1).docx", "order _1"),
    ("N%20ame;rm -rf.docx", "N_20ame_rm -rf"),
    ("приказ№5.pdf", "приказ_5"),
])
def test_upload_stem(filename, stem) -> None:
    assert upload_stem(filename) == stem


def test_upload_stem_is_bounded_and_never_ends_in_a_separator() -> None:
    stem = upload_stem("д" * 59 + " x" * 40 + ".pdf")
    assert len(stem) <= UPLOAD_STEM_CHARS and not stem.endswith((" ", "_", "-"))


@pytest.mark.parametrize("filename", ["../x", "a/b\\c.d", "\x7f\x1b[31m.pdf", "$(reboot).docx", "C:\\a.pdf"])
def test_upload_stem_holds_only_safe_characters(filename) -> None:
    assert re.fullmatch(r"[\w\- ]*", upload_stem(filename))
