"""What the online path (``suggest``) and the offline planner (``plan``) compute the same way for a
supporter's matched contacts: one row per target, target value and universe, opt-outs, P(send)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import or_, select

from targetshare.store.schema import asks, target_saturation
from targetshare.targeting.config import StoredConfig
from targetshare.targeting.ties import MatchedFacts, TieModel, matched_facts, tie_features
from targetshare.targeting.universe import universe_mask
from targetshare.targeting.value import TargetValues, geography_weight, target_values

__all__ = ["dedupe", "surname_of", "opted_out", "contact_keys_of", "TargetArrays", "target_arrays", "SendChances", "send_chances",
           "existing_usage"]


def dedupe(matched: list[dict]) -> list[dict]:
    """One row per voter: the contact most likely to be the right person (first wins a tie)."""
    best: dict[str, dict] = {}
    for item in matched:
        vid = str(item.get("voter_id") or "")
        if vid and (vid not in best or item.get("match_probability", 0) > best[vid].get("match_probability", 0)):
            best[vid] = item
    return list(best.values())


def surname_of(name: str | None) -> str:
    """The supporter's surname as the tie model reads it: the last word of their name."""
    words = (name or "").split()
    return words[-1] if words else ""


def opted_out(rows: Iterable, voters_: dict[str, dict], contact_keys: dict[int, set[str]]) -> set[str]:
    """Voter ids, and ``contact:<id>`` for contacts, caught by the opt-out ``rows``.

    ``rows`` have ``voter_id``, ``phone``, ``email``; a voter is out by id or by the voter file's
    phone/e-mail, a contact by any of its phones/e-mails (``contact_keys``, e-mails lower-cased).
    """
    out_ids: set[str] = set()
    out_keys: set[str] = set()
    for row in rows:
        if row.voter_id:
            out_ids.add(row.voter_id)
        out_keys.update(k.lower() for k in (row.phone, row.email) if k)
    for vid, v in voters_.items():
        if {str(v.get("phone") or ""), str(v.get("email") or "").lower()} & out_keys:
            out_ids.add(vid)
    return out_ids | {f"contact:{cid}" for cid, keys in contact_keys.items() if keys & out_keys}


def contact_keys_of(phones: Sequence[str] | None, emails: Sequence[str] | None) -> set[str]:
    return set(phones or []) | {e.lower() for e in emails or []}


@dataclass
class TargetArrays:
    """Per target (same order as the ids given): voter row, recent votes, value, in the universe."""

    vrows: list[dict | None]
    votes: np.ndarray
    values: TargetValues
    inside: np.ndarray


def target_arrays(cfg: StoredConfig, ids: Sequence[str], voters_: dict[str, dict],
                  scores: dict[str, tuple[float, float, float]], votes: dict[str, int]) -> TargetArrays:
    """Target values and the universe rule for ``ids`` from what the store holds about them."""
    nan3 = (math.nan, math.nan, math.nan)
    sc = np.array([scores.get(v, nan3) for v in ids], dtype=float).reshape(-1, 3)
    vrows = [voters_.get(v) for v in ids]
    n_votes = np.array([votes.get(v, 0) for v in ids], dtype=float)
    gw = cfg.config.geography_weights
    geo = geography_weight(cfg.config, [(r or {}).get(gw.by if gw else "county") for r in vrows])
    tv = target_values(cfg.config, np.nan_to_num(sc[:, 0]), np.nan_to_num(sc[:, 1]), sc[:, 2], geo)
    inside = universe_mask(cfg.config.universe, sc[:, 0], sc[:, 1], sc[:, 2], vrows, n_votes)
    return TargetArrays(vrows=vrows, votes=n_votes, values=tv, inside=inside)


@dataclass
class SendChances:
    """Per (supporter, contact) pair: shared public facts, tie features, P(send), and
    ``q`` = P(send) × match probability (the chance the ask reaches the right person)."""

    facts: MatchedFacts
    features: np.ndarray
    p_send: np.ndarray
    q: np.ndarray


def send_chances(model: TieModel, me: dict | None, surname: str, items: Sequence[dict],
                 vrows: Sequence[dict | None]) -> SendChances:
    """P(send) for one supporter's ``items`` (``signals``, ``match_probability``) matched to ``vrows``."""
    facts = matched_facts(me, surname, vrows)
    x = tie_features([i.get("signals") or {} for i in items], facts)
    p_send = model.p_send(x)
    match_p = np.clip(np.array([float(i.get("match_probability", 1.0)) for i in items], dtype=float), 0.0, 1.0)
    return SendChances(facts=facts, features=x, p_send=p_send, q=p_send * match_p)


_GONE = ("skipped", "not_my_friend")


def existing_usage(conn, ids: Sequence[str] | None = None,
                   other_than: int | None = None) -> tuple[dict[str, float], dict[str, int]]:
    """Per target: Π(1 − q) over live suggestions and the number of asks already used.

    Live suggestions are ``target_saturation`` rows not skipped (by outcome or in ``asks``); the
    count is the larger of those and the ``asks`` suggested or sent. ``ids`` limits the targets,
    ``other_than`` leaves out one supporter's own (None: every target, every supporter).
    """
    ts = target_saturation
    gone = select(asks.c.id).where(asks.c.supporter_id == ts.c.supporter_id,
                                   asks.c.voter_id == ts.c.voter_id, asks.c.status.in_(_GONE))
    q = select(ts.c.voter_id, ts.c.coverage).where(or_(ts.c.outcome.is_(None), ts.c.outcome != "skipped"),
                                                   ~gone.exists())
    q_asks = select(asks.c.voter_id).where(asks.c.status.in_(("suggested", "sent")))
    if ids is not None:
        q, q_asks = q.where(ts.c.voter_id.in_(list(ids))), q_asks.where(asks.c.voter_id.in_(list(ids)))
    if other_than is not None:
        q, q_asks = q.where(ts.c.supporter_id != other_than), q_asks.where(asks.c.supporter_id != other_than)
    miss: dict[str, float] = {}
    used: dict[str, int] = {}
    for vid, cov in conn.execute(q):
        miss[vid] = miss.get(vid, 1.0) * (1.0 - min(max(cov, 0.0), 1.0))
        used[vid] = used.get(vid, 0) + 1
    asked: dict[str, int] = {}
    for (vid,) in conn.execute(q_asks):
        asked[vid] = asked.get(vid, 0) + 1
    return miss, {v: max(used.get(v, 0), asked.get(v, 0)) for v in set(used) | set(asked)}
