"""The `roadmap` executable. Before anything else is imported (typer and the commands'
modules take a tenth of a second), `roadmap extract` forks its reader process
(extractors/read_ahead.py), so the files are read while everything else starts."""
from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["extract"]:
        from extractors.read_ahead import start_reader

        start_reader()
    from cli.app import main as run

    run()
