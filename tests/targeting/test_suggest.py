import time

import numpy as np
import pytest
from sqlalchemy import insert, select, update

from targetshare.store import schema
from targetshare.targeting import record_outcome, suggest_for_supporter
from targetshare.targeting.config import save_config
from targetshare.targeting.reasons import FORBIDDEN_WORDS
from targetshare.targeting.scores import import_scores
from targetshare.targeting.ties import FEATURES, load_tie_model

from .helpers import NOW, add_contact, add_supporter, add_voters, write_scores

N = 30
CONFIG = "goals: {turnout: 1}\nholdout_share: 0.0\nmax_asks_per_target: 2\ncontent: {turnout: vote-video}\n"


@pytest.fixture
def world(engine, tmp_path):
    add_voters(engine, [{"voter_id": f"V{i}", "household_id": None} for i in range(N)] + [{"voter_id": "ME"}])
    f = tmp_path / "scores.csv"
    # value rises with i: support 60..89, turnout 50
    write_scores(f, [(f"V{i}", 60 + i, 50, 0) for i in range(N)])
    import_scores(engine, f)
    save_config(engine, CONFIG)
    return engine


def matched_for(engine, supporter_id, ids, signals=None):
    out = []
    for v in ids:
        cid = add_contact(engine, supporter_id, (signals or {}).get(v, {}))
        out.append({"contact_id": cid, "voter_id": v, "match_probability": 0.95, "signals": (signals or {}).get(v, {}),
                    "display_name": f"Friend {v}"})
    return out


def test_shape_order_and_reasons(world):
    sid = add_supporter(world, "a@x.org", voter_id="ME")
    matched = matched_for(world, sid, [f"V{i}" for i in range(N)])
    got = suggest_for_supporter(world, sid, matched)
    assert len(got) == 5
    assert set(got[0]) == {"contact_id", "voter_id", "expected_value", "p_send", "reason", "goal", "content_slug"}
    assert [g["voter_id"] for g in got] == [f"V{i}" for i in range(N - 1, N - 6, -1)]
    assert all(a["expected_value"] >= b["expected_value"] for a, b in zip(got, got[1:], strict=False))
    assert got[0]["content_slug"] == "vote-video" and got[0]["goal"] == "turnout"
    for g in got:
        assert not any(w in g["reason"].lower() for w in FORBIDDEN_WORDS)
        assert "Wake County" in g["reason"]
    assert len(suggest_for_supporter(world, sid, matched, k=2)) == 2


def test_tie_strength_changes_the_pick(world):
    sid = add_supporter(world, "a@x.org")
    matched = matched_for(world, sid, ["V20", "V21"], {"V20": {"relationship": "mother", "starred": True}})
    got = suggest_for_supporter(world, sid, matched, k=1)
    assert got[0]["voter_id"] == "V20"


def test_exclusions(world):
    sid = add_supporter(world, "a@x.org")
    ids = [f"V{i}" for i in range(N - 8, N)]
    matched = matched_for(world, sid, ids, )
    with world.begin() as conn:
        conn.execute(insert(schema.opt_outs).values(voter_id="V29", at=NOW))
        for vid, status in [("V28", "skipped"), ("V27", "not_my_friend"), ("V26", "sent")]:
            cid = next(m["contact_id"] for m in matched if m["voter_id"] == vid)
            conn.execute(insert(schema.asks).values(supporter_id=sid, contact_id=cid, voter_id=vid, status=status,
                                                    share_token=f"t{vid}", created_at=NOW))
        conn.execute(insert(schema.holdouts).values(voter_id="V25", config_version=1, held_out=True, assigned_at=NOW))
    got = {g["voter_id"] for g in suggest_for_supporter(world, sid, matched)}
    assert got.isdisjoint({"V29", "V28", "V27", "V26", "V25"})
    assert got == {"V24", "V23", "V22"}


def test_opt_out_by_phone(world):
    sid = add_supporter(world, "a@x.org")
    cid = add_contact(world, sid, {}, phones=["+19195550100"])
    with world.begin() as conn:
        conn.execute(insert(schema.opt_outs).values(phone="+19195550100", at=NOW))
    m = [{"contact_id": cid, "voter_id": "V29", "match_probability": 1.0, "signals": {}, "display_name": "x"}]
    assert suggest_for_supporter(world, sid, m) == []


def test_out_of_universe_and_unscored_never_suggested(world):
    save_config(world, CONFIG + "universe: {support: [60, 70]}\n")
    sid = add_supporter(world, "a@x.org")
    got = suggest_for_supporter(world, sid, matched_for(world, sid, [f"V{i}" for i in range(N)] + ["ME"]), k=20)
    assert {g["voter_id"] for g in got} <= {f"V{i}" for i in range(11)}


def test_cap_and_saturation_across_supporters(world):
    ids = ["V29", "V28", "V27", "V26", "V25", "V24"]
    picks = []
    for j in range(3):
        sid = add_supporter(world, f"s{j}@x.org")
        picks.append([g["voter_id"] for g in suggest_for_supporter(world, sid, matched_for(world, sid, ids), k=2)])
    assert picks[0] == ["V29", "V28"]
    assert "V29" not in picks[1]  # saturated: next supporter goes elsewhere
    counts = {v: sum(v in p for p in picks) for v in ids}
    assert max(counts.values()) <= 2


def test_repeat_call_does_not_double_count(world):
    a, b = add_supporter(world, "a@x.org"), add_supporter(world, "b@x.org")
    ma = matched_for(world, a, ["V29"])
    for _ in range(3):
        first = suggest_for_supporter(world, a, ma, k=1)[0]["expected_value"]
    with world.connect() as conn:
        assert len(conn.execute(select(schema.target_saturation)).all()) == 1
    got = suggest_for_supporter(world, b, matched_for(world, b, ["V29"]), k=1)
    assert got and got[0]["expected_value"] < first


def test_record_outcome_updates_model_once(world):
    sid = add_supporter(world, "a@x.org")
    m = matched_for(world, sid, ["V29"], {"V29": {"starred": True}})
    suggest_for_supporter(world, sid, m, k=1)
    record_outcome(world, sid, "V29", True)
    record_outcome(world, sid, "V29", True)
    model = load_tie_model(world)
    assert model.n_updates == 1
    assert model.mean[FEATURES.index("starred")] > 1.2
    with world.connect() as conn:
        row = conn.execute(select(schema.target_saturation)).one()
    assert row.outcome == "sent" and row.coverage == pytest.approx(0.95)


def test_record_outcome_from_asks_row(world):
    sid = add_supporter(world, "a@x.org")
    cid = add_contact(world, sid, {"relationship": "coworker"})
    with world.begin() as conn:
        conn.execute(insert(schema.asks).values(supporter_id=sid, contact_id=cid, voter_id="V3", status="skipped",
                                                share_token="t", created_at=NOW))
    record_outcome(world, sid, "V3", False)
    assert load_tie_model(world).mean[FEATURES.index("rel_coworker")] < 0.2


def test_no_config_uses_default(engine, tmp_path):
    add_voters(engine, [{"voter_id": "V1"}])
    write_scores(tmp_path / "s.csv", [("V1", 90, 50, 0)])
    import_scores(engine, tmp_path / "s.csv")
    sid = add_supporter(engine, "a@x.org")
    got = suggest_for_supporter(engine, sid, matched_for(engine, sid, ["V1"]))
    assert len(got) in (0, 1)  # default 10% holdout may hold V1 out
    assert suggest_for_supporter(engine, sid, []) == []


def test_sign_in_with_500_contacts_is_fast(world):
    ids = [f"V{i}" for i in range(N)]
    sid = add_supporter(world, "a@x.org")
    cid = add_contact(world, sid)
    rng = np.random.default_rng(0)
    matched = [{"contact_id": cid, "voter_id": ids[i % N] if i < N else f"X{i}", "match_probability": 0.9,
                "signals": {"starred": bool(rng.random() < 0.1)}, "display_name": "x"} for i in range(500)]
    suggest_for_supporter(world, sid, matched)
    with world.begin() as conn:
        conn.execute(update(schema.target_saturation).values(outcome="skipped"))
    start = time.perf_counter()
    suggest_for_supporter(world, sid, matched)
    assert time.perf_counter() - start < 0.5  # whole call incl. store reads; ranking alone is benched
