"""OpenID Connect code flow against a fake provider served by uvicorn on localhost."""

import socket
import threading
import time
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi import FastAPI, Form, Header
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient
from sqlalchemy import select

from targetshare.store import schema
from targetshare.web.oidc import Provider


@pytest.fixture
def fake_provider():
    import uvicorn

    fake = FastAPI()

    @fake.post("/token")
    def token(code: str = Form(...), client_secret: str = Form(...)):
        if code == "html-code":  # a proxy's or the provider's error page, with 200
            return HTMLResponse("<html><body>Service unavailable</body></html>")
        if code == "500-code":
            return PlainTextResponse("upstream error", status_code=500)
        if code == "list-code":
            return [1, 2]
        if code == "html-userinfo-code":
            return {"access_token": "at-html", "token_type": "bearer"}
        if code != "good-code" or client_secret != "s3cret":
            return {"error": "invalid_grant"}
        return {"access_token": "at-123", "token_type": "bearer"}

    @fake.get("/userinfo")
    def userinfo(authorization: str = Header("")):
        if authorization == "Bearer at-html":
            return HTMLResponse("<html>not json</html>")
        assert authorization == "Bearer at-123"
        return {"email": "OIDC.User@example.org", "email_verified": True, "name": "Oi Dee"}

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(fake, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    yield Provider("fake", "Fake", f"{base}/authorize", f"{base}/token", f"{base}/userinfo", "openid email",
                   "client-1", "s3cret", True)
    server.should_exit = True
    thread.join(timeout=5)


def test_oidc_code_flow_signs_in_with_the_verified_email(app, fake_provider):
    app.state.oidc_providers = {"fake": fake_provider}
    with TestClient(app) as client:
        assert "Sign in with Fake" in client.get("/").text
        start = client.get("/auth/oidc/fake", follow_redirects=False)
        query = parse_qs(urlparse(start.headers["location"]).query)
        assert query["client_id"] == ["client-1"] and query["response_type"] == ["code"]
        state = query["state"][0]
        wrong = client.get("/auth/oidc/fake/callback?code=good-code&state=forged", follow_redirects=False)
        assert wrong.status_code == 400
        bad_code = client.get(f"/auth/oidc/fake/callback?code=bad&state={state}", follow_redirects=False)
        assert bad_code.status_code == 400
        done = client.get(f"/auth/oidc/fake/callback?code=good-code&state={state}", follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/connect"
        assert client.get("/connect").status_code == 200
    with app.state.engine.connect() as conn:
        row = conn.execute(select(schema.supporters)).one()
    assert row.email == "oidc.user@example.org" and row.name == "Oi Dee"


def test_unconfigured_provider_is_404(client):
    assert client.get("/auth/oidc/google", follow_redirects=False).status_code == 404


def test_a_provider_answer_that_is_not_json_is_a_sign_in_failure(app, fake_provider):
    app.state.oidc_providers = {"fake": fake_provider}
    with TestClient(app) as client:
        for code in ("html-code", "500-code", "list-code", "html-userinfo-code"):
            start = client.get("/auth/oidc/fake", follow_redirects=False)
            state = parse_qs(urlparse(start.headers["location"]).query)["state"][0]
            answer = client.get(f"/auth/oidc/fake/callback?code={code}&state={state}", follow_redirects=False)
            assert answer.status_code == 400, (code, answer.text)
            assert "Fake did not" in answer.text and "try again" in answer.text.lower()
            assert "ts_session" not in answer.cookies
    with app.state.engine.connect() as conn:
        assert conn.execute(select(schema.supporters)).first() is None


def test_an_unreachable_provider_is_a_sign_in_failure(app):
    dead = Provider("dead", "Dead", "http://127.0.0.1:9/authorize", "http://127.0.0.1:9/token",
                    "http://127.0.0.1:9/userinfo", "openid email", "client-1", "s3cret")
    app.state.oidc_providers = {"dead": dead}
    with TestClient(app) as client:
        start = client.get("/auth/oidc/dead", follow_redirects=False)
        state = parse_qs(urlparse(start.headers["location"]).query)["state"][0]
        answer = client.get(f"/auth/oidc/dead/callback?code=x&state={state}", follow_redirects=False)
        assert answer.status_code == 400 and "Dead" in answer.text
