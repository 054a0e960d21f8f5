"""The ``targetshare sim`` command."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add ``sim`` to the ``targetshare`` app."""

    @app.command("sim")
    def sim(
        out: Path = typer.Option(..., "--out", help="Folder to write the simulated state into."),
        voters: int = typer.Option(200_000, "--voters", help="Registered voters to simulate."),
        supporters: int = typer.Option(None, "--supporters", help="Supporters (default: voters / 1,000, at least 20)."),
        seed: int = typer.Option(0, "--seed", help="Random seed; the same seed writes byte-identical files."),
        weak_ties: bool = typer.Option(False, "--weak-ties", help="A world where tie strength matters half as much."),
        graph_seed: str = typer.Option(None, "--graph-seed", help="Map a real Facebook graph: snap, caltech or haverford."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress bars."),
    ) -> None:
        """Write a realistic synthetic state (voter file, contact exports, scores) and its hidden truth."""
        from targetshare.errors import TargetshareError
        from targetshare.sim import simulate
        from targetshare.sim.graph import GRAPH_SEEDS

        if graph_seed is not None and graph_seed not in GRAPH_SEEDS:
            raise TargetshareError(f"--graph-seed must be one of {', '.join(GRAPH_SEEDS)}")
        console = Console(stderr=True)
        start = time.perf_counter()
        summary = simulate(out, voters=voters, supporters=supporters, seed=seed, weak_ties=weak_ties,
                           graph_seed=graph_seed, progress=not quiet)
        for note in summary["notes"]:
            console.print(f"[yellow]note:[/] {note}")
        console.print(
            f"wrote {summary['voters']:,} voters, {summary['history_rows']:,} history rows, "
            f"{summary['supporters']:,} supporters with {summary['contacts']:,} contacts to {out} "
            f"in {time.perf_counter() - start:.1f} s"
        )
