"""The real-time matcher: which voter is each of a supporter's contacts?

>>> matcher = Matcher.from_voters("voters.csv")          # doctest: +SKIP
>>> matcher.match([{"contact_id": "1", "given_name": "BILL", "family_name": "SMITH"}])  # doctest: +SKIP

A match is *accepted* (``voter_id`` set) only when the best voter's probability reaches
``accept_probability``, its weight is at least ``margin_bits`` above the runner-up's, and the pair
agrees on both names (nicknames and typos allowed) or on a phone or e-mail. Otherwise ``voter_id`` is "" and
``candidates`` lists the likeliest voters for a "which one is your friend?" question.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from targetshare.matching.encode import ContactEncoder
from targetshare.matching.index import VoterIndex
from targetshare.matching.model import MatchModel, train_model
from targetshare.matching.scorer import DEFAULT_MAX_BLOCK, candidate_pairs, score_pairs

__all__ = ["Matcher", "load_voters", "voter_file_version"]

log = logging.getLogger(__name__)
# The lowest probability that kept precision over accepted matches at or above 0.99, with room,
# in every world we measured (docs/matching.md, "Why 0.8"): the simulator's books (0.9989 at 1M
# voters) and the synthetic books, whose out-of-state friends carry voter-like names (0.9935 at
# 0.8, 0.984 at 0.6). Recall at 1M on the simulator's books: 0.23, against 0.16 at 0.95.
ACCEPT_PROBABILITY = 0.8
VOTER_COLUMNS = ["voter_id", "first_name", "middle_name", "last_name", "birth_date", "birth_year",
                 "gender", "street_address", "city", "state", "zip", "phone", "email"]


def load_voters(source: Any) -> pd.DataFrame:
    """Canonical voters from a CSV path, a DataFrame, or a SQLAlchemy Engine of the store."""
    if isinstance(source, pd.DataFrame):
        return source
    if isinstance(source, str | Path):
        return pd.read_csv(source, dtype=str, keep_default_na=False)
    if hasattr(source, "connect"):  # SQLAlchemy Engine
        from sqlalchemy import inspect

        have = {c["name"] for c in inspect(source).get_columns("voters")}
        cols = ", ".join(c for c in VOTER_COLUMNS if c in have)
        with source.connect() as conn:
            return pd.read_sql_query(f"SELECT {cols} FROM voters", conn)  # noqa: S608 - fixed names
    raise TypeError(f"cannot read voters from {type(source).__name__}")


def voter_file_version(source: Any, voters: pd.DataFrame | None = None) -> str:
    """A short id of the voter file's content (CSV bytes, frame rows, or the store's rows)."""
    digest = hashlib.sha256()
    if isinstance(source, str | Path):
        with open(source, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return "csv-" + digest.hexdigest()[:16]
    frame = voters if voters is not None else load_voters(source)
    hashed = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    digest.update(np.sort(hashed).tobytes())
    return "rows-" + digest.hexdigest()[:16]


class Matcher:
    """Scores a login's contacts against the voter index with the model's weights."""

    def __init__(self, model: MatchModel, index: VoterIndex, *, accept_probability: float = ACCEPT_PROBABILITY,
                 margin_bits: float = 3.0, max_candidates: int = 5,
                 min_candidate_probability: float = 0.01, max_block: int = DEFAULT_MAX_BLOCK):
        self.model, self.index = model, index
        self.compiled = model.compile()
        self.accept_probability, self.margin_bits = accept_probability, margin_bits
        self.max_candidates, self.min_candidate_probability = max_candidates, min_candidate_probability
        self.max_block = max_block
        self.encoder = ContactEncoder(index, model.name_keys)
        self._names = {col: index.vocab[col].tolist() for col in ("first_name", "last_name", "city")}

    @classmethod
    def from_voters(cls, source: Any, *, model: MatchModel | None = None,
                    model_path: str | Path | None = None, contacts: Iterable[Mapping] | None = None,
                    version: str | None = None, cache_dir: str | Path | None = None,
                    **options: Any) -> Matcher:
        """Build (or load from the cache) the index for these voters; train a model if none given.

        ``cache_dir=None`` uses the ``index_cache_dir`` setting; ``cache_dir=False`` keeps the
        index in memory only.
        """
        voters = load_voters(source)
        version = version or voter_file_version(source, voters)
        if model is None and model_path is not None:
            model = MatchModel.load(model_path)
        if model is None:
            model = train_model(voters, list(contacts) if contacts is not None else None,
                                voter_file_version=version)
        elif model.voter_file_version != version:
            log.warning("model trained on voter file %s, used with %s", model.voter_file_version, version)
        if cache_dir is False:
            index = VoterIndex.build(voters, model.name_keys, version)
        else:
            if cache_dir is None:
                from targetshare.settings import get_settings

                cache_dir = get_settings().index_cache_dir
            index = VoterIndex.cached(lambda: voters, model.name_keys, version, cache_dir)
        return cls(model, index, **options)

    def with_model(self, model: MatchModel) -> Matcher:
        """This matcher's index and options with another model (a retrained one): the index is
        reused, so the model must share its nickname keys (re-estimating m keeps them)."""
        if model.name_keys != self.model.name_keys:
            raise ValueError("the new model's nickname keys differ: rebuild the index")
        return type(self)(model, self.index, accept_probability=self.accept_probability,
                          margin_bits=self.margin_bits, max_candidates=self.max_candidates,
                          min_candidate_probability=self.min_candidate_probability,
                          max_block=self.max_block)

    # ------------------------------------------------------------ matching
    def score(self, contacts: Iterable[Mapping[str, Any]]):
        """Candidate pairs and their weights: (batch, contact positions, voter rows, weights, gammas)."""
        batch = self.encoder.encode(contacts)
        ci, vr = candidate_pairs(batch, self.index, self.max_block)
        weights, gammas = score_pairs(self.compiled, batch, self.index, ci, vr)
        return batch, ci, vr, weights, gammas

    def match(self, contacts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """One result per contact: accepted ``voter_id`` (or ""), probabilities, candidates."""
        batch, ci, vr, weights, gammas = self.score(contacts)
        evidence = _more_than_a_given_name(gammas)
        order = np.lexsort((-weights, ci))
        ci, vr, weights, evidence = ci[order], vr[order], weights[order], evidence[order]
        probs = _probability(weights)
        n = len(batch)
        starts = np.searchsorted(ci, np.arange(n + 1))
        counts = np.diff(starts)
        first = np.minimum(starts[:-1], max(len(ci) - 1, 0))
        has_one, has_two = counts >= 1, counts >= 2
        second = np.minimum(first + 1, max(len(ci) - 1, 0))
        best_p = np.where(has_one, probs[first] if len(ci) else 0.0, 0.0)
        runner_p = np.where(has_two, probs[second] if len(ci) else 0.0, 0.0)
        if len(ci):
            margin = np.where(has_two, weights[first] - weights[second], np.inf)
            accepted = has_one & (best_p >= self.accept_probability) & evidence[first] & (
                margin >= self.margin_bits)
        else:
            accepted = np.zeros(n, dtype=bool)
        rank = np.arange(len(ci)) - np.repeat(starts[:-1], counts)
        shown = (rank < self.max_candidates) & (probs >= self.min_candidate_probability)
        cands = self._candidates(vr[shown], probs[shown])
        cand_starts = np.concatenate([[0], np.cumsum(np.bincount(ci[shown], minlength=n))]).tolist()
        best_ids = self._voter_ids(vr[first[accepted]]) if len(ci) else []
        voter_ids = [""] * n
        for i, vid in zip(np.flatnonzero(accepted).tolist(), best_ids, strict=True):
            voter_ids[i] = vid
        return [{"contact_id": cid, "voter_id": vid, "match_probability": bp,
                 "runner_up_probability": rp, "candidates": cands[a:b]}
                for cid, vid, bp, rp, a, b in zip(batch.ids, voter_ids, best_p.tolist(), runner_p.tolist(),
                                                  cand_starts[:-1], cand_starts[1:], strict=True)]

    def _voter_ids(self, rows: np.ndarray) -> list[str]:
        return self.index.arrays["voter_id"][rows].astype(str).tolist()

    def _candidates(self, rows: np.ndarray, probs: np.ndarray) -> list[dict[str, Any]]:
        a = self.index.arrays
        cols = {}
        for col in ("first_name", "last_name", "city"):
            names = self._names[col]
            cols[col] = [names[c] if c >= 0 else "" for c in a[col][rows].tolist()]
        years = [y if y > 0 else None for y in a["birth_year"][rows].tolist()]
        return [{"voter_id": v, "match_probability": p, "first_name": f, "last_name": la,
                 "city": c, "birth_year": y}
                for v, p, f, la, c, y in zip(self._voter_ids(rows), probs.tolist(), cols["first_name"],
                                             cols["last_name"], cols["city"], years, strict=True)]

    def timed_match(self, contacts: list[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], float]:
        started = time.perf_counter()
        results = self.match(contacts)
        return results, time.perf_counter() - started


def _probability(weights: np.ndarray) -> np.ndarray:
    """Splink's match probability from a match weight: 2^w / (1 + 2^w), computed stably."""
    return 1.0 / (1.0 + np.exp2(-weights))


def _more_than_a_given_name(gammas: dict[str, np.ndarray]) -> np.ndarray:
    """Pairs that agree (at least loosely) on both names, or on a phone or an e-mail.

    A given name alone is not enough (labels, "Mom"), and neither is a surname in the same town
    with a different given name (that is a relative: EM trained on surname blocks cannot tell).
    """
    names = (gammas["first_name"] > 0) & (gammas["last_name"] > 0)
    return names | (gammas["phone"] > 0) | (gammas["email"] > 0)
