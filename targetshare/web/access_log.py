"""Keeping capabilities out of the access log.

A share link ``/s/{token}`` is the friend's capability, an e-mailed ``/auth/verify?token=`` link
signs someone in, and an OIDC callback's ``code``/``state`` are one-time credentials: uvicorn would
log each of them on every request. ``RedactTokens`` is a logging filter for the ``uvicorn.access``
logger that replaces them with ``[redacted]`` in the record before any handler sees it;
``log_config()`` is uvicorn's logging configuration with the filter installed, which
``targetshare serve`` and ``demo`` pass to ``uvicorn.run``.
"""

from __future__ import annotations

import copy
import logging
import re

__all__ = ["RedactTokens", "redact", "log_config"]

REDACTED = "[redacted]"
_SHARE = re.compile(r"^/s/[^/?#]+")
_QUERY = re.compile(r"([?&](?:token|code|state)=)[^&#]*", re.I)


def redact(path: str) -> str:
    """A request path (with its query string) with the share token and secret query values hidden."""
    return _QUERY.sub(rf"\g<1>{REDACTED}", _SHARE.sub(f"/s/{REDACTED}", path))


class RedactTokens(logging.Filter):
    """For ``uvicorn.access`` records: ``args`` is (client, method, path, http version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            if isinstance(args[2], str):
                args[2] = redact(args[2])
                record.args = tuple(args)
        return True


def log_config() -> dict:
    """uvicorn's default logging configuration, with ``RedactTokens`` on the access logger."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": "targetshare.web.access_log.RedactTokens"}
    access = config["loggers"].setdefault("uvicorn.access", {})
    access["filters"] = [*access.get("filters", []), "redact_tokens"]
    return config
