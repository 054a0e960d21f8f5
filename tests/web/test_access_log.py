"""Share tokens, sign-in tokens and OIDC codes never reach uvicorn's access log."""

import logging
import logging.config

import uvicorn

from targetshare.web import commands
from targetshare.web.access_log import RedactTokens


def _record(path: str) -> logging.LogRecord:
    # the shape uvicorn.protocols.http gives its access records
    return logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                             ("127.0.0.1:5000", "GET", path, "1.1", 200), None)


def test_the_filter_redacts_share_and_sign_in_tokens():
    f = RedactTokens()
    cases = {
        "/s/AbC123-_xyz.tag": "/s/[redacted]",
        "/s/AbC123-_xyz.tag/opt-out": "/s/[redacted]/opt-out",
        "/auth/verify?token=secret-token": "/auth/verify?token=[redacted]",
        "/auth/oidc/google/callback?code=c0de&state=st4te": "/auth/oidc/google/callback?code=[redacted]&state=[redacted]",
        "/?ref=abc&token=t": "/?ref=abc&token=[redacted]",
        "/connect": "/connect",
        "/static/app.js?v=1": "/static/app.js?v=1",
    }
    for path, shown in cases.items():
        record = _record(path)
        assert f.filter(record) is True
        message = record.getMessage()
        assert shown in message, message
        assert "secret-token" not in message and "AbC123" not in message and "c0de" not in message


def test_other_records_pass_untouched():
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started %s", ("/s/tok",), None)
    assert RedactTokens().filter(record) and record.getMessage() == "Started /s/tok"


def test_serve_installs_the_filter_on_uvicorn_access(monkeypatch, capsys):
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    monkeypatch.setattr("targetshare.web.app.create_app", lambda settings: object())
    commands._serve(type("S", (), {"host": "127.0.0.1", "port": 8000})())
    config = seen["log_config"]
    logging.config.dictConfig(config)
    try:
        logging.getLogger("uvicorn.access").handle(_record("/auth/verify?token=very-secret"))
        out = capsys.readouterr().out
        assert "token=[redacted]" in out and "very-secret" not in out
    finally:
        logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
