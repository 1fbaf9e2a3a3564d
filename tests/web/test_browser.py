"""The workbench in a real browser: Playwright for Python drives Debian's chromium (no browser
download) against `roadmap web` started in a subprocess on a free loopback port. Screenshots
of every page go to $WORKBENCH_SHOTS (default: the test's temporary folder)."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from web_fixtures import ROOT, copy_orders
from flows.runtime import free_port, stop_process
from web_fixtures import store_amendment

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.slow, pytest.mark.browser]
STORES: dict[str, str] = {}  # the workbench's store URL, for checks beside the browser


def _wait_up(url: str, server: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"roadmap web exited with {server.returncode}: {server.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("roadmap web did not answer")


@pytest.fixture(scope="module")
def workbench(prefect_harness: dict, tmp_path_factory: pytest.TempPathFactory):
    """`roadmap web` over a SQLite store holding the fixture orders; yields its base URL."""
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api", reason="playwright (to drive chromium) is not installed")
    from web.app import ingest_with_flow

    folder = tmp_path_factory.mktemp("browser")
    inbox = copy_orders(folder / "inbox")
    db = f"sqlite:///{folder / 'roadmaps.db'}"
    assert ingest_with_flow(str(inbox), db)["counts"]["failed"] == 0
    store_amendment(db, "tyumen-oblast-2022.docx")
    STORES["browser"] = db
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = subprocess.Popen(
        [sys.executable, "-c", "from cli.app import main; main()", "web", "--db", db, "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base + "/ledger", server)
        yield base
    finally:
        stop_process(server)


@pytest.fixture(scope="module")
def browser_page(workbench: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ru-RU")
            page = context.new_page()
            outside, errors = [], []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(workbench) else None)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            yield page
            assert outside == [], f"the pages asked the network for {outside}"
            # the pages' own content security policy blocks nothing they use
            assert not [e for e in errors if "Content Security Policy" in e], errors
        finally:
            browser.close()


def _shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("WORKBENCH_SHOTS", str(tmp_path)))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_overview_filter_document_queue_ledger(workbench: str, browser_page, tmp_path: Path) -> None:
    page = browser_page
    page.goto(workbench + "/")
    assert page.locator("table.matrix").count() >= 2
    assert page.locator("td.doc").count() == 4
    assert page.locator("td.s.unsure").count() >= 1
    _shot(page, "overview", tmp_path)

    page.select_option("select[name=region]", "RU-SAM")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?*region=RU-SAM*")
    assert page.locator("td.doc").count() == 1
    _shot(page, "overview-filtered", tmp_path)

    page.locator("td.doc a").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h2", has_text="Мероприятия").count() == 1
    page.locator("table.activities a", has_text="показать").nth(3).click()
    page.wait_for_url("**activity=3*")
    image = page.locator("#page-image")
    image.wait_for()
    page.wait_for_function("document.querySelector('#page-image').complete")
    assert page.evaluate("document.querySelector('#page-image').naturalWidth") > 500
    # the page is scrolled to the row (static/pagebox.js, allowed by the page's policy)
    page.wait_for_function("document.getElementById('pagebox').scrollTop > 0"
                           " || Number(document.getElementById('page-image').dataset.top) <= 80")
    _shot(page, "document", tmp_path)
    # every compliance row of the page can be corrected or confirmed there, its form folded away
    rows = page.locator("table.detail tr[id^=m-]")
    assert rows.count() >= 1 and page.locator("details.fix-row[open]").count() == 0
    rows.first.locator("details.fix-row summary").click()
    assert rows.first.locator("details.fix-row[open] button[value=confirm]").is_visible()
    rows.first.scroll_into_view_if_needed()
    page.screenshot(path=str(Path(os.environ.get("WORKBENCH_SHOTS", str(tmp_path))) / "document-correction.png"))

    page.goto(workbench + "/review")
    count = int(page.locator("#queue-count").inner_text())
    _shot(page, "review", tmp_path)
    if count:
        page.locator("a.evidence-link").first.click()
        page.wait_for_url("**/documents/*activity=*")
        assert page.locator("#evidence").count() == 1
        _shot(page, "review-evidence", tmp_path)

    page.goto(workbench + "/amendments")
    assert page.locator("ul.amended-regions li", has_text="Тюменская").count() == 1
    _shot(page, "amendments-regions", tmp_path)
    page.select_option("select[name=region]", "RU-TYU")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/amendments?region=RU-TYU")
    assert page.locator("h2", has_text="Тюменская").count() == 1
    assert page.locator("table.diff tr.moved").count() == 1
    assert page.locator("table.diff tr.changed", has_text="→ Итоги подведены на коллегии").count() == 1
    _shot(page, "amendments", tmp_path)

    page.goto(workbench + "/ledger")
    assert page.locator("table.ledger tbody tr").count() == 9  # the orders and the amending act
    assert page.locator("input[name=csrf_token]").count() == 1
    _shot(page, "ledger", tmp_path)

    # A ZIP of orders through the upload form: each member its own row, the page lists them.
    archive = tmp_path / "orders.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(ROOT / "fixtures" / "orders" / "samara-cu-2021.docx", "Самара/samara.docx")
        zf.writestr("notes.pdf", b"%PDF-1.4\n" + b"0" * 500)
    page.set_input_files("form.upload input[type=file]", str(archive))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("div.alert.error ul.upload-files")
    said = page.locator("div.alert.error").inner_text()
    assert "«orders.zip» принят как ZIP: файлов в архиве 2 — " in said
    assert "дубликат 1" in said and "не прочитан 1" in said
    assert page.locator("ul.upload-files li").count() == 2
    assert page.locator("table.ledger tbody tr").count() == 11
    _shot(page, "ledger-zip-upload", tmp_path)

    page.goto(workbench + "/api/docs")
    assert page.locator("code", has_text="GET /api/activities").count() == 1
    _shot(page, "api", tmp_path)


def test_correct_a_date_from_the_queue(workbench: str, browser_page, tmp_path: Path) -> None:
    """An auditor corrects a planned date in the queue: the matrix and `roadmap export` change."""
    page = browser_page
    page.goto(workbench + "/review")
    row = page.locator("table.queue tbody tr", has_text="2022-team-formation")
    assert row.count() == 1 and "позже срока" in row.inner_text()
    activity_id = row.locator("input[name=activity_id]").get_attribute("value")
    row.locator("input[name=value]").fill("2022-01-10")
    row.locator("button[value=correct]").click()
    page.wait_for_selector("#message")
    assert "срок исправлен на 10.01.2022" in page.locator("#message").inner_text()
    assert page.locator("table.queue tbody tr", has_text="2022-team-formation").count() == 0
    _shot(page, "review-corrected", tmp_path)
    # the act's page lists the correction with who made it
    page.goto(workbench + "/api/activities")
    document_id = next(a["document_id"] for a in page.evaluate("() => JSON.parse(document.body.innerText)")
                       if a["activity_id"] == activity_id)
    page.goto(f"{workbench}/documents/{document_id}#corrections")
    listed = page.locator("table.corrections tbody tr")
    assert listed.count() == 1 and "срок: " in listed.first.inner_text() and "→ 10.01.2022" in listed.first.inner_text()
    page.locator("#corrections").scroll_into_view_if_needed()
    page.screenshot(path=str(Path(os.environ.get("WORKBENCH_SHOTS", str(tmp_path))) / "document-corrections.png"))

    page.goto(workbench + "/")
    cell = page.locator("tr", has_text="Ивановская").locator("td.s").first
    assert "в срок" in cell.inner_text() and "−7" in cell.inner_text()
    # a corrected status is marked in the matrix, what was corrected in its tooltip
    assert "✎" in cell.inner_text() and "исправлено: срок: " in cell.get_attribute("title")
    _shot(page, "overview-corrected", tmp_path)

    export = subprocess.run([sys.executable, "-c", "from cli.app import main; main()", "export", "--db",
                             STORES["browser"], "-f", "csv"], capture_output=True, text=True, cwd=ROOT, check=True)
    rows = {r["activity_id"]: r for r in csv.DictReader(io.StringIO(export.stdout))}
    assert rows[activity_id]["schedule_end"] == "2022-01-10"
