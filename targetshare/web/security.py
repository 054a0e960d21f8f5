"""Sessions, API tokens, CSRF tokens and the sign-in rate limiter.

* A session is a signed cookie (itsdangerous, salt ``session``) holding the supporter id and a
  random session id made at sign-in; an API access token is the supporter id signed with another
  salt, sent as ``Authorization: Bearer``. Both expire after ``settings.session_days``.
* CSRF: the token is an HMAC (secret key) over the session id, or, before sign-in, over a random
  pre-session nonce kept in the ``ts_pre`` cookie. Forms send it as ``csrf_token`` (JavaScript and
  HTMX as ``X-CSRF-Token``); it is checked against the token of the request's *current* session
  (or nonce). Sign-in makes a new session id and a new nonce, sign-out a new nonce, so a token
  never outlives the sign-in state it was made for, and a pair planted by a sibling subdomain (its
  own nonce and the token we gave it) is worthless once the victim is signed in.
* The rate limiter is in-process (one per server process): a sliding window per key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SESSION_COOKIE = "ts_session"
PRE_SESSION_COOKIE = "ts_pre"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class Signer:
    """Signs and checks sessions, API tokens and CSRF tokens with the app's secret key."""

    def __init__(self, secret_key: str, session_days: int) -> None:
        self._secret = secret_key.encode()
        self._max_age = session_days * 86400
        self._session = URLSafeTimedSerializer(secret_key, salt="session")
        self._access = URLSafeTimedSerializer(secret_key, salt="api-access")

    # sessions and API tokens -----------------------------------------------------------
    def session_cookie(self, supporter_id: int) -> str:
        """A new session (a fresh random session id each time: sign-in rotates the CSRF token)."""
        return self._session.dumps({"sid": supporter_id, "n": new_nonce()})

    def access_token(self, supporter_id: int) -> str:
        return self._access.dumps({"sid": supporter_id})

    def supporter_from_session(self, value: str | None) -> int | None:
        session = self.session(value)
        return session[0] if session else None

    def session(self, value: str | None) -> tuple[int, str] | None:
        """(supporter id, session id) of a valid session cookie; None otherwise (sessions signed
        before sessions had an id count as signed out)."""
        data = self._payload(self._session, value)
        sid, nonce = data.get("sid"), data.get("n")
        if isinstance(sid, int) and nonce_ok(nonce):
            return sid, nonce
        return None

    def supporter_from_access_token(self, value: str | None) -> int | None:
        return self._load(self._access, value)

    def _load(self, serializer: URLSafeTimedSerializer, value: str | None) -> int | None:
        sid = self._payload(serializer, value).get("sid")
        return sid if isinstance(sid, int) else None

    def _payload(self, serializer: URLSafeTimedSerializer, value: str | None) -> dict:
        if not value:
            return {}
        try:
            data = serializer.loads(value, max_age=self._max_age)
        except (BadSignature, SignatureExpired):
            return {}
        return data if isinstance(data, dict) else {}

    # CSRF ------------------------------------------------------------------------------
    def csrf_token(self, binding: str) -> str:
        """The CSRF token of a session (``binding`` from ``csrf_binding``)."""
        return self._mac("csrf", binding)

    def csrf_valid(self, binding: str | None, submitted: str | None) -> bool:
        if not binding or not submitted:
            return False
        return hmac.compare_digest(submitted.encode(), self.csrf_token(binding).encode())

    def csrf_binding(self, session_cookie: str | None, pre_session_cookie: str | None) -> str | None:
        """What the CSRF token is bound to: the session id of a valid session, else the
        pre-session nonce; None when there is neither (a page then makes a nonce)."""
        session = self.session(session_cookie)
        if session:
            return f"session:{session[1]}"
        return f"pre:{pre_session_cookie}" if nonce_ok(pre_session_cookie) else None

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
        return digest[:32]


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def nonce_ok(value: object) -> bool:
    """A session id or pre-session nonce of the shape ``new_nonce`` makes."""
    return isinstance(value, str) and 16 <= len(value) <= 64 and value.isascii() and \
        all(c.isalnum() or c in "-_" for c in value)


def hash_token(token: str) -> str:
    """What the store keeps of an e-mailed sign-in token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


class RateLimiter:
    """Sliding-window limiter: at most ``limit`` hits per ``window`` seconds for each key."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._calls = 0

    def hit(self, key: str, limit: int, now: float | None = None) -> float:
        """Record a hit; return 0 if allowed, else the seconds until the next one is allowed."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._calls += 1
            if self._calls % 1024 == 0:
                self._forget_idle(now)
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= limit:
                return max(hits[0] + self.window - now, 1.0)
            hits.append(now)
            return 0.0

    def _forget_idle(self, now: float) -> None:
        """Drop keys whose last hit left the window (else every address ever seen stays in memory)."""
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]:
            del self._hits[key]

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
