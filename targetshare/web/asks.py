"""Asks after they are suggested: the five cards, send/skip/not-my-friend/confirm, the friend's
page (open, opt-out), and a supporter's own tallies.

Every function that takes an ``ask_id`` from a URL also takes the signed-in supporter's id and
finds the ask only among theirs: another supporter's ask is "not found", never "forbidden", so
ids leak nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, and_, func, insert, select, update

from targetshare.sharing.channels import channel_links, deep_link
from targetshare.sharing.links import share_url
from targetshare.sharing.messages import render_message
from targetshare.store import schema

__all__ = ["Card", "cards_for", "find_ask", "not_sendable", "mark_sent", "skip", "not_my_friend", "confirm",
           "friend_view", "record_open", "opt_out", "supporter_stats", "SEND_CHANNELS"]

SEND_CHANNELS = ("sms", "whatsapp", "messenger", "email", "copy", "share")
DEFAULT_TEMPLATE = "Hi {friend}, this matters to me and I think you'd like it: {link}"
A, C, M, T = schema.asks, schema.contacts, schema.matches, schema.content


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class Card:
    ask_id: int
    display_name: str
    reason: str
    share_url: str
    message: str
    subject: str
    channels: dict[str, str]
    needs_confirmation: bool
    candidates: list[dict] = field(default_factory=list)
    voter_id: str = ""
    phone: str = ""
    email: str = ""

    def public(self) -> dict:
        return {
            "ask_id": self.ask_id,
            "display_name": self.display_name,
            "reason": self.reason,
            "share_url": self.share_url,
            "message": self.message,
            "channels": self.channels,
            "needs_confirmation": self.needs_confirmation,
            "candidates": [
                {k: c.get(k) for k in ("voter_id", "first_name", "last_name", "city", "birth_year")}
                for c in self.candidates
            ] if self.needs_confirmation else [],
        }


def _card_query():
    return (
        select(
            A.c.id, A.c.reason, A.c.share_token, A.c.voter_id, C.c.display_name, C.c.phones, C.c.emails,
            M.c.status.label("match_status"), M.c.candidates, T.c.message_template, T.c.title,
        )
        .join(C, C.c.id == A.c.contact_id)
        .join(M, M.c.contact_id == C.c.id)
        .outerjoin(T, T.c.id == A.c.content_id)
    )


def _card(row, base_url: str, supporter_name: str) -> Card:
    url = share_url(base_url, row.share_token)
    message = render_message(row.message_template or DEFAULT_TEMPLATE, row.display_name, supporter_name, url)
    subject = row.title or "Something I wanted to share with you"
    return Card(
        ask_id=row.id,
        display_name=row.display_name,
        reason=row.reason or "Someone you know",
        share_url=url,
        message=message,
        subject=subject,
        channels=channel_links(message, url, list(row.phones or []), list(row.emails or []), subject),
        needs_confirmation=row.match_status == "needs_confirmation",
        candidates=list(row.candidates or []),
        voter_id=row.voter_id,
        phone=(row.phones or [""])[0],
        email=(row.emails or [""])[0],
    )


def cards_for(engine: Engine, supporter_id: int, base_url: str, supporter_name: str = "",
              limit: int = 5) -> list[Card]:
    """The supporter's open suggestions, best first."""
    with engine.connect() as conn:
        rows = conn.execute(
            _card_query()
            .where(A.c.supporter_id == supporter_id, A.c.status == "suggested")
            .order_by(A.c.expected_value.desc(), A.c.id)
            .limit(limit)
        ).all()
    return [_card(r, base_url, supporter_name) for r in rows]


def find_ask(engine: Engine, supporter_id: int, ask_id: int):
    """The ask if it belongs to this supporter, else None."""
    with engine.connect() as conn:
        return conn.execute(select(A).where(A.c.id == ask_id, A.c.supporter_id == supporter_id)).first()


def card_for(engine: Engine, supporter_id: int, ask_id: int, base_url: str, supporter_name: str = "") -> Card | None:
    with engine.connect() as conn:
        row = conn.execute(_card_query().where(A.c.id == ask_id, A.c.supporter_id == supporter_id)).first()
    return _card(row, base_url, supporter_name) if row is not None else None


def send_link(card: Card, channel: str, message: str | None) -> str | None:
    """The deep link for ``channel`` with the (possibly edited) message."""
    text = (message or card.message).strip()[:1000] or card.message
    if channel not in card.channels:
        return None
    return deep_link(channel, text, card.share_url, phone=card.phone, email=card.email, subject=card.subject)


CLOSED = {
    "opted_out": "This friend asked not to get these messages.",
    "skipped": "You skipped this friend.",
    "not_my_friend": "You said this isn't your friend.",
}


def not_sendable(engine: Engine, ask) -> str | None:
    """Why this ask may no longer be sent (None: it may). An open or already-sent ask may, unless
    its person opted out since the card was shown: then the ask is closed here too."""
    if ask.status not in ("suggested", "sent"):
        return CLOSED.get(ask.status, "This suggestion is closed.")
    with engine.begin() as conn:
        if not _opted_out(conn, ask.voter_id):
            return None
        conn.execute(update(A).where(A.c.id == ask.id, A.c.status == "suggested").values(status="opted_out"))
    return CLOSED["opted_out"]


def mark_sent(engine: Engine, supporter_id: int, ask_id: int, channel: str) -> bool:
    """Record a send once per ask (a double click, or a second channel, records nothing more),
    never for a person who has opted out.

    Returns True when this call recorded the send."""
    at = now()
    opted_out = select(schema.opt_outs.c.id).where(schema.opt_outs.c.voter_id == A.c.voter_id).exists()
    with engine.begin() as conn:
        changed = conn.execute(
            update(A)
            .where(A.c.id == ask_id, A.c.supporter_id == supporter_id, A.c.status == "suggested", ~opted_out)
            .values(status="sent", channel=channel, sent_at=at)
        ).rowcount
        if changed == 1:
            conn.execute(insert(schema.share_events).values(ask_id=ask_id, kind="sent", channel=channel, at=at))
    return changed == 1


def _set_status(engine: Engine, supporter_id: int, ask_id: int, status: str) -> bool:
    with engine.begin() as conn:
        changed = conn.execute(
            update(A)
            .where(A.c.id == ask_id, A.c.supporter_id == supporter_id, A.c.status == "suggested")
            .values(status=status)
        ).rowcount
    return changed == 1


def skip(engine: Engine, supporter_id: int, ask_id: int) -> bool:
    return _set_status(engine, supporter_id, ask_id, "skipped")


def not_my_friend(engine: Engine, supporter_id: int, ask_id: int) -> bool:
    """The match was wrong: close the ask and reject the match so it is never suggested again."""
    ask = find_ask(engine, supporter_id, ask_id)
    if ask is None or not _set_status(engine, supporter_id, ask_id, "not_my_friend"):
        return False
    with engine.begin() as conn:
        conn.execute(update(M).where(M.c.contact_id == ask.contact_id).values(status="rejected"))
    return True


def confirm(engine: Engine, supporter_id: int, ask_id: int, choice: str) -> str | None:
    """Resolve "which one is your friend?": ``choice`` is a candidate's voter_id or ``none``.

    Returns the resulting status (``confirmed``, ``not_my_friend``, ``opted_out``) or None when the
    ask isn't this supporter's open, ambiguous one or the choice isn't among its candidates."""
    ask = find_ask(engine, supporter_id, ask_id)
    if ask is None or ask.status != "suggested":
        return None
    if choice == "none":
        return "not_my_friend" if not_my_friend(engine, supporter_id, ask_id) else None
    with engine.begin() as conn:
        match = conn.execute(select(M).where(M.c.contact_id == ask.contact_id)).first()
        if match is None or choice not in {c.get("voter_id") for c in match.candidates or []}:
            return None
        if choice != ask.voter_id:
            taken = conn.execute(
                select(A.c.id).where(A.c.supporter_id == supporter_id, A.c.voter_id == choice)
            ).first()
            if taken is not None:
                return None
            conn.execute(update(A).where(A.c.id == ask_id).values(voter_id=choice))
        conn.execute(update(M).where(M.c.id == match.id).values(status="confirmed", voter_id=choice))
        if _opted_out(conn, choice):
            conn.execute(update(A).where(A.c.id == ask_id).values(status="opted_out"))
            return "opted_out"
    return "confirmed"


def _opted_out(conn, voter_id: str) -> bool:
    return conn.execute(select(schema.opt_outs.c.id).where(schema.opt_outs.c.voter_id == voter_id).limit(1)).first() is not None


# --- the friend's page ------------------------------------------------------------------------

def friend_view(engine: Engine, token: str):
    """What the friend's page shows for a share token (None if unknown)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                A.c.id, A.c.voter_id, A.c.status, schema.supporters.c.name.label("supporter_name"),
                T.c.title, T.c.video_path, T.c.captions_path, T.c.poster_path, T.c.call_to_action, T.c.goal,
            )
            .join(schema.supporters, schema.supporters.c.id == A.c.supporter_id)
            .outerjoin(T, T.c.id == A.c.content_id)
            .where(A.c.share_token == token)
        ).first()
        if row is None:
            return None
        opted_out = _opted_out(conn, row.voter_id)
    return row, opted_out


def record_open(engine: Engine, ask_id: int) -> None:
    """Record the first open of a link (later opens read only, so a busy page stays cheap)."""
    E = schema.share_events
    with engine.connect() as conn:
        seen = conn.execute(
            select(E.c.id).where(E.c.ask_id == ask_id, E.c.kind == "opened").limit(1)
        ).first()
    if seen is None:
        with engine.begin() as conn:
            conn.execute(insert(E).values(ask_id=ask_id, kind="opened", at=now()))


def opt_out(engine: Engine, ask_id: int, voter_id: str) -> None:
    """Suppress this person for every supporter: an opt_outs row by voter_id (targeting reads it),
    and every open suggestion for them closed."""
    at = now()
    with engine.begin() as conn:
        if not _opted_out(conn, voter_id):
            conn.execute(insert(schema.opt_outs).values(voter_id=voter_id, ask_id=ask_id, reason="friend's link", at=at))
            conn.execute(insert(schema.share_events).values(ask_id=ask_id, kind="opted_out", at=at))
        conn.execute(update(A).where(A.c.voter_id == voter_id, A.c.status == "suggested").values(status="opted_out"))


# --- a supporter's own page -------------------------------------------------------------------

def supporter_stats(engine: Engine, supporter_id: int) -> dict:
    E = schema.share_events
    with engine.connect() as conn:
        by_status = dict(
            conn.execute(
                select(A.c.status, func.count()).where(A.c.supporter_id == supporter_id).group_by(A.c.status)
            ).all()
        )
        opened = conn.execute(
            select(func.count(func.distinct(E.c.ask_id)))
            .join(A, and_(A.c.id == E.c.ask_id, A.c.supporter_id == supporter_id))
            .where(E.c.kind == "opened")
        ).scalar_one()
        recruited = conn.execute(
            select(func.count()).select_from(schema.supporters).where(schema.supporters.c.referred_by == supporter_id)
        ).scalar_one()
        matched = conn.execute(
            select(func.count()).select_from(C).where(C.c.supporter_id == supporter_id)
        ).scalar_one()
    return {
        "sent": by_status.get("sent", 0),
        "opened": opened,
        "to_ask": by_status.get("suggested", 0),
        "skipped": by_status.get("skipped", 0),
        "recruited": recruited,
        "matched_contacts": matched,
    }
