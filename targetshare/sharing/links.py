"""Personal share links: ``/s/{token}``, where the token is unguessable and signed.

A token is 12 random bytes (96 bits, base64url) and an HMAC-SHA256 tag of them truncated to 64
bits, keyed by the secret key. The friend's page checks the tag before touching the store, so a
made-up token costs one HMAC and no query; the random part makes the link unguessable even to
someone who knows the secret's format.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["new_share_token", "share_token_valid", "share_url"]

_RANDOM_BYTES = 12
_TAG_BYTES = 8


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _tag(secret_key: str, nonce: str) -> str:
    mac = hmac.new(secret_key.encode(), b"share:" + nonce.encode(), hashlib.sha256).digest()
    return _b64(mac[:_TAG_BYTES])


def new_share_token(secret_key: str) -> str:
    nonce = _b64(secrets.token_bytes(_RANDOM_BYTES))
    return f"{nonce}{_tag(secret_key, nonce)}"


def share_token_valid(secret_key: str, token: str) -> bool:
    nonce_len = len(_b64(b"\0" * _RANDOM_BYTES))
    tag_len = len(_b64(b"\0" * _TAG_BYTES))
    if not token or len(token) != nonce_len + tag_len:
        return False
    nonce, tag = token[:nonce_len], token[nonce_len:]
    return hmac.compare_digest(tag, _tag(secret_key, nonce))


def share_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{token}"
