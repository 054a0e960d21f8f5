"""A small simulated state, built once per test session."""

from __future__ import annotations

import pytest

from targetshare.sim import simulate

SMALL = {"voters": 6000, "supporters": 16, "seed": 7}


@pytest.fixture(scope="session")
def sim_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sim") / "state"
    summary = simulate(out, progress=False, **SMALL)
    assert summary["voters"] == SMALL["voters"]
    return out
