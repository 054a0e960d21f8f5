"""Learning from confirmations: labels read from the store, ``retrain_from_store``, ``targetshare
retrain`` and the web Pipeline swapping in the retrained model (SQLite and, with
``TARGETSHARE_TEST_DATABASE_URL``, PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from targetshare.cli import app
from targetshare.matching import (
    labels_from_store,
    load_voters,
    model_path,
    retrain_from_store,
    voter_file_version,
)
from targetshare.matching.comparisons import contact_features, voter_features
from targetshare.matching.learn import name_m_probabilities, save_replacing
from targetshare.matching.model import MatchModel
from targetshare.settings import get_settings
from targetshare.store.schema import matches
from targetshare.web.services import Pipeline

from .test_store import _store_world

N_CONFIRMED, N_REJECTED = 120, 30


@pytest.fixture
def world(engine, voters, book):
    """3,000 voters in the store; 120 contacts confirmed (shown their voter and one other),
    30 rejected (their voter was someone else), 10 auto and 10 waiting (not labels)."""
    contacts, truth = book
    few = voters.iloc[:3000]
    in_file = set(few["voter_id"])
    chosen = [(c, v) for c, v in zip(contacts, truth["voter_id"], strict=True) if v in in_file]
    chosen = chosen[:N_CONFIRMED + N_REJECTED + 20]
    assert len(chosen) == N_CONFIRMED + N_REJECTED + 20
    ids = _store_world(engine, few, [c for c, _ in chosen])
    others = few["voter_id"].tolist()[::-7]
    base = {"match_probability": 0.6, "runner_up_probability": 0.3, "model_version": "t",
            "created_at": datetime(2026, 1, 1)}
    rows, pairs = [], []
    for i, ((_, true_voter), cid) in enumerate(zip(chosen, ids, strict=True)):
        wrong = others[i] if others[i] != true_voter else others[i + 1]
        cands = [{"voter_id": true_voter, "first_name": "X"}, {"voter_id": wrong, "first_name": "Y"}]
        if i < N_CONFIRMED:
            rows.append(dict(base, contact_id=cid, voter_id=true_voter, status="confirmed", candidates=cands))
            pairs += [(str(cid), true_voter, 1), (str(cid), wrong, 0)]
        elif i < N_CONFIRMED + N_REJECTED:
            rows.append(dict(base, contact_id=cid, voter_id=wrong, status="rejected", candidates=[]))
            pairs.append((str(cid), wrong, 0))
        else:
            status = "auto" if i % 2 else "needs_confirmation"
            rows.append(dict(base, contact_id=cid, voter_id=true_voter, status=status, candidates=cands))
    with engine.begin() as conn:
        conn.execute(sa.insert(matches), rows)
    expected = pd.DataFrame(pairs, columns=["contact_id", "voter_id", "is_match"])
    originals = [dict(c, contact_id=str(cid)) for (c, _), cid in zip(chosen, ids, strict=True)]
    return few, expected, originals


def _m(model, comparison: str, label: str) -> float:
    return name_m_probabilities(model)[(comparison, label)]


def test_labels_from_store_reads_confirmations_and_rejections(engine, world, model):
    _, expected, originals = world
    feats, labels = labels_from_store(engine, model.name_keys)
    key = ["contact_id", "voter_id"]
    assert labels.sort_values(key).reset_index(drop=True).equals(
        expected.sort_values(key).reset_index(drop=True))
    # features as the matcher builds them from the contact (the fields the store keeps)
    labelled = {cid for cid in expected["contact_id"]}
    want = contact_features([c for c in originals if c["contact_id"] in labelled], model.name_keys)
    cols = ["unique_id", "first_name", "first_key", "last_name", "city", "birth_year", "birth_md", "phones"]
    got = feats[cols].sort_values("unique_id").reset_index(drop=True)
    assert got.astype(str).equals(want[cols].sort_values("unique_id").reset_index(drop=True).astype(str))


def test_labels_from_an_empty_store(engine, model):
    feats, labels = labels_from_store(engine, model.name_keys)
    assert feats.empty and labels.empty and list(labels.columns) == ["contact_id", "voter_id", "is_match"]
    assert retrain_from_store(engine, model, voters=pd.DataFrame({"voter_id": []})) is None


def test_too_few_confirmations_leave_the_model_alone(engine, world, model):
    few, _, _ = world
    assert retrain_from_store(engine, model, min_labels=N_CONFIRMED + 1, voters=few) is None


def test_confirmations_move_name_m_towards_what_supporters_said(engine, world, model):
    few, expected, _ = world
    new = retrain_from_store(engine, model, min_labels=N_CONFIRMED, voters=few)
    assert new is not None and new is not model
    assert new.training["labels"]["confirmed"] == N_CONFIRMED
    assert new.training["labels"]["not_matches"] == N_CONFIRMED + N_REJECTED
    assert f"pairwise labels ({N_CONFIRMED} confirmed)" in new.training["m"]
    assert new.name_keys == model.name_keys and new.settings["probability_two_random_records_match"] == \
        model.settings["probability_two_random_records_match"]
    # the share of confirmed pairs agreeing exactly on each name: where m must land (the
    # non-matches, fed to Splink, would have dragged it far below)
    feats, _ = labels_from_store(engine, model.name_keys)
    vf = voter_features(few, model.name_keys)
    pos = expected[expected["is_match"] == 1]
    joined = pos.merge(feats, left_on="contact_id", right_on="unique_id").merge(
        vf, left_on="voter_id", right_on="unique_id", suffixes=("_c", "_v"))
    assert len(joined) == N_CONFIRMED
    for comp in ("first_name", "last_name"):
        known = joined[joined[f"{comp}_c"].notna() & joined[f"{comp}_v"].notna()]
        share = float((known[f"{comp}_c"] == known[f"{comp}_v"]).mean())
        before, after = _m(model, comp, "exact"), _m(new, comp, "exact")
        assert abs(after - share) < 0.02, (comp, share, before, after)
        assert abs(after - share) < abs(before - share) or abs(before - share) < 0.02


def test_cli_retrain_end_to_end(db_url, engine, world, model, tmp_path):
    cache = tmp_path / "cache"
    runner = CliRunner()
    args = ["retrain", "--cache-dir", str(cache), "--database-url", db_url]
    missing = runner.invoke(app, args)
    assert missing.exit_code != 0 and "no model at" in str(missing.exception)

    path = model_path(cache, voter_file_version(engine, load_voters(engine)))
    model.save(path)
    original = path.read_text()
    few = runner.invoke(app, [*args, "--min-labels", str(N_CONFIRMED + 1)])
    assert few.exit_code == 0, few.output
    assert "too few labels" in few.output and f"{N_CONFIRMED} confirmed" in few.output
    assert path.read_text() == original and list(cache.glob("*.bak")) == []

    done = runner.invoke(app, [*args, "--min-labels", "50"])
    assert done.exit_code == 0, done.output
    assert f"retrained on {N_CONFIRMED} confirmed matches, {N_CONFIRMED + N_REJECTED} known non-matches" \
        in done.output
    (backup,) = cache.glob("match-model-*.json.*.bak")
    assert backup.read_text() == original and f"previous model kept as {backup}" in done.output
    new = MatchModel.load(path)
    assert new.training["labels"]["confirmed"] == N_CONFIRMED
    line = next(ln for ln in done.output.splitlines() if ln.startswith("first_name") and " exact " in ln)
    before, after = (float(x) for x in line.split()[-2:])
    assert before == pytest.approx(_m(model, "first_name", "exact"), abs=1e-4)
    assert after == pytest.approx(_m(new, "first_name", "exact"), abs=1e-4) and after != before
    assert json.loads(path.read_text())["format"] == "targetshare-match-model/1"


def test_pipeline_swaps_in_a_retrained_model(engine, db_url, world, model, tmp_path):
    few, _, originals = world
    cache = tmp_path / "cache"
    path = model_path(cache, voter_file_version(engine, load_voters(engine)))
    model.save(path)
    pipeline = Pipeline(engine, get_settings(database_url=db_url, index_cache_dir=str(cache)))
    first = pipeline.matcher()
    assert first.model.training == model.training and pipeline.matcher() is first  # unchanged: kept
    assert "-labels" not in pipeline.model_version

    new = retrain_from_store(engine, model, min_labels=50, voters=few)
    save_replacing(new, path)
    second = pipeline.matcher()
    assert second is not first and second.index is first.index  # same index, new model
    assert second.model.training["labels"]["confirmed"] == N_CONFIRMED
    assert pipeline.model_version.endswith(f"-labels{N_CONFIRMED}")
    assert second.compiled.comparisons[0][1][1].weight != first.compiled.comparisons[0][1][1].weight
    assert pipeline.matcher() is second
    assert len(pipeline.match(originals[:5])) == 5

    path.write_text("{not json")  # a broken file is not loaded: the current model stays
    assert pipeline.matcher() is second


def test_with_model_needs_the_same_nickname_keys(engine, world, model):
    from targetshare.matching import Matcher

    matcher = Matcher.from_voters(engine, model=model, cache_dir=False)
    other = MatchModel.from_json(dict(model.to_json(), name_keys={"BOB": "ROBERT"}))
    with pytest.raises(ValueError, match="nickname keys"):
        matcher.with_model(other)
    assert matcher.with_model(model).index is matcher.index
