import csv

from sqlalchemy import select, update

from targetshare.store.schema import holdouts
from targetshare.targeting.config import save_config
from targetshare.targeting.holdout import export_holdouts, held_out_among, holdout_draw, is_held_out


def test_deterministic_and_share():
    ids = [f"NC{i:07d}" for i in range(20_000)]
    a = [is_held_out("salt", v, 0.1) for v in ids]
    assert a == [is_held_out("salt", v, 0.1) for v in ids]
    assert abs(sum(a) / len(a) - 0.10) < 0.01
    assert holdout_draw("salt", "NC1") != holdout_draw("other", "NC1")


def test_persisted_and_never_recomputed(engine, tmp_path):
    cfg = save_config(engine, "goals: {turnout: 1}\nholdout_share: 0.5\n")
    ids = [f"V{i}" for i in range(200)]
    held = held_out_among(engine, ids, cfg.salt, 0.5, cfg.version)
    assert 60 < len(held) < 140
    # a later config with another share does not change earlier assignments
    cfg2 = save_config(engine, "goals: {turnout: 1}\nholdout_share: 0.0\n")
    assert held_out_among(engine, ids, cfg2.salt, 0.0, cfg2.version) == held
    # the stored row wins over the hash
    with engine.begin() as conn:
        conn.execute(update(holdouts).where(holdouts.c.voter_id == "V0").values(held_out=True))
    assert "V0" in held_out_among(engine, ["V0"], cfg2.salt, 0.0, cfg2.version)
    out = tmp_path / "h.csv"
    assert export_holdouts(engine, out) == 200
    rows = list(csv.DictReader(out.open()))
    assert rows[0].keys() == {"voter_id", "held_out", "config_version", "assigned_at"}
    with engine.connect() as conn:
        versions = set(conn.execute(select(holdouts.c.config_version)).scalars())
    assert versions == {cfg.version}
