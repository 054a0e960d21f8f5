import typer
from typer.testing import CliRunner

from targetshare.targeting import commands

from .helpers import add_voters, write_scores


def make_app() -> typer.Typer:
    app = typer.Typer()
    commands.register(app)
    return app


def test_cli_end_to_end(tmp_path, sqlite_engine):
    url = str(sqlite_engine.url)
    add_voters(sqlite_engine, [{"voter_id": f"V{i}"} for i in range(50)])
    runner = CliRunner()
    app = make_app()
    cfg = tmp_path / "t.yaml"
    cfg.write_text("goals: {turnout: 1}\nholdout_share: 0.2\n")
    r = runner.invoke(app, ["targeting", "set", str(cfg), "--database-url", url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["targeting", "show", "--database-url", url])
    assert "holdout_share: 0.2" in r.output
    scores = tmp_path / "scores.csv"
    write_scores(scores, [(f"V{i}", 70, 50, 10) for i in range(50)] + [("NOPE", 1, 1, 1)])
    r = runner.invoke(app, ["scores", "import", str(scores), "--database-url", url])
    assert r.exit_code == 0 and "50 stored, 1 quarantined" in r.output, r.output
    out = tmp_path / "h.csv"
    r = runner.invoke(app, ["targeting", "holdout", "--export", str(out), "--database-url", url])
    assert r.exit_code == 0, r.output
    assert len(out.read_text().splitlines()) == 51


def test_bad_config_is_an_error(tmp_path, sqlite_engine):
    cfg = tmp_path / "t.yaml"
    cfg.write_text("goals: {votes: 1}\n")
    r = CliRunner().invoke(make_app(), ["targeting", "set", str(cfg), "--database-url", str(sqlite_engine.url)])
    assert r.exit_code != 0
    assert "goals" in str(r.exception)
