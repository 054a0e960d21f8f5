"""Optional sign-in with Google or Facebook: the OAuth 2 / OpenID Connect authorization-code flow
in plain httpx. A provider appears only when its client id and secret are set.

The ``state`` is random, kept in a signed short-lived cookie and compared on return (CSRF on the
callback); the code is exchanged server-to-server; the e-mail comes from the provider's userinfo
and must be verified there (Google's ``email_verified``; Facebook returns only confirmed e-mails).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
from itsdangerous import BadSignature, URLSafeTimedSerializer

__all__ = ["Provider", "configured_providers", "authorize_redirect", "finish_sign_in", "OidcError"]

STATE_COOKIE = "ts_oidc"


class OidcError(Exception):
    """The provider's answer can't sign anyone in (message is safe to show)."""


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    authorize_url: str
    token_url: str
    userinfo_url: str
    scope: str
    client_id: str
    client_secret: str
    requires_verified_flag: bool = False


def _from_settings(settings) -> dict[str, Provider]:
    providers = {}
    if settings.oidc_google_client_id and settings.oidc_google_client_secret:
        providers["google"] = Provider(
            "google", "Google", "https://accounts.google.com/o/oauth2/v2/auth",
            "https://oauth2.googleapis.com/token", "https://openidconnect.googleapis.com/v1/userinfo",
            "openid email profile", settings.oidc_google_client_id, settings.oidc_google_client_secret, True,
        )
    if settings.oidc_facebook_client_id and settings.oidc_facebook_client_secret:
        providers["facebook"] = Provider(
            "facebook", "Facebook", "https://www.facebook.com/v19.0/dialog/oauth",
            "https://graph.facebook.com/v19.0/oauth/access_token",
            "https://graph.facebook.com/me?fields=id,name,email",
            "email public_profile", settings.oidc_facebook_client_id, settings.oidc_facebook_client_secret,
        )
    return providers


def configured_providers(app) -> dict[str, Provider]:
    """Providers from settings (tests may set ``app.state.oidc_providers`` to a fake provider)."""
    if app.state.oidc_providers is None:
        app.state.oidc_providers = _from_settings(app.state.settings)
    return app.state.oidc_providers


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="oidc-state")


def callback_url(base_url: str, provider: Provider) -> str:
    return f"{base_url.rstrip('/')}/auth/oidc/{provider.name}/callback"


def authorize_redirect(provider: Provider, base_url: str, secret_key: str, ref: str = "") -> tuple[str, str]:
    """(URL to send the browser to, signed state cookie value)."""
    state = secrets.token_urlsafe(24)
    query = urlencode({
        "client_id": provider.client_id, "redirect_uri": callback_url(base_url, provider),
        "response_type": "code", "scope": provider.scope, "state": state,
    })
    cookie = _serializer(secret_key).dumps({"state": state, "provider": provider.name, "ref": ref[:32]})
    return f"{provider.authorize_url}?{query}", cookie


def check_state(secret_key: str, cookie: str | None, provider: Provider, state: str) -> str:
    """Return the referral code carried through the flow; raise OidcError if the state is wrong."""
    try:
        data = _serializer(secret_key).loads(cookie or "", max_age=600)
    except BadSignature:
        raise OidcError("Sign-in took too long or came from elsewhere. Please try again.") from None
    if not secrets.compare_digest(str(data.get("state")), state or "") or data.get("provider") != provider.name:
        raise OidcError("Sign-in came back with the wrong state. Please try again.")
    return str(data.get("ref") or "")


def finish_sign_in(provider: Provider, base_url: str, code: str) -> tuple[str, str]:
    """Exchange the code and read the verified e-mail and name: (email, name). Any answer that
    is not the JSON object expected (an error page, a 5xx, no answer at all) is an OidcError."""
    refused = OidcError(f"{provider.label} did not accept the sign-in. Please try again.")
    try:
        with httpx.Client(timeout=10) as client:
            token = _json_object(client.post(provider.token_url, data={
                "grant_type": "authorization_code", "code": code, "redirect_uri": callback_url(base_url, provider),
                "client_id": provider.client_id, "client_secret": provider.client_secret,
            }, headers={"Accept": "application/json"}), refused)
            access = token.get("access_token")
            if not isinstance(access, str) or not access:
                raise refused
            data = _json_object(client.get(provider.userinfo_url, headers={"Authorization": f"Bearer {access}"}),
                                OidcError(f"{provider.label} did not share your e-mail address. Please try again."))
    except httpx.HTTPError:
        raise OidcError(f"{provider.label} did not answer. Please try again, or sign in by e-mail.") from None
    email = str(data.get("email") or "").strip().lower()
    if not email or (provider.requires_verified_flag and data.get("email_verified") is not True):
        raise OidcError(f"{provider.label} did not share a verified e-mail address; sign in by e-mail instead.")
    return email, str(data.get("name") or "")


def _json_object(answer: httpx.Response, error: OidcError) -> dict:
    """The answer's JSON object; ``error`` if it isn't a 200 with one."""
    if answer.status_code != 200:
        raise error
    try:
        data = answer.json()
    except ValueError:  # not JSON, or not text at all
        raise error from None
    if not isinstance(data, dict):
        raise error
    return data
