"""Benchmark of the real-time matcher against Splink: latency, index size, accuracy.

``targetshare bench match --json [--voters 1000000] [--logins 40] [--big]`` (``--big`` adds the
7.5M-voter latency run). Voters and contact books come from ``targetshare.matching.synthetic``
(census-frequency names); real names from ``../shared/data/ncvr`` when present.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from targetshare.matching import Matcher
from targetshare.matching.comparisons import contact_features, voter_features
from targetshare.matching.evaluate import evaluate, ncvr_parties
from targetshare.matching.index import VoterIndex
from targetshare.matching.model import splink_linker, train_model
from targetshare.matching.synthetic import synthetic_contacts, synthetic_voters

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _latency(matcher: Matcher, logins: list[list[dict]]) -> dict:
    matcher.match(logins[0])  # warm-up (dictionary look-ups built lazily)
    times = [matcher.timed_match(batch)[1] for batch in logins]
    ms = np.array(times) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 1), "p99_ms": round(float(np.percentile(ms, 99)), 1),
            "logins_per_s": round(len(times) / sum(times), 1), "logins": len(times)}


def _splink_best(model, voters: pd.DataFrame, contacts: list[dict]) -> tuple[pd.DataFrame, float]:
    vf = voter_features(voters, model.name_keys)
    cf = contact_features(contacts, model.name_keys)
    linker, left, right = splink_linker(model.settings, vf, cf)
    started = time.perf_counter()
    pairs = linker.inference.predict_between(left, right).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    best = pairs.sort_values("match_weight", ascending=False).drop_duplicates("unique_id_l")
    return best.rename(columns={"unique_id_l": "contact_id", "unique_id_r": "voter_id"}), seconds


def _recall_at_precision(best: pd.DataFrame, truth: pd.DataFrame, precision: float) -> float:
    """Splink's best recall over probability thresholds whose precision reaches ``precision``."""
    j = truth.merge(best[["contact_id", "voter_id", "match_probability"]], on="contact_id",
                    how="left", suffixes=("_true", ""))
    j = j[j["voter_id"].notna()].sort_values("match_probability", ascending=False)
    correct = np.cumsum((j["voter_id"] == j["voter_id_true"]).to_numpy())
    n = np.arange(1, len(j) + 1)
    ok = correct / n >= precision
    positives = max(int((truth["voter_id"] != "").sum()), 1)
    return float(correct[ok].max() / positives) if ok.any() else 0.0


def _accuracy(matcher: Matcher, model, voters, contacts, truth, splink_sample: int) -> dict:
    found = pd.DataFrame(matcher.match(contacts))
    overall = evaluate(found, truth)
    by_carries = {}
    for kind, part in truth[truth["voter_id"] != ""].groupby("carries"):
        by_carries[kind] = round(evaluate(found, part)["recall"], 4)
    sample = contacts[:splink_sample]
    sample_truth = truth.iloc[:splink_sample]
    ours = evaluate(found[found["contact_id"].isin(sample_truth["contact_id"])], sample_truth)
    best, _ = _splink_best(model, voters, sample)
    return {"precision": round(overall["precision"], 4), "recall": round(overall["recall"], 4),
            "recall_by_what_contact_carries": by_carries, "contacts": len(contacts),
            "side_by_side_sample": splink_sample,
            "ours_on_sample": {"precision": round(ours["precision"], 4), "recall": round(ours["recall"], 4)},
            "splink_recall_at_our_precision": round(_recall_at_precision(best, sample_truth, ours["precision"]), 4)}


def _ncvr(ocps=(0, 20, 40)) -> dict:
    if not (DATA / "ncvr").is_dir():
        return {"skipped": "../shared/data/ncvr absent"}
    out = {}
    for ocp in ocps:
        voters, contacts = ncvr_parties(DATA, ocp)
        matcher = Matcher.from_voters(voters, contacts=contacts, cache_dir=False)
        truth = pd.DataFrame({"contact_id": [c["contact_id"] for c in contacts]})
        truth["voter_id"] = truth["contact_id"].where(truth["contact_id"].isin(set(voters["voter_id"])), "")
        ours = evaluate(pd.DataFrame(matcher.match(contacts)), truth)
        best, _ = _splink_best(matcher.model, voters, contacts)
        splink = evaluate(best[best["match_probability"] >= 0.5], truth)
        out[f"ocp_{ocp}"] = {"ours_f1": round(ours["f1"], 4), "ours_precision": round(ours["precision"], 4),
                             "ours_recall": round(ours["recall"], 4),
                             "splink_same_model_best_p05_f1": round(splink["f1"], 4)}
    return out


def run(voters: int = 1_000_000, logins: int = 40, contacts_per_login: int = 500,
        big: bool = False, ncvr: bool = True, splink_sample: int = 2500, seed: int = 7) -> dict:
    logging.disable(logging.WARNING)
    result: dict = {"voters": voters, "contacts_per_login": contacts_per_login}
    started = time.perf_counter()
    frame = synthetic_voters(voters, seed=seed)
    contacts, truth = synthetic_contacts(frame, logins * contacts_per_login, seed=seed + 1)
    result["generate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    model = train_model(frame, contacts[:3000], voter_file_version=f"bench-{voters}-{seed}")
    result["train_s"] = round(time.perf_counter() - started, 1)
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        index = VoterIndex.cached(lambda: frame, model.name_keys, model.voter_file_version, cache)
        result["index_build_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        index = VoterIndex.cached(lambda: frame, model.name_keys, model.voter_file_version, cache)
        result["index_load_s"] = round(time.perf_counter() - started, 3)
        result["index_bytes_per_voter"] = round(index.nbytes() / voters, 1)
        matcher = Matcher(model, index)
        batches = [contacts[i:i + contacts_per_login] for i in range(0, len(contacts), contacts_per_login)]
        result["latency"] = _latency(matcher, batches)
        _, splink_s = _splink_best(model, frame, batches[1])
        ours_s = matcher.timed_match(batches[1])[1]
        result["one_login_side_by_side"] = {"splink_predict_between_s": round(splink_s, 3),
                                            "ours_s": round(ours_s, 4), "speedup": round(splink_s / ours_s, 1)}
        result["accuracy"] = _accuracy(matcher, model, frame, contacts, truth, splink_sample)
    if big:
        result["big"] = _big(seed)
    if ncvr:
        result["ncvr"] = _ncvr()
    return result


def _big(seed: int, n: int = 7_500_000) -> dict:
    frame = synthetic_voters(n, seed=seed)
    contacts, _ = synthetic_contacts(frame, 20 * 500, seed=seed + 2)
    model = train_model(frame, contacts[:3000], voter_file_version=f"bench-{n}-{seed}", u_max_pairs=1e6)
    started = time.perf_counter()
    index = VoterIndex.build(frame, model.name_keys, model.voter_file_version)
    build = time.perf_counter() - started
    del frame
    matcher = Matcher(model, index)
    lat = _latency(matcher, [contacts[i:i + 500] for i in range(0, len(contacts), 500)])
    return {"voters": n, "index_build_s": round(build, 1),
            "index_bytes_per_voter": round(index.nbytes() / n, 1), "latency": lat}
