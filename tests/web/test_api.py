from fastapi.testclient import TestClient
from webhelpers import api_token, biggest_export


def test_api_flow_end_to_end(client, world):
    headers = api_token(client, "api@example.org")
    path = biggest_export(world)
    response = client.post("/api/v1/contacts", files={"file": (path.name, path.read_bytes())}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["received"] > body["matched"] > 0
    suggestions = client.get("/api/v1/suggestions", headers=headers).json()["suggestions"]
    assert len(suggestions) == 5
    first = suggestions[0]
    assert set(first) >= {"ask_id", "display_name", "reason", "share_url", "channels", "needs_confirmation", "candidates"}
    assert "/s/" in first["share_url"] and "copy" in first["channels"]
    assert "probab" not in response.text + str(suggestions)
    plain = next(s for s in suggestions if not s["needs_confirmation"])
    sent = [client.post(f"/api/v1/asks/{plain['ask_id']}/sent", json={"channel": "whatsapp"}, headers=headers).json()
            for _ in range(2)]
    assert [s["recorded"] for s in sent] == [True, False]
    assert client.post(f"/api/v1/asks/{plain['ask_id']}/sent", json={"channel": "pigeon"}, headers=headers).status_code == 422
    others = [s for s in suggestions if s["ask_id"] != plain["ask_id"]]
    assert client.post(f"/api/v1/asks/{others[0]['ask_id']}/skip", headers=headers).json()["status"] == "skipped"
    assert client.post(f"/api/v1/asks/{others[1]['ask_id']}/not-my-friend", headers=headers).json()["status"] == "not_my_friend"
    confirm = client.post(f"/api/v1/asks/{others[2]['ask_id']}/confirm", json={"choice": "none"}, headers=headers)
    assert confirm.json()["status"] == "not_my_friend"
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["sent"] == 1 and me["invite_url"].endswith(me["referral_code"])
    token = plain["share_url"].rsplit("/", 1)[1]
    assert client.post(f"/s/{token}/opt-out", json={}).json() == {"opted_out": True}


def test_api_accepts_canonical_json_contacts(client):
    headers = api_token(client, "json@example.org")
    records = [{"contact_id": "c1", "source": "manual", "display_name": "Nobody Atall", "given_name": "NOBODY",
                "family_name": "ATALL", "phones": ["+19195550000"], "emails": []}]
    body = client.post("/api/v1/contacts", json={"contacts": records}, headers=headers).json()
    assert body == {"received": 1, "matched": 0, "suggested": 0}
    bad = client.post("/api/v1/contacts", json={"contacts": [{"phones": "919"}]}, headers=headers)
    assert bad.status_code == 422


def test_api_needs_a_bearer_token_and_hides_other_supporters_asks(client, world):
    assert client.get("/api/v1/suggestions").status_code == 401
    assert client.get("/api/v1/suggestions", headers={"Authorization": "Bearer nope"}).status_code == 401
    owner = api_token(client, "owner@example.org")
    path = biggest_export(world)
    client.post("/api/v1/contacts", files={"file": (path.name, path.read_bytes())}, headers=owner)
    ask_id = client.get("/api/v1/suggestions", headers=owner).json()["suggestions"][0]["ask_id"]
    intruder = api_token(client, "intruder@example.org")
    assert client.get("/api/v1/suggestions", headers=intruder).json() == {"suggestions": []}
    for action, body in (("sent", {"channel": "sms"}), ("skip", None), ("not-my-friend", None), ("confirm", {"choice": "none"})):
        assert client.post(f"/api/v1/asks/{ask_id}/{action}", json=body, headers=intruder).status_code == 404


def test_verify_rejects_unknown_token(client):
    assert client.post("/api/v1/auth/verify", json={"token": "made-up"}).status_code == 400


def test_openapi_documents_the_api(app):
    with TestClient(app) as client:
        paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/auth/email", "/api/v1/auth/verify", "/api/v1/contacts", "/api/v1/suggestions",
                 "/api/v1/asks/{ask_id}/sent", "/api/v1/asks/{ask_id}/confirm", "/s/{token}", "/s/{token}/opt-out",
                 "/dev/outbox.json"):
        assert path in paths, path


def test_no_modeled_value_reaches_a_supporter_even_if_stored_with_the_candidates(client, app, world):
    """The output filter itself (not only the store) keeps scores out of cards and the API."""
    from sqlalchemy import select, update

    from targetshare.store import schema

    headers = api_token(client, "leak@example.org")
    path = biggest_export(world)
    client.post("/api/v1/contacts", files={"file": (path.name, path.read_bytes())}, headers=headers)
    engine = app.state.engine
    with engine.begin() as conn:
        ask = conn.execute(select(schema.asks).where(schema.asks.c.status == "suggested")).first()
        leaky = {"voter_id": ask.voter_id, "first_name": "ANA", "last_name": "LOPEZ", "city": "RALEIGH",
                 "birth_year": 1980, "match_probability": 0.93, "party": "DEM", "support_score": 0.7}
        conn.execute(update(schema.matches).where(schema.matches.c.contact_id == ask.contact_id)
                     .values(status="needs_confirmation", candidates=[leaky]))
    api = client.get("/api/v1/suggestions", headers=headers)
    card = next(s for s in api.json()["suggestions"] if s["ask_id"] == ask.id)
    assert card["needs_confirmation"] and card["candidates"][0]["first_name"] == "ANA"
    for forbidden in ("match_probability", "0.93", "party", "DEM", "support_score", "expected_value", "p_send"):
        assert forbidden not in api.text, forbidden
    with TestClient(app) as page:
        from webhelpers import sign_in

        sign_in(page, "leak@example.org")
        html = page.get("/friends").text
    assert "Which one is your friend?" in html and "Ana Lopez, Raleigh, born 1980" in html
    for forbidden in ("0.93", "DEM", "party", "probab", "score"):
        assert forbidden not in html, forbidden
