"""``targetshare db ...``: create or upgrade the store."""

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="The store: create or upgrade its schema.", no_args_is_help=True)

    @db_app.command("upgrade")
    def upgrade(database_url: str = typer.Option(None, help="store URL (default: settings)")) -> None:
        """Create the schema or bring it up to date."""
        from targetshare.store.db import open_store, table_names

        engine = open_store(database_url)
        Console().print(f"store at {engine.url.render_as_string(hide_password=True)}: {len(table_names(engine))} tables")

    app.add_typer(db_app, name="db")
