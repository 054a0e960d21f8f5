"""``targetshare targeting set|show|holdout|plan`` and ``targetshare scores import``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from targetshare.store.db import open_store

__all__ = ["register"]

_URL = typer.Option(None, "--database-url", help="store URL (default: settings)")


def _with_spinner(work):
    """Run ``work(step)`` under a spinner showing the current step; steps over a second are logged."""
    import time

    console = Console(stderr=True)
    current: list = []

    def done() -> None:
        if current and time.monotonic() - current[1] > 1.0:
            console.log(f"{current[0]} ({time.monotonic() - current[1]:.1f} s)")

    with console.status("planning") as status:
        def step(message: str) -> None:
            done()
            current[:] = [message, time.monotonic()]
            status.update(message)

        result = work(step)
        done()
    return result


def register(app: typer.Typer) -> None:
    """Add the ``targeting`` and ``scores`` command groups to the ``targetshare`` app."""
    app.add_typer(_targeting_app(), name="targeting")
    app.add_typer(_scores_app(), name="scores")


def _targeting_app() -> typer.Typer:
    targeting = typer.Typer(help="The campaign's targeting configuration and holdout.", no_args_is_help=True)

    @targeting.command("set")
    def set_config(config: Path = typer.Argument(..., help="targeting YAML (docs/targeting.md)"),
                   database_url: str = _URL) -> None:
        """Validate a targeting config and store it as a new version."""
        from targetshare.errors import InputFileError
        from targetshare.targeting.config import save_config

        try:
            text = config.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputFileError(f"cannot read {config}: {exc}") from exc
        stored = save_config(open_store(database_url), text)
        Console().print(f"targeting config version {stored.version} is current")

    @targeting.command("show")
    def show(database_url: str = _URL) -> None:
        """Print the current targeting config and its version."""
        from targetshare.targeting.config import current_config

        stored = current_config(open_store(database_url), default=False)
        if stored is None:
            Console().print("no targeting config stored yet; the default is: goals: {turnout: 1.0}")
            return
        print(f"# version {stored.version}")
        print(stored.yaml_text.rstrip())

    @targeting.command("holdout")
    def holdout(export: Path = typer.Option(None, "--export", help="write every assignment to this CSV"),
                assign: bool = typer.Option(True, help="first assign every scored target in the universe"),
                database_url: str = _URL) -> None:
        """Assign the holdout over the target universe and export it for evaluation."""
        from targetshare.targeting.batch import assign_universe_holdouts
        from targetshare.targeting.holdout import export_holdouts

        engine = open_store(database_url)
        if assign:
            n, held = assign_universe_holdouts(engine)
            Console().print(f"universe: {n:,} targets, {held:,} held out")
        if export is not None:
            rows = export_holdouts(engine, export)
            Console().print(f"wrote {rows:,} assignments to {export}")

    @targeting.command("plan")
    def plan(out: Path = typer.Option(Path("plan.csv"), "--out", help="CSV to write the plan to"),
             k: int = typer.Option(None, "--k", min=0, help="asks per supporter (default: the config's)"),
             database_url: str = _URL) -> None:
        """Plan asks for every supporter at once (offline lazy greedy); writes a CSV, not asks."""
        from targetshare.targeting.plan import plan_offline

        engine = open_store(database_url)
        frame = _with_spinner(lambda step: plan_offline(engine, k=k, progress=step))
        try:
            frame.to_csv(out, index=False)
        except OSError as exc:
            from targetshare.errors import InputFileError

            raise InputFileError(f"cannot write {out}: {exc}") from exc
        Console().print(f"planned {len(frame):,} asks for {frame['supporter_id'].nunique():,} supporters "
                        f"({frame['voter_id'].nunique():,} targets, {frame['expected_value'].sum():.2f} "
                        f"expected net votes); wrote {out}")

    return targeting


def _scores_app() -> typer.Typer:
    scores_app = typer.Typer(help="Vendor-modeled scores (support, turnout, persuasion).", no_args_is_help=True)

    @scores_app.command("import")
    def import_cmd(file: Path = typer.Argument(..., help="scores CSV keyed by voter id"),
                   mapping: Path = typer.Option(None, "--mapping", help="YAML naming columns and scale"),
                   database_url: str = _URL) -> None:
        """Import modeled scores as a new version (bad rows quarantined; same file twice = no-op)."""
        from targetshare.targeting.scores import import_scores, load_mapping

        result = import_scores(open_store(database_url), file, load_mapping(mapping))
        console = Console()
        word = "already imported as" if result.reused else "imported as"
        console.print(f"{file}: {word} scores version {result.version}: {result.inserted:,} stored, "
                      f"{result.quarantined:,} quarantined of {result.rows_read:,} rows; scales {result.scales}")
        for line, why in result.problems:
            console.print(f"  line {line}: {why}")

    return scores_app
