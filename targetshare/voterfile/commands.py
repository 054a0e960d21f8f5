"""``targetshare voters import|stats``: a thin shell over :mod:`targetshare.voterfile`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table


def register(app: typer.Typer) -> None:
    """Add the ``voters`` sub-app (``import``, ``stats``) to the ``targetshare`` app."""
    voters_app = typer.Typer(help="The voter file: import it, see what the store holds.",
                             no_args_is_help=True)  # fmt: skip

    @voters_app.command("import")
    def import_command(
        file: Path = typer.Argument(..., help="the voter file (NCSBE ncvoter, or CSV with --mapping)"),
        history: Path = typer.Option(None, "--history", help="vote-history file (NCSBE ncvhis)"),
        fmt: str = typer.Option("ncsbe", "--format", help="ncsbe or csv (csv needs --mapping)"),
        mapping: Path = typer.Option(None, "--mapping", help="YAML column mapping for --format csv"),
        database_url: str = typer.Option(None, "--database-url", help="store URL (default: settings)"),
        quarantine_dir: Path = typer.Option(None, "--quarantine-dir", help="default: settings"),
        as_json: bool = typer.Option(False, "--json", help="print the result as JSON, no progress bar"),
    ) -> None:
        """Import a voter file (streaming, idempotent, all-or-nothing)."""
        from targetshare.voterfile import import_voter_file

        options = dict(history=history, format="csv" if mapping else fmt, mapping=mapping,
                       database_url=database_url,
                       quarantine_dir=quarantine_dir)  # fmt: skip
        if as_json:
            print(json.dumps(import_voter_file(file, **options).as_dict(), indent=2))
            return
        with _progress_bar() as (_bar, callback):
            result = import_voter_file(file, progress=callback, **options)
        _print_result(result.as_dict())

    @voters_app.command("stats")
    def stats_command(
        database_url: str = typer.Option(None, "--database-url", help="store URL (default: settings)"),
        as_json: bool = typer.Option(False, "--json", help="print as JSON"),
    ) -> None:
        """What the store holds: voters, history rows, households, imports, quarantined rows."""
        from targetshare.voterfile import voter_stats

        stats = voter_stats(database_url)
        if as_json:
            print(json.dumps(stats, indent=2))
            return
        _print_result(stats)

    app.add_typer(voters_app, name="voters")


class _progress_bar:
    """A Rich progress bar per phase (voters, history) showing bytes and rows per second."""

    def __enter__(self):
        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
            TextColumn("{task.fields[rows]:,} rows · {task.fields[rate]:,.0f} rows/s"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True),
        )  # fmt: skip
        self.tasks: dict[str, int] = {}
        self.bar.start()
        return self.bar, self.update

    def update(self, phase: str, done: int, total: int, rows: int) -> None:
        if phase not in self.tasks:
            self.tasks[phase] = self.bar.add_task(phase, total=total, rows=0, rate=0.0)
        task = self.tasks[phase]
        elapsed = self.bar.tasks[task].elapsed or 1e-9
        self.bar.update(task, completed=done, rows=rows, rate=rows / elapsed)

    def __exit__(self, *exc) -> None:
        self.bar.stop()


def _print_result(values: dict) -> None:
    table = Table(show_header=False)
    for key, value in values.items():
        shown = json.dumps(value) if isinstance(value, dict | list) else str(value)
        table.add_row(key, shown)
    Console().print(table)
