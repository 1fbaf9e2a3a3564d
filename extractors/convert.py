""".doc, .rtf, .odt → DOCX with LibreOffice headless, so one DOCX extractor reads them all.

Older regional orders are published as Word 97 or RTF files. Each conversion uses a
private, throw-away LibreOffice profile (two conversions sharing a profile block each
other, and a user's desktop profile must never be touched) and a timeout (a corrupt file
can hang soffice). Converted files are cached by the source's sha256, so a re-run of a
batch does not start LibreOffice again. The conversion folder (profile, staged input,
output) and a half-written cache file are removed on every path out, a timeout and an
interrupt included; a folder a killed process left is swept by the next ingest
(extractors/discover.py, by CONVERT_DIR_PREFIX).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from extractors.raw import ExtractionError

CONVERT_TIMEOUT_S = 180
SOFFICE_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = "install the Debian package libreoffice-writer"
CONVERT_DIR_PREFIX = "roadmap-soffice-"


def find_soffice() -> str:
    """Path of LibreOffice's soffice; ExtractionError naming the package when it is missing."""
    override = os.environ.get("ROADMAP_SOFFICE")
    if override and shutil.which(override):
        return shutil.which(override)
    for name in SOFFICE_NAMES:
        exe = shutil.which(name)
        if exe:
            return exe
    raise ExtractionError(f"LibreOffice (soffice) is needed to read .doc/.rtf/.odt files: {INSTALL_HINT}")


def _cache_dir() -> Path:
    if os.environ.get("ROADMAP_CACHE"):
        return Path(os.environ["ROADMAP_CACHE"]) / "convert"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roadmap-pipeline" / "convert"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def convert_to_docx(path: str | Path, out_dir: Optional[str | Path] = None,
                    timeout: float = CONVERT_TIMEOUT_S) -> Path:
    """Convert a .doc/.rtf/.odt file to DOCX and return the DOCX's path.

    With no out_dir the result goes to the conversion cache (keyed by the file's sha256).
    """
    src = Path(path)
    if not src.is_file():
        raise ExtractionError(f"cannot open file: {src}")
    target_dir = Path(out_dir) if out_dir else _cache_dir()
    cached = target_dir / f"{_sha256(src)}.docx" if out_dir is None else None
    if cached is not None and cached.is_file() and cached.stat().st_size > 0:
        return cached
    exe = find_soffice()
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=CONVERT_DIR_PREFIX, ignore_cleanup_errors=True) as tmp:
        tmp_path = Path(tmp)
        profile = tmp_path / "profile"
        work_out = tmp_path / "out"
        # soffice names the output after the input; copy to a plain name (odd characters,
        # leading dashes and misnamed extensions confuse its filter detection otherwise)
        suffix = src.suffix.lower() if src.suffix.lower() in (".doc", ".rtf", ".odt", ".docx") else ""
        staged = tmp_path / f"input{suffix}"
        shutil.copyfile(src, staged)
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work_out), str(staged)]
        _run(cmd, timeout)
        produced = work_out / "input.docx"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise ExtractionError(f"LibreOffice could not convert {src.name} to DOCX (unreadable or corrupt file)")
        dest = cached if cached is not None else target_dir / f"{src.stem}.docx"
        fd, name = tempfile.mkstemp(dir=target_dir, prefix=f".{dest.stem}-", suffix=".tmp")
        os.close(fd)
        tmp_dest = Path(name)
        try:
            shutil.copyfile(produced, tmp_dest)
            os.replace(tmp_dest, dest)
        finally:
            tmp_dest.unlink(missing_ok=True)
        return dest


def _run(cmd: list[str], timeout: float) -> None:
    """Run soffice in its own process group so a timeout kills every process it started."""
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=os.environ.get("HOME", tempfile.gettempdir()))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ExtractionError(f"LibreOffice conversion timed out after {timeout:.0f} s") from None
    except BaseException:  # an interrupt: soffice must not outlive us writing to our folder
        _kill_group(proc)
        raise
    if proc.returncode != 0:
        reason = err.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionError(f"LibreOffice conversion failed: {reason[-1] if reason else f'exit {proc.returncode}'}")


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
