"""The store: one schema (SQLAlchemy Core), migrations (Alembic), SQLite or PostgreSQL."""

from targetshare.store import commands, schema
from targetshare.store.db import make_engine, migrate, open_store

__all__ = ["commands", "schema", "make_engine", "migrate", "open_store"]
