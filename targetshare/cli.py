"""The ``targetshare`` command line: a thin shell over the library.

Each area of the engine adds its own commands through a ``register(app)`` function in its
``commands`` module, so this file only gathers them.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from targetshare.errors import TargetshareError

app = typer.Typer(
    name="targetshare",
    help="Targeted sharing for campaigns: voter file, contact matching, five friends, measured asks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def _register_all() -> None:
    from targetshare import bench_runner, store, web
    from targetshare.matching import commands as matching_commands
    from targetshare.sim import commands as sim_commands
    from targetshare.targeting import commands as targeting_commands
    from targetshare.voterfile import commands as voterfile_commands

    store.commands.register(app)
    voterfile_commands.register(app)
    sim_commands.register(app)
    matching_commands.register(app)
    targeting_commands.register(app)
    web.commands.register(app)
    bench_runner.register(app)


_register_all()


def main() -> None:
    try:
        app()
    except TargetshareError as exc:
        err_console.print(f"[bold red]error:[/] {exc}")
        sys.exit(1)
