"""``targetshare serve`` and ``targetshare demo``."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option(None, help="address to listen on (default: settings)"),
        port: int = typer.Option(None, help="port (default: settings)"),
        database_url: str = typer.Option(None, help="store URL (default: settings)"),
    ) -> None:
        """Serve the web app."""
        from targetshare.settings import get_settings

        overrides = {k: v for k, v in {"host": host, "port": port, "database_url": database_url}.items() if v}
        _serve(get_settings(**overrides))

    @app.command("demo")
    def demo(
        out: Path = typer.Option(Path("demo-world"), help="folder for the simulated state"),
        voters: int = typer.Option(20_000, help="simulated voters"),
        supporters: int = typer.Option(40, help="simulated supporters (contact exports)"),
        seed: int = typer.Option(2012, help="random seed of the simulated state"),
        fresh: bool = typer.Option(False, help="simulate anew even if the folder exists"),
        serve_app: bool = typer.Option(True, "--serve/--no-serve", help="start the web server"),
        port: int = typer.Option(8000, help="port"),
    ) -> None:
        """Simulate a small state, import it, and serve the web app on it."""
        from targetshare.demo import build_demo

        settings = build_demo(out, voters=voters, supporters=supporters, seed=seed, fresh=fresh, port=port)
        if serve_app:
            _serve(settings)


def _serve(settings) -> None:
    import uvicorn

    from targetshare.web.access_log import log_config
    from targetshare.web.app import create_app

    # log_config: uvicorn's own, with share and sign-in tokens redacted from the access log
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                log_config=log_config())
