"""The behaviour model: calibrated defaults, monotone in tie strength, saturating, documented."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd

from targetshare.sim import behaviour as b

DOCS = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"


def test_every_default_is_documented():
    text = DOCS.read_text()
    missing = [f.name for f in fields(b.BehaviourParams) if f"`{f.name}`" not in text]
    assert not missing, f"document these in docs/simulation.md: {missing}"


def test_calibration_on_the_reference_ties():
    p = b.DEFAULTS
    x, w = b._ref_grid(p)
    assert abs(float((b.p_send(x) * w).sum()) - p.send_mean) < 0.03
    sent = w * b.p_send(x)
    sent /= sent.sum()
    cace = float((b.lift_if_sent(x, np.ones_like(x)) * sent).sum())
    assert abs(cace - p.turnout_cace_midterm) < 1e-6


def test_monotone_in_tie_strength_and_weak_ties_flatter():
    ties = np.linspace(0.05, 0.95, 10)
    for params in (b.DEFAULTS, b.weak_ties()):
        assert np.all(np.diff(b.p_send(ties, params)) > 0)
        assert np.all(np.diff(b.lift_if_sent(ties, np.ones(10), params)) > 0)
    strong = b.lift_if_sent(np.array([0.9, 0.1]), np.ones(2))
    weak = b.lift_if_sent(np.array([0.9, 0.1]), np.ones(2), b.weak_ties())
    assert strong[0] / strong[1] > 2 * weak[0] / weak[1]
    # close ties carry almost all of the effect: weakest half of ties under a tenth of it
    x, w = b._ref_grid(b.DEFAULTS)
    contrib = w * b.p_send(x) * b.lift_if_sent(x, np.ones_like(x))
    assert contrib[x < 0.3].sum() / contrib.sum() < 0.1


def test_expected_votes_rank_plans(sim_dir):
    truth = b.load_truth(sim_dir)
    ties = pd.read_csv(sim_dir / "truth" / "ties.csv", dtype={"voter_id": str}).dropna(subset=["voter_id"])
    top = ties.sort_values("tie_strength", ascending=False).groupby("supporter_id").head(5)
    rnd = ties.groupby("supporter_id").sample(5, random_state=0)
    close = b.expected_incremental_votes(zip(top.supporter_id, top.voter_id, strict=True), truth)
    random = b.expected_incremental_votes(zip(rnd.supporter_id, rnd.voter_id, strict=True), truth)
    assert close.votes > 3 * random.votes > 0
    assert b.expected_incremental_votes([], truth).votes == 0


def test_saturation_and_spillover(sim_dir):
    truth = b.load_truth(sim_dir)
    ties = pd.read_csv(sim_dir / "truth" / "ties.csv", dtype={"voter_id": str}).dropna(subset=["voter_id"])
    pair = ties.sort_values("tie_strength").iloc[-1]
    one = b.expected_incremental_votes([(pair.supporter_id, pair.voter_id)], truth)
    assert len(one.by_person) >= 1
    assert one.by_person.loc[pair.voter_id, "p"] > one.by_person.loc[pair.voter_id, "p0"]
    five = b.expected_incremental_votes([(pair.supporter_id, pair.voter_id)] * 5, truth)
    target = lambda o: o.by_person.loc[pair.voter_id, "p"] - o.by_person.loc[pair.voter_id, "p0"]  # noqa: E731
    assert target(one) < target(five) < 5 * target(one)
    housemates = truth.people[truth.people.household_id == truth.people.at[pair.voter_id, "household_id"]]
    if len(housemates) > 1:
        spill = one.by_person.drop(index=pair.voter_id)
        assert (spill.p > spill.p0).all()
        conv = lambda d: (d.p - d.p0) / (1 - d.p0)  # noqa: E731
        ratio = conv(spill).max() / conv(one.by_person.loc[[pair.voter_id]]).iloc[0]
        assert 0.3 <= ratio <= 0.6


def test_simulate_election_reproducible(sim_dir):
    truth = b.load_truth(sim_dir)
    ties = pd.read_csv(sim_dir / "truth" / "ties.csv", dtype={"voter_id": str}).dropna(subset=["voter_id"])
    sent = list(zip(ties.supporter_id, ties.voter_id, strict=True))[:200]
    e1 = b.simulate_election(truth, sent, seed=3)
    e2 = b.simulate_election(truth, sent, seed=3)
    base = b.simulate_election(truth, [], seed=3)
    assert e1.equals(e2)
    assert len(e1) == len(truth.people) and (e1.p >= e1.p0 - 1e-12).all()
    assert (e1.voted >= base.voted).all()  # common random numbers: asks only add votes
    assert 0.37 < base.voted.mean() < 0.5


def test_results_written_as_ncvhis(sim_dir, tmp_path):
    from targetshare.sim.ncsbe import NCVHIS_COLUMNS, write_results_history

    truth = b.load_truth(sim_dir)
    results = b.simulate_election(truth, [], seed=1)
    rows = write_results_history(tmp_path / "ncvhis_2026.txt", results, truth.people, seed=1)
    h = pd.read_csv(tmp_path / "ncvhis_2026.txt", sep="\t", dtype=str, encoding="cp1252", keep_default_na=False)
    assert list(h.columns) == NCVHIS_COLUMNS and len(h) == rows == results.voted.sum()
    assert (h.election_desc == "11/03/2026 GENERAL").all()
    assert h.county_id.str.fullmatch(r"\d{1,3}").all() and h.voter_reg_num.str.fullmatch(r"\d{12}").all()
    assert set(h.ncid) == set(results.voter_id[results.voted == 1])
