"""Target value: expected net votes from one successful (sent) friend ask.

For a voter with support ``s`` (P(votes for us | votes)), turnout propensity ``τ`` and
persuadability ``π`` (all 0–1), and a campaign's goal weights ``w_T``, ``w_P``:

    turnout goal     v_T = δ_T · u(τ) · (2s − 1),  u(τ) = 4τ(1 − τ)  (or 2(1 − τ), see below)
    persuasion goal  v_P = δ_P · π · τ · 2
    value            w   = g · max(0, w_T · v_T + w_P · v_P)

``δ_T`` (default 0.083, Schein et al. 2021's per-message turnout effect) is scaled by
``4τ(1 − τ)``, which is 1 for a coin-flip voter and falls to 0 for voters who always or never vote
(mobilisation moves mid-propensity voters most). An extra voter adds ``s`` votes for us and
``1 − s`` for the opponent: net ``2s − 1``. A persuaded voter switches sides, so each point of
support moved is worth two votes, and only counts if they vote (``τ``). ``g`` is the geography
weight. ``turnout_uplift: conversion`` swaps ``4τ(1 − τ)`` for ``2(1 − τ)``, the shape of a model
in which each ask converts a fixed share of would-be non-voters. Negative values (mobilising the other side) are cut to 0: such voters are never asked.
docs/targeting.md gives the reasoning in full.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from targetshare.targeting.config import TargetingConfig

__all__ = ["TargetValues", "target_values", "turnout_value", "persuasion_value", "geography_weight"]


@dataclass(frozen=True)
class TargetValues:
    value: np.ndarray  # expected net votes from one successful ask, >= 0
    goal: np.ndarray  # "turnout" | "persuasion": the goal carrying most of the value


def turnout_value(support: np.ndarray, turnout: np.ndarray, effect: float,
                  shape: str = "mid_propensity") -> np.ndarray:
    """Net votes from mobilising: effect · u(τ) · (2s − 1).

    ``u(τ) = 4τ(1−τ)`` (mid_propensity, the default) or ``2(1−τ)`` (conversion: a fixed share of
    would-be non-voters is converted); both equal 1 at τ = ½.
    """
    uplift = 4.0 * turnout * (1.0 - turnout) if shape == "mid_propensity" else 2.0 * (1.0 - turnout)
    return effect * uplift * (2.0 * support - 1.0)


def persuasion_value(persuasion: np.ndarray, turnout: np.ndarray, effect: float) -> np.ndarray:
    """Net votes from persuading: effect · π · τ · 2 (a switched vote counts twice)."""
    return effect * np.nan_to_num(persuasion, nan=0.0) * turnout * 2.0


def geography_weight(config: TargetingConfig, areas: list[str | None]) -> np.ndarray:
    """Weight of each voter's area under ``config.geography_weights`` (1 where none is set)."""
    gw = config.geography_weights
    if gw is None:
        return np.ones(len(areas))
    return np.array([gw.weights.get((a or "").strip().upper(), gw.default) for a in areas], dtype=float)


def target_values(
    config: TargetingConfig,
    support: np.ndarray,
    turnout: np.ndarray,
    persuasion: np.ndarray,
    geo_weight: np.ndarray | None = None,
) -> TargetValues:
    """Vectorised value and dominant goal of each target (arrays on the 0–1 scale)."""
    support = np.asarray(support, dtype=float)
    turnout = np.asarray(turnout, dtype=float)
    persuasion = np.asarray(persuasion, dtype=float)
    v_t = config.goal_weight("turnout") * turnout_value(support, turnout, config.turnout_effect, config.turnout_uplift)
    v_p = config.goal_weight("persuasion") * persuasion_value(persuasion, turnout, config.persuasion_effect)
    value = np.maximum(0.0, v_t + v_p)
    if geo_weight is not None:
        value = value * geo_weight
    goal = np.where(v_p > v_t, "persuasion", "turnout")
    return TargetValues(value=value, goal=goal)
