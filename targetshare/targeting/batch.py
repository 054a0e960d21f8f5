"""Batch work over the whole target universe: holdout assignment for evaluation exports."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sqlalchemy import Engine, select

from targetshare.store.schema import scores
from targetshare.targeting.config import current_config
from targetshare.targeting.holdout import assign_holdouts, held_out_among
from targetshare.targeting.scores import current_scores_version
from targetshare.targeting.universe import (
    recent_election_dates,
    recent_votes,
    universe_mask,
    voter_rows,
)

__all__ = ["universe_voter_ids", "assign_universe_holdouts"]

_CHUNK = 20_000


def universe_voter_ids(engine: Engine) -> Iterator[list[str]]:
    """Chunks of voter ids inside the current config's universe (scored in the current version)."""
    cfg = current_config(engine)
    version = current_scores_version(engine)
    if version is None:
        return
    dates = recent_election_dates(engine, cfg.config.universe.recent_elections)
    with engine.connect() as conn:
        q = (select(scores.c.voter_id, scores.c.support, scores.c.turnout, scores.c.persuasion)
             .where(scores.c.version == version).order_by(scores.c.voter_id))
        rows = conn.execution_options(yield_per=_CHUNK).execute(q)
        for part in rows.partitions(_CHUNK):
            ids = [r.voter_id for r in part]
            with engine.connect() as side:
                vrows = voter_rows(side, ids)
                votes = recent_votes(side, ids, dates)
            sc = np.array([(r.support, r.turnout, np.nan if r.persuasion is None else r.persuasion) for r in part])
            mask = universe_mask(cfg.config.universe, sc[:, 0], sc[:, 1], sc[:, 2], [vrows.get(v) for v in ids],
                                 np.array([votes.get(v, 0) for v in ids], dtype=float))
            yield [v for v, ok in zip(ids, mask, strict=True) if ok]


def assign_universe_holdouts(engine: Engine) -> tuple[int, int]:
    """Assign every universe target not yet assigned; returns (targets, held out among them)."""
    cfg = current_config(engine)
    total = held = 0
    for ids in universe_voter_ids(engine):
        assign_holdouts(engine, ids, cfg.salt, cfg.config.holdout_share, cfg.version)
        held += len(held_out_among(engine, ids, cfg.salt, cfg.config.holdout_share, cfg.version))
        total += len(ids)
    return total, held
