"""The original files, kept by content beside the database, so the evidence behind a finding
(the page, the row) can still be shown after the inbox is cleaned.

A file is stored once under its sha256 (`<root>/ab/abcdef…<suffix>`), whatever its name or how
many renditions and re-ingests name it. Where the folder is: `--files DIR`, else
`$ROADMAP_FILES`, else beside an SQLite database (`roadmaps.db` → `roadmaps.files/`), else
(another database) `~/.local/share/roadmap-pipeline/files`. Never a name from a request or
an archive: only the hash and a known suffix make a path.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional, Union

from language.patterns import compiled

_SHA256 = compiled(r"[0-9a-f]{64}")
SUFFIXES = {"pdf", "docx", "doc", "rtf", "odt", "xlsx", "xls", "ods", "csv", "jpeg", "png", "tiff"}


def default_root(db_url: Optional[str] = None, files: Optional[Union[str, Path]] = None) -> Path:
    if files:
        return Path(files).expanduser()
    if os.environ.get("ROADMAP_FILES"):
        return Path(os.environ["ROADMAP_FILES"]).expanduser()
    if db_url and db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        db = Path(db_url[len("sqlite:///"):])
        return db.with_name(db.stem + ".files")
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "roadmap-pipeline" / "files"


class FileStore:
    """Content-addressed copies of the ingested files."""

    def __init__(self, root: Union[str, Path]):
        self.root = Path(root)

    def path_for(self, sha256: str, fmt: Optional[str] = None) -> Path:
        if not _SHA256.fullmatch(sha256 or ""):
            raise ValueError(f"not a sha256: {sha256!r}")
        suffix = f".{fmt}" if fmt in SUFFIXES else ""
        return self.root / sha256[:2] / f"{sha256}{suffix}"

    def find(self, sha256: str, fmt: Optional[str] = None) -> Optional[Path]:
        """The stored copy of these bytes, whatever suffix it was stored with, or None.
        `fmt`, the format they were read as, names the likely copy, looked at first; else
        one listing of the folder (1/256 of the store) — a stat per possible name cost 13
        for every new file, a glob a pattern compiled per call."""
        try:
            folder = self.path_for(sha256).parent
        except ValueError:
            return None
        if fmt in SUFFIXES:
            likely = self.path_for(sha256, fmt)
            if likely.is_file():
                return likely
        try:
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries
                               if _is_copy_of(entry.name, sha256) and entry.is_file())
        except (FileNotFoundError, NotADirectoryError):
            return None
        return folder / names[0] if names else None

    def put(self, source: Union[str, Path], sha256: str, fmt: Optional[str] = None) -> Path:
        """Copy `source` in (once: a second put of the same bytes is free); written to a temp
        file and renamed, so a killed run never leaves half a file under a real name."""
        existing = self.find(sha256, fmt)
        if existing is not None:
            return existing
        target = self.path_for(sha256, fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return target


def _is_copy_of(name: str, sha256: str) -> bool:
    """Whether a file name is one `put` gives these bytes: the hash, alone or with a known suffix."""
    if not name.startswith(sha256):
        return False
    rest = name[len(sha256):]
    return rest == "" or (rest[:1] == "." and rest[1:] in SUFFIXES)
