"""JSON API v1 (documented by FastAPI's OpenAPI at /docs and /openapi.json).

Authentication is ``Authorization: Bearer <access_token>`` from ``/api/v1/auth/verify``; no
cookies, so no CSRF. Every ask id is looked up among the caller's own asks (404 otherwise).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from targetshare.web import asks
from targetshare.web.accounts import redeem_sign_in
from targetshare.web.contacts_in import (
    ContactsRejected,
    from_canonical,
    from_upload,
    read_json,
    read_multipart,
)
from targetshare.web.deps import ApiSupporter, EngineDep, PipelineDep, SettingsDep, SignerDep
from targetshare.web.routes.auth import start_sign_in
from targetshare.web.services import ingest_contacts, top_up

router = APIRouter(prefix="/api/v1", tags=["api v1"])

Channel = Literal["sms", "whatsapp", "messenger", "email", "copy", "share"]


class EmailIn(BaseModel):
    email: str = Field(..., examples=["ana@example.org"])
    referral_code: str = Field("", description="the referral code of whoever invited this person")


class TokenIn(BaseModel):
    token: str


class AccessToken(BaseModel):
    access_token: str
    token_type: str = "bearer"


class ContactsOut(BaseModel):
    received: int
    matched: int
    suggested: int


class Candidate(BaseModel):
    voter_id: str
    first_name: str | None = None
    last_name: str | None = None
    city: str | None = None
    birth_year: int | None = None


class Suggestion(BaseModel):
    ask_id: int
    display_name: str
    reason: str
    share_url: str
    message: str
    channels: dict[str, str]
    needs_confirmation: bool
    candidates: list[Candidate]


class Suggestions(BaseModel):
    suggestions: list[Suggestion]


class SentIn(BaseModel):
    channel: Channel


class ConfirmIn(BaseModel):
    choice: str = Field(..., description="a candidate's voter_id, or 'none'")


@router.post("/auth/email", status_code=202)
def auth_email(request: Request, body: EmailIn) -> dict:
    """E-mail a single-use sign-in link (rate-limited per address and per client: 429)."""
    start_sign_in(request, body.email, body.referral_code)
    return {"status": "sent"}


@router.post("/auth/verify", response_model=AccessToken)
def auth_verify(body: TokenIn, engine: EngineDep, signer: SignerDep) -> AccessToken:
    """Trade the e-mailed token (once) for a bearer access token."""
    supporter_id = redeem_sign_in(engine, body.token)
    if supporter_id is None:
        raise HTTPException(400, "sign-in token unknown, used or expired")
    return AccessToken(access_token=signer.access_token(supporter_id))


@router.post("/contacts", response_model=ContactsOut)
async def upload_contacts(request: Request, supporter: ApiSupporter, engine: EngineDep,
                          pipeline: PipelineDep, settings: SettingsDep) -> ContactsOut:
    """Multipart ``file`` (vCard, Google/Outlook CSV, Facebook JSON) or JSON
    ``{"contacts": [canonical records]}``. Only matched contacts are stored."""
    try:
        records = await _records_from_request(request, settings.max_upload_bytes)
    except ContactsRejected as exc:
        raise HTTPException(422, str(exc)) from None
    summary = ingest_contacts(engine, pipeline, settings, supporter.id, records)
    return ContactsOut(received=summary["received"], matched=summary["matched"], suggested=summary["suggested"])


async def _records_from_request(request: Request, max_bytes: int) -> list[dict]:
    """Read in memory, size-limited (contacts_in): no upload is ever spooled to disk."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await read_multipart(request, max_bytes)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ContactsRejected("multipart body needs a 'file' part")
        return await from_upload(upload, max_bytes)
    body = await read_json(request, max_bytes)
    return from_canonical(body.get("contacts") if isinstance(body, dict) else None)


@router.get("/suggestions", response_model=Suggestions)
def suggestions(supporter: ApiSupporter, engine: EngineDep, settings: SettingsDep) -> dict:
    """The supporter's open suggestions (at most five), best first."""
    cards = asks.cards_for(engine, supporter.id, settings.base_url, supporter.name)
    return {"suggestions": [c.public() for c in cards]}


def _owned(engine, supporter, ask_id: int):
    ask = asks.find_ask(engine, supporter.id, ask_id)
    if ask is None:
        raise HTTPException(404, "no such ask")
    return ask


@router.post("/asks/{ask_id}/sent")
def ask_sent(ask_id: int, body: SentIn, supporter: ApiSupporter, engine: EngineDep,
             pipeline: PipelineDep) -> dict:
    """Record that the supporter sent this ask by ``channel`` (idempotent: once per ask).
    409 when the ask was skipped or rejected, or its person opted out."""
    ask = _owned(engine, supporter, ask_id)
    closed = asks.not_sendable(engine, ask)
    if closed is not None:
        raise HTTPException(409, closed)
    recorded = asks.mark_sent(engine, supporter.id, ask_id, body.channel)
    if recorded:
        pipeline.record_outcome(supporter.id, ask.voter_id, True)
    return {"ask_id": ask_id, "status": "sent", "recorded": recorded}


@router.post("/asks/{ask_id}/skip")
def ask_skip(ask_id: int, supporter: ApiSupporter, engine: EngineDep, pipeline: PipelineDep,
             settings: SettingsDep) -> dict:
    ask = _owned(engine, supporter, ask_id)
    if asks.skip(engine, supporter.id, ask_id):
        pipeline.record_outcome(supporter.id, ask.voter_id, False)
    top_up(engine, pipeline, settings, supporter.id)
    return {"ask_id": ask_id, "status": "skipped"}


@router.post("/asks/{ask_id}/not-my-friend")
def ask_not_my_friend(ask_id: int, supporter: ApiSupporter, engine: EngineDep, pipeline: PipelineDep,
                      settings: SettingsDep) -> dict:
    _owned(engine, supporter, ask_id)
    asks.not_my_friend(engine, supporter.id, ask_id)
    top_up(engine, pipeline, settings, supporter.id)
    return {"ask_id": ask_id, "status": "not_my_friend"}


@router.post("/asks/{ask_id}/confirm")
def ask_confirm(ask_id: int, body: ConfirmIn, supporter: ApiSupporter, engine: EngineDep,
                pipeline: PipelineDep, settings: SettingsDep):
    _owned(engine, supporter, ask_id)
    status = asks.confirm(engine, supporter.id, ask_id, body.choice)
    if status is None:
        return JSONResponse({"detail": "choice must be one of the ask's candidates or 'none'"}, status_code=422)
    if status != "confirmed":
        top_up(engine, pipeline, settings, supporter.id)
    return {"ask_id": ask_id, "status": status}


@router.get("/me")
def me(supporter: ApiSupporter, engine: EngineDep, settings: SettingsDep) -> dict:
    """The supporter's tallies and invite link."""
    return {
        "email": supporter.email,
        "referral_code": supporter.referral_code,
        "invite_url": f"{settings.base_url.rstrip('/')}/?ref={supporter.referral_code}",
        **asks.supporter_stats(engine, supporter.id),
    }
