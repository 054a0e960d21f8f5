import pytest
from sqlalchemy import func, select

from targetshare.errors import InputFileError
from targetshare.store.schema import score_quarantine, scores
from targetshare.targeting.scores import ScoreMapping, import_scores, load_mapping

from .helpers import add_voters, write_scores


@pytest.fixture
def voters(engine):
    add_voters(engine, [{"voter_id": f"V{i}"} for i in range(1, 6)])
    return engine


def test_simulator_layout_imports_without_mapping(voters, tmp_path):
    f = tmp_path / "scores.csv"
    write_scores(f, [("V1", 80, 50, 10), ("V2", 20.5, 90, 0), ("V3", 55, 45, 30)])
    r = import_scores(voters, f)
    assert (r.inserted, r.quarantined) == (3, 0)
    assert r.scales == {"support": "0-100", "turnout": "0-100", "persuasion": "0-100"}
    with voters.connect() as conn:
        row = conn.execute(select(scores).where(scores.c.voter_id == "V2")).one()
    assert row.support == pytest.approx(0.205) and row.turnout == pytest.approx(0.9)


def test_bad_rows_quarantined_with_line_and_reason(voters, tmp_path):
    f = tmp_path / "scores.csv"
    write_scores(f, [("V1", 80, 50, 10), ("", 1, 1, 1), ("V2", "abc", 50, 1), ("V3", 150, 50, 1),
                     ("V1", 70, 50, 1), ("V99", 50, 50, 1), ("V4", 50, 50, "")])
    r = import_scores(voters, f)
    assert r.inserted == 2 and r.quarantined == 5
    with voters.connect() as conn:
        rows = conn.execute(select(score_quarantine.c.line_number, score_quarantine.c.reason)
                            .order_by(score_quarantine.c.line_number)).all()
    reasons = dict(rows)
    assert "missing voter id" in reasons[3]
    assert "not a number" in reasons[4]
    assert "outside" in reasons[5]
    assert "duplicate" in reasons[6]
    assert "not in the voter file" in reasons[7]


def test_idempotent_and_versioned(voters, tmp_path):
    f = tmp_path / "scores.csv"
    write_scores(f, [("V1", 80, 50, 10)])
    first = import_scores(voters, f)
    again = import_scores(voters, f)
    assert again.reused and again.version == first.version
    write_scores(f, [("V1", 60, 50, 10), ("V2", 0.5, 0.5, 0.5)])
    second = import_scores(voters, f)
    assert second.version > first.version
    with voters.connect() as conn:
        assert conn.execute(select(func.count()).select_from(scores)).scalar() == 3


def test_mapping_and_declared_scale(voters, tmp_path):
    f = tmp_path / "vendor.csv"
    write_scores(f, [("V1", 0.8, 0.6), ("V2", 0.3, 1.0)], header="ncid,dem_sup,turn")
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text("columns: {voter_id: ncid, support: dem_sup, turnout: turn}\nscale: 0-1\n")
    r = import_scores(voters, f, load_mapping(mapping_file))
    assert r.inserted == 2 and r.scales["support"] == "0-1"


def test_missing_columns_and_empty_voter_file(engine, tmp_path):
    f = tmp_path / "s.csv"
    write_scores(f, [("V1", 1)], header="voter_id,support_score")
    with pytest.raises(InputFileError, match="voter file"):
        import_scores(engine, f)
    add_voters(engine, [{"voter_id": "V1"}])
    with pytest.raises(InputFileError, match="turnout"):
        import_scores(engine, f, ScoreMapping())


def test_atomic_on_failure(voters, tmp_path, monkeypatch):
    import targetshare.targeting.scores as mod

    f = tmp_path / "scores.csv"
    write_scores(f, [("V1", 80, 50, 10)])

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(mod, "_known_voters", boom)
    with pytest.raises(RuntimeError):
        import_scores(voters, f)
    with voters.connect() as conn:
        assert conn.execute(select(func.count()).select_from(scores)).scalar() == 0
