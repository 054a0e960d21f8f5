from fastapi.testclient import TestClient
from sqlalchemy import func, select

from targetshare.demo import DEMO_ORGANIZER, build_demo
from targetshare.store import schema
from targetshare.store.db import open_store
from targetshare.web import create_app


def test_demo_builds_an_imported_state_and_serves_it(tmp_path, monkeypatch):
    monkeypatch.delenv("TARGETSHARE_DATABASE_URL", raising=False)
    out = tmp_path / "demo-world"
    settings = build_demo(out, voters=3000, supporters=5, seed=3, warm=False)
    assert settings.mode == "demo"
    assert (out / "contacts").is_dir() and any((out / "contacts").iterdir())
    engine = open_store(settings.database_url)
    with engine.connect() as conn:
        voters = conn.execute(select(func.count()).select_from(schema.voters)).scalar_one()
        organizer = conn.execute(
            select(schema.supporters.c.role).where(schema.supporters.c.email == DEMO_ORGANIZER)
        ).scalar_one()
        content = conn.execute(select(func.count()).select_from(schema.content)).scalar_one()
    assert voters > 2900
    assert organizer == "organizer"
    assert content >= 1
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        assert client.get("/").status_code == 200

    # a second run reuses the state and changes nothing
    build_demo(out, voters=3000, supporters=5, seed=3, warm=False)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.voters)).scalar_one() == voters
        assert conn.execute(select(func.count()).select_from(schema.supporters)).scalar_one() == 1
    engine.dispose()
