"""`roadmap diff OLD NEW [-f table|json|html]`: two files or two stored act ids."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_diff import ORDER, _edited_copy

pytestmark = pytest.mark.slow


def _roadmap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from cli.app import main; main()", *args],
                          capture_output=True, text=True)


def test_diff_json_reports_exactly_the_three_edits(tmp_path):
    result = _roadmap("diff", str(ORDER), str(_edited_copy(tmp_path)), "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [len(data[k]) for k in ("moved", "added", "dropped", "changed")] == [1, 1, 1, 0]
    assert data["moved"][0]["days"] == 14
    assert data["moved"][0]["old"]["schedule"]["raw"] == "до 27.01.2022"
    assert data["moved"][0]["new"]["schedule"]["raw"] == "до 10.02.2022"


def test_diff_table_and_html(tmp_path):
    edited = _edited_copy(tmp_path)
    table = _roadmap("diff", str(ORDER), str(edited))
    assert table.returncode == 0 and "перенесено 1, изменено 0, добавлено 1, исключено 1" in table.stdout
    html = _roadmap("diff", str(ORDER), str(edited), "-f", "html", "-o", str(tmp_path / "d.html"))
    assert html.returncode == 0
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert page.count('<tr class="moved">') == 1 and page.count('<tr class="added">') == 1
    assert "<script" not in page and "http" not in page.split("</head>")[0]


def test_diff_of_two_renditions_of_one_act_is_empty():
    result = _roadmap("diff", str(ORDER), str(ORDER.with_suffix(".pdf")), "-f", "json")
    data = json.loads(result.stdout)
    assert not (data["moved"] or data["added"] or data["dropped"] or data["changed"]), data


def test_diff_warns_when_the_plans_are_of_different_issuers(tmp_path):
    """A municipal 2021 plan against a regional 2022 one still diffs, with a warning on stderr;
    two versions of one plan get none."""
    orders = ORDER.parent
    other = _roadmap("diff", str(orders / "tyumen-city-2021.docx"), str(orders / "tyumen-oblast-2022.docx"))
    assert other.returncode == 0
    assert "look like plans of different issuers (RU-TYU municipal город Тюмень vs RU-TYU regional)" in other.stderr
    same = _roadmap("diff", str(ORDER), str(_edited_copy(tmp_path)))
    assert same.returncode == 0 and "different issuers" not in same.stderr


def test_diff_stored_ids(tmp_path):
    from pipeline.extract import extract
    from pipeline.store import Store

    db = f"sqlite:///{tmp_path / 'r.db'}"
    store = Store(db)
    old, new = extract(ORDER), extract(_edited_copy(tmp_path))
    store.store_document(old)
    store.store_document(new)
    store.close()
    result = _roadmap("diff", old.id, new.id, "--db", db, "-f", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["moved"]) == 1


@pytest.mark.parametrize("args,code,message", [
    (["nosuch-id", "other-id"], 2, "neither a file nor a stored document id"),
    (["diff-a"], 2, ""),
])
def test_diff_usage_errors(tmp_path, args, code, message):
    from pipeline.store import Store

    db = f"sqlite:///{tmp_path / 'r.db'}"
    Store(db).close()
    result = _roadmap("diff", *args, "--db", db)
    assert result.returncode == code and message in result.stderr
