"""The simulator's contact books (vCard, Google CSV, Facebook JSON) against its voter file,
imported through the real path: precision over accepted matches must reach 0.99."""

from __future__ import annotations

import pandas as pd

from targetshare.matching import Matcher
from targetshare.matching.evaluate import evaluate, sim_books, sim_voters
from targetshare.sim import simulate


def test_precision_on_the_simulators_books(tmp_path, sqlite_engine):
    simulate(tmp_path / "world", voters=5000, supporters=20, seed=11, progress=False)
    sim_voters(tmp_path / "world", sqlite_engine)
    logins, truth = sim_books(tmp_path / "world")
    matcher = Matcher.from_voters(sqlite_engine, contacts=[c for login in logins for c in login],
                                  cache_dir=False)
    found = pd.DataFrame([r for login in logins for r in matcher.match(login)])
    figures = evaluate(found, truth)
    assert figures["contacts"] > 1500 and figures["true_voters"] > 1000
    assert figures["precision"] >= 0.99, figures
    assert figures["recall"] >= 0.4, figures
    assert (truth["carries"] != "not parsed").all()
