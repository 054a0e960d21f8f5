"""Web fixtures: one small simulated state per test session, a fresh store per test loaded from
it (voters, scores, demo content), and clients signed in through the real mail-outbox flow."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webhelpers import make_app

from targetshare.sharing import seed_demo_content
from targetshare.store.db import make_engine, migrate

WORLD_VOTERS = 3000


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> Path:
    from targetshare.sim import simulate

    out = tmp_path_factory.mktemp("world")
    simulate(out, voters=WORLD_VOTERS, supporters=20, seed=7, progress=False)
    return out


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index-cache")


def load_world(url: str, world: Path, tmp: Path) -> None:
    from targetshare.targeting.scores import import_scores
    from targetshare.voterfile import import_voter_file

    engine = make_engine(url)
    migrate(engine)
    import_voter_file(world / "ncvoter.txt", world / "ncvhis.txt", engine=engine, quarantine_dir=tmp / "q")
    import_scores(engine, world / "scores.csv")
    seed_demo_content(engine)
    engine.dispose()


@pytest.fixture
def loaded_url(db_url, world, tmp_path) -> str:
    load_world(db_url, world, tmp_path)
    return db_url


@pytest.fixture
def app(loaded_url, cache_dir):
    return make_app(loaded_url, cache_dir)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def rollovers(monkeypatch):
    """Every SpooledTemporaryFile that spilled to a file on disk (what Starlette does past 1 MB)."""
    spilled = []
    original = tempfile.SpooledTemporaryFile.rollover

    def rollover(self):
        spilled.append(self)
        return original(self)

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", rollover)
    return spilled
