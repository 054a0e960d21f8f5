"""Demo/dev only (mounted only when ``mode`` is demo or dev): the mail outbox."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select

from targetshare.store import schema
from targetshare.web.deps import EngineDep, render

router = APIRouter(tags=["demo and dev"])


def _mails(engine, limit: int = 50) -> list[dict]:
    table = schema.mail_outbox
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id.desc()).limit(limit)).all()
    return [
        {"id": r.id, "to": r.to_email, "subject": r.subject, "body": r.body, "token": r.token,
         "created_at": r.created_at.isoformat()}
        for r in rows
    ]


@router.get("/dev/outbox.json")
def outbox_json(engine: EngineDep) -> dict:
    """Mails the app would have sent (newest first), with their sign-in tokens."""
    return {"mails": _mails(engine)}


@router.get("/dev/outbox")
def outbox_page(request: Request, engine: EngineDep):
    return render(request, "outbox.html", {"mails": _mails(engine)})
