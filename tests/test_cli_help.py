"""`roadmap --help` and each command's help read as prose at any terminal width: the
docstrings' line breaks are not kept, and bracketed defaults are not taken for markup."""
from __future__ import annotations

import inspect
import re

import pytest
from typer.testing import CliRunner

from cli.app import COMMANDS, app

WIDE = 400


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(WIDE)}, terminal_width=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


def _first_paragraph(name: str) -> str:
    command = next(c for c in app.registered_commands if c.name == name)
    text = inspect.cleandoc(command.callback.__doc__ or "").split("\n\n")[0]
    return " ".join(text.replace("`", "").split())


@pytest.mark.parametrize("name", [c for c in COMMANDS if c != "review"])
def test_a_command_is_one_flowing_line_in_the_list(name: str) -> None:
    lines = [" ".join(line.strip("│ ").split()) for line in _help().splitlines()]
    assert any(_first_paragraph(name) in line for line in lines), name


@pytest.mark.parametrize("name", [c for c in COMMANDS if c != "review"])
def test_a_command_help_starts_with_its_paragraph_unbroken(name: str) -> None:
    lines = [" ".join(line.split()) for line in _help(name).splitlines()]
    assert _first_paragraph(name) in lines, name


def test_a_bracketed_default_is_shown() -> None:
    assert re.search(r"\[default: table on a terminal, else json\]", _help("compare"))


HINT = "another rendition …; BUT ITS PLAN DIFFERS (1 moved): not used for the act — see `roadmap diff a1 b2`"


@pytest.mark.parametrize("reason, db_url, shown", [
    (HINT, "sqlite:////srv/staff.db", HINT[:-1] + " --db /srv/staff.db`"),
    (HINT, "sqlite:///staff.db", HINT[:-1] + " --db staff.db`"),
    (HINT, "postgresql+psycopg://roadmap:***@db/roadmaps", HINT),        # a server's URL may carry a password
    ("corrupt PDF: truncated", "sqlite:////srv/staff.db", "corrupt PDF: truncated"),
    ("in force in place of …; THE PLANS DIFFER (1 moved): see `roadmap diff a1 b2`", "sqlite:////x.db",
     "in force in place of …; THE PLANS DIFFER (1 moved): see `roadmap diff a1 b2 --db /x.db`"),
])
def test_a_diff_hint_names_the_store_it_was_given(monkeypatch, reason: str, db_url: str, shown: str) -> None:
    """Pasted as printed, the hint reads the same store (not ./roadmaps.db)."""
    from cli.commands._tables import with_store

    monkeypatch.delenv("ROADMAP_DB", raising=False)
    assert with_store(reason, db_url) == shown


def test_a_diff_hint_for_the_default_store_stays_short(monkeypatch) -> None:
    from cli.commands._tables import with_store
    from pipeline.store import resolve_db_url

    monkeypatch.delenv("ROADMAP_DB", raising=False)
    assert with_store(HINT, resolve_db_url(None)) == HINT
