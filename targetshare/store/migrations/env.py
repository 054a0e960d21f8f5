"""Alembic environment: runs migrations on the Engine handed over by ``store.db.migrate``."""

from alembic import context

from targetshare.store.db import make_engine
from targetshare.store.schema import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # plain `alembic` command line: use the configured URL
    engine = make_engine(config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
