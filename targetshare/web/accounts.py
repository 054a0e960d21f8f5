"""Supporters' accounts: e-mailed sign-in links (single use, expiring), sign-up with referral.

In demo and dev mode without an SMTP server, mails go to the ``mail_outbox`` table (shown at
``/dev/outbox``); in production they go through SMTP and nothing is written to the outbox.
"""

from __future__ import annotations

import re
import secrets
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from targetshare.settings import Settings
from targetshare.store import schema
from targetshare.web.security import hash_token

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")

__all__ = [
    "MailUnavailable",
    "normalize_email",
    "request_sign_in",
    "redeem_sign_in",
    "sign_in_or_create",
    "supporter_by_id",
]


class MailUnavailable(RuntimeError):
    """Production with no SMTP server configured: sign-in mails cannot be sent."""


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def normalize_email(value: str) -> str | None:
    """The address lower-cased and trimmed, or None when it isn't a plausible e-mail address."""
    email = (value or "").strip().lower()
    return email if len(email) <= 320 and EMAIL_RE.match(email) else None


def request_sign_in(engine: Engine, settings: Settings, email: str, referral_code: str = "") -> str:
    """Create a single-use sign-in token for ``email`` and mail its link; return the token."""
    token = secrets.token_urlsafe(32)
    created = now()
    with engine.begin() as conn:
        conn.execute(
            insert(schema.sign_in_tokens).values(
                token_hash=hash_token(token),
                email=email,
                referral_code=(referral_code or "")[:32] or None,
                created_at=created,
                expires_at=created + timedelta(minutes=settings.sign_in_link_minutes),
            )
        )
    link = f"{settings.base_url.rstrip('/')}/auth/verify?token={token}"
    body = (
        f"Hello,\n\nSign in to {settings.campaign_name} with this link "
        f"(it works once, for {settings.sign_in_link_minutes} minutes):\n\n{link}\n\n"
        "If you didn't ask for it, ignore this mail.\n"
    )
    send_mail(engine, settings, email, f"Your sign-in link for {settings.campaign_name}", body, token)
    return token


def send_mail(engine: Engine, settings: Settings, to: str, subject: str, body: str, token: str | None) -> None:
    if settings.smtp_host:
        _send_smtp(settings, to, subject, body)
        return
    if settings.mode == "production":
        raise MailUnavailable("no SMTP server configured (TARGETSHARE_SMTP_HOST)")
    with engine.begin() as conn:
        conn.execute(
            insert(schema.mail_outbox).values(
                to_email=to, subject=subject, body=body, token=token, created_at=now()
            )
        )


def _send_smtp(settings: Settings, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


def redeem_sign_in(engine: Engine, token: str) -> int | None:
    """Use a sign-in token (once, before it expires); return the supporter id, creating them."""
    if not token or len(token) > 200:
        return None
    token_hash = hash_token(token)
    at = now()
    with engine.begin() as conn:
        used = conn.execute(
            update(schema.sign_in_tokens)
            .where(
                schema.sign_in_tokens.c.token_hash == token_hash,
                schema.sign_in_tokens.c.used_at.is_(None),
                schema.sign_in_tokens.c.expires_at > at,
            )
            .values(used_at=at)
        ).rowcount
        if used != 1:
            return None
        row = conn.execute(
            select(schema.sign_in_tokens.c.email, schema.sign_in_tokens.c.referral_code).where(
                schema.sign_in_tokens.c.token_hash == token_hash
            )
        ).one()
    return sign_in_or_create(engine, row.email, referral_code=row.referral_code or "")


def sign_in_or_create(engine: Engine, email: str, name: str = "", referral_code: str = "") -> int:
    """The supporter with this e-mail, signed up now if new (recording who referred them)."""
    table = schema.supporters
    with engine.begin() as conn:
        existing = conn.execute(select(table.c.id).where(table.c.email == email)).scalar()
        if existing is not None:
            return existing
        referrer = None
        if referral_code:
            referrer = conn.execute(
                select(table.c.id).where(table.c.referral_code == referral_code)
            ).scalar()
    for _ in range(5):
        try:
            with engine.begin() as conn:
                return conn.execute(
                    insert(table).values(
                        email=email,
                        name=name[:200],
                        role="supporter",
                        referral_code=secrets.token_urlsafe(6),
                        referred_by=referrer,
                        created_at=now(),
                    )
                ).inserted_primary_key[0]
        except IntegrityError:  # same e-mail signed up concurrently, or a code collision
            with engine.connect() as conn:
                existing = conn.execute(select(table.c.id).where(table.c.email == email)).scalar()
            if existing is not None:
                return existing
    raise RuntimeError("could not create supporter")


def supporter_by_id(engine: Engine, supporter_id: int):
    with engine.connect() as conn:
        return conn.execute(select(schema.supporters).where(schema.supporters.c.id == supporter_id)).first()
