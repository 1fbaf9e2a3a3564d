"""The `roadmap` executable. Before the command line is parsed (typer and the commands'
modules take a tenth of a second to import), `roadmap extract` starts its reader process
(extractors/read_ahead.py), so the files are read while everything else starts."""
from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["extract"]:
        from extractors.read_ahead import start_reader

        start_reader()
    from cli.app import main as run

    run()
