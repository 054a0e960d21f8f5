"""Opt-outs are honoured everywhere: a closed or opted-out ask can't be sent, by page or API,
and an opted-out person is never suggested to anyone again."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import api_token, biggest_export, sign_in, upload

from targetshare.store import schema


def _plain_open_ask(engine, email: str):
    with engine.connect() as conn:
        return conn.execute(
            select(schema.asks)
            .join(schema.supporters, schema.supporters.c.id == schema.asks.c.supporter_id)
            .join(schema.matches, schema.matches.c.contact_id == schema.asks.c.contact_id)
            .where(schema.supporters.c.email == email, schema.asks.c.status == "suggested",
                   schema.matches.c.status != "needs_confirmation")
        ).first()


def test_an_opted_out_friend_cannot_be_sent_to_from_a_stale_card(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    ask = _plain_open_ask(app.state.engine, "ana@example.org")
    with TestClient(app) as friend:
        assert friend.post(f"/s/{ask.share_token}/opt-out", json={}).json() == {"opted_out": True}
    # the supporter's page was loaded before the opt-out; the send button is still there
    response = client.post(f"/asks/{ask.id}/send", data={"channel": "messenger", "csrf_token": csrf},
                           follow_redirects=False)
    assert response.status_code == 409
    assert "location" not in response.headers and "/s/" not in response.text
    with app.state.engine.connect() as conn:
        events = conn.execute(select(schema.share_events.c.kind)
                              .where(schema.share_events.c.ask_id == ask.id)).scalars().all()
    assert "sent" not in events


def test_a_skipped_ask_cannot_be_sent(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    ask = _plain_open_ask(app.state.engine, "ana@example.org")
    client.post(f"/asks/{ask.id}/skip", data={"csrf_token": csrf})
    response = client.post(f"/asks/{ask.id}/send", data={"channel": "copy", "csrf_token": csrf},
                           headers={"accept": "application/json"})
    assert response.status_code == 409 and "link" not in response.json()


def test_api_refuses_to_record_a_send_to_an_opted_out_friend(client, app, world):
    headers = api_token(client, "api@example.org")
    path = biggest_export(world)
    client.post("/api/v1/contacts", files={"file": (path.name, path.read_bytes())}, headers=headers)
    ask = _plain_open_ask(app.state.engine, "api@example.org")
    assert client.post(f"/s/{ask.share_token}/opt-out", json={}).status_code == 200
    response = client.post(f"/api/v1/asks/{ask.id}/sent", json={"channel": "sms"}, headers=headers)
    assert response.status_code == 409
    with app.state.engine.connect() as conn:
        status = conn.execute(select(schema.asks.c.status).where(schema.asks.c.id == ask.id)).scalar()
    assert status == "opted_out"
