import json
import subprocess
import sys

from typer.testing import CliRunner

from targetshare.cli import app

runner = CliRunner()


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("db", "serve", "demo", "bench"):
        assert name in result.output


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "targetshare", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "targetshare" in out.stdout


def test_db_upgrade_creates_the_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "tables" in result.output


def test_bench_runner_runs_a_script_and_prints_json(tmp_path, monkeypatch):
    (tmp_path / "tiny.py").write_text("def run(n=1, **kw):\n    return {'n': n, 'doubled': 2 * n}\n")
    monkeypatch.setenv("TARGETSHARE_BENCH_DIR", str(tmp_path))
    result = runner.invoke(app, ["bench", "tiny", "--json", "--n", "21"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["doubled"] == 42
    assert data["machine"]["cpu_count"] >= 1


def test_unknown_benchmark_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TARGETSHARE_BENCH_DIR", str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-m", "targetshare", "bench", "nope"],
        capture_output=True, text=True, env={**__import__("os").environ, "TARGETSHARE_BENCH_DIR": str(tmp_path)},
    )
    assert out.returncode == 1
    assert "no benchmark named 'nope'" in out.stderr
