"""Vectorised Fellegi–Sunter scoring of contact–voter pairs, equal to Splink's ``predict_between``.

Given one login's contacts (features) and the voter index, :func:`candidate_pairs` finds every
(contact, voter) pair that shares a blocking key, and :func:`score_pairs` gives each pair the
match weight Splink would: the same levels in the same order (first true condition wins, SQL
``NULL`` counts as false), the same weights, the same term-frequency adjustment
``w · (log2 u_exact − log2 max(tf, tf_min))`` on exact levels, and the same prior.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from targetshare.matching.comparisons import BLOCKING_RULES
from targetshare.matching.encode import ContactBatch
from targetshare.matching.index import NULL, VoterIndex
from targetshare.matching.model import CompiledLevel, CompiledModel

__all__ = ["candidate_pairs", "score_pairs", "DEFAULT_MAX_BLOCK"]

DEFAULT_MAX_BLOCK = 2000
# Rules that pin a person down (both names, a phone, an e-mail, surname + birth year) may return
# big blocks; the looser ones (a name and a place) are skipped past this many voters, which keeps
# a login's candidate count, and so its latency, bounded in big cities.
LOOSE_MAX_BLOCK = 200
STRICT_RULES = frozenset({("first_key", "last_name"), ("phones",), ("emails",), ("last_name", "birth_year")})
_DERIVED = {"first_key": ("first_name", "first_key_of"), "first_sx": ("first_name", "first_sx_of"),
            "last_sx": ("last_name", "last_sx_of")}


def candidate_pairs(batch: ContactBatch, index: VoterIndex,
                    max_block: int = DEFAULT_MAX_BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (contact position, voter row) pairs sharing any blocking key."""
    owners_all, rows_all = [], []
    n = len(batch)
    for rule in BLOCKING_RULES:
        if rule in (("phones",), ("emails",)):
            values = batch.phones if rule[0] == "phones" else batch.emails
            owners = np.repeat(np.arange(n), values.shape[1])
            flat = values.ravel()
            ok = flat != (NULL if rule[0] == "phones" else 0)
            keys, owners = flat[ok].astype(np.uint64), owners[ok]
        else:
            keys, ok = index.pack(rule, [batch.codes[c] for c in rule])
            owners = np.flatnonzero(ok)
        cap = max_block if rule in STRICT_RULES else min(max_block, LOOSE_MAX_BLOCK)
        o, r = index.candidates(rule, keys, owners, cap)
        owners_all.append(o)
        rows_all.append(r)
    owners = np.concatenate(owners_all).astype(np.int64)
    rows = np.concatenate(rows_all).astype(np.int64)
    pair = np.unique((owners << 32) | rows)
    return (pair >> 32).astype(np.int64), (pair & 0xFFFFFFFF).astype(np.int64)


class _PairView:
    """Left (contact) and right (voter) values of each pair, computed on demand."""

    def __init__(self, batch: ContactBatch, index: VoterIndex, ci: np.ndarray, vr: np.ndarray):
        self.batch, self.index, self.ci, self.vr = batch, index, ci, vr
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def pair(self, col: str) -> tuple[np.ndarray, np.ndarray]:
        if col not in self._cache:
            left = self.batch.codes[col][self.ci]
            arrays = self.index.arrays
            if col in _DERIVED:
                base, table = _DERIVED[col]
                codes = arrays[base][self.vr]
                right = np.where(codes >= 0, arrays[table][np.maximum(codes, 0)], NULL)
            else:
                right = arrays[col][self.vr]
            self._cache[col] = (left, right.astype(np.int64))
        return self._cache[col]

    def null(self, col: str) -> np.ndarray:
        if col == "phones":
            return (self.batch.phones[self.ci, 0] == NULL) | (self.index.arrays["phone"][self.vr] == NULL)
        if col == "emails":
            return (self.batch.emails[self.ci, 0] == 0) | (self.index.arrays["email"][self.vr] == 0)
        left, right = self.pair(col)
        return (left == NULL) | (right == NULL)

    def eq(self, col: str) -> np.ndarray:
        left, right = self.pair(col)
        return (left == right) & (right != NULL) & (left != NULL)

    def overlap(self, col: str) -> np.ndarray:
        contact = self.batch.phones if col == "phones" else self.batch.emails
        voter = self.index.arrays["phone" if col == "phones" else "email"][self.vr]
        empty = NULL if col == "phones" else 0
        return (contact[self.ci] == voter[:, None]).any(axis=1) & (voter != empty)

    def jaro_winkler(self, col: str, mask: np.ndarray) -> np.ndarray:
        """Similarity for pairs in ``mask`` (both non-null), computed once per distinct pair."""
        sims = np.zeros(len(self.ci))
        left, right = self.pair(col)
        idx = np.flatnonzero(mask & (left != NULL) & (right != NULL))
        if len(idx) == 0:
            return sims
        # one similarity per distinct (contact string, voter string): codes name strings on
        # both sides (a contact's unseen string has its own code <= -2)
        left_codes = self.batch.codes[col][self.ci[idx]]
        combo = ((left_codes + (1 << 31)) << 32) | right[idx]
        _, first, inverse = np.unique(combo, return_index=True, return_inverse=True)
        values = process.cpdist(self.batch.strings[col][self.ci[idx[first]]].tolist(),
                                self.index.vocab[col][right[idx[first]]].tolist(),
                                scorer=JaroWinkler.similarity, dtype=np.float64, workers=1)
        sims[idx] = values[inverse]
        return sims


def _level_true(view: _PairView, level: CompiledLevel, undecided: np.ndarray) -> np.ndarray:
    kind, cols = level.kind, level.cols
    if kind == "else":
        return undecided
    if kind == "null":
        return view.null(cols[0])
    if kind == "null_pairs":
        return np.logical_and.reduce([view.null(c) for c in cols])
    if kind == "eq":
        return view.eq(cols[0])
    if kind == "all_eq":
        return np.logical_and.reduce([view.eq(c) for c in cols])
    if kind == "overlap":
        return view.overlap(cols[0])
    if kind == "jw":
        return view.jaro_winkler(cols[0], undecided) >= level.thr
    if kind == "diff_le":
        left, right = view.pair(cols[0])
        return (np.abs(left - right) <= level.thr) & (left != NULL) & (right != NULL)
    raise ValueError(f"unknown level kind {kind!r}")


def _tf_adjustment(view: _PairView, level: CompiledLevel, index: VoterIndex) -> np.ndarray:
    _, right = view.pair(level.tf_col)
    tf = index.arrays[f"tf_{level.tf_col}"][np.maximum(right, 0)]
    return level.tf_weight * (level.tf_log2_u - np.log2(np.maximum(tf, level.tf_min_u)))


def score_pairs(model: CompiledModel, batch: ContactBatch, index: VoterIndex,
                ci: np.ndarray, vr: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Match weight of each pair, and the comparison level (gamma) of each comparison."""
    view = _PairView(batch, index, ci, vr)
    total = np.full(len(ci), model.prior_weight)
    gammas: dict[str, np.ndarray] = {}
    for name, levels in model.comparisons:
        chosen = np.full(len(ci), -1, dtype=np.int64)
        undecided = np.ones(len(ci), dtype=bool)
        for position, level in enumerate(levels):
            hit = undecided & _level_true(view, level, undecided)
            chosen[hit] = position
            undecided &= ~hit
            if not undecided.any():
                break
        weights = np.array([lv.weight for lv in levels])
        total += weights[chosen]
        for position, level in enumerate(levels):
            if level.tf_col is not None:
                on = chosen == position
                if on.any():
                    total[on] += _tf_adjustment(view, level, index)[on]
        gammas[name] = np.where(chosen == 0, -1, len(levels) - 1 - chosen)  # as Splink numbers them
    return total, gammas
