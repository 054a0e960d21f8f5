"""Sessions, API tokens, CSRF tokens and the sign-in rate limiter.

* A session is a signed cookie (itsdangerous, salt ``session``) holding the supporter id; an API
  access token is the same payload signed with another salt, sent as ``Authorization: Bearer``.
  Both expire after ``settings.session_days``.
* CSRF: double-submit. Every page sets a random ``ts_csrf`` cookie; every form carries it back as
  ``csrf_token`` (or the ``X-CSRF-Token`` header from JavaScript) and the two must agree. The cookie
  value is HMAC-signed with the secret key, so a made-up value is refused; it is not bound to the
  session, so a sibling subdomain that can set cookies could still plant a token it got from us.
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
CSRF_COOKIE = "ts_csrf"
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
        return self._session.dumps({"sid": supporter_id})

    def access_token(self, supporter_id: int) -> str:
        return self._access.dumps({"sid": supporter_id})

    def supporter_from_session(self, value: str | None) -> int | None:
        return self._load(self._session, value)

    def supporter_from_access_token(self, value: str | None) -> int | None:
        return self._load(self._access, value)

    def _load(self, serializer: URLSafeTimedSerializer, value: str | None) -> int | None:
        if not value:
            return None
        try:
            data = serializer.loads(value, max_age=self._max_age)
        except (BadSignature, SignatureExpired):
            return None
        sid = data.get("sid") if isinstance(data, dict) else None
        return sid if isinstance(sid, int) else None

    # CSRF ------------------------------------------------------------------------------
    def new_csrf_token(self) -> str:
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._mac('csrf', nonce)}"

    def csrf_token_valid(self, token: str | None) -> bool:
        if not token or "." not in token:
            return False
        nonce, mac = token.rsplit(".", 1)
        return hmac.compare_digest(mac, self._mac("csrf", nonce))

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
        return digest[:32]


def csrf_matches(signer: Signer, cookie: str | None, submitted: str | None) -> bool:
    """Double-submit check: the submitted token equals the cookie and carries our signature."""
    if not cookie or not submitted:
        return False
    return hmac.compare_digest(cookie, submitted) and signer.csrf_token_valid(cookie)


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
