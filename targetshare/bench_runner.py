"""``targetshare bench NAME``: runs ``bench/NAME.py`` from the project checkout.

Each benchmark script defines ``run(**options) -> dict`` returning the figures it measured, plus
a ``machine`` entry; this runner prints them as JSON (``--json``) or as a table.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from targetshare.errors import TargetshareError


def bench_dir() -> Path:
    env = os.environ.get("TARGETSHARE_BENCH_DIR")
    if env:
        return Path(env)
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if (base / "bench").is_dir():
            return base / "bench"
    raise TargetshareError("no bench/ folder found: run from the targetshare checkout")


def machine_info() -> dict:
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
    }


def load_benchmark(name: str):
    path = bench_dir() / f"{name}.py"
    if not path.exists():
        known = sorted(p.stem for p in bench_dir().glob("*.py") if not p.stem.startswith("_"))
        raise TargetshareError(f"no benchmark named {name!r}; known: {', '.join(known)}")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def register(app: typer.Typer) -> None:
    @app.command(
        "bench",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )
    def bench(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="benchmark name: a script bench/NAME.py"),
        as_json: bool = typer.Option(False, "--json", help="print the figures as JSON"),
    ) -> None:
        """Run a benchmark script and print its figures (extra --key value options pass through)."""
        options = _parse_extra(ctx.args)
        result = load_benchmark(name).run(**options)
        result.setdefault("machine", machine_info())
        if as_json:
            print(json.dumps(result, indent=2, default=str))
            return
        table = Table(title=f"bench {name}")
        table.add_column("figure")
        table.add_column("value")
        for key, value in result.items():
            table.add_row(key, json.dumps(value, default=str) if isinstance(value, dict | list) else str(value))
        Console().print(table)


def _parse_extra(args: list[str]) -> dict:
    options: dict = {}
    key = None
    for arg in args:
        if arg.startswith("--"):
            key = arg[2:].replace("-", "_")
            options[key] = True
        elif key is not None:
            options[key] = _coerce(arg)
            key = None
    return options


def _coerce(value: str):
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value
