"""Where a file uploaded through the ledger page is kept for the ingest flow, and what the page
says of it afterwards.

The copy is named after the upload's name made safe and the first 16 hex digits of its
sha256, in a folder of its own named after the same digits: the same file uploaded again is
the same path with the same bytes, so the ledger keeps one row for it (a failed file stays
failed with its reason, a stored one is told a duplicate) instead of a row per upload. The
suffix comes from the bytes. A ZIP archive of orders is accepted as the inbox accepts one:
discovery opens it safely (extractors/discover.py) and each member gets its own ledger row.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from extractors.discover import ARCHIVE_SEPARATOR, is_archive
from extractors.raw import ExtractionError
from extractors.sniff import sniff_format
from web.reasons import status_ru
from web.security import upload_stem

HASH_DIGITS = 16
READ = ("stored", "duplicate", "superseded")


@dataclass(frozen=True)
class SavedUpload:
    folder: Path  # what the ingest flow is run on
    path: Path
    fmt: str  # a document format of extractors/sniff.py, or "zip"


def save_upload(root: Path, filename: Optional[str], data: bytes) -> SavedUpload:
    """Keep `data` under `root` for ingesting; ExtractionError (nothing kept) when the bytes
    are no format the pipeline reads."""
    digits = hashlib.sha256(data).hexdigest()[:HASH_DIGITS]
    folder = root / f"upload-{digits}"
    folder.mkdir(mode=0o700, exist_ok=True)
    fd, staged = tempfile.mkstemp(dir=folder, prefix=".staged-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        fmt = _format_of(Path(staged))
        path = folder / f"{upload_stem(filename) or 'order'}-{digits}.{fmt}"
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        _remove_if_empty(folder)
        raise
    return SavedUpload(folder, path, fmt)


def _format_of(path: Path) -> str:
    """An archive first: an uncompressed ZIP of PDFs carries `%PDF-` in its first bytes."""
    if is_archive(path):  # as discovery tells one (the staged copy has no suffix)
        return "zip"
    return sniff_format(path)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


@dataclass(frozen=True)
class UploadOutcome:
    message: str
    failed: bool  # nothing was read, or some file of the upload failed (a skipped stray file is no failure)
    status_code: int  # 200 when anything was read, 422 when nothing was
    files: list[dict]  # the report's files, each with `member`: its name inside an archive, or ""


def upload_outcome(filename: Optional[str], saved: SavedUpload, report: dict) -> UploadOutcome:
    """What the ledger page says of an ingested upload: its status, or for an archive how
    many of its files came to each status."""
    own = str(saved.path)  # the folder may hold the same bytes uploaded under other names
    files = [dict(f, member=f["path"].split(ARCHIVE_SEPARATOR, 1)[1] if ARCHIVE_SEPARATOR in f["path"] else "")
             for f in report.get("files") or [] if f["path"] == own or f["path"].startswith(own + ARCHIVE_SEPARATOR)]
    name = f"«{filename or 'файл'}» принят как {saved.fmt.upper()}"
    read = [f for f in files if f["status"] in READ]
    if saved.fmt != "zip":
        status = files[0]["status"] if files else "failed"
        message = f"{name}: {status_ru(status)}"
        if files and files[0].get("known") and status in ("failed", "skipped"):
            message += " (этот файл уже загружали, причина та же)"
    elif not files:
        message = f"{name}: в архиве нет файлов"
    else:
        counts: dict[str, int] = {}
        for f in files:
            counts[f["status"]] = counts.get(f["status"], 0) + 1
        message = f"{name}: файлов в архиве {len(files)} — " + ", ".join(
            f"{status_ru(status)} {n}" for status, n in counts.items())
    return UploadOutcome(message, failed=not read or any(f["status"] == "failed" for f in files),
                         status_code=200 if read else 422, files=files)
