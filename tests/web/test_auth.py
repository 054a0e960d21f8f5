from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from webhelpers import csrf_of, make_app, outbox_token, sign_in

from targetshare.store import schema


def test_magic_link_signs_in_once(client):
    csrf = csrf_of(client)
    assert client.post("/auth/email", data={"email": " Ana@Example.org ", "csrf_token": csrf}).status_code == 200
    token = outbox_token(client, "ana@example.org")
    # opening the link (a mail scanner would) does not use it up
    assert client.get(f"/auth/verify?token={token}").status_code == 200
    first = client.post("/auth/verify", data={"token": token, "csrf_token": csrf}, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/connect"
    assert client.get("/connect").status_code == 200
    client.cookies.delete("ts_session")
    again = client.post("/auth/verify", data={"token": token, "csrf_token": csrf_of(client)})
    assert again.status_code == 400
    assert "used or has expired" in again.text


def test_expired_link_is_refused(client, app):
    csrf = csrf_of(client)
    client.post("/auth/email", data={"email": "bo@example.org", "csrf_token": csrf})
    token = outbox_token(client, "bo@example.org")
    with app.state.engine.begin() as conn:
        conn.execute(update(schema.sign_in_tokens).values(expires_at=datetime.now() - timedelta(minutes=1)))
    assert client.post("/auth/verify", data={"token": token, "csrf_token": csrf}).status_code == 400


def test_the_store_keeps_only_a_hash_of_the_token(client, app):
    csrf = csrf_of(client)
    client.post("/auth/email", data={"email": "cy@example.org", "csrf_token": csrf})
    token = outbox_token(client, "cy@example.org")
    with app.state.engine.connect() as conn:
        hashes = conn.execute(select(schema.sign_in_tokens.c.token_hash)).scalars().all()
    assert token not in hashes and len(hashes[0]) == 64


def test_referral_code_records_who_recruited_whom(client, app):
    sign_in(client, "recruiter@example.org")
    with app.state.engine.connect() as conn:
        recruiter = conn.execute(select(schema.supporters).where(schema.supporters.c.email == "recruiter@example.org")).one()
    assert recruiter.referral_code in client.get("/me").text
    with TestClient(app) as other:
        assert "A friend invited you" in other.get(f"/?ref={recruiter.referral_code}").text
        sign_in(other, "newbie@example.org", ref=recruiter.referral_code)
    with app.state.engine.connect() as conn:
        newbie = conn.execute(select(schema.supporters).where(schema.supporters.c.email == "newbie@example.org")).one()
    assert newbie.referred_by == recruiter.id
    assert "People you invited" in client.get("/me").text


def test_sign_in_is_rate_limited_per_email_with_retry_after(loaded_url, cache_dir):
    app = make_app(loaded_url, cache_dir, sign_in_limit_per_email=2)
    with TestClient(app) as client:
        csrf = csrf_of(client)
        for _ in range(2):
            assert client.post("/auth/email", data={"email": "x@example.org", "csrf_token": csrf}).status_code == 200
        limited = client.post("/auth/email", data={"email": "x@example.org", "csrf_token": csrf})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        api = client.post("/api/v1/auth/email", json={"email": "x@example.org"})
        assert api.status_code == 429 and "retry-after" in api.headers
        # another address from the same client is still fine (until the per-IP limit)
        assert client.post("/api/v1/auth/email", json={"email": "y@example.org"}).status_code == 202


def test_sign_in_is_rate_limited_per_client_address(loaded_url, cache_dir):
    app = make_app(loaded_url, cache_dir, sign_in_limit_per_ip=3)
    with TestClient(app) as client:
        codes = [client.post("/api/v1/auth/email", json={"email": f"p{i}@example.org"}).status_code for i in range(4)]
    assert codes == [202, 202, 202, 429]


def test_bad_email_is_refused(client):
    assert client.post("/api/v1/auth/email", json={"email": "not an address"}).status_code == 422
    csrf = csrf_of(client)
    assert client.post("/auth/email", data={"email": "<script>@x", "csrf_token": csrf}).status_code == 422


def test_form_posts_need_the_csrf_token(client):
    assert client.post("/auth/email", data={"email": "a@example.org"}).status_code == 403
    csrf = csrf_of(client)
    assert client.post("/auth/email", data={"email": "a@example.org", "csrf_token": csrf[:-4] + "0000"}).status_code == 403
    # a token is worth nothing with another pre-session nonce (one a sibling subdomain planted)
    client.cookies.set("ts_pre", "A" * 24)
    assert client.post("/auth/email", data={"email": "a@example.org", "csrf_token": csrf}).status_code == 403
    assert client.post("/auth/email", data={"email": "a@example.org", "csrf_token": csrf_of(client)}).status_code == 200


def test_production_has_no_outbox_and_refuses_mail_without_smtp(loaded_url, cache_dir):
    app = make_app(loaded_url, cache_dir, mode="production", secret_key="a-real-secret-value")
    with TestClient(app) as client:
        assert client.get("/dev/outbox.json").status_code == 404
        assert client.post("/api/v1/auth/email", json={"email": "a@example.org"}).status_code == 503
        with app.state.engine.connect() as conn:
            assert conn.execute(select(schema.mail_outbox)).first() is None


def test_logout_ends_the_session(client):
    csrf = sign_in(client)
    assert client.post("/auth/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    response = client.get("/connect", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/?signin")


def test_session_cookie_is_signed(client):
    client.cookies.set("ts_session", "eyJzaWQiOjF9.forged.sig")
    assert client.get("/me", follow_redirects=False).status_code == 303


def test_rate_limiter_forgets_idle_keys():
    from targetshare.web.security import RateLimiter

    limiter = RateLimiter(window=60)
    for i in range(5000):
        limiter.hit(f"email:{i}@example.org", 5, now=float(i // 1000) * 100)
    assert len(limiter._hits) <= 1024 + 1000  # the keys of windows long gone were dropped
    assert limiter.hit("email:4999@example.org", 1, now=400.0) > 0  # a live key is still counted


def _non_session_cookies(client: TestClient) -> dict:
    return {c.name: c.value for c in client.cookies.jar if c.name != "ts_session"}


def test_a_planted_csrf_pair_does_not_work_for_a_signed_in_supporter(app):
    """A sibling subdomain can set our cookies: it plants the pair it got from us as a visitor."""
    with TestClient(app) as attacker, TestClient(app) as victim:
        token = csrf_of(attacker)
        planted = _non_session_cookies(attacker)
        assert planted
        sign_in(victim, "victim@example.org")
        for name, value in planted.items():
            victim.cookies.set(name, value)
        forged = victim.post("/me/name", data={"name": "Pwned", "csrf_token": token}, follow_redirects=False)
        assert forged.status_code == 403
        by_header = victim.post("/me/name", data={"name": "Pwned"}, headers={"X-CSRF-Token": token})
        assert by_header.status_code == 403
        assert "Pwned" not in victim.get("/me").text


def test_csrf_token_of_one_session_does_not_work_in_another(app):
    with TestClient(app) as ana, TestClient(app) as bo:
        ana_token = sign_in(ana, "ana@example.org")
        sign_in(bo, "bo@example.org")
        for name, value in _non_session_cookies(ana).items():
            bo.cookies.set(name, value)
        assert bo.post("/me/name", data={"name": "X", "csrf_token": ana_token}).status_code == 403
        assert ana.post("/me/name", data={"name": "Ana", "csrf_token": ana_token},
                        follow_redirects=False).status_code < 400


def test_csrf_token_rotates_at_sign_in_and_sign_out(client):
    before = csrf_of(client)
    during = sign_in(client, "rot@example.org")
    assert during != before
    assert client.post("/me/name", data={"name": "Old", "csrf_token": before}).status_code == 403
    assert client.post("/me/name", data={"name": "Rot", "csrf_token": during},
                       follow_redirects=False).status_code < 400
    assert client.post("/auth/logout", data={"csrf_token": during}, follow_redirects=False).status_code == 303
    after = csrf_of(client)
    assert after not in (before, during)
    # the signed-out visitor's page token works; the old session's token does not
    assert client.post("/auth/email", data={"email": "rot@example.org", "csrf_token": during}).status_code == 403
    assert client.post("/auth/email", data={"email": "rot@example.org", "csrf_token": after}).status_code == 200
