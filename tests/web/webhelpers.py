"""Helpers for the web tests (a module, not conftest, so tests can import them)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from targetshare.settings import get_settings
from targetshare.web import create_app


def make_app(url: str, cache_dir: Path, **overrides):
    overrides.setdefault("mode", "demo")
    return create_app(get_settings(database_url=url, index_cache_dir=str(cache_dir), **overrides))


def page_csrf(html: str) -> str:
    """The CSRF token a page carries (its ``<meta name="csrf-token">``)."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def csrf_of(client: TestClient) -> str:
    """The CSRF token pages give this client now (bound to its session, or before sign-in to its
    pre-session cookie)."""
    return page_csrf(client.get("/").text)


def outbox_token(client: TestClient, email: str) -> str:
    mails = client.get("/dev/outbox.json").json()["mails"]
    return next(m["token"] for m in mails if m["to"] == email)


def sign_in(client: TestClient, email: str = "ana@example.org", ref: str = "") -> str:
    """Sign in through the landing form, the outbox and the confirm button; return the CSRF token
    of the new session (sign-in rotates it)."""
    csrf = csrf_of(client)
    response = client.post("/auth/email", data={"email": email, "ref": ref, "csrf_token": csrf})
    assert response.status_code == 200, response.text
    token = outbox_token(client, email)
    response = client.post("/auth/verify", data={"token": token, "csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client)


def api_token(client: TestClient, email: str) -> dict:
    assert client.post("/api/v1/auth/email", json={"email": email}).status_code == 202
    token = outbox_token(client, email)
    access = client.post("/api/v1/auth/verify", json={"token": token}).json()["access_token"]
    return {"Authorization": f"Bearer {access}"}


def upload(client: TestClient, csrf: str, path: Path, htmx: bool = True):
    headers = {"hx-request": "true"} if htmx else {}
    return client.post("/connect/upload", files={"file": (path.name, path.read_bytes())},
                       data={"csrf_token": csrf}, headers=headers)


def biggest_export(world: Path) -> Path:
    return max((p for p in (world / "contacts").iterdir()), key=lambda p: p.stat().st_size)
