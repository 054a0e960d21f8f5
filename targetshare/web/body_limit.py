"""``BodyLimit``: a plain ASGI middleware that caps every request body.

Starlette's form parser (used by every ``Form(...)`` endpoint and by ``request.form()``) reads a
body of any size and spools multipart file parts past 1 MB to disk. This middleware refuses a body
over its limit before the app sees it when the Content-Length says so (413, nothing else runs), and
otherwise counts the bytes as they stream in, raising a 413 ``HTTPException`` from ``receive`` the
moment the count passes the limit (the app's error handler renders it).

The limit is ``settings.max_body_bytes``, except on the paths that carry contacts (app.py): their
handlers refuse a body past ``max_upload_bytes`` plus the multipart overhead themselves, with a
422 in a supporter's words (contacts_in.read_body), and this middleware is their backstop at twice
that.
"""

from __future__ import annotations

import json

from fastapi import HTTPException

__all__ = ["BodyLimit", "TOO_BIG"]

TOO_BIG = "That request is too big (the limit is {limit:,} bytes). Nothing was stored."


class BodyLimit:
    def __init__(self, app, default: int, larger: dict[str, tuple[int, str]] | None = None) -> None:
        """``larger``: exact path → (limit, message) for the paths allowed more than ``default``."""
        self.app = app
        self.default = default
        self.larger = larger or {}

    def _limit(self, path: str) -> tuple[int, str]:
        if path in self.larger:
            return self.larger[path]
        return self.default, TOO_BIG.format(limit=self.default)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        limit, message = self._limit(path)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            return await _refuse(scope, send, message)
        # On a backstop path the app gets the chunk that crosses the limit (it counts, and refuses
        # in its own words, first); the next read raises. Elsewhere that chunk itself raises.
        strict = path not in self.larger
        received = 0

        async def counted_receive():
            nonlocal received
            if received > limit:
                raise HTTPException(413, message)
            event = await receive()
            if event["type"] == "http.request":
                received += len(event.get("body", b""))
                if strict and received > limit:
                    raise HTTPException(413, message)
            return event

        await self.app(scope, counted_receive, send)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _wants_json(scope) -> bool:
    headers = dict(scope.get("headers", []))
    return (scope.get("path", "").startswith("/api/") or b"hx-request" in headers
            or b"application/json" in headers.get(b"accept", b""))


async def _refuse(scope, send, message: str) -> None:
    """413 without reading the body (the server closes the connection after it)."""
    if _wants_json(scope):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
