"""The behaviour model: who sends, who opens, and what a friend's message does to a vote.

Pure functions over the truth (``truth/people.csv`` and ``truth/ties.csv``); the targeting benchmark
scores plans with :func:`expected_incremental_votes` and the evaluation draws an election with
:func:`simulate_election`. Every default is calibrated to a published source listed in
``docs/simulation.md``.

Lifts combine by saturation: each sent ask converts a share ``c_k`` of a would-be non-voter and
``P(vote) = 1 − (1 − p0) · Π(1 − c_k)``, with ``c_k = lift_k / (1 − baseline)`` so a voter at the
election's average baseline gains exactly ``lift_k`` from a single ask.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "BehaviourParams", "DEFAULTS", "Truth", "load_truth", "p_send", "p_open", "lift_if_sent",
    "expected_incremental_votes", "simulate_election", "Outcome", "weak_ties", "params_dict",
    "lift_if_opened",
]


@dataclass(frozen=True)
class BehaviourParams:
    """Every behaviour parameter, with its default (sources in docs/simulation.md)."""

    send_mean: float = 0.25  # share of suggested friends a supporter actually messages
    send_tie_slope: float = 4.0  # logit slope of P(send) in tie strength
    open_base: float = 0.55  # P(open) of a message from a stranger-level tie
    open_tie_slope: float = 0.4  # extra P(open) at tie strength 1
    turnout_cace_midterm: float = 0.083  # effect per friend actually messaged, midterm
    turnout_cace_presidential: float = 0.02  # the same in a presidential year ("small")
    social_direct: float = 0.0039  # direct effect of seeing a social get-out-the-vote message
    tie_gamma: float = 2.0  # personal effect ∝ tie^gamma: close ties carry almost all of it
    tie_weight: float = 1.0  # how much tie strength matters (0.5 with --weak-ties)
    household_spillover: float = 0.45  # share of a target's lift passed to each housemate
    persuasion_sd: float = 0.0035  # vote-choice shift per opened message at |persuadability| 1
    baseline_turnout_midterm: float = 0.45  # average baseline of the next (midterm) election
    baseline_turnout_presidential: float = 0.67
    presidential: bool = False  # the simulated next election is a midterm (11/03/2026)
    ref_tie_a: float = 3.0  # Beta(a, b): tie strengths of the friends supporters chose to message,
    ref_tie_b: float = 2.0  # over which the CACE and send_mean are calibrated

    @property
    def cace(self) -> float:
        return self.turnout_cace_presidential if self.presidential else self.turnout_cace_midterm

    @property
    def baseline(self) -> float:
        return self.baseline_turnout_presidential if self.presidential else self.baseline_turnout_midterm


DEFAULTS = BehaviourParams()


def weak_ties(params: BehaviourParams = DEFAULTS) -> BehaviourParams:
    """The world where tie strength matters half as much."""
    return replace(params, tie_weight=params.tie_weight * 0.5, send_tie_slope=params.send_tie_slope * 0.5)


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _ref_grid(params: BehaviourParams) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(0.0005, 0.9995, 2000)
    w = x ** (params.ref_tie_a - 1) * (1 - x) ** (params.ref_tie_b - 1)
    return x, w / w.sum()


def p_send(tie: np.ndarray, params: BehaviourParams = DEFAULTS) -> np.ndarray:
    """P(supporter messages a suggested friend): rises with tie strength, mean ``send_mean``."""
    x, w = _ref_grid(params)
    centre = float((x * w).sum())
    z = _logit(params.send_mean) + params.send_tie_slope * (np.asarray(tie, dtype=float) - centre)
    return 1 / (1 + np.exp(-z))


def p_open(tie: np.ndarray, params: BehaviourParams = DEFAULTS) -> np.ndarray:
    """P(friend opens a message that was sent)."""
    return np.clip(params.open_base + params.open_tie_slope * np.asarray(tie, dtype=float), 0, 1)


def _tie_power(tie: np.ndarray, params: BehaviourParams) -> np.ndarray:
    return np.asarray(tie, dtype=float) ** params.tie_gamma


@lru_cache(maxsize=32)
def _calibration(params: BehaviourParams) -> tuple[float, float]:
    """(mean tie^gamma, personal effect k) so the mean lift over sent messages equals the CACE."""
    x, w = _ref_grid(params)
    sent = w * p_send(x, params)
    sent = sent / sent.sum()
    mean_pow = float((_tie_power(x, params) * sent).sum())
    mult = (1 - params.tie_weight) + params.tie_weight * _tie_power(x, params) / mean_pow
    po = p_open(x, params)
    k = (params.cace - params.social_direct * float((po * sent).sum())) / float((po * mult * sent).sum())
    return mean_pow, k


def lift_if_opened(tie: np.ndarray, susceptibility: np.ndarray, params: BehaviourParams = DEFAULTS) -> np.ndarray:
    """Turnout lift (probability points) for an average voter who opened a friend's message."""
    mean_pow, k = _calibration(params)
    mult = (1 - params.tie_weight) + params.tie_weight * _tie_power(tie, params) / mean_pow
    return (params.social_direct + k * mult) * np.asarray(susceptibility, dtype=float)


def lift_if_sent(tie: np.ndarray, susceptibility: np.ndarray, params: BehaviourParams = DEFAULTS) -> np.ndarray:
    """Expected turnout lift of a message that was sent (mean over sends ≈ the CACE)."""
    return p_open(tie, params) * lift_if_opened(tie, susceptibility, params)


@dataclass
class Truth:
    """The hidden state: people indexed by ``voter_id`` and ties by (supporter_id, voter_id)."""

    people: pd.DataFrame
    ties: pd.Series  # tie_strength indexed by (supporter_id, voter_id)


def load_truth(sim_dir: str | Path) -> Truth:
    """Read ``truth/people.csv`` and ``truth/ties.csv`` of a simulated state."""
    truth = Path(sim_dir) / "truth"
    people = pd.read_csv(truth / "people.csv", dtype={"voter_id": str, "voter_reg_num": str})
    people = people[people.registered == 1].set_index("voter_id")
    ties = pd.read_csv(truth / "ties.csv", usecols=["supporter_id", "voter_id", "tie_strength"],
                       dtype={"voter_id": str}).dropna()
    series = ties.groupby(["supporter_id", "voter_id"]).tie_strength.max()
    return Truth(people, series)


def _asks_frame(asks, truth: Truth) -> pd.DataFrame:
    frame = pd.DataFrame(list(asks), columns=["supporter_id", "voter_id"]).astype(str)
    frame = frame[frame.voter_id.isin(truth.people.index)]
    key = pd.MultiIndex.from_frame(frame[["supporter_id", "voter_id"]])
    frame["tie"] = truth.ties.reindex(key).fillna(0.0).to_numpy()
    frame["susceptibility"] = truth.people.susceptibility.reindex(frame.voter_id).to_numpy()
    return frame


def _combine(truth: Truth, targets: pd.Series, conv: np.ndarray, params: BehaviourParams) -> pd.DataFrame:
    """Per-person P(vote) after saturating conversions, spillover to housemates included."""
    people = truth.people
    direct = pd.DataFrame({"voter_id": targets.to_numpy(), "keep": 1 - np.clip(conv, 0, 0.9)})
    hh = people.household_id.reindex(direct.voter_id).to_numpy()
    members = people.reset_index()[["voter_id", "household_id"]]
    spill = pd.DataFrame({"household_id": hh, "source": direct.voter_id, "c": params.household_spillover * (1 - direct.keep)})
    spill = spill.merge(members, on="household_id")
    spill = spill[spill.voter_id != spill.source]
    factors = pd.concat([direct, pd.DataFrame({"voter_id": spill.voter_id, "keep": 1 - spill.c})])
    keep = np.exp(np.log(factors.keep.clip(lower=1e-9)).groupby(factors.voter_id).sum())
    p0 = people.baseline_turnout.reindex(keep.index)
    out = pd.DataFrame({"p0": p0, "p": 1 - (1 - p0) * keep})
    out["support"] = people.support.reindex(keep.index)
    return out


@dataclass
class Outcome:
    """Expected effects of a plan: extra votes cast, net votes for the campaign, per person."""

    votes: float
    net_votes: float
    by_person: pd.DataFrame


def expected_incremental_votes(asks, truth: Truth, params: BehaviourParams = DEFAULTS) -> Outcome:
    """Expected extra votes, by the truth, of a list of (supporter_id, voter_id) asks.

    Each ask is sent with ``p_send(tie)``; an ask between people with no tie in the truth has tie 0.
    """
    frame = _asks_frame(asks, truth)
    if frame.empty:
        return Outcome(0.0, 0.0, pd.DataFrame(columns=["p0", "p", "support"]))
    lift = p_send(frame.tie, params) * lift_if_sent(frame.tie, frame.susceptibility, params)
    result = _combine(truth, frame.voter_id, lift / (1 - params.baseline), params)
    pers = truth.people.persuadability.reindex(frame.voter_id).to_numpy()
    shift = pd.Series(p_send(frame.tie, params) * p_open(frame.tie, params) * params.persuasion_sd * pers,
                      index=frame.voter_id.to_numpy()).groupby(level=0).sum()
    result["support_shift"] = shift.reindex(result.index).fillna(0.0)
    delta = result.p - result.p0
    s = result.support.clip(0, 1)
    net = delta * (2 * s - 1) + result.p * 2 * result.support_shift
    return Outcome(float(delta.sum()), float(net.sum()), result)


def simulate_election(truth: Truth, sent_asks, seed: int, params: BehaviourParams = DEFAULTS) -> pd.DataFrame:
    """Who votes in the next election, given the asks that were actually sent.

    Returns one row per registered voter: ``voter_id, p0, p, opened_asks, voted``. The uniform draw of
    each voter depends only on the seed, so the same voter facing the same P votes the same way.
    """
    people = truth.people
    rng = np.random.default_rng([seed, 909])
    u = pd.Series(rng.random(len(people)), index=people.index)
    frame = _asks_frame(sent_asks, truth)
    opened = np.random.default_rng([seed, 910]).random(len(frame)) < p_open(frame.tie, params)
    lift = np.where(opened, lift_if_opened(frame.tie, frame.susceptibility, params), 0.0)
    p = people.baseline_turnout.copy()
    if len(frame):
        combined = _combine(truth, frame.voter_id, lift / (1 - params.baseline), params)
        p.loc[combined.index] = combined.p
    out = pd.DataFrame({"p0": people.baseline_turnout, "p": p})
    out["opened_asks"] = pd.Series(opened.astype(int), index=frame.voter_id.to_numpy()).groupby(level=0).sum()
    out["opened_asks"] = out.opened_asks.fillna(0).astype(int)
    out["voted"] = (u < out.p).astype(int)
    return out.rename_axis("voter_id").reset_index()


def params_dict(params: BehaviourParams = DEFAULTS) -> dict:
    """Every parameter plus the derived calibration, for ``truth/behaviour.json``."""
    mean_pow, k = _calibration(params)
    return {**asdict(params), "derived_mean_tie_power": mean_pow, "derived_personal_effect": k}
