"""Supporters' confirmations re-train m; `rematch` re-matches a migrated store (SQLite and, with
``TARGETSHARE_TEST_DATABASE_URL``, PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from targetshare.matching import Matcher, retrain_with_labels
from targetshare.matching.batch import rematch_store
from targetshare.matching.comparisons import contact_features, voter_features
from targetshare.store.schema import contacts as contacts_table
from targetshare.store.schema import matches, supporters, voter_imports
from targetshare.store.schema import voters as voters_table


def _m(model, comparison: str, label: str) -> float:
    for comp in model.settings["comparisons"]:
        if comp["output_column_name"] == comparison:
            for level in comp["comparison_levels"]:
                if level["label_for_charts"] == label:
                    return level["m_probability"]
    raise KeyError((comparison, label))


def test_confirmations_move_m_probabilities(voters, book, model):
    contacts, truth = book
    vf = voter_features(voters, model.name_keys)
    cf = contact_features(contacts, model.name_keys)
    pairs = truth[truth["voter_id"] != ""].head(300)
    labels = pd.DataFrame({"contact_id": pairs["contact_id"], "voter_id": pairs["voter_id"], "is_match": 1})
    assert retrain_with_labels(model, vf, cf, labels.head(10)) is model  # too few: unchanged
    retrained = retrain_with_labels(model, vf, cf, labels)
    # m of "exact first name" becomes the share of confirmed pairs whose given names agree exactly
    # (the contact's name cleaned as matching cleans it)
    joined = pairs.merge(cf, left_on="contact_id", right_on="unique_id").merge(
        vf, left_on="voter_id", right_on="unique_id", suffixes=("_c", "_v"))
    known = joined[joined["first_name_c"].notna()]
    exact = float((known["first_name_c"] == known["first_name_v"]).mean())
    assert abs(_m(retrained, "first_name", "exact") - exact) < 0.02
    assert abs(_m(retrained, "first_name", "exact") - _m(model, "first_name", "exact")) > 0.01
    assert "pairwise labels (300 confirmed)" in retrained.training["m"]
    assert retrained.compile().prior_weight == model.compile().prior_weight


def _store_world(engine, voters, contacts) -> list[int]:
    now = datetime(2026, 11, 1)
    rows = voters[["voter_id", "first_name", "middle_name", "last_name", "birth_year", "gender",
                   "city", "state", "zip", "phone", "email"]].to_dict("records")
    with engine.begin() as conn:
        import_id = conn.execute(sa.insert(voter_imports).values(
            source="test", format="csv", file_sha256="0" * 64, started_at=now,
            status="done")).inserted_primary_key[0]
        for i, (row, birth) in enumerate(zip(rows, voters["birth_date"], strict=True)):
            row.update(birth_date=date.fromisoformat(birth) if birth else None,
                       birth_year=int(row["birth_year"]), row_hash=f"{i:032d}",
                       import_id=import_id, updated_at=now)
        conn.execute(sa.insert(voters_table), rows)
        sid = conn.execute(sa.insert(supporters).values(
            email="s@example.com", name="S", referral_code="r1", created_at=now)).inserted_primary_key[0]
        ids = []
        for i, c in enumerate(contacts):
            ids.append(conn.execute(sa.insert(contacts_table).values(
                supporter_id=sid, source="synthetic", source_position=str(i + 1),
                display_name=c.get("display_name", ""), given_name=c.get("given_name", ""),
                family_name=c.get("family_name", ""), phones=c.get("phones", []),
                emails=c.get("emails", []), city=c.get("city", ""), birthday=c.get("birthday", ""),
                signals={}, created_at=now)).inserted_primary_key[0])
    return ids


def test_rematch_store_keeps_confirmations_and_matches_like_real_time(engine, voters, book, model):
    contacts, truth = book
    few_voters = voters.iloc[:3000]
    in_file = set(few_voters["voter_id"])
    chosen = [c for c, v in zip(contacts, truth["voter_id"], strict=True) if v in in_file][:40] + contacts[-20:]
    ids = _store_world(engine, few_voters, chosen)
    old = {"match_probability": 0.5, "runner_up_probability": 0.0, "candidates": [],
           "model_version": "old", "created_at": datetime(2026, 1, 1)}
    with engine.begin() as conn:
        conn.execute(sa.insert(matches), [
            dict(old, contact_id=ids[0], voter_id="CONFIRMED-BY-HAND", status="confirmed"),
            dict(old, contact_id=ids[1], voter_id="REJECTED-BY-HAND", status="rejected"),
            dict(old, contact_id=ids[2], voter_id="STALE", status="auto"),
        ])
    summary = rematch_store(engine, model)
    assert summary["contacts"] == len(chosen) and summary["kept"] == 2
    assert summary["rematched"] == len(chosen) - 2 and summary["auto"] > 20
    with engine.connect() as conn:
        stored = {r.contact_id: r for r in conn.execute(sa.select(matches))}
    assert stored[ids[0]].voter_id == "CONFIRMED-BY-HAND" and stored[ids[0]].status == "confirmed"
    assert stored[ids[1]].status == "rejected"
    assert "STALE" not in {r.voter_id for r in stored.values()}
    live = Matcher.from_voters(engine, model=model, cache_dir=False).match(
        [dict(c, contact_id=str(i)) for c, i in zip(chosen, ids, strict=True)])
    for result, cid in zip(live[2:], ids[2:], strict=True):
        if result["voter_id"]:
            assert stored[cid].status == "auto" and stored[cid].voter_id == result["voter_id"]
        else:
            assert cid not in stored or stored[cid].status == "needs_confirmation"
