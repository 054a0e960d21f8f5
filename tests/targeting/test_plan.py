import csv

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from targetshare.store import schema
from targetshare.targeting import plan as plan_module
from targetshare.targeting import suggest_for_supporter
from targetshare.targeting.allocate import plain_greedy
from targetshare.targeting.config import current_config, save_config
from targetshare.targeting.holdout import is_held_out
from targetshare.targeting.plan import PLAN_COLUMNS, plan_offline
from targetshare.targeting.reasons import FORBIDDEN_WORDS
from targetshare.targeting.scores import import_scores

from .helpers import NOW, add_contact, add_supporter, add_voters, write_scores

N = 12
CONFIG = ("goals: {turnout: 1}\nholdout_share: 0.0\nmax_asks_per_target: 2\nasks_per_supporter: 3\n"
          "content: {turnout: vote-video}\n")


def add_match(engine, supporter_id, voter_id, p=0.95, status="auto", signals=None, phones=None) -> int:
    cid = add_contact(engine, supporter_id, signals or {}, phones=phones)
    with engine.begin() as conn:
        conn.execute(insert(schema.matches).values(
            contact_id=cid, voter_id=voter_id, match_probability=p, status=status, candidates=[],
            model_version="test", created_at=NOW))
    return cid


def add_ask(engine, supporter_id, contact_id, voter_id, status) -> None:
    with engine.begin() as conn:
        conn.execute(insert(schema.asks).values(supporter_id=supporter_id, contact_id=contact_id, voter_id=voter_id,
                                                status=status, share_token=f"t{supporter_id}-{voter_id}",
                                                created_at=NOW))


@pytest.fixture
def world(engine, tmp_path):
    add_voters(engine, [{"voter_id": f"V{i}", "zip": "27601" if i % 2 else "27513"} for i in range(N)]
               + [{"voter_id": "ME", "last_name": "Doe"}])
    f = tmp_path / "scores.csv"
    write_scores(f, [(f"V{i}", 60 + 2 * i, 50, 0) for i in range(N)])  # value rises with i
    import_scores(engine, f)
    save_config(engine, CONFIG)
    return engine


def everyone_knows_everyone(engine, n_supporters=4) -> list[int]:
    sids = []
    for s in range(n_supporters):
        sid = add_supporter(engine, f"s{s}@x.org", voter_id="ME" if s == 0 else None)
        for i in range(N):
            sig = {"relationship": "mother"} if (i + s) % 5 == 0 else {}
            add_match(engine, sid, f"V{i}", p=0.9 - 0.05 * s, signals=sig)
        sids.append(sid)
    return sids


def test_caps_and_shape(world):
    everyone_knows_everyone(world)
    plan = plan_offline(world)
    assert list(plan.columns) == PLAN_COLUMNS
    assert len(plan) == 4 * 3  # 4 supporters × k = 3; 12 targets × cap 2 leave room
    assert plan.groupby("supporter_id").size().max() <= 3
    assert plan.groupby("voter_id").size().max() <= 2
    assert not plan.duplicated(["supporter_id", "voter_id"]).any()
    assert (plan.expected_value > 0).all() and plan.p_send.between(0, 1).all()
    for reason in plan.reason:
        assert reason and not any(w in reason.lower() for w in FORBIDDEN_WORDS)
    assert len(plan_offline(world, k=1)) == 4
    assert plan_offline(world, k=0).empty
    with world.connect() as conn:  # a plan, not asks
        assert conn.execute(select(func.count()).select_from(schema.asks)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(schema.target_saturation)).scalar_one() == 0


def test_per_target_cap_binds_and_diminishing_returns(world):
    everyone_knows_everyone(world, n_supporters=5)
    plan = plan_offline(world, k=N)
    assert plan.groupby("voter_id").size().max() == 2
    assert len(plan) == N * 2
    for _, rows in plan.groupby("voter_id"):  # the second ask to a target is worth less
        assert rows.expected_value.max() > rows.expected_value.min()


def test_exclusions(world):
    a = add_supporter(world, "a@x.org")
    b = add_supporter(world, "b@x.org")
    cids = {v: add_match(world, a, v) for v in [f"V{i}" for i in range(N)]}
    add_match(world, b, "V11")
    add_match(world, b, "V10", status="rejected")
    add_match(world, b, "V9", status="needs_confirmation")
    add_match(world, b, "V8", status="confirmed")
    phone_cid = add_match(world, b, "V7", phones=["+19195550100"])
    with world.begin() as conn:
        conn.execute(insert(schema.opt_outs).values(voter_id="V11", at=NOW))
        conn.execute(insert(schema.opt_outs).values(phone="+19195550100", at=NOW))
        conn.execute(insert(schema.holdouts).values(voter_id="V10", config_version=1, held_out=True, assigned_at=NOW))
    for vid, status in [("V9", "skipped"), ("V8", "not_my_friend"), ("V7", "sent"), ("V6", "suggested")]:
        add_ask(world, a, cids[vid], vid, status)
    plan = plan_offline(world, k=N)
    got = set(zip(plan.supporter_id, plan.voter_id, strict=True))
    assert {v for s, v in got if s == a} == {f"V{i}" for i in range(6)}
    assert {v for s, v in got if s == b} == {"V8"}  # confirmed kept; rejected, unconfirmed, opted out not
    assert phone_cid not in set(plan.contact_id)


def test_asks_made_count_toward_the_target_cap(world):
    sids = [add_supporter(world, f"s{s}@x.org") for s in range(4)]
    cids = {s: add_match(world, s, "V11") for s in sids}
    add_ask(world, sids[0], cids[sids[0]], "V11", "sent")
    plan = plan_offline(world)
    assert len(plan) == 1  # cap 2, one ask already sent
    add_ask(world, sids[1], cids[sids[1]], "V11", "suggested")
    assert plan_offline(world).empty


def test_holdouts_assigned_the_same_deterministic_way(world):
    save_config(world, CONFIG.replace("holdout_share: 0.0", "holdout_share: 0.5"))
    cfg = current_config(world)
    sid = add_supporter(world, "a@x.org")
    for i in range(N):
        add_match(world, sid, f"V{i}")
    plan = plan_offline(world, k=N)
    held = {f"V{i}" for i in range(N) if is_held_out(cfg.salt, f"V{i}", 0.5)}
    assert held and len(held) < N
    assert set(plan.voter_id) == {f"V{i}" for i in range(N)} - held
    with world.connect() as conn:
        rows = dict(conn.execute(select(schema.holdouts.c.voter_id, schema.holdouts.c.held_out)).all())
    assert {v for v, h in rows.items() if h} == held and len(rows) == N


def test_equals_plain_greedy(world, monkeypatch):
    everyone_knows_everyone(world, n_supporters=3)
    lazy = plan_offline(world, k=4)
    monkeypatch.setattr(plan_module, "lazy_greedy", plain_greedy)
    plain = plan_offline(world, k=4)
    pd.testing.assert_frame_equal(lazy, plain)


def test_one_supporter_matches_the_online_path(world):
    sid = add_supporter(world, "a@x.org", voter_id="ME")
    matched = []
    for i in range(N):
        sig = {"relationship": "mother"} if i == 3 else {}
        cid = add_match(world, sid, f"V{i}", p=0.9, signals=sig)
        matched.append({"contact_id": cid, "voter_id": f"V{i}", "match_probability": 0.9, "signals": sig,
                        "display_name": "Friend"})
    plan = plan_offline(world)
    online = suggest_for_supporter(world, sid, matched)
    assert list(plan.voter_id) == [o["voter_id"] for o in online]
    assert np.allclose(plan.expected_value, [o["expected_value"] for o in online])
    assert np.allclose(plan.p_send, [o["p_send"] for o in online])
    assert list(plan.reason) == [o["reason"] for o in online]


def test_cli_writes_the_csv(world, tmp_path):
    from targetshare.cli import app

    everyone_knows_everyone(world, n_supporters=2)
    out = tmp_path / "plan.csv"
    url = world.url.render_as_string(hide_password=False)
    r = CliRunner().invoke(app, ["targeting", "plan", "--out", str(out), "--k", "2", "--database-url", url])
    assert r.exit_code == 0, r.output
    assert "planned 4 asks for 2 supporters" in r.output
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == PLAN_COLUMNS and len(rows) == 4


def test_empty_store_plans_nothing(world, tmp_path):
    assert plan_offline(world).empty
