"""Tie strength as P(send): a logistic model over what contact sources and the match tell us.

Features come from the contact's ``signals`` (starred, relationship, labels, nickname, how long
known, organisation, how many phones and e-mails) and from matched public facts (same household
or address, shared surname, same ZIP or city, age gap). The prior weights encode the literature
(docs/targeting.md: Gilbert & Karahalios 2009, Jones et al. 2013 — signs of interaction and
intimacy beat demographic similarity); they are the mean of a diagonal Gaussian prior that is
updated online, one observation at a time, from which suggested friends supporters actually send
to (a Laplace / assumed-density update of Bayesian logistic regression, Chapelle & Li 2011).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import Engine, insert, select, update

from targetshare.store.schema import tie_model

__all__ = [
    "FEATURES",
    "PRIOR_MEAN",
    "PRIOR_SD",
    "MatchedFacts",
    "TieModel",
    "tie_features",
    "matched_facts",
    "load_tie_model",
    "update_tie_model",
]

CLOSE_FAMILY = {"mother", "father", "mom", "dad", "parent", "spouse", "husband", "wife", "partner",
                "domestic partner", "child", "son", "daughter", "sibling", "brother", "sister"}
FAMILY = {"grandmother", "grandfather", "grandparent", "grandson", "granddaughter", "aunt", "uncle",
          "cousin", "niece", "nephew", "relative", "family", "in-law", "mother-in-law",
          "father-in-law", "sister-in-law", "brother-in-law", "stepmother", "stepfather"}
FRIEND = {"friend", "best friend", "close friend", "roommate", "neighbor", "neighbour"}
COWORKER = {"coworker", "co-worker", "colleague", "manager", "boss", "assistant", "employee"}

# name -> (prior mean, prior sd). Log-odds of P(send); see docs/targeting.md for the sources.
_PRIOR: dict[str, tuple[float, float]] = {
    "bias": (-1.9, 1.0),
    "starred": (1.2, 0.5),
    "rel_close_family": (1.6, 0.5),
    "rel_family": (0.8, 0.5),
    "rel_friend": (0.7, 0.5),
    "rel_coworker": (0.2, 0.5),
    "label_family": (0.8, 0.5),
    "label_favorite": (1.0, 0.5),
    "label_friends": (0.4, 0.5),
    "label_work": (0.1, 0.5),
    "has_nickname": (0.6, 0.5),
    "log_years_known": (0.3, 0.3),
    "has_organization": (-0.1, 0.3),
    "log_phones": (0.25, 0.3),
    "log_emails": (0.1, 0.3),
    "same_household": (1.3, 0.5),
    "shared_surname": (0.5, 0.5),
    "same_zip": (0.3, 0.3),
    "same_city": (0.2, 0.3),
    "age_gap_decades": (-0.15, 0.2),
}
FEATURES: tuple[str, ...] = tuple(_PRIOR)
PRIOR_MEAN = {k: m for k, (m, _) in _PRIOR.items()}
PRIOR_SD = {k: s for k, (_, s) in _PRIOR.items()}
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass
class MatchedFacts:
    """Public facts shared by the supporter and each matched voter (arrays of one length)."""

    same_household: np.ndarray
    shared_surname: np.ndarray
    same_zip: np.ndarray
    same_city: np.ndarray
    age_gap: np.ndarray  # years, NaN when unknown

    @classmethod
    def empty(cls, n: int) -> MatchedFacts:
        z = np.zeros(n)
        return cls(z, z.copy(), z.copy(), z.copy(), np.full(n, np.nan))


def _norm(text: object) -> str:
    return str(text or "").strip().lower()


def matched_facts(me: dict | None, my_surname: str, voters: Sequence[dict | None]) -> MatchedFacts:
    """Compare the supporter's own voter record ``me`` (may be None) with each matched voter."""
    n = len(voters)
    facts = MatchedFacts.empty(n)
    my_last = _norm((me or {}).get("last_name") or my_surname)
    if me is None and not my_last:
        return facts
    me = me or {}
    my_hh, my_addr = _norm(me.get("household_id")), _norm(me.get("street_address"))
    my_zip, my_city, my_age = _norm(me.get("zip")), _norm(me.get("city")), me.get("age")
    for i, v in enumerate(voters):
        if not v:
            continue
        same_hh = (my_hh and _norm(v.get("household_id")) == my_hh) or (
            my_addr and _norm(v.get("street_address")) == my_addr and _norm(v.get("zip")) == my_zip
        )
        facts.same_household[i] = bool(same_hh)
        facts.shared_surname[i] = bool(my_last) and _norm(v.get("last_name")) == my_last
        facts.same_zip[i] = bool(my_zip) and _norm(v.get("zip")) == my_zip
        facts.same_city[i] = bool(my_city) and _norm(v.get("city")) == my_city
        if my_age is not None and v.get("age") is not None:
            facts.age_gap[i] = abs(float(my_age) - float(v["age"]))
    return facts


def _labels(signals: dict) -> set[str]:
    raw = signals.get("labels") or []
    if isinstance(raw, str):
        raw = [raw]
    return {_norm(x) for x in raw}


def _signal_row(row: np.ndarray, signals: dict, now: float) -> None:
    rel = _norm(signals.get("relationship"))
    labels = _labels(signals)
    row[_INDEX["starred"]] = bool(signals.get("starred"))
    row[_INDEX["rel_close_family"]] = rel in CLOSE_FAMILY
    row[_INDEX["rel_family"]] = rel in FAMILY
    row[_INDEX["rel_friend"]] = rel in FRIEND
    row[_INDEX["rel_coworker"]] = rel in COWORKER
    row[_INDEX["label_family"]] = bool(labels & {"family", "relatives"})
    row[_INDEX["label_favorite"]] = bool(labels & {"favorites", "favourites", "starred", "close friends"})
    row[_INDEX["label_friends"]] = bool(labels & {"friends", "friend"})
    row[_INDEX["label_work"]] = bool(labels & {"work", "coworkers", "colleagues"})
    row[_INDEX["has_nickname"]] = bool(signals.get("has_nickname"))
    since = signals.get("friends_since")
    if isinstance(since, int | float) and 0 < since < now:
        row[_INDEX["log_years_known"]] = min(math.log1p((now - since) / 31_557_600), 3.5)
    row[_INDEX["has_organization"]] = bool(signals.get("organization"))
    row[_INDEX["log_phones"]] = math.log1p(min(_count(signals.get("phone_count")), 5))
    row[_INDEX["log_emails"]] = math.log1p(min(_count(signals.get("email_count")), 5))


def _count(value: object) -> float:
    return float(value) if isinstance(value, int | float) and value > 0 else 0.0


def tie_features(signals: Sequence[dict], facts: MatchedFacts | None = None, now: float | None = None) -> np.ndarray:
    """Feature matrix (n × len(FEATURES)) for contacts with these signals and matched facts."""
    now = time.time() if now is None else now
    n = len(signals)
    x = np.zeros((n, len(FEATURES)))
    x[:, _INDEX["bias"]] = 1.0
    for i, sig in enumerate(signals):
        _signal_row(x[i], sig or {}, now)
    if facts is not None:
        x[:, _INDEX["same_household"]] = facts.same_household
        x[:, _INDEX["shared_surname"]] = facts.shared_surname
        x[:, _INDEX["same_zip"]] = facts.same_zip
        x[:, _INDEX["same_city"]] = facts.same_city
        x[:, _INDEX["age_gap_decades"]] = np.nan_to_num(np.minimum(facts.age_gap / 10.0, 5.0), nan=0.0)
    return x


@dataclass
class TieModel:
    """Diagonal-Gaussian posterior over the logistic weights; the mean gives P(send)."""

    mean: np.ndarray = field(default_factory=lambda: np.array([PRIOR_MEAN[f] for f in FEATURES]))
    precision: np.ndarray = field(default_factory=lambda: np.array([PRIOR_SD[f] ** -2 for f in FEATURES]))
    n_updates: int = 0

    def p_send(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.mean)))

    def update(self, x: np.ndarray, sent: bool) -> None:
        """One online Bayesian step: precision += p(1−p)x², mean += (y − p)x / precision."""
        p = float(self.p_send(x[None, :])[0])
        self.precision = self.precision + p * (1.0 - p) * x * x
        self.mean = self.mean + (float(sent) - p) * x / self.precision
        self.n_updates += 1

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "mean": dict(zip(FEATURES, self.mean.tolist(), strict=True)),
                "precision": dict(zip(FEATURES, self.precision.tolist(), strict=True))}

    @classmethod
    def from_json(cls, data: dict, n_updates: int = 0) -> TieModel:
        model = cls(n_updates=n_updates)
        for i, name in enumerate(FEATURES):  # features added later keep their prior
            model.mean[i] = data.get("mean", {}).get(name, model.mean[i])
            model.precision[i] = data.get("precision", {}).get(name, model.precision[i])
        return model


def load_tie_model(engine: Engine) -> TieModel:
    """The campaign's current tie model (the literature prior until the first outcome)."""
    with engine.connect() as conn:
        row = conn.execute(select(tie_model.c.weights, tie_model.c.n_updates).where(tie_model.c.id == 1)).first()
    return TieModel() if row is None else TieModel.from_json(row.weights, row.n_updates)


def update_tie_model(engine: Engine, x: np.ndarray, sent: bool) -> TieModel:
    """Apply one outcome to the stored model in one transaction (row-locked on PostgreSQL)."""
    with engine.begin() as conn:
        query = select(tie_model.c.weights, tie_model.c.n_updates).where(tie_model.c.id == 1)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).first()
        model = TieModel() if row is None else TieModel.from_json(row.weights, row.n_updates)
        model.update(np.asarray(x, dtype=float), sent)
        values = {"weights": model.to_json(), "n_updates": model.n_updates, "updated_at": datetime.now()}
        if row is None:
            conn.execute(insert(tie_model).values(id=1, **values))
        else:
            conn.execute(update(tie_model).where(tie_model.c.id == 1).values(**values))
    return model
