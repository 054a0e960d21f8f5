"""The real-time scorer gives every pair it scores exactly Splink's ``predict_between`` weight."""

from __future__ import annotations

import numpy as np
import pandas as pd

from targetshare.matching.comparisons import contact_features, voter_features
from targetshare.matching.encode import ContactEncoder, encode_contacts
from targetshare.matching.index import VoterIndex
from targetshare.matching.model import splink_linker
from targetshare.matching.scorer import candidate_pairs, score_pairs


def _splink_and_ours(voters, contacts, model, max_block=10**9):
    vf = voter_features(voters, model.name_keys)
    cf = contact_features(contacts, model.name_keys)
    linker, left, right = splink_linker(model.settings, vf, cf)
    theirs = linker.inference.predict_between(left, right).as_pandas_dataframe()
    index = VoterIndex.build(voters, model.name_keys, "test")
    batch = ContactEncoder(index, model.name_keys).encode(contacts)  # the real-time path
    ci, vr = candidate_pairs(batch, index, max_block)
    weights, _ = score_pairs(model.compile(), batch, index, ci, vr)
    ours = pd.DataFrame({"unique_id_l": np.array(batch.ids)[ci],
                         "unique_id_r": index.arrays["voter_id"][vr].astype(str), "ours": weights})
    return theirs.merge(ours, on=["unique_id_l", "unique_id_r"], how="outer", indicator=True)


def test_same_pairs_and_weights_as_predict_between(voters, book, model):
    contacts, _ = book
    joined = _splink_and_ours(voters, contacts, model)
    assert len(joined) > 300
    assert (joined["_merge"] == "both").all(), joined["_merge"].value_counts()
    assert np.abs(joined["ours"] - joined["match_weight"]).max() < 1e-6


def test_agreement_on_edge_cases(voters, model):
    """Nulls, unseen names, nicknames, typos, several phones, birthdays with and without year."""
    v = voters.iloc[:3].to_dict("records")
    contacts = [
        {"contact_id": "a", "given_name": "BILL", "family_name": v[0]["last_name"], "birthday": "--01-01"},
        {"contact_id": "b", "given_name": v[1]["first_name"][:-1] + "Q", "family_name": v[1]["last_name"],
         "phones": ["+19999999999", v[1]["phone"] or "+12025550123"], "city": v[1]["city"]},
        {"contact_id": "c", "given_name": "ZZYZX", "family_name": v[2]["last_name"],
         "birthday": f"{v[2]['birth_year']}-05-05", "zip": v[2]["zip"], "middle_name": "Q"},
        {"contact_id": "d", "display_name": "Mom", "emails": [v[2]["email"] or "x@example.com"]},
        {"contact_id": "e", "given_name": v[0]["first_name"], "family_name": "QXWV" + v[0]["last_name"],
         "city": v[0]["city"]},
    ]
    joined = _splink_and_ours(voters, contacts, model)
    assert (joined["_merge"] == "both").all()
    assert np.abs(joined["ours"] - joined["match_weight"]).max() < 1e-6


def test_real_time_encoder_gives_the_codes_of_splinks_features(voters, book, model):
    """Cleaning each distinct value once (cached across logins) changes nothing."""
    contacts, _ = book
    index = VoterIndex.build(voters, model.name_keys, "test")
    encoder = ContactEncoder(index, model.name_keys)
    encoder.encode(contacts[:50])  # warm caches, as after earlier logins
    fast = encoder.encode(contacts)
    reference = encode_contacts(contact_features(contacts, model.name_keys), index)
    assert fast.ids == reference.ids
    for col, codes in reference.codes.items():
        seen = codes > -2
        assert (fast.codes[col][seen] == codes[seen]).all(), col
        assert ((fast.codes[col] <= -2) == ~seen).all(), col
    for col, strings in reference.strings.items():
        assert fast.strings[col].tolist() == strings.tolist(), col
    for col in ("phones", "emails"):
        a, b = getattr(fast, col), getattr(reference, col)
        assert [set(r) for r in a.tolist()] == [set(r) for r in b.tolist()], col


def test_e164_fast_path_is_phone_e164():
    """The encoder's shortcut for numbers already in E.164 decides validity as phone_e164 does."""
    import random

    from targetshare.matching.index import phone_int
    from targetshare.normalize import phone_e164

    rng = random.Random(5)
    cases = [f"+1{rng.randrange(10**10):010d}" for _ in range(3000)] + ["+12025550123", "+19999999999"]
    for raw in cases:
        expected = phone_e164(raw)
        assert ContactEncoder._phone_miss(raw) == (phone_int(expected) if expected else None), raw
