"""Benchmark of the real-time matcher against Splink: latency, throughput, index size, accuracy.

``targetshare bench match --json [--world sim|synthetic] [--voters 1000000] [--logins 40]
[--runs 3] [--world-dir DIR] [--big] [--big-only]``.

* ``--world sim`` (default): ``targetshare.sim.simulate`` writes the NCSBE voter file and the
  supporters' contact exports; voters are imported through ``import_voter_file`` into a temporary
  SQLite store and read back by ``Matcher.from_voters(engine)``; contacts are parsed with
  ``targetshare.contacts.parse_file``; accuracy is scored against ``truth/contacts.csv``.
  ``--world-dir`` reuses a simulated world (and its ``store.db`` when already imported).
* ``--world synthetic``: ``targetshare.matching.synthetic`` voters and contact books.
* ``--big`` adds the 7.5M-voter latency run (synthetic voters); real NCVR names from
  ``../shared/data/ncvr`` when present.

Latency: ``runs`` passes over ``logins`` logins of 500 contacts; p50/p99 are the medians over
passes. Throughput: two worker processes, each loading the memory-mapped index from the cache.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from targetshare.matching import Matcher
from targetshare.matching.comparisons import contact_features, voter_features
from targetshare.matching.evaluate import evaluate, ncvr_parties, sim_books, sim_voters
from targetshare.matching.index import VoterIndex
from targetshare.matching.matcher import load_voters
from targetshare.matching.model import splink_linker, train_model
from targetshare.matching.synthetic import synthetic_contacts, synthetic_voters

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _latency(matcher: Matcher, logins: list[list[dict]], runs: int = 3, per_run: int = 40) -> dict:
    """p50/p99 of each run over ``per_run`` logins no earlier run has seen (so the encoder's
    caches hold only what earlier, different logins taught them), and the medians over runs."""
    matcher.match(logins[0])  # warm-up
    passes = []
    for run in range(runs):
        chunk = [logins[1 + (run * per_run + i) % (len(logins) - 1)] for i in range(per_run)] \
            if len(logins) > 1 else logins
        ms = np.array([matcher.timed_match(batch)[1] for batch in chunk]) * 1000
        passes.append((np.percentile(ms, 50), np.percentile(ms, 99), len(ms) / ms.sum() * 1000))
    p50, p99, rate = (float(np.median([p[i] for p in passes])) for i in range(3))
    return {"p50_ms": round(p50, 1), "p99_ms": round(p99, 1), "logins_per_s_one_process": round(rate, 1),
            "logins_per_run": per_run, "runs": runs,
            "p50_ms_each_run": [round(float(p[0]), 1) for p in passes],
            "p99_ms_each_run": [round(float(p[1]), 1) for p in passes]}


def _worker(model_json: str, cache: str, logins: list[list[dict]], start, out) -> None:
    """One worker process: load the memory-mapped index, match its logins after the barrier."""
    from targetshare.matching import MatchModel

    index = VoterIndex.load(cache)  # memory-mapped: both workers share the page cache
    matcher = Matcher(MatchModel.load(model_json), index)
    matcher.match(logins[0])
    start.wait()
    began = time.perf_counter()
    for batch in logins:
        matcher.match(batch)
    out.put((time.perf_counter() - began, len(logins)))


def _throughput(model, cache_dir: Path, logins: list[list[dict]], workers: int = 2) -> dict:
    """Logins per second with ``workers`` processes matching at once (sustained over all logins)."""
    ctx = multiprocessing.get_context("fork")
    model_json = str(model.save(cache_dir / "model.json"))
    index_dir = next(p for p in cache_dir.glob("voters-*") if (p / "meta.json").exists())
    start, out = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(model_json, str(index_dir), logins[k::workers], start, out))
             for k in range(workers)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    seconds = max(r[0] for r in results)
    return {"workers": workers, "logins": sum(r[1] for r in results), "seconds": round(seconds, 2),
            "logins_per_s": round(sum(r[1] for r in results) / seconds, 1)}


def _splink_best(model, voters: pd.DataFrame, contacts: list[dict]) -> tuple[pd.DataFrame, float]:
    vf = voter_features(voters, model.name_keys)
    cf = contact_features(contacts, model.name_keys)
    linker, left, right = splink_linker(model.settings, vf, cf)
    started = time.perf_counter()
    pairs = linker.inference.predict_between(left, right).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    best = pairs.sort_values("match_weight", ascending=False).drop_duplicates("unique_id_l")
    return best.rename(columns={"unique_id_l": "contact_id", "unique_id_r": "voter_id"}), seconds


def _side_by_side(matcher: Matcher, model, frame: pd.DataFrame, logins: list[list[dict]]) -> dict:
    """Splink's ``predict_between`` and ours on the same logins, each login new to our matcher
    (its caches hold only what earlier logins taught them); medians over the logins. Ours runs
    first on all of them, then Splink: right after a DuckDB query (two threads, its own memory)
    our next login ran 1.3–1.8× slower in our runs, which a web worker never sees."""
    ours = [matcher.timed_match(login)[1] for login in logins]
    splink = [_splink_best(model, frame, login)[1] for login in logins]
    o, s = float(np.median(ours)), float(np.median(splink))
    return {"logins": len(logins), "splink_predict_between_s": round(s, 3), "ours_s": round(o, 4),
            "speedup": round(s / o, 1), "splink_each_s": [round(x, 3) for x in splink],
            "ours_each_ms": [round(x * 1000, 1) for x in ours]}


def _recall_at_precision(best: pd.DataFrame, truth: pd.DataFrame, precision: float) -> float:
    """Best recall over probability thresholds whose precision reaches ``precision`` (``best``:
    one proposed voter per contact with its probability)."""
    j = truth.merge(best[["contact_id", "voter_id", "match_probability"]], on="contact_id",
                    how="left", suffixes=("_true", ""))
    j = j[j["voter_id"].notna()].sort_values("match_probability", ascending=False)
    correct = np.cumsum((j["voter_id"] == j["voter_id_true"]).to_numpy())
    n = np.arange(1, len(j) + 1)
    ok = correct / n >= precision
    positives = max(int((truth["voter_id"] != "").sum()), 1)
    return float(correct[ok].max() / positives) if ok.any() else 0.0


def _accuracy(matcher: Matcher, model, voters, logins, truth, splink_sample: int) -> dict:
    """Precision, recall (overall and by what the contact carries) at the default acceptance; then,
    on a sample, recall at equal precision: ours (evidence and margin rules, probability threshold
    swept) against Splink's best voter per contact (same model, threshold swept)."""
    found = pd.DataFrame([r for batch in logins for r in matcher.match(batch)])
    overall = evaluate(found, truth)
    by_carries = {}
    for kind, part in truth[truth["voter_id"] != ""].groupby("carries"):
        e = evaluate(found, part)
        by_carries[kind] = {"recall": round(e["recall"], 4), "true_voters": e["true_voters"]}
    contacts = [c for batch in logins for c in batch]
    step = max(1, len(contacts) // splink_sample)
    sample = contacts[::step][:splink_sample]
    sample_truth = truth[truth["contact_id"].isin({c["contact_id"] for c in sample})]
    ours = evaluate(found[found["contact_id"].isin(sample_truth["contact_id"])], sample_truth)
    swept = Matcher(model, matcher.index, accept_probability=0.0)
    rules = pd.DataFrame([r for i in range(0, len(sample), 500) for r in swept.match(sample[i:i + 500])])
    rules = rules[rules["voter_id"] != ""]
    best, _ = _splink_best(model, voters, sample)
    levels = sorted({0.99, 0.995, 0.998, round(ours["precision"], 4)})
    return {"precision": round(overall["precision"], 4), "recall": round(overall["recall"], 4),
            "accepted": overall["accepted"], "true_voters": overall["true_voters"],
            "recall_by_what_contact_carries": by_carries, "contacts": len(found),
            "side_by_side_sample": len(sample),
            "ours_on_sample": {"precision": round(ours["precision"], 4), "recall": round(ours["recall"], 4)},
            "splink_recall_at_our_precision": round(_recall_at_precision(best, sample_truth, ours["precision"]), 4),
            "recall_at_equal_precision": {
                f"{p:g}": {"ours": round(_recall_at_precision(rules, sample_truth, p), 4),
                           "splink": round(_recall_at_precision(best, sample_truth, p), 4)}
                for p in levels}}


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


def _sim_world(voters: int, seed: int, world_dir: str | None, work: Path) -> tuple:
    """(voters frame, store engine, logins, truth, timings) of a simulated world."""
    from targetshare.sim import simulate
    from targetshare.store.db import make_engine, migrate

    timings = {}
    world = Path(world_dir) if world_dir else work / "world"
    if not (world / "ncvoter.txt").exists():
        started = time.perf_counter()
        simulate(world, voters=voters, seed=seed, progress=False)
        timings["simulate_s"] = round(time.perf_counter() - started, 1)
    store = world / "store.db" if world_dir else work / "store.db"
    fresh = not store.exists()
    engine = make_engine(f"sqlite:///{store}")
    if fresh:
        migrate(engine)
        started = time.perf_counter()
        sim_voters(world, engine)
        timings["import_s"] = round(time.perf_counter() - started, 1)
    logins, truth = sim_books(world)
    return load_voters(engine), engine, logins, truth, timings


def _synthetic_world(voters: int, seed: int, n_contacts: int) -> tuple:
    frame = synthetic_voters(voters, seed=seed)
    contacts, truth = synthetic_contacts(frame, n_contacts, seed=seed + 1)
    return frame, frame, [contacts[i:i + 500] for i in range(0, len(contacts), 500)], truth, {}


def run(voters: int = 1_000_000, logins: int = 40, contacts_per_login: int = 500, world: str = "sim",
        world_dir: str | None = None, runs: int = 3, big: bool = False, ncvr: bool = True,
        splink_sample: int = 20_000, seed: int = 7, throughput_logins: int = 300,
        big_only: bool = False) -> dict:
    logging.disable(logging.WARNING)
    big, ncvr = (str(v).lower() not in ("false", "0", "no") for v in (big, ncvr))
    if big_only:
        return {"load_average_at_start": [round(x, 2) for x in os.getloadavg()], "big": _big(seed, runs),
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}
    result: dict = {"world": world, "voters": voters, "contacts_per_login": contacts_per_login,
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        if world == "sim":
            frame, source, books, truth, timings = _sim_world(voters, seed, world_dir, work)
        else:
            frame, source, books, truth, timings = _synthetic_world(voters, seed, (1 + logins * runs) * contacts_per_login)
        result.update(timings, generate_s=round(time.perf_counter() - started, 1), voters=len(frame))
        flat = [c for batch in books for c in batch]
        batches = [flat[i:i + contacts_per_login] for i in range(0, len(flat), contacts_per_login)]
        started = time.perf_counter()
        model = train_model(frame, flat[:5000], voter_file_version=f"bench-{world}-{voters}-{seed}")
        result["train_s"] = round(time.perf_counter() - started, 1)
        cache = work / "cache"
        started = time.perf_counter()
        index = VoterIndex.cached(lambda: frame, model.name_keys, model.voter_file_version, cache)
        result["index_build_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        index = VoterIndex.cached(lambda: frame, model.name_keys, model.voter_file_version, cache)
        result["index_load_s"] = round(time.perf_counter() - started, 3)
        result["index_bytes_per_voter"] = round(index.nbytes() / len(frame), 1)
        matcher = Matcher(model, index)
        result["latency"] = _latency(matcher, batches, runs, logins)
        result["throughput"] = _throughput(model, cache, (batches * 10)[:throughput_logins])
        full = [b for b in batches if len(b) == contacts_per_login]
        result["side_by_side"] = _side_by_side(matcher, model, frame, full[-5:])
        result["accuracy"] = _accuracy(matcher, model, frame, books, truth, splink_sample)
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if big:
        result["big"] = _big(seed, runs)
    if ncvr:
        result["ncvr"] = _ncvr()
    return result


def _big(seed: int, runs: int = 3, n: int = 7_500_000) -> dict:
    started = time.perf_counter()
    frame = synthetic_voters(n, seed=seed)
    contacts, _ = synthetic_contacts(frame, (1 + 19 * runs) * 500, seed=seed + 2)
    generate = time.perf_counter() - started
    # Train on a 1M sample (u, EM and nickname keys are population-level; the memory is not),
    # then set the prior for the whole file: P(match) = match_rate / n voters.
    model = train_model(frame.sample(min(n, 1_000_000), random_state=seed), contacts[:3000],
                        voter_file_version=f"bench-{n}-{seed}", u_max_pairs=1e6)
    model.n_voters = n
    model.settings["probability_two_random_records_match"] = model.match_rate / n
    started = time.perf_counter()
    index = VoterIndex.build(frame, model.name_keys, model.voter_file_version)
    build = time.perf_counter() - started
    del frame
    matcher = Matcher(model, index)
    lat = _latency(matcher, [contacts[i:i + 500] for i in range(0, len(contacts), 500)], runs, 19)
    return {"voters": n, "generate_s": round(generate, 1), "index_build_s": round(build, 1),
            "index_bytes_per_voter": round(index.nbytes() / n, 1), "latency": lat}
