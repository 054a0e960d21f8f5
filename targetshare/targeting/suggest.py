"""The sign-in path: read what the store knows about a supporter's matched contacts, rank them,
remember the saturation this adds; and learn from what the supporter then sends or skips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from targetshare.store.schema import asks, contacts, opt_outs, supporters, target_saturation
from targetshare.targeting.allocate import SignIn, rank_sign_in
from targetshare.targeting.candidates import (
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
from targetshare.targeting.ties import load_tie_model, matched_facts, tie_features, update_tie_model
from targetshare.targeting.universe import recent_election_dates, recent_votes, voter_rows

__all__ = ["suggest_for_supporter", "record_outcome"]

@dataclass
class _Facts:
    """Everything read from the store for one sign-in."""

    me: dict | None
    my_surname: str
    voters: dict[str, dict]
    scores: dict[str, tuple[float, float, float]]
    votes: dict[str, int]
    recent: int
    opted_out: set[str]
    asked_by_me: set[str]
    prior_miss: dict[str, float]
    used: dict[str, int]


def _supporter(conn, supporter_id: int) -> tuple[dict | None, str]:
    row = conn.execute(select(supporters.c.voter_id, supporters.c.name).where(supporters.c.id == supporter_id)).first()
    if row is None:
        return None, ""
    me = voter_rows(conn, [row.voter_id]).get(row.voter_id) if row.voter_id else None
    return me, surname_of(row.name)


def _opted_out(conn, ids: list[str], voters_: dict[str, dict], contact_ids: list[int]) -> set[str]:
    phones = {v["phone"] for v in voters_.values() if v.get("phone")}
    emails = {v["email"].lower() for v in voters_.values() if v.get("email")}
    by_contact = {int(row.id): contact_keys_of(row.phones, row.emails) for row in conn.execute(
        select(contacts.c.id, contacts.c.phones, contacts.c.emails).where(contacts.c.id.in_(contact_ids)))}
    keys = phones | emails | set().union(*by_contact.values())
    q = select(opt_outs.c.voter_id, opt_outs.c.phone, opt_outs.c.email).where(
        or_(opt_outs.c.voter_id.in_(ids), opt_outs.c.phone.in_(list(keys)), opt_outs.c.email.in_(list(keys))))
    return opted_out(conn.execute(q), voters_, by_contact)


def _read_facts(engine: Engine, supporter_id: int, items: list[dict], cfg: StoredConfig) -> _Facts:
    ids = [str(i["voter_id"]) for i in items]
    recent_n = cfg.config.universe.recent_elections
    dates = recent_election_dates(engine, recent_n)
    version = current_scores_version(engine)
    with engine.connect() as conn:
        me, surname = _supporter(conn, supporter_id)
        voters_ = voter_rows(conn, ids)
        asked = set(conn.execute(select(asks.c.voter_id).where(asks.c.supporter_id == supporter_id)).scalars())
        miss, used = existing_usage(conn, ids, other_than=supporter_id)
        return _Facts(
            me=me, my_surname=surname, voters=voters_, scores=scores_for(conn, ids, version),
            votes=recent_votes(conn, ids, dates), recent=len(dates),
            opted_out=_opted_out(conn, ids, voters_, [int(i["contact_id"]) for i in items]),
            asked_by_me=asked, prior_miss=miss, used=used,
        )


def suggest_for_supporter(engine: Engine, supporter_id: int, matched: list[dict], k: int | None = None) -> list[dict]:
    """The (at most) k friends where this supporter's ask is worth most, best first.

    Reads config, scores, holdouts, opt-outs and earlier asks; never writes asks. Records the
    saturation the suggestions add (``target_saturation``) and assigns holdouts not yet assigned.
    """
    cfg = current_config(engine)
    k = cfg.config.asks_per_supporter if k is None else k
    items = dedupe(matched)
    if not items or k <= 0:
        return []
    f = _read_facts(engine, supporter_id, items, cfg)
    ids = [str(i["voter_id"]) for i in items]
    ta = target_arrays(cfg, ids, f.voters, f.scores, f.votes)
    tv, vrows = ta.values, ta.vrows
    held = held_out_among(engine, [v for v, ok in zip(ids, ta.inside, strict=True) if ok],
                          cfg.salt, cfg.config.holdout_share, cfg.version)
    eligible = ta.inside & np.array([v not in held and v not in f.opted_out and v not in f.asked_by_me
                                     and f"contact:{i['contact_id']}" not in f.opted_out
                                     for v, i in zip(ids, items, strict=True)], dtype=bool)
    chances = send_chances(load_tie_model(engine), f.me, f.my_surname, items, vrows)
    p_send, x = chances.p_send, chances.features
    sign_in = SignIn(value=tv.value, q=chances.q,
                     prior_miss=np.array([f.prior_miss.get(v, 1.0) for v in ids]),
                     used=np.array([f.used.get(v, 0) for v in ids], dtype=float), eligible=eligible)
    top, gain = rank_sign_in(sign_in, k, cfg.config.max_asks_per_target)
    out = []
    for j, g in zip(top.tolist(), gain.tolist(), strict=True):
        goal = str(tv.goal[j])
        out.append({
            "contact_id": int(items[j]["contact_id"]), "voter_id": ids[j], "expected_value": float(g),
            "p_send": float(p_send[j]), "goal": goal, "content_slug": cfg.config.content.get(goal),  # type: ignore[call-overload]
            "reason": reason_for(vrows[j], f.me, int(ta.votes[j]), f.recent,
                                 bool(chances.facts.same_household[j])),
        })
    _remember(engine, supporter_id, [(items[j], ids[j], p_send[j], sign_in.q[j], x[j]) for j in top.tolist()])
    return out


def _remember(engine: Engine, supporter_id: int, picks: list) -> None:
    """Upsert one saturation row per suggestion (a repeated call overwrites, never double counts)."""
    if not picks:
        return
    now = datetime.now()
    rows = [{"supporter_id": supporter_id, "voter_id": vid, "contact_id": int(item["contact_id"]),
             "p_send": float(p), "coverage": float(q), "features": [float(v) for v in x],
             "outcome": None, "created_at": now, "updated_at": now} for item, vid, p, q, x in picks]
    with engine.begin() as conn:
        dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
        stmt = dialect.insert(target_saturation)
        keep = ("contact_id", "p_send", "coverage", "features", "updated_at")
        stmt = stmt.on_conflict_do_update(index_elements=["supporter_id", "voter_id"],
                                          set_={c: stmt.excluded[c] for c in keep},
                                          where=target_saturation.c.outcome.is_(None))
        conn.execute(stmt, rows)


def _features_for_ask(engine: Engine, supporter_id: int, voter_id: str) -> np.ndarray | None:
    with engine.connect() as conn:
        row = conn.execute(select(contacts.c.signals).select_from(
            asks.join(contacts, contacts.c.id == asks.c.contact_id)).where(
            and_(asks.c.supporter_id == supporter_id, asks.c.voter_id == voter_id))).first()
        if row is None:
            return None
        me, surname = _supporter(conn, supporter_id)
        vrow = voter_rows(conn, [voter_id]).get(voter_id)
    return tie_features([row.signals or {}], matched_facts(me, surname, [vrow]))[0]


def record_outcome(engine: Engine, supporter_id: int, voter_id: str, sent: bool) -> None:
    """Learn from a supporter sending (True) or skipping (False) a suggested friend.

    Updates the P(send) model once per pair, and the pair's saturation: a sent ask covers the
    target with the match probability, a skipped one not at all.
    """
    with engine.connect() as conn:
        row = conn.execute(select(target_saturation).where(
            target_saturation.c.supporter_id == supporter_id, target_saturation.c.voter_id == voter_id)).first()
    if row is not None and row.outcome is not None:
        return  # already learned from this pair
    x = np.array(row.features, dtype=float) if row is not None else _features_for_ask(engine, supporter_id, voter_id)
    if x is None or len(x) == 0:
        return
    update_tie_model(engine, x, sent)
    if row is not None:
        match_p = row.coverage / row.p_send if row.p_send > 0 else 1.0
        with engine.begin() as conn:
            conn.execute(update(target_saturation).where(
                target_saturation.c.supporter_id == supporter_id, target_saturation.c.voter_id == voter_id,
            ).values(outcome="sent" if sent else "skipped", coverage=match_p if sent else 0.0,
                     updated_at=datetime.now()))
