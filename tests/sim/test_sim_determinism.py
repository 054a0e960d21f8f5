"""Same seed, same bytes; a different seed, a different world; the CLI writes the same."""

from __future__ import annotations

import hashlib
import importlib

import pytest
from typer.testing import CliRunner

from targetshare.sim import graph, simulate


def _digest(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    a = simulate(tmp_path / "a", voters=1500, supporters=4, seed=11, progress=False)
    simulate(tmp_path / "b", voters=1500, supporters=4, seed=11, progress=False)
    simulate(tmp_path / "c", voters=1500, supporters=4, seed=12, progress=False)
    da, db, dc = _digest(tmp_path / "a"), _digest(tmp_path / "b"), _digest(tmp_path / "c")
    assert da == db and len(da) == 4 + 5 + 4  # 4 top-level files, 5 truth files, 4 exports
    assert da["ncvoter.txt"] != dc["ncvoter.txt"]
    assert a["supporters"] == 4


def test_cli_sim(tmp_path):
    from targetshare.cli import app

    result = CliRunner().invoke(app, ["sim", "--out", str(tmp_path / "s"), "--voters", "1500",
                                      "--supporters", "3", "--seed", "11", "--quiet", "--weak-ties"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "ncvoter.txt").exists()
    assert '"weak_ties": true' in (tmp_path / "s" / "truth" / "behaviour.json").read_text()


def test_graph_seed_skips_without_data(tmp_path, monkeypatch):
    module = importlib.import_module("targetshare.sim.simulate")
    monkeypatch.setattr(module, "GRAPHS_DIR", tmp_path / "absent")
    summary = simulate(tmp_path / "s", voters=1500, supporters=3, seed=1, graph_seed="snap", progress=False)
    assert summary["notes"] and "skipped" in summary["notes"][0]


def test_graph_seed_maps_a_real_graph(tmp_path):
    if not (graph.GRAPHS_DIR / graph.GRAPH_SEEDS["caltech"]).exists():
        pytest.skip("../shared/data/graphs is absent")
    simulate(tmp_path / "s", voters=3000, supporters=5, seed=1, graph_seed="caltech", progress=False)
    edges = (tmp_path / "s" / "truth" / "graph.csv").read_text()
    assert "graph_seed" in edges


@pytest.mark.slow
def test_default_size_state(tmp_path):
    """The default 200,000-voter state: sizes and shares at full scale (about 10 s)."""
    import pandas as pd

    summary = simulate(tmp_path / "s", seed=1, progress=False)
    assert summary["voters"] == 200_000 and summary["supporters"] == 200
    v = pd.read_csv(tmp_path / "s" / "ncvoter.txt", sep="\t", dtype=str, encoding="cp1252",
                    keep_default_na=False, usecols=["ncid", "county_id"])
    assert v.ncid.is_unique and v.county_id.nunique() == 100
