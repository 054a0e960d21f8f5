from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text

from targetshare.store import schema
from targetshare.store.db import make_engine, migrate


def test_migrations_create_every_table(engine):
    names = set(inspect(engine).get_table_names())
    assert {t.name for t in schema.metadata.sorted_tables} <= names


def test_migrated_database_matches_metadata(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []


def test_migrate_is_idempotent(db_url):
    eng = make_engine(db_url)
    migrate(eng)
    migrate(eng)
    from alembic.script import ScriptDirectory

    from targetshare.store.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config(eng)).get_current_head()
    with eng.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == head
    eng.dispose()


def test_sqlite_store_uses_wal(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_roundtrip_supporter_and_json_columns(engine):
    from datetime import datetime

    now = datetime(2026, 11, 1, 12, 0)
    with engine.begin() as conn:
        sid = conn.execute(
            insert(schema.supporters).values(
                email="ana@example.org", name="Ana", role="supporter", referral_code="abc", created_at=now
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(schema.contacts).values(
                supporter_id=sid, source="vcard", source_position="1", display_name="Bob 🎉",
                phones=["+19195550123"], emails=[], signals={"starred": True}, created_at=now,
            )
        )
    with engine.connect() as conn:
        row = conn.execute(select(schema.contacts)).one()
    assert row.display_name == "Bob 🎉"
    assert row.phones == ["+19195550123"]
    assert row.signals == {"starred": True}


def test_foreign_keys_enforced(engine):
    from datetime import datetime

    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            conn.execute(
                insert(schema.contacts).values(
                    supporter_id=999, source="vcard", source_position="1", display_name="x",
                    phones=[], emails=[], signals={}, created_at=datetime(2026, 1, 1),
                )
            )
