"""Targeting benchmark: expected incremental (net) votes, by the simulator's truth, of four plans.

    targetshare bench targeting --json [--voters 200000 --supporters 1000 --seed 0 --k 5]

On a simulated state (``targetshare.sim.simulate``): contact exports are parsed by the engine's
contact parsers, but matched to voters through ``truth/contacts.csv`` (this measures targeting, not
matching). Everything the plans see is what a campaign has: voter file facts, vendor scores,
contact signals. Plans, each with k asks per supporter and the same holdout removed:

- online: supporters arrive in random order; each gets ``rank_sign_in`` (value × P(send) ×
  coverage left × ψ(used budget)); the tie model is the literature prior (no learning)
- online_learning: the same, but after each sign-in the tie model learns from sends drawn from
  the truth's P(send) (what ``record_outcome`` would see)
- offline: lazy greedy over every (supporter, contact) pair with the prior tie model
- random: k random eligible contacts per supporter
- value_only: top k by target value alone (no tie strength, no saturation)

Plans are scored with ``targetshare.sim.behaviour.expected_incremental_votes`` (net votes), in the
default world and in the weak-ties world (tie strength matters half as much).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from targetshare.contacts import parse_file
from targetshare.sim import behaviour as bh
from targetshare.sim import simulate
from targetshare.targeting.allocate import SignIn, lazy_greedy, rank_sign_in
from targetshare.targeting.config import parse_config
from targetshare.targeting.holdout import is_held_out
from targetshare.targeting.ties import TieModel, matched_facts, tie_features
from targetshare.targeting.value import target_values

CONFIG = "goals: {{turnout: 1.0}}\nasks_per_supporter: {k}\nmax_asks_per_target: 3\nturnout_uplift: {shape}\n"
VOTER_COLS = {"ncid": "voter_id", "county_desc": "county", "res_city_desc": "city", "zip_code": "zip",
              "res_street_address": "street_address", "last_name": "last_name", "age_at_year_end": "age"}


def _load_world(d: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    voters = pd.read_csv(d / "ncvoter.txt", sep="\t", dtype=str, usecols=list(VOTER_COLS),
                         encoding="latin-1").rename(columns=VOTER_COLS)
    voters["age"] = pd.to_numeric(voters.age, errors="coerce")
    scores = pd.read_csv(d / "scores.csv", dtype={"voter_id": str}).set_index("voter_id") / 100.0
    sups = pd.read_csv(d / "supporters.csv", dtype=str)
    return voters.set_index("voter_id"), scores, sups


def _pairs(d: Path, voters: pd.DataFrame, sups: pd.DataFrame) -> pd.DataFrame:
    """One row per (supporter, matched voter): signals from the parsed export, facts from the file."""
    truth_map = pd.read_csv(d / "truth" / "contacts.csv", dtype=str).dropna(subset=["voter_id"])
    by_pos = {(r.supporter_id, r.position): r.voter_id for r in truth_map.itertuples()}
    vrec = voters.to_dict("index")
    frames = []
    now = time.time()
    for s in sups.itertuples():
        contacts = parse_file(d / s.contacts_file)
        rows = [(by_pos.get((s.supporter_id, c.contact_id)), c.signals) for c in contacts]
        rows = [(v, sig) for v, sig in rows if v in vrec]
        if not rows:
            continue
        best: dict[str, dict] = {}
        for v, sig in rows:  # duplicates of one person: keep the richer record
            best.setdefault(v, sig)
        ids = list(best)
        me = vrec.get(s.voter_id)
        facts = matched_facts({**me, "household_id": None} if me else None, s.last_name, [vrec[v] for v in ids])
        x = tie_features([best[v] for v in ids], facts, now=now)
        frames.append(pd.DataFrame({"supporter_id": s.supporter_id, "voter_id": ids, "x": list(x)}))
    return pd.concat(frames, ignore_index=True)


def _online(pairs: pd.DataFrame, w: np.ndarray, order: list[str], k: int, cap: int,
            model: TieModel, learn_from=None, rng=None) -> list[tuple[str, str]]:
    miss = np.ones(len(w))
    used = np.zeros(len(w))
    groups = dict(tuple(pairs.groupby("supporter_id")))
    plan = []
    for sid in order:
        g = groups.get(sid)
        if g is None:
            continue
        t = g.t.to_numpy()
        x = np.stack(g.x.to_numpy())
        q = model.p_send(x)
        top, _ = rank_sign_in(SignIn(w[t], q, miss[t], used[t], g.eligible.to_numpy()), k, cap)
        for j in top:
            plan.append((sid, g.voter_id.iloc[j]))
            miss[t[j]] *= 1 - q[j]
            used[t[j]] += 1
            if learn_from is not None:
                model.update(x[j], bool(rng.random() < learn_from(sid, g.voter_id.iloc[j])))
    return plan


def _baseline(pairs: pd.DataFrame, k: int, rng: np.random.Generator | None) -> list[tuple[str, str]]:
    e = pairs[pairs.eligible]
    if rng is None:
        e = e[e.w > 0].sort_values(["supporter_id", "w"], ascending=[True, False])
    else:
        e = e.sample(frac=1.0, random_state=int(rng.integers(2**31)))
    top = e.groupby("supporter_id").head(k)
    return list(zip(top.supporter_id, top.voter_id, strict=True))


def _time_ranking(pairs: pd.DataFrame, w: np.ndarray, k: int, cap: int, config, scores) -> dict:
    """Median time to value, feature and rank one sign-in of 500 matched contacts (no store)."""
    rng = np.random.default_rng(7)
    sample = pairs.sample(500, random_state=1)
    signals = [{"starred": bool(rng.random() < 0.1), "relationship": "friend"} for _ in range(500)]
    sc = scores.reindex(sample.voter_id).to_numpy()
    vrows = [{"household_id": None, "last_name": "DOE", "zip": "27601", "city": "RALEIGH", "age": 40}] * 500
    model = TieModel()
    times = []
    for _ in range(200):
        start = time.perf_counter()
        tv = target_values(config, sc[:, 0], sc[:, 1], sc[:, 2])
        x = tie_features(signals, matched_facts(vrows[0], "", vrows))
        q = model.p_send(x)
        rank_sign_in(SignIn(tv.value, q, np.ones(500), np.zeros(500), np.ones(500, bool)), k, cap)
        times.append(time.perf_counter() - start)
    return {"ranking_500_ms_median": 1000 * float(np.median(times)),
            "ranking_500_ms_p95": 1000 * float(np.quantile(times, 0.95))}


def _time_store_sign_in(pairs: pd.DataFrame, voters: pd.DataFrame, scores: pd.DataFrame, k: int) -> dict:
    """Median wall time of ``suggest_for_supporter`` (store reads included) for 500 contacts, SQLite."""
    from datetime import datetime

    from sqlalchemy import insert

    from targetshare.store import schema
    from targetshare.store.db import make_engine, migrate
    from targetshare.targeting import suggest_for_supporter

    ids = list(pairs.voter_id.drop_duplicates().sample(500, random_state=2))
    now = datetime.now()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/store.db")
        migrate(engine)
        with engine.begin() as conn:
            imp = conn.execute(insert(schema.voter_imports).values(source="b", format="csv", file_sha256="x",
                                                                   started_at=now, status="done")).inserted_primary_key[0]
            vr = voters.reindex(ids).fillna({c: "" for c in ("last_name", "county", "city", "zip", "street_address")})
            conn.execute(insert(schema.voters), [
                {"voter_id": v, "first_name": "X", "last_name": r.last_name or "", "county": r.county,
                 "city": r.city or "", "zip": r.zip or "", "street_address": r.street_address or "",
                 "age": None if pd.isna(r.age) else int(r.age), "row_hash": "h", "import_id": imp, "updated_at": now}
                for v, r in zip(ids, vr.itertuples(), strict=True)])
            sv = conn.execute(insert(schema.score_imports).values(
                source="b", file_sha256="x", mapping={}, mapping_sha256="x", scales={}, started_at=now,
                status="done")).inserted_primary_key[0]
            sc = scores.reindex(ids)
            conn.execute(insert(schema.scores), [
                {"voter_id": v, "version": sv, "support": float(r.support_score), "turnout": float(r.turnout_score),
                 "persuasion": float(r.persuasion_score)} for v, r in zip(ids, sc.itertuples(), strict=True)])
            sid = conn.execute(insert(schema.supporters).values(email="b@x.org", name="B", referral_code="b",
                                                                created_at=now)).inserted_primary_key[0]
            conn.execute(insert(schema.contacts), [
                {"supporter_id": sid, "source": "vcard", "source_position": str(i), "display_name": "x",
                 "phones": [], "emails": [], "signals": {"starred": i % 10 == 0}, "created_at": now}
                for i in range(500)])
        matched = [{"contact_id": i + 1, "voter_id": v, "match_probability": 0.95,
                    "signals": {"starred": i % 10 == 0}, "display_name": "x"} for i, v in enumerate(ids)]
        times = []
        for _ in range(30):
            start = time.perf_counter()
            suggest_for_supporter(engine, sid, matched, k=k)
            times.append(time.perf_counter() - start)
        engine.dispose()
    return {"sign_in_500_with_store_ms_median": 1000 * float(np.median(times[1:]))}


def _score(plans: dict, truth, params) -> dict[str, float]:
    return {name: bh.expected_incremental_votes(plan, truth, params).net_votes for name, plan in plans.items()}


def run(voters: int = 200_000, supporters: int = 1000, seed: int = 0, k: int = 5, shape: str = "conversion",
        sim_dir: str | None = None, **_: object) -> dict:
    tmp = None
    if sim_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-targeting-")
        sim_dir = tmp.name
        simulate(sim_dir, voters=voters, supporters=supporters, seed=seed, progress=False)
    d = Path(sim_dir)
    config = parse_config(CONFIG.format(k=k, shape=shape))
    cap = config.max_asks_per_target
    vdf, scores, sups = _load_world(d)
    pairs = _pairs(d, vdf, sups)
    targets = pd.Index(pairs.voter_id.unique())
    pairs["t"] = targets.get_indexer(pairs.voter_id)
    sc = scores.reindex(targets).to_numpy()
    w = np.nan_to_num(target_values(config, np.nan_to_num(sc[:, 0]), np.nan_to_num(sc[:, 1]), sc[:, 2]).value)
    held = np.array([is_held_out("bench-salt", v, config.holdout_share) for v in targets])
    pairs["w"] = w[pairs.t]
    pairs["eligible"] = ~held[pairs.t]
    rng = np.random.default_rng(seed)
    order = list(rng.permutation(sups.supporter_id.to_numpy()))
    truth = bh.load_truth(d)
    prior = TieModel()
    q_all = prior.p_send(np.stack(pairs.x.to_numpy()))

    def true_send(sid: str, vid: str) -> float:
        return float(bh.p_send(np.array([truth.ties.get((sid, vid), 0.0)]))[0])

    t0 = time.perf_counter()
    e = pairs.eligible.to_numpy()
    chosen = lazy_greedy(pairs.supporter_id.astype("category").cat.codes.to_numpy()[e], pairs.t.to_numpy()[e],
                         w, q_all[e], k, cap)
    offline_s = time.perf_counter() - t0
    sub = pairs[e].iloc[chosen]
    plans = {
        "online": _online(pairs, w, order, k, cap, TieModel()),
        "online_learning": _online(pairs, w, order, k, cap, TieModel(), true_send, np.random.default_rng(seed + 1)),
        "offline": list(zip(sub.supporter_id, sub.voter_id, strict=True)),
        "random": _baseline(pairs, k, np.random.default_rng(seed + 2)),
        "value_only": _baseline(pairs, k, None),
    }
    result: dict = {"voters": voters, "supporters": int(len(sups)), "pairs": int(len(pairs)), "k": k,
                    "turnout_uplift": shape, "seed": seed, "offline_plan_seconds": round(offline_s, 3)}
    for suffix, params in (("", bh.DEFAULTS), ("_weak_ties", bh.weak_ties())):
        totals = _score(plans, truth, params)
        for name, value in totals.items():
            result[f"net_votes_{name}{suffix}"] = round(value, 3)
        for other in ("offline", "random", "value_only"):
            result[f"online_vs_{other}{suffix}"] = round(totals["online"] / totals[other], 3) if totals[other] else None
    result.update(_time_ranking(pairs, w, k, cap, config, scores))
    result.update(_time_store_sign_in(pairs, vdf, scores, k))
    if tmp is not None:
        tmp.cleanup()
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(voters=50_000, supporters=200), indent=2))
