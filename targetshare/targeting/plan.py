"""Offline batch plan: every eligible (supporter, matched voter) pair in the store, valued and
ranked exactly as at sign-in, then allocated by lazy greedy over the coverage objective.

``plan_offline`` reads the store and writes nothing but holdout rows for targets not yet assigned
(the same deterministic draw as at sign-in). It never writes ``asks`` or ``target_saturation``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from targetshare.store.schema import (
    asks,
    contacts,
    matches,
    opt_outs,
    supporters,
    target_saturation,
)
from targetshare.targeting.allocate import lazy_greedy, plan_gains
from targetshare.targeting.candidates import (
    TargetArrays,
    contact_keys_of,
    dedupe,
    existing_usage,
    opted_out,
    send_chances,
    surname_of,
    target_arrays,
)
from targetshare.targeting.config import StoredConfig, current_config
from targetshare.targeting.holdout import held_out_among
from targetshare.targeting.reasons import reason_for
from targetshare.targeting.scores import current_scores_version, scores_for
from targetshare.targeting.ties import TieModel, load_tie_model
from targetshare.targeting.universe import recent_election_dates, recent_votes, voter_rows

__all__ = ["plan_offline", "PLAN_COLUMNS", "PLANNED_MATCH_STATUSES"]

PLAN_COLUMNS = ["supporter_id", "voter_id", "contact_id", "expected_value", "p_send", "reason"]
PLANNED_MATCH_STATUSES = ("auto", "confirmed")  # needs_confirmation and rejected are not planned

Step = Callable[[str], None]


@dataclass
class _Store:
    """Everything the plan reads, in bulk."""

    items: dict[int, list[dict]]  # supporter id -> matched contacts, one per voter
    people: dict[int, tuple[dict | None, str]]  # supporter id -> (own voter row, surname)
    voters: dict[str, dict] = field(default_factory=dict)
    scores: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)
    recent: int = 0
    opt_out_rows: list = field(default_factory=list)
    done: set[tuple[int, str]] = field(default_factory=set)  # pairs asked or suggested already
    miss: dict[str, float] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)


@dataclass
class _Pairs:
    """Candidate pairs, flattened (supporter order, then contact id)."""

    supporter: list[int] = field(default_factory=list)
    target: list[int] = field(default_factory=list)  # index into the sorted target ids
    item: list[dict] = field(default_factory=list)
    p_send: list[np.ndarray] = field(default_factory=list)
    q: list[np.ndarray] = field(default_factory=list)
    same_household: list[np.ndarray] = field(default_factory=list)


def _matched_contacts(conn) -> dict[int, list[dict]]:
    q = (select(contacts.c.supporter_id, contacts.c.id, contacts.c.signals, contacts.c.phones, contacts.c.emails,
                matches.c.voter_id, matches.c.match_probability)
         .join(matches, matches.c.contact_id == contacts.c.id)
         .where(matches.c.status.in_(PLANNED_MATCH_STATUSES))
         .order_by(contacts.c.supporter_id, contacts.c.id))
    raw: dict[int, list[dict]] = {}
    for r in conn.execute(q):
        raw.setdefault(int(r.supporter_id), []).append({
            "contact_id": int(r.id), "voter_id": r.voter_id, "match_probability": float(r.match_probability),
            "signals": r.signals or {}, "keys": contact_keys_of(r.phones, r.emails)})
    return {sid: dedupe(rows) for sid, rows in raw.items()}


def _people(conn, ids: list[int]) -> dict[int, tuple[dict | None, str]]:
    rows = [r for start in range(0, len(ids), 5_000) for r in conn.execute(
        select(supporters.c.id, supporters.c.voter_id, supporters.c.name)
        .where(supporters.c.id.in_(ids[start:start + 5_000])))]
    own = voter_rows(conn, [r.voter_id for r in rows if r.voter_id])
    return {int(r.id): (own.get(r.voter_id) if r.voter_id else None, surname_of(r.name)) for r in rows}


def _read_store(engine: Engine, cfg: StoredConfig, step: Step) -> tuple[_Store, list[str]]:
    step("reading matched contacts")
    with engine.connect() as conn:
        items = _matched_contacts(conn)
    targets = sorted({i["voter_id"] for rows in items.values() for i in rows})
    store = _Store(items=items, people={})
    if not targets:
        return store, targets
    step(f"reading voters, scores and vote history for {len(targets):,} targets")
    dates = recent_election_dates(engine, cfg.config.universe.recent_elections)
    version = current_scores_version(engine)
    with engine.connect() as conn:
        store.people = _people(conn, list(items))
        store.voters = voter_rows(conn, targets)
        store.scores = scores_for(conn, targets, version)
        store.votes, store.recent = recent_votes(conn, targets, dates), len(dates)
        store.opt_out_rows = list(conn.execute(select(opt_outs.c.voter_id, opt_outs.c.phone, opt_outs.c.email)))
        store.done = {(int(s), v) for s, v in conn.execute(select(asks.c.supporter_id, asks.c.voter_id))}
        store.done |= {(int(s), v) for s, v in conn.execute(
            select(target_saturation.c.supporter_id, target_saturation.c.voter_id))}
        store.miss, store.used = existing_usage(conn)
    return store, targets


def _pairs(store: _Store, targets: list[str], ta: TargetArrays, blocked: set[str], model: TieModel) -> _Pairs:
    """Eligible pairs with their P(send), computed per supporter as at sign-in.

    ``blocked``: held-out and opted-out voter ids and ``contact:<id>`` of opted-out contacts.
    """
    index = {v: t for t, v in enumerate(targets)}
    out = _Pairs()
    for sid, rows in store.items.items():
        keep = [i for i in rows if ta.inside[index[i["voter_id"]]] and (sid, i["voter_id"]) not in store.done
                and i["voter_id"] not in blocked and f"contact:{i['contact_id']}" not in blocked]
        if not keep:
            continue
        me, surname = store.people.get(sid, (None, ""))
        chances = send_chances(model, me, surname, keep, [store.voters.get(i["voter_id"]) for i in keep])
        out.supporter += [sid] * len(keep)
        out.target += [index[i["voter_id"]] for i in keep]
        out.item += keep
        out.p_send.append(chances.p_send)
        out.q.append(chances.q)
        out.same_household.append(chances.facts.same_household)
    return out


def _blocked(engine: Engine, cfg: StoredConfig, store: _Store, targets: list[str], ta: TargetArrays) -> set[str]:
    """Held-out targets (assigning unseen ones, as at sign-in) and opt-outs."""
    inside = [v for v, ok in zip(targets, ta.inside, strict=True) if ok]
    held = held_out_among(engine, inside, cfg.salt, cfg.config.holdout_share, cfg.version)
    keys = {int(i["contact_id"]): i["keys"] for rows in store.items.values() for i in rows}
    return held | opted_out(store.opt_out_rows, store.voters, keys)


def _rows(store: _Store, targets: list[str], ta: TargetArrays, pairs: _Pairs,
          chosen: np.ndarray, gains: np.ndarray) -> pd.DataFrame:
    p_send, same_hh = np.concatenate(pairs.p_send), np.concatenate(pairs.same_household)
    rows = []
    for i, gain in zip(chosen.tolist(), gains.tolist(), strict=True):
        sid, t, item = pairs.supporter[i], pairs.target[i], pairs.item[i]
        me = store.people.get(sid, (None, ""))[0]
        rows.append({"supporter_id": sid, "voter_id": targets[t], "contact_id": int(item["contact_id"]),
                     "expected_value": float(gain), "p_send": float(p_send[i]),
                     "reason": reason_for(ta.vrows[t], me, int(ta.votes[t]), store.recent, bool(same_hh[i]))})
    frame = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    # by supporter, each supporter's picks in the order chosen (non-increasing expected value)
    return frame.sort_values("supporter_id", kind="stable").reset_index(drop=True)


def plan_offline(engine: Engine, k: int | None = None, progress: Step | None = None) -> pd.DataFrame:
    """Plan asks for every supporter at once; one row per planned ask (``PLAN_COLUMNS``).

    Pairs come from contacts whose match is ``auto`` or ``confirmed`` (one contact per supporter and
    voter: the likeliest match). Target value, universe, holdout, opt-outs and P(send) are those of
    ``suggest_for_supporter``; pairs already in ``asks`` (any status) or already suggested are not
    re-planned, and live suggestions count toward coverage and the per-target cap. At most ``k``
    (default ``asks_per_supporter``) new asks per supporter and ``max_asks_per_target`` per target.
    ``expected_value`` is the pair's marginal gain in net votes when the greedy chose it.
    """
    step = progress or (lambda _message: None)
    cfg = current_config(engine)
    k = cfg.config.asks_per_supporter if k is None else k
    store, targets = _read_store(engine, cfg, step)
    if not targets or k <= 0:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    ta = target_arrays(cfg, targets, store.voters, store.scores, store.votes)
    step("assigning holdouts")
    blocked = _blocked(engine, cfg, store, targets, ta)
    step("P(send) for every pair")
    pairs = _pairs(store, targets, ta, blocked, load_tie_model(engine))
    if not pairs.item:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    step(f"lazy greedy over {len(pairs.item):,} pairs")
    supporter, target = np.array(pairs.supporter), np.array(pairs.target)
    q = np.concatenate(pairs.q)
    miss = np.array([store.miss.get(v, 1.0) for v in targets])
    used = np.array([store.used.get(v, 0) for v in targets])
    chosen = lazy_greedy(supporter, target, ta.values.value, q, k, cfg.config.max_asks_per_target,
                         prior_miss=miss, used=used)
    gains = plan_gains(target, ta.values.value, q, chosen, prior_miss=miss)
    step("writing the plan")
    return _rows(store, targets, ta, pairs, chosen, gains)
