"""Page images: an image scan scaled to points at its stated resolution, the row framed; the
original used only while its bytes still hash to the stored sha256."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image

from web.images import FRAME, SCALE, original_available, render_page


def test_an_image_scan_is_framed_where_the_box_says(tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    Image.new("RGB", (1700, 2200), "white").save(scan, dpi=(200, 200))
    png = render_page(str(scan), "png", 1, [[100.0, 200.0, 400.0, 260.0]])
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    assert picture.size == (round(1700 * 72 / 200 * SCALE), round(2200 * 72 / 200 * SCALE))
    assert picture.getpixel((round(100 * SCALE) - 1, round(230 * SCALE))) == FRAME
    assert picture.getpixel((round(250 * SCALE), round(400 * SCALE))) == (255, 255, 255)


def test_a_changed_original_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "order.pdf"
    path.write_bytes(b"%PDF-1.4 one")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert original_available(str(path), sha)
    path.write_bytes(b"%PDF-1.4 another")
    assert not original_available(str(path), sha)
    assert not original_available(str(tmp_path / "gone.pdf"), sha)
    assert not original_available(str(tmp_path), sha)


def test_a_cleaned_inbox_is_drawn_from_the_stores_copy(tmp_path):
    """The original is gone from the inbox; the content-addressed copy beside the store draws it."""
    import shutil

    from pipeline.extract import extract
    from pipeline.filestore import FileStore, default_root
    from pipeline.store import Store
    from web.app import original_file

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    pdf = inbox / "order.pdf"
    shutil.copy(Path(__file__).resolve().parents[2] / "fixtures" / "orders" / "ivanovo-2022.pdf", pdf)
    doc = extract(pdf)
    url = f"sqlite:///{tmp_path / 'roadmaps.db'}"
    Store(url).close()
    files = FileStore(default_root(url))
    files.put(pdf, doc.source.sha256, "pdf")
    assert original_file(doc, files) == str(pdf)
    pdf.unlink()
    copy = original_file(doc, files)
    assert copy is not None and copy.startswith(str(tmp_path / "roadmaps.files"))
    assert original_file(doc, None) is None
