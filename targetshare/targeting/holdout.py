"""Target-level holdout: a random share of eligible targets is never suggested to anyone.

Assignment is a deterministic salted hash, ``u = sha256(salt ‖ voter_id)`` read as a number in
[0, 1); a target is held out when ``u < holdout_share``. The salt is drawn once with the first
targeting config and stored with every version. A target's row, once written, is never
recomputed (a later change of share or salt applies to targets not yet assigned only), so the
evaluation compares the same two groups the campaign actually ran.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from targetshare.store.schema import holdouts

__all__ = ["holdout_draw", "is_held_out", "assign_holdouts", "held_out_among", "export_holdouts"]

_CHUNK = 5_000


def holdout_draw(salt: str, voter_id: str) -> float:
    """Uniform number in [0, 1) fixed by the salt and the voter id."""
    digest = hashlib.sha256(f"{salt}\x1f{voter_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_held_out(salt: str, voter_id: str, share: float) -> bool:
    return holdout_draw(salt, voter_id) < share


def _insert_ignore(conn):
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    return dialect.insert(holdouts)


def assign_holdouts(engine: Engine, voter_ids: Iterable[str], salt: str, share: float, config_version: int) -> int:
    """Write rows for targets not yet assigned (existing rows are kept as they are).

    Returns the number of ids offered. Safe to call concurrently: conflicts are ignored.
    """
    now = datetime.now()
    ids = list(dict.fromkeys(voter_ids))
    with engine.begin() as conn:
        for start in range(0, len(ids), _CHUNK):
            rows = [
                {"voter_id": v, "config_version": config_version,
                 "held_out": is_held_out(salt, v, share), "assigned_at": now}
                for v in ids[start:start + _CHUNK]
            ]
            if rows:
                conn.execute(_insert_ignore(conn).on_conflict_do_nothing(index_elements=["voter_id"]), rows)
    return len(ids)


def held_out_among(engine: Engine, voter_ids: Sequence[str], salt: str, share: float, config_version: int) -> set[str]:
    """The held-out ids among ``voter_ids``, assigning any not yet assigned first."""
    if not voter_ids:
        return set()
    found: dict[str, bool] = {}
    with engine.connect() as conn:
        for start in range(0, len(voter_ids), _CHUNK):
            chunk = list(voter_ids[start:start + _CHUNK])
            for row in conn.execute(select(holdouts.c.voter_id, holdouts.c.held_out)
                                    .where(holdouts.c.voter_id.in_(chunk))):
                found[row.voter_id] = bool(row.held_out)
    missing = [v for v in voter_ids if v not in found]
    if missing:
        assign_holdouts(engine, missing, salt, share, config_version)
        with engine.connect() as conn:  # re-read: a concurrent writer may have won
            for row in conn.execute(select(holdouts.c.voter_id, holdouts.c.held_out)
                                    .where(holdouts.c.voter_id.in_(missing))):
                found[row.voter_id] = bool(row.held_out)
    return {v for v, held in found.items() if held}


def export_holdouts(engine: Engine, path: Path) -> int:
    """Write every assignment (voter_id, held_out, config_version, assigned_at) to a CSV."""
    n = 0
    with engine.connect() as conn, open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["voter_id", "held_out", "config_version", "assigned_at"])
        result = conn.execution_options(yield_per=10_000).execute(select(holdouts).order_by(holdouts.c.voter_id))
        for row in result:
            writer.writerow([row.voter_id, int(row.held_out), row.config_version, row.assigned_at.isoformat()])
            n += 1
    return n
