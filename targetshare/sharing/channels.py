"""Deep links that open the supporter's own messaging app with the message filled in.

The campaign never sends anything: each link hands the message to the supporter's phone or
account. Conventions: ``sms:+1...?&body=`` works on both iOS and Android (iOS reads ``&body``,
Android ignores the empty first parameter); WhatsApp's ``https://wa.me/<digits>?text=``;
Messenger's ``fb-messenger://share/?link=`` (mobile app; the link carries the message page);
``mailto:`` with subject and body.
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["CHANNELS", "channel_links", "deep_link"]

CHANNELS = ("sms", "whatsapp", "messenger", "email", "copy", "share")


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def deep_link(channel: str, message: str, url: str, phone: str = "", email: str = "", subject: str = "") -> str | None:
    """The link for one channel, or None when the contact lacks what that channel needs."""
    if channel == "sms":
        return f"sms:{phone}?&body={quote(message)}" if phone else None
    if channel == "whatsapp":
        return f"https://wa.me/{_digits(phone)}?text={quote(message)}" if phone else None
    if channel == "messenger":
        return f"fb-messenger://share/?link={quote(url, safe='')}"
    if channel == "email":
        return f"mailto:{quote(email, safe='@')}?subject={quote(subject)}&body={quote(message)}" if email else None
    if channel in ("copy", "share"):
        return url
    raise ValueError(f"unknown channel {channel!r}")


def channel_links(message: str, url: str, phones: list[str], emails: list[str], subject: str) -> dict[str, str]:
    """Every channel available for this contact, name → link (copy/share give the plain link)."""
    phone = phones[0] if phones else ""
    email = emails[0] if emails else ""
    links = {}
    for channel in CHANNELS:
        link = deep_link(channel, message, url, phone=phone, email=email, subject=subject)
        if link:
            links[channel] = link
    return links
