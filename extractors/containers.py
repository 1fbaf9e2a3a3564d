"""One reader for every ZIP container the pipeline opens: inbox archives and the Office /
OpenDocument files that are ZIPs too (DOCX, XLSX, ODT, ODS).

A container is checked from its central directory before a byte is inflated (member count,
declared sizes, compression ratio), and a member is inflated in chunks, never past its
declared size or the per-member cap, so a lying header cannot make it bigger. Archives inside
archives draw on one budget for the whole tree (`InflateBudget`): limits per level alone
would let ten nested levels each unpack their full allowance.
"""
from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Optional, Union

from extractors.raw import ExtractionError


@dataclass(frozen=True)
class ArchiveLimits:
    """What a container may hold before it is refused as a bomb or a flood."""

    max_members: int = 5_000
    max_member_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024  # one container, and a whole nested tree
    max_ratio: float = 100.0          # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = 1024 * 1024
    max_depth: int = 3                # archives inside archives


DEFAULT_LIMITS = ArchiveLimits()
Source = Union[str, Path, BinaryIO]


class ContainerRefused(Exception):
    """The container, or one member, must not be inflated; the message is the reason."""


class InflateBudget:
    """Bytes still allowed to be inflated from one file, across all nesting levels."""

    def __init__(self, limits: ArchiveLimits = DEFAULT_LIMITS):
        self.limits = limits
        self.left = limits.max_total_bytes

    def spend(self, size: int) -> None:
        if size > self.left:
            raise ContainerRefused(
                f"archive refused: its nested archives would unpack past {self.limits.max_total_bytes} bytes "
                f"in all; zip bomb?")
        self.left -= size


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: Windows archivers store Cyrillic names in
    CP866 without the UTF-8 flag, which zipfile then decodes as CP437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for encoding in ("utf-8", "cp866"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return name


def unsafe_member_reason(info: zipfile.ZipInfo, limits: ArchiveLimits = DEFAULT_LIMITS) -> Optional[str]:
    """Why a member must not be read, or None. Checked before any byte is inflated."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return f"unsafe path in archive: {member_name(info)!r}"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"symbolic link in archive: {member_name(info)!r}"
    if info.flag_bits & 0x1:
        return "encrypted archive member (password-protected ZIP)"
    if info.file_size > limits.max_member_bytes:
        return (f"archive member too large: {member_name(info)!r} unpacks to {info.file_size} bytes "
                f"(limit {limits.max_member_bytes})")
    if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return (f"archive member refused: {member_name(info)!r} compression ratio "
                f"{info.file_size // max(info.compress_size, 1)}:1 (limit {int(limits.max_ratio)}:1); zip bomb?")
    return None


def check_directory(zf: zipfile.ZipFile, limits: ArchiveLimits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """The file members, or ContainerRefused when the container as a whole is too big."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > limits.max_members:
        raise ContainerRefused(f"archive refused: {len(infos)} members (limit {limits.max_members})")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_total_bytes:
        raise ContainerRefused(
            f"archive refused: would unpack to {declared} bytes (limit {limits.max_total_bytes}); zip bomb?")
    return infos


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits = DEFAULT_LIMITS,
                budget: Optional[InflateBudget] = None) -> bytes:
    """Inflate one member after its checks, never past its declared size or the cap (zipfile
    stops at the declared size and checks the CRC)."""
    reason = unsafe_member_reason(info, limits)
    if reason:
        raise ContainerRefused(reason)
    if budget is not None:
        budget.spend(info.file_size)
    cap = min(info.file_size, limits.max_member_bytes)
    out = io.BytesIO()
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > cap:
                raise ContainerRefused("archive member inflates past its declared size; zip bomb?")
    return out.getvalue()


def open_checked(source: Source, limits: ArchiveLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """A ZipFile whose directory passed `check_directory`; ExtractionError with the reason
    otherwise (corrupt or refused). The caller closes it."""
    try:
        zf = zipfile.ZipFile(source if not isinstance(source, Path) else str(source))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ExtractionError(f"corrupt ZIP container: {short_reason(exc)}") from exc
    try:
        check_directory(zf, limits)
    except ContainerRefused as exc:
        zf.close()
        raise ExtractionError(str(exc)) from exc
    return zf


def read_document_part(zf: zipfile.ZipFile, name: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> bytes:
    """One part of an Office/OpenDocument file (`word/document.xml`, `mimetype` …), capped;
    KeyError when it is absent, ExtractionError when it is refused or corrupt."""
    info = zf.getinfo(name)
    try:
        return read_member(zf, info, limits)
    except ContainerRefused as exc:
        raise ExtractionError(str(exc)) from exc
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ExtractionError(f"corrupt document part {name}: {short_reason(exc)}") from exc


def office_kind(zf: zipfile.ZipFile, limits: ArchiveLimits = DEFAULT_LIMITS) -> Optional[str]:
    """docx / xlsx / odt / ods for an Office or OpenDocument container, None for another ZIP.
    Every member's declared size and ratio is checked first: a 1 GiB comment in
    `document.xml` or a `mimetype` that inflates to 1 GiB is refused, not read."""
    names = set(zf.namelist())
    kind = None
    if "word/document.xml" in names:
        kind = "docx"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "mimetype" in names:
        mime = read_document_part(zf, "mimetype", limits)[:100]
        kind = "odt" if b"opendocument.text" in mime else "ods" if b"opendocument.spreadsheet" in mime else None
    if kind is not None:
        for info in zf.infolist():
            reason = unsafe_member_reason(info, limits)
            if reason:
                raise ExtractionError(reason)
    return kind


def is_office(zf: zipfile.ZipFile) -> bool:
    """A ZIP that is an Office/OpenDocument file rather than an archive of files."""
    names = set(zf.namelist())
    return "[Content_Types].xml" in names or "mimetype" in names or "word/document.xml" in names


def short_reason(exc: BaseException) -> str:
    """An exception as one short line of a ledger reason."""
    return " ".join(str(exc).split())[:200] or type(exc).__name__
