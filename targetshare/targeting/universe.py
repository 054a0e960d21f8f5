"""The target universe: which voters the campaign may ask about at all, and the public facts
(voter record, recent vote history) the rules and the reasons need."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Engine, distinct, func, select

from targetshare.store.schema import vote_history, voters
from targetshare.targeting.config import Universe

__all__ = ["universe_mask", "voter_rows", "recent_votes", "recent_election_dates", "VOTER_COLUMNS"]

VOTER_COLUMNS = ("voter_id", "county", "city", "state", "zip", "street_address", "household_id",
                 "last_name", "age", "status", "congressional_district", "state_senate_district",
                 "state_house_district", "precinct", "municipality")
_LIST_RULES = {"counties": "county", "states": "state", "cities": "city", "zips": "zip",
               "congressional_districts": "congressional_district",
               "state_senate_districts": "state_senate_district",
               "state_house_districts": "state_house_district", "statuses": "status"}
_CHUNK = 5_000
_DATES_CACHE: dict[tuple[str, int], tuple[float, list]] = {}


def voter_rows(conn, voter_ids: Sequence[str]) -> dict[str, dict]:
    cols = [voters.c[name] for name in VOTER_COLUMNS]
    out: dict[str, dict] = {}
    for start in range(0, len(voter_ids), _CHUNK):
        chunk = list(voter_ids[start:start + _CHUNK])
        for row in conn.execute(select(*cols).where(voters.c.voter_id.in_(chunk))):
            out[row.voter_id] = dict(row._mapping)
    return out


def recent_election_dates(engine: Engine, n: int, ttl: float = 600.0) -> list:
    """The ``n`` most recent election dates on file (cached for ``ttl`` seconds per store)."""
    key = (engine.url.render_as_string(hide_password=False), n)
    hit = _DATES_CACHE.get(key)
    if hit and time.monotonic() - hit[0] < ttl:
        return hit[1]
    with engine.connect() as conn:
        dates = list(conn.execute(select(vote_history.c.election_date).distinct()
                                  .order_by(vote_history.c.election_date.desc()).limit(n)).scalars())
    _DATES_CACHE[key] = (time.monotonic(), dates)
    return dates


def recent_votes(conn, voter_ids: Sequence[str], dates: list) -> dict[str, int]:
    """How many of ``dates`` each voter voted in (absent = 0)."""
    if not dates or not voter_ids:
        return {}
    out: dict[str, int] = {}
    for start in range(0, len(voter_ids), _CHUNK):
        chunk = list(voter_ids[start:start + _CHUNK])
        q = (select(vote_history.c.voter_id, func.count(distinct(vote_history.c.election_date)))
             .where(vote_history.c.voter_id.in_(chunk), vote_history.c.election_date.in_(dates))
             .group_by(vote_history.c.voter_id))
        out.update({v: int(n) for v, n in conn.execute(q)})
    return out


def _within(values: np.ndarray, bounds: tuple[float, float] | None) -> np.ndarray:
    if bounds is None:
        return np.ones(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        return (values * 100 >= bounds[0]) & (values * 100 <= bounds[1])


def universe_mask(rules: Universe, support: np.ndarray, turnout: np.ndarray, persuasion: np.ndarray,
                  voters_: Sequence[dict | None], votes: np.ndarray) -> np.ndarray:
    """True for targets inside every rule (scores 0–1; bounds in the rules are 0–100)."""
    n = len(voters_)
    mask = np.isfinite(support) & np.isfinite(turnout)
    mask &= _within(support, rules.support) & _within(turnout, rules.turnout)
    if rules.persuasion is not None:
        mask &= _within(persuasion, rules.persuasion)
    for rule, column in _LIST_RULES.items():
        allowed = getattr(rules, rule)
        if allowed is not None:
            wanted = {str(a).strip().upper() for a in allowed}
            mask &= np.array([str((v or {}).get(column) or "").strip().upper() in wanted for v in voters_], bool)
    if rules.min_elections_voted is not None:
        mask &= votes >= rules.min_elections_voted
    if rules.max_elections_voted is not None:
        mask &= votes <= rules.max_elections_voted
    if rules.min_age is not None or rules.max_age is not None:
        ages = np.array([np.nan if (v or {}).get("age") is None else v["age"] for v in voters_], float)
        with np.errstate(invalid="ignore"):
            if rules.min_age is not None:
                mask &= ages >= rules.min_age
            if rules.max_age is not None:
                mask &= ages <= rules.max_age
    return mask if n else np.zeros(0, dtype=bool)
