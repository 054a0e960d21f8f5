"""The public API: Matcher.from_voters on a CSV, a DataFrame and the store; results and rules."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import create_engine

from targetshare.matching import Matcher, MatchModel
from targetshare.matching.evaluate import evaluate
from targetshare.matching.model import weights_table


def test_match_results_have_the_documented_shape(voters, book, model, tmp_path):
    contacts, truth = book
    matcher = Matcher.from_voters(voters, model=model, cache_dir=tmp_path)
    results = matcher.match(contacts)
    assert [r["contact_id"] for r in results] == [c["contact_id"] for c in contacts]
    keys = {"contact_id", "voter_id", "match_probability", "runner_up_probability", "candidates"}
    assert all(set(r) == keys for r in results)
    with_candidates = [r for r in results if r["candidates"]]
    assert set(with_candidates[0]["candidates"][0]) == {
        "voter_id", "match_probability", "first_name", "last_name", "city", "birth_year"}
    figures = evaluate(pd.DataFrame(results), truth)
    assert figures["precision"] >= 0.97
    assert figures["recall"] >= 0.5


def test_labels_and_given_names_alone_are_never_accepted(voters, book, model, tmp_path):
    contacts, truth = book
    matcher = Matcher.from_voters(voters, model=model, cache_dir=tmp_path)
    results = {r["contact_id"]: r for r in matcher.match(contacts)}
    label_ids = truth.loc[truth["carries"] == "label", "contact_id"]
    assert all(results[c]["voter_id"] == "" for c in label_ids)
    first_only = [{"contact_id": "x", "given_name": str(voters["first_name"].iloc[0]),
                   "city": str(voters["city"].iloc[0])}]
    assert matcher.match(first_only)[0]["voter_id"] == ""


def test_index_cache_is_reused_until_the_voter_file_changes(voters, model, tmp_path):
    Matcher.from_voters(voters, model=model, cache_dir=tmp_path)
    Matcher.from_voters(voters, model=model, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("voters-*"))) == 1
    Matcher.from_voters(voters.iloc[:-1], model=model, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("voters-*"))) == 2


def test_from_csv_and_from_store_agree(voters, book, model, tmp_path):
    contacts, _ = book
    path = tmp_path / "voters.csv"
    voters.to_csv(path, index=False)
    engine = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
    voters.to_sql("voters", engine, index=False)
    a = Matcher.from_voters(path, model=model, cache_dir=False).match(contacts[:100])
    b = Matcher.from_voters(engine, model=model, cache_dir=False).match(contacts[:100])
    assert [r["voter_id"] for r in a] == [r["voter_id"] for r in b]


def test_model_json_round_trip_and_weights_table(model, tmp_path):
    path = model.save(tmp_path / "model.json")
    again = MatchModel.load(path)
    assert again.voter_file_version == "test-v1"
    assert again.compile().prior_weight == model.compile().prior_weight
    table = weights_table(again)
    assert "| first_name | same nickname group |" in table


def test_untrained_without_contacts_still_matches_exact_people(voters):
    matcher = Matcher.from_voters(voters.iloc[:2000], cache_dir=False)
    v = voters.iloc[5]
    result = matcher.match([{"contact_id": "1", "given_name": v["first_name"], "family_name": v["last_name"],
                             "phones": [v["phone"]] if v["phone"] else [], "birthday": v["birth_date"],
                             "city": v["city"], "middle_name": v["middle_name"]}])[0]
    assert result["candidates"][0]["voter_id"] == v["voter_id"]
