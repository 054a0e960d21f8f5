"""Allocation with diminishing returns: the online rule used at each sign-in, and the offline
lazy-greedy planner for batch use. Pure numpy over arrays; the store is read in ``suggest``.

The campaign's objective over a set ``S`` of (supporter, target) asks is

    F(S) = Σ_t w_t · [1 − Π_{(s,t)∈S} (1 − q_st)],   q_st = P(send)_st · P(match right)_st

(``w_t`` the target value, see ``value.py``), monotone submodular in ``S``. Online, each
supporter's k picks maximise ``w_t · q_st · Π_prior(1 − q) · ψ(x_t)``, with ``x_t`` the share of
target t's ask budget already used and ``ψ(x) = 1 − e^{x−1}`` (BALANCE/MSVV, Mehta et al. 2007).
Offline, lazy greedy (Minoux 1978) maximises ``F`` under per-supporter and per-target caps.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

__all__ = ["psi", "SignIn", "rank_sign_in", "lazy_greedy", "plain_greedy", "plan_value", "plan_gains"]


def psi(x: np.ndarray | float) -> np.ndarray:
    """MSVV trade-off ψ(x) = 1 − e^{x−1} of the used share x of a target's ask budget (0 at x=1)."""
    return 1.0 - np.exp(np.asarray(x, dtype=float) - 1.0)


@dataclass
class SignIn:
    """One supporter's candidate targets (one row per distinct target)."""

    value: np.ndarray  # w_t, expected net votes from one successful ask
    q: np.ndarray  # P(send) × match probability
    prior_miss: np.ndarray  # Π over other supporters' asks of (1 − q)
    used: np.ndarray  # asks already made to the target by others
    eligible: np.ndarray  # bool: in universe, not held out, opted out, asked or rejected before


def rank_sign_in(c: SignIn, k: int, max_asks: int, use_psi: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the best ``k`` candidates (best first) and their expected incremental votes.

    Expected incremental votes ``w·q·Π(1−q_prior)``; the ranking key multiplies in ``ψ(used/cap)``.
    Candidates at their cap or not eligible are never chosen; neither is one worth nothing.
    """
    gain = c.value * c.q * c.prior_miss
    open_ = c.eligible & (c.used < max_asks) & (gain > 0)
    key = gain * psi(np.minimum(c.used / max_asks, 1.0)) if use_psi else gain.copy()
    key = np.where(open_, key, -np.inf)
    n_open = int(open_.sum())
    k = min(k, n_open)
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    top = np.argpartition(-key, k - 1)[:k] if k < len(key) else np.arange(len(key))
    top = top[np.lexsort((top, -key[top]))]  # best first, ties by position
    return top, gain[top]


def _gain(w: float, q: float, miss: float) -> float:
    return w * q * miss


def _start(w: np.ndarray, prior_miss: np.ndarray | None, used: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    miss = np.ones(len(w)) if prior_miss is None else np.asarray(prior_miss, dtype=float).copy()
    per_target = np.zeros(len(w), dtype=np.int64) if used is None else np.asarray(used, dtype=np.int64).copy()
    return miss, per_target


def lazy_greedy(supporter: np.ndarray, target: np.ndarray, w: np.ndarray, q: np.ndarray,
                k: int, max_asks: int, prior_miss: np.ndarray | None = None,
                used: np.ndarray | None = None) -> np.ndarray:
    """Offline plan: indices of chosen pairs, greedy by marginal gain with lazy re-evaluation.

    Pairs are rows (supporter[i], target[i], q[i]); ``w`` is indexed by target. At most ``k`` pairs
    per supporter and ``max_asks`` per target. Ties break by pair index, like ``plain_greedy``.
    ``prior_miss`` (Π(1 − q) of asks already made) and ``used`` (their number), both indexed by
    target, start the plan from the campaign's current state; by default from nothing.
    """
    miss, per_target = _start(w, prior_miss, used)
    version = np.zeros(len(w), dtype=np.int64)
    per_supporter: dict[int, int] = {}
    heap = [(-_gain(w[t], q[i], miss[t]), i, 0) for i, t in enumerate(target.tolist()) if w[t] * q[i] * miss[t] > 0]
    heapq.heapify(heap)
    chosen: list[int] = []
    while heap:
        neg, i, seen = heapq.heappop(heap)
        s, t = int(supporter[i]), int(target[i])
        if per_supporter.get(s, 0) >= k or per_target[t] >= max_asks:
            continue
        if seen != version[t]:
            fresh = _gain(w[t], q[i], miss[t])
            if fresh > 0:
                heapq.heappush(heap, (-fresh, i, int(version[t])))
            continue
        chosen.append(i)
        per_supporter[s] = per_supporter.get(s, 0) + 1
        per_target[t] += 1
        miss[t] *= 1.0 - q[i]
        version[t] += 1
    return np.array(chosen, dtype=np.int64)


def plain_greedy(supporter: np.ndarray, target: np.ndarray, w: np.ndarray, q: np.ndarray,
                 k: int, max_asks: int, prior_miss: np.ndarray | None = None,
                 used: np.ndarray | None = None) -> np.ndarray:
    """Reference greedy (re-evaluates every pair each step): for tests on small instances."""
    miss, per_target = _start(w, prior_miss, used)
    per_supporter: dict[int, int] = {}
    taken = np.zeros(len(q), dtype=bool)
    chosen: list[int] = []
    while True:
        best, best_i = 0.0, -1
        for i in range(len(q)):
            s, t = int(supporter[i]), int(target[i])
            if taken[i] or per_supporter.get(s, 0) >= k or per_target[t] >= max_asks:
                continue
            g = _gain(w[t], q[i], miss[t])
            if g > best:
                best, best_i = g, i
        if best_i < 0:
            return np.array(chosen, dtype=np.int64)
        s, t = int(supporter[best_i]), int(target[best_i])
        taken[best_i] = True
        chosen.append(best_i)
        per_supporter[s] = per_supporter.get(s, 0) + 1
        per_target[t] += 1
        miss[t] *= 1.0 - q[best_i]


def plan_value(target: np.ndarray, w: np.ndarray, q: np.ndarray, chosen: np.ndarray) -> float:
    """F(S) for the chosen pairs: Σ_t w_t [1 − Π(1 − q)]."""
    miss = np.ones(len(w))
    np.multiply.at(miss, target[chosen], 1.0 - q[chosen])
    return float(np.sum(w * (1.0 - miss)))


def plan_gains(target: np.ndarray, w: np.ndarray, q: np.ndarray, chosen: np.ndarray,
               prior_miss: np.ndarray | None = None) -> np.ndarray:
    """Each chosen pair's marginal gain ``w·q·Π(1 − q_before)`` in the order chosen (sums to the
    plan's increase of F)."""
    miss = np.ones(len(w)) if prior_miss is None else np.asarray(prior_miss, dtype=float).copy()
    out = np.zeros(len(chosen))
    for j, i in enumerate(chosen.tolist()):
        t = int(target[i])
        out[j] = w[t] * q[i] * miss[t]
        miss[t] *= 1.0 - q[i]
    return out
