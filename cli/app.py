"""The `roadmap` command line. Each sub-command lives in cli/commands/<name>.py as a
function `command` (or a typer app `app` of sub-commands); those modules import only typer and the standard library at module
level, so `roadmap extract` never pays for Prefect or spaCy start-up."""
from __future__ import annotations

import importlib
import importlib.util
import os

from pipeline.collector import raise_young_threshold

# With the default thresholds the cyclic collector walks a run's glyph dicts and every
# imported module hundreds of times (~0.1 s of a 1 s extract); collecting young objects
# less often cuts that to ~0.02 s. Garbage cycles are still collected, only later.
raise_young_threshold()

import typer  # noqa: E402

# pydantic looks for third-party plugins by scanning every installed distribution's entry
# points the first time it builds a validator (~50 ms here, a third of `roadmap extract`'s
# own start-up). The CLI uses none; an explicit setting by the user still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

COMMANDS = ["extract", "compare", "diff", "timeline", "ingest", "serve", "status", "export", "review", "web"]

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    help="Read 500+ roadmap orders into one schema and check them against the federal timeline.",
)

for _name in COMMANDS:
    if importlib.util.find_spec(f"cli.commands.{_name}") is not None:
        _module = importlib.import_module(f"cli.commands.{_name}")
        if hasattr(_module, "app"):  # a command with sub-commands (`roadmap review export`)
            app.add_typer(_module.app, name=_name)
        else:
            app.command(_name)(_module.command)


def main() -> None:
    app()
