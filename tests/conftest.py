"""Shared fixtures: a fresh, migrated store per test, on SQLite always and on PostgreSQL when
``TARGETSHARE_TEST_DATABASE_URL`` names a server (each test then gets its own schema)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from targetshare.store.db import make_engine, migrate

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
PG_URL = os.environ.get("TARGETSHARE_TEST_DATABASE_URL", "")

BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _postgres_url_with_schema(schema: str) -> tuple[str, dict]:
    return PG_URL, {"connect_args": {"options": f"-csearch_path={schema}"}}


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """URL of an empty store (no tables yet) on each available backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture
def engine(db_url):
    """A migrated store on each available backend, thrown away after the test."""
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    """A migrated SQLite store only (for tests about the embedded default itself)."""
    eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA} (needs the project's shared/ folder)")
    return SHARED_DATA
