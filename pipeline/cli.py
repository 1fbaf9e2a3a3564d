"""The `roadmap` command line. Each sub-command lives in pipeline/commands/<name>.py as a
function `command`; those modules import only typer and the standard library at module
level, so `roadmap extract` never pays for Prefect or spaCy start-up."""
from __future__ import annotations

import importlib
import importlib.util
import os

import typer

# pydantic looks for third-party plugins by scanning every installed distribution's entry
# points the first time it builds a validator (~50 ms here, a third of `roadmap extract`'s
# own start-up). The CLI uses none; an explicit setting by the user still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

COMMANDS = ["extract", "compare", "timeline", "ingest", "serve", "status", "export"]

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Read 500+ roadmap orders into one schema and check them against the federal timeline.",
)

for _name in COMMANDS:
    if importlib.util.find_spec(f"pipeline.commands.{_name}") is not None:
        _module = importlib.import_module(f"pipeline.commands.{_name}")
        app.command(_name)(_module.command)


def main() -> None:
    app()
