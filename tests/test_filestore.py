"""The original files kept by content beside the database."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.filestore import FileStore, default_root


@pytest.mark.parametrize("db,files,env,expected", [
    ("sqlite:////data/roadmaps.db", None, None, "/data/roadmaps.files"),
    ("sqlite:///r.db", None, None, "r.files"),
    ("sqlite:////data/roadmaps.db", "/srv/files", None, "/srv/files"),
    ("sqlite:////data/roadmaps.db", None, "/env/files", "/env/files"),
    ("postgresql+psycopg://u@h/db", None, "/env/files", "/env/files"),
])
def test_default_root(monkeypatch, db, files, env, expected):
    if env:
        monkeypatch.setenv("ROADMAP_FILES", env)
    else:
        monkeypatch.delenv("ROADMAP_FILES", raising=False)
    assert default_root(db, files) == Path(expected)


def test_another_database_uses_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("ROADMAP_FILES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_root("postgresql+psycopg://u@h/db") == tmp_path / "roadmap-pipeline" / "files"


def test_put_once_by_content(tmp_path):
    store = FileStore(tmp_path / "files")
    a = tmp_path / "order.pdf"
    a.write_bytes(b"%PDF-1.7 order")
    sha = hashlib.sha256(a.read_bytes()).hexdigest()
    first = store.put(a, sha, "pdf")
    assert first == tmp_path / "files" / sha[:2] / f"{sha}.pdf" and first.read_bytes() == a.read_bytes()
    renamed = tmp_path / "другое имя.bin"
    renamed.write_bytes(a.read_bytes())
    assert store.put(renamed, sha, "docx") == first  # the same bytes are stored once
    assert store.find(sha) == first and not list(first.parent.glob("*.tmp"))


@pytest.mark.parametrize("sha", ["../../etc/passwd", "ab", "G" * 64, "a" * 63, ""])
def test_only_a_hash_makes_a_path(tmp_path, sha):
    store = FileStore(tmp_path)
    with pytest.raises(ValueError):
        store.path_for(sha)
    assert store.find(sha) is None


def test_unknown_suffix_is_dropped(tmp_path):
    assert FileStore(tmp_path).path_for("a" * 64, "../x").name == "a" * 64


def test_a_failed_copy_leaves_nothing(tmp_path):
    store = FileStore(tmp_path / "files")
    with pytest.raises(OSError):
        store.put(tmp_path / "missing.pdf", "b" * 64, "pdf")
    assert not [p for p in (tmp_path / "files").rglob("*") if p.is_file()]


@pytest.mark.slow
def test_ingest_keeps_the_originals_beside_the_database(tmp_path, monkeypatch, prefect_harness):
    """`roadmap ingest` copies each stored file (archive members too) into <db>.files/, once.
    The child uses the session's Prefect API instead of starting a temporary server of its own."""
    import shutil
    import subprocess
    import sys
    import zipfile

    monkeypatch.delenv("ROADMAP_FILES", raising=False)
    root = Path(__file__).resolve().parents[1]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(root / "fixtures" / "orders" / "ivanovo-2022.pdf", inbox / "a.pdf")
    with zipfile.ZipFile(inbox / "batch.zip", "w") as zf:
        zf.write(root / "fixtures" / "orders" / "samara-cu-2021.docx", "orders/samara.docx")
    db = tmp_path / "roadmaps.db"
    env = {**{k: v for k, v in __import__("os").environ.items() if k != "ROADMAP_FILES"}, **prefect_harness}
    result = subprocess.run([sys.executable, "-c", "from cli.app import main; main()", "ingest", str(inbox),
                             "--db", f"sqlite:///{db}"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    kept = sorted(p.name for p in (tmp_path / "roadmaps.files").rglob("*") if p.is_file())
    expected = sorted(f"{hashlib.sha256(data).hexdigest()}.{fmt}" for data, fmt in (
        ((root / "fixtures" / "orders" / "ivanovo-2022.pdf").read_bytes(), "pdf"),
        ((root / "fixtures" / "orders" / "samara-cu-2021.docx").read_bytes(), "docx")))
    assert kept == expected


def test_find_takes_only_its_own_names(tmp_path):
    store = FileStore(tmp_path)
    sha = "c" * 64
    (tmp_path / "cc").mkdir()
    (tmp_path / "cc" / f"{sha}.away").write_bytes(b"x")
    (tmp_path / "cc" / f"{sha}.pdf.tmp").write_bytes(b"x")
    assert store.find(sha) is None
    (tmp_path / "cc" / f"{sha}.pdf").write_bytes(b"x")
    assert store.find(sha) == tmp_path / "cc" / f"{sha}.pdf"


@pytest.mark.slow
def test_ingest_files_option_is_where_the_originals_go_and_sets_no_environment(tmp_path, monkeypatch):
    """`roadmap ingest --files DIR` keeps the originals in DIR, not beside the database, and
    leaves the process's environment as it was (the option is passed down, not exported)."""
    import os
    import shutil

    from typer.testing import CliRunner

    from cli.app import app

    monkeypatch.delenv("ROADMAP_FILES", raising=False)
    root = Path(__file__).resolve().parents[1]
    order = root / "fixtures" / "orders" / "samara-cu-2021.docx"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(order, inbox / "a.docx")
    originals = tmp_path / "kept"
    result = CliRunner().invoke(app, ["ingest", str(inbox), "--db", f"sqlite:///{tmp_path / 'roadmaps.db'}",
                                      "--files", str(originals), "--json"])
    assert result.exit_code == 0, result.output
    sha = hashlib.sha256(order.read_bytes()).hexdigest()
    assert FileStore(originals).find(sha) == originals / sha[:2] / f"{sha}.docx"
    assert not (tmp_path / "roadmaps.files").exists()
    assert "ROADMAP_FILES" not in os.environ


@pytest.mark.parametrize("stored, asked, found", [
    ("pdf", "pdf", "pdf"),        # the likely name
    ("docx", "pdf", "docx"),      # read as another format this time: the folder is listed
    ("docx", None, "docx"),
    (None, "pdf", None),          # stored without a suffix
    ("pdf", "../x", "pdf"),       # an unknown format is no hint
])
def test_find_with_a_format_hint(tmp_path, stored, asked, found):
    store = FileStore(tmp_path)
    sha = "d" * 64
    (tmp_path / "dd").mkdir()
    name = f"{sha}.{stored}" if stored else sha
    (tmp_path / "dd" / name).write_bytes(b"x")
    assert store.find(sha, asked) == tmp_path / "dd" / (f"{sha}.{found}" if found else sha)


def test_find_ignores_a_folder_with_a_copys_name_and_picks_one_copy_by_name(tmp_path):
    store = FileStore(tmp_path)
    sha = "e" * 64
    (tmp_path / "ee" / f"{sha}.pdf").mkdir(parents=True)
    assert store.find(sha) is None and store.find(sha, "pdf") is None
    for suffix in ("rtf", "doc"):
        (tmp_path / "ee" / f"{sha}.{suffix}").write_bytes(b"x")
    assert store.find(sha) == tmp_path / "ee" / f"{sha}.doc"
    assert store.find(sha, "rtf") == tmp_path / "ee" / f"{sha}.rtf"
    assert store.find("f" * 64) is None  # no folder yet
