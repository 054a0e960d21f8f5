"""What the store holds from voter-file imports (``targetshare voters stats``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, func, select

from targetshare.store.db import open_store
from targetshare.store.schema import households, quarantine, vote_history, voter_imports, voters

__all__ = ["voter_stats"]


def voter_stats(database_url: str | None = None, *, engine: Engine | None = None) -> dict:
    """Counts of voters, history rows, households, imports and quarantined rows.

    ``quarantined`` counts the quarantine rows of the latest completed import (a re-import
    of a fixed file shows 0 even though older imports' rejects are kept);
    ``quarantined_total`` counts them across all imports. ``imports`` counts completed
    imports; ``failed_imports`` those that failed with an error (a killed import leaves none).
    """
    engine = engine or open_store(database_url)
    with engine.connect() as conn:
        count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar_one()  # noqa: E731
        done = voter_imports.c.status == "done"
        last = conn.execute(
            select(voter_imports).where(done).order_by(voter_imports.c.id.desc()).limit(1)
        ).mappings().first()
        imports = conn.execute(select(func.count()).where(done)).scalar_one()
        failed = conn.execute(
            select(func.count()).where(voter_imports.c.status == "failed")
        ).scalar_one()
        latest_quarantined = 0
        if last is not None:
            latest_quarantined = conn.execute(
                select(func.count()).where(quarantine.c.import_id == last["id"])
            ).scalar_one()
        return {
            "voters": count(voters),
            "history_rows": count(vote_history),
            "quarantined": latest_quarantined,
            "quarantined_total": count(quarantine),
            "households": count(households),
            "imports": imports,
            "failed_imports": failed,
            "last_import": _jsonable(dict(last)) if last is not None else None,
        }


def _jsonable(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}
