import numpy as np

from targetshare.targeting.ties import (
    FEATURES,
    MatchedFacts,
    TieModel,
    load_tie_model,
    matched_facts,
    tie_features,
    update_tie_model,
)

NOW = 1_800_000_000.0


def p(signals, facts=None):
    return float(TieModel().p_send(tie_features([signals], facts, now=NOW))[0])


def test_prior_ordering():
    bare, coworker = p({}), p({"relationship": "coworker"})
    mother, starred = p({"relationship": "mother"}), p({"starred": True})
    assert mother > coworker > bare
    assert starred > coworker
    assert p({"relationship": "friend"}) > coworker
    assert p({"has_nickname": True, "friends_since": NOW - 10 * 31_557_600}) > bare
    assert 0.05 < bare < 0.3


def test_matched_facts_raise_strength():
    me = {"household_id": "H1", "last_name": "DOE", "zip": "27601", "city": "RALEIGH", "age": 40}
    voters = [{"household_id": "H1", "last_name": "DOE", "zip": "27601", "city": "RALEIGH", "age": 42},
              {"household_id": "H2", "last_name": "ROE", "zip": "28801", "city": "ASHEVILLE", "age": 80}, None]
    facts = matched_facts(me, "", voters)
    assert list(facts.same_household) == [1, 0, 0] and list(facts.shared_surname) == [1, 0, 0]
    assert np.isnan(facts.age_gap[2])
    probs = TieModel().p_send(tie_features([{}, {}, {}], facts, now=NOW))
    assert probs[0] > probs[2] > probs[1]


def test_online_update_moves_weights_the_right_way():
    model = TieModel()
    x = tie_features([{"starred": True}], MatchedFacts.empty(1), now=NOW)[0]
    i = FEATURES.index("starred")
    before = model.mean[i]
    model.update(x, sent=True)
    assert model.mean[i] > before
    after_send = model.mean[i]
    model.update(x, sent=False)
    assert model.mean[i] < after_send
    assert model.mean[FEATURES.index("rel_coworker")] == TieModel().mean[FEATURES.index("rel_coworker")]


def test_learning_converges_towards_observed_rate():
    model = TieModel()
    x = tie_features([{"relationship": "coworker"}], now=NOW)[0]
    rng = np.random.default_rng(1)
    for _ in range(400):
        model.update(x, sent=bool(rng.random() < 0.6))
    assert abs(float(model.p_send(x[None])[0]) - 0.6) < 0.1


def test_model_persists(engine):
    x = tie_features([{"starred": True}], now=NOW)[0]
    assert load_tie_model(engine).n_updates == 0
    update_tie_model(engine, x, True)
    update_tie_model(engine, x, True)
    stored = load_tie_model(engine)
    assert stored.n_updates == 2
    assert stored.mean[FEATURES.index("starred")] > TieModel().mean[FEATURES.index("starred")]
