"""Command line: ``xlingo diff``, ``xlingo check``, ``xlingo rules``, ``xlingo model``."""
from __future__ import annotations

from xlingo.cli import check, diff, model, render, rules  # noqa: F401  (register the commands)
from xlingo.cli.app import app


def main() -> None:
    """Entry point of the ``xlingo`` script."""
    app()
