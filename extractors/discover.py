"""Find the files of an inbox folder, opening ZIP archives safely.

Regional staff send orders as loose files and as ZIP archives (often made on Windows, with
CP866 file names, nested archives, `__MACOSX` debris). Discovery walks the folder, lists
every candidate file with the sha256 of its bytes (its identity in the store), and turns an
archive into one item per member. Members are never written under their own names: an
extraction reads a member into a private temporary file, so a hostile name cannot escape;
still, members whose names try (`../x`, `/etc/x`, `C:\\x`, symlinks) are refused and
recorded, and so are archives that would inflate beyond the limits of
extractors/containers.py (zip bombs), one budget for an archive and all archives inside it.
Pure standard library: no Prefect, so tests and the process-pool workers import it cheaply.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator, Optional

from extractors.convert import CONVERT_DIR_PREFIX
from extractors.containers import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    ContainerRefused,
    InflateBudget,
    check_directory,
    is_office,
    member_name,
    read_member,
    short_reason,
    unsafe_member_reason,
)

MEMBER_COPY_PREFIX = "roadmap-member-"
STALE_COPY_AGE_S = 6 * 3600
ARCHIVE_SEPARATOR = "!"  # ledger path of a member: /abs/archive.zip!folder/order.docx




@dataclass(frozen=True)
class FileItem:
    """One file to ingest: a file of the inbox or a member of an archive in it.

    `path` is what the ledger records; `source` the file on disk; `members` the chain of
    member names inside `source` (empty for a plain file); `error` a one-line reason when
    discovery already knows the item cannot be ingested (its sha256 may then be that of
    the archive, or of the name when no bytes could be read)."""

    path: str
    source: str
    sha256: str
    size: int
    members: tuple[str, ...] = ()
    error: Optional[str] = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.members[-1]).name if self.members else Path(self.source).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass
class _Walk:
    limits: ArchiveLimits
    items: list[FileItem] = field(default_factory=list)
    budget: Optional[InflateBudget] = None  # of the archive tree being walked


def discover(inbox: str | os.PathLike[str], limits: ArchiveLimits = DEFAULT_LIMITS) -> list[FileItem]:
    """Every file under `inbox` (recursively) and every member of its ZIP archives, by path.

    Hidden files and Office lock files (`~$x.docx`) are not orders and are left out; a
    directory symlink is not followed (loops)."""
    root = Path(inbox).expanduser().resolve()
    if not root.exists():
        raise FileNotFoundError(f"inbox not found: {root}")
    sweep_stale_copies()
    walk = _Walk(limits)
    if root.is_file():
        _add_file(walk, root)
    else:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not _skipped(d))
            for name in sorted(filenames):
                if not _skipped(name):
                    _add_file(walk, Path(dirpath) / name)
    return sorted(walk.items, key=lambda i: i.path)


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$") or name == "__MACOSX" or name == "Thumbs.db"


def _add_file(walk: _Walk, path: Path) -> None:
    display = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            sha = _hash_stream(fh)
    except OSError as exc:
        walk.items.append(FileItem(display, display, _name_hash(display), 0,
                                   error=f"cannot read file: {exc.strerror or exc}"))
        return
    if is_archive(path):
        walk.budget = InflateBudget(walk.limits)
        try:
            with zipfile.ZipFile(path) as zf:
                _add_members(walk, zf, display, str(path), (), depth=1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
            walk.items.append(FileItem(display, display, sha, size, error=f"corrupt ZIP archive: {short_reason(exc)}"))
        except ContainerRefused as exc:
            walk.items.append(FileItem(display, display, sha, size, error=str(exc)))
        return
    walk.items.append(FileItem(display, display, sha, size))


def _add_members(walk: _Walk, zf: zipfile.ZipFile, prefix: str, source: str,
                 chain: tuple[str, ...], depth: int) -> None:
    limits = walk.limits
    infos = check_directory(zf, limits)
    for info in infos:
        name = member_name(info)
        member_chain = chain + (info.filename,)
        display = f"{prefix}{ARCHIVE_SEPARATOR}{name}"
        reason = unsafe_member_reason(info, limits)
        if not reason and any(_skipped(part) for part in PurePosixPath(name.replace("\\", "/")).parts):
            continue
        if reason:
            walk.items.append(FileItem(display, source, _name_hash(display), info.file_size, member_chain, reason))
            continue
        try:
            data = read_member(zf, info, limits, walk.budget)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            walk.items.append(FileItem(display, source, _name_hash(display), info.file_size, member_chain,
                                       f"corrupt archive member: {short_reason(exc)}"))
            continue
        except ContainerRefused as exc:
            walk.items.append(FileItem(display, source, _name_hash(display), info.file_size, member_chain, str(exc)))
            continue
        sha = hashlib.sha256(data).hexdigest()
        if _is_archive_bytes(data):
            if depth >= limits.max_depth:
                walk.items.append(FileItem(display, source, sha, len(data), member_chain,
                                           f"archive nested deeper than {limits.max_depth} levels"))
                continue
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    _add_members(walk, inner, display, source, member_chain, depth + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                walk.items.append(FileItem(display, source, sha, len(data), member_chain,
                                           f"corrupt ZIP archive: {short_reason(exc)}"))
            except ContainerRefused as exc:
                walk.items.append(FileItem(display, source, sha, len(data), member_chain, str(exc)))
            continue
        walk.items.append(FileItem(display, source, sha, len(data), member_chain))


def read_item_bytes(item: FileItem, limits: ArchiveLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of an archive member item (following nested archives)."""
    data: Optional[bytes] = None
    for depth, member in enumerate(item.members):
        container: str | BinaryIO = item.source if depth == 0 else io.BytesIO(data or b"")
        with zipfile.ZipFile(container) as zf:
            try:
                data = read_member(zf, zf.getinfo(member), limits)
            except ContainerRefused as exc:
                raise ValueError(str(exc)) from exc
    return data or b""


@contextmanager
def local_copy(item: FileItem) -> Iterator[Path]:
    """A path to the item's bytes: the file itself, or a private temporary file holding an
    archive member (named by its hash, keeping only the member's suffix)."""
    if not item.members:
        yield Path(item.source)
        return
    data = read_item_bytes(item)
    with tempfile.TemporaryDirectory(prefix=MEMBER_COPY_PREFIX) as tmp:
        path = Path(tmp) / f"{item.sha256[:16]}{_safe_suffix(item.suffix)}"
        path.write_bytes(data)
        yield path


def sweep_stale_copies(max_age_s: float = STALE_COPY_AGE_S, base: Optional[Path] = None) -> int:
    """Remove member copies and LibreOffice conversion folders a killed run left in the temp
    folder (a finished run removes its own); returns how many were removed. Only folders
    older than `max_age_s` go, so a run in progress in another process keeps its own."""
    base = Path(base or tempfile.gettempdir())
    removed = 0
    now = time.time()
    stale = [f for prefix in (MEMBER_COPY_PREFIX, CONVERT_DIR_PREFIX) for f in base.glob(f"{prefix}*")]
    for folder in stale:
        try:
            if folder.is_dir() and not folder.is_symlink() and now - folder.stat().st_mtime > max_age_s:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


def _safe_suffix(suffix: str) -> str:
    return suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""


def is_archive(path: Path) -> bool:
    """A ZIP that is not an Office/OpenDocument container (DOCX and ODT are ZIPs too)."""
    try:
        if not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as zf:
            return not is_office(zf)
    except (zipfile.BadZipFile, OSError, EOFError):
        return path.suffix.lower() == ".zip"


def _is_archive_bytes(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return not is_office(zf)
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def _hash_stream(fh: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _name_hash(name: str) -> str:
    """A stand-in identity for an item whose bytes could not be read (keyed by its name)."""
    return hashlib.sha256(("unreadable:" + name).encode("utf-8")).hexdigest()

