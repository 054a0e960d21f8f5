"""CLI commands of this area (filled in by its owner)."""

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the ``targetshare`` app."""
    return None
