"""The README's command table names every option each command takes: the table is where a
newcomer learns the tool, and an option added to the CLI but not to the table is one
nobody finds (`ingest --json`, `serve --timezone` were missing once)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from cli.app import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, list[list[str]]]]:
    """(`name` or `group name`, each option's spellings) for every command of the CLI."""
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    found = []

    def visit(command, name: str) -> None:
        if hasattr(command, "list_commands"):
            for sub in command.list_commands(ctx):
                visit(command.get_command(ctx, sub), f"{name} {sub}".strip())
            return
        spellings = [list(p.opts) for p in command.params if any(o.startswith("--") for o in p.opts)]
        found.append((name, [s for s in spellings if "--help" not in s]))

    visit(group, "")
    return found


COMMANDS = _commands()


def _row(name: str) -> str:
    """The README table row (or rows) whose first cell names `roadmap NAME`."""
    rows = [line for line in README.splitlines()
            if line.startswith("| `roadmap") and re.search(rf"`roadmap {re.escape(name)}[ `]", _first_cell(line))]
    assert rows, f"no row for `roadmap {name}` in the README's command table"
    return "\n".join(rows)


def _first_cell(line: str) -> str:
    return re.split(r"(?<!\\)\|", line)[1]


def test_every_command_is_found() -> None:
    names = [name for name, _ in COMMANDS]
    assert {"extract", "ingest", "serve", "web", "review export", "review import"} <= set(names)


@pytest.mark.parametrize("name, options", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_the_readme_row_names_every_option(name: str, options: list[list[str]]) -> None:
    row = _row(name)
    missing = [spellings[-1] for spellings in options
               if not any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", row) for o in spellings)]
    assert not missing, f"`roadmap {name}`: the README's row does not name {missing}"
