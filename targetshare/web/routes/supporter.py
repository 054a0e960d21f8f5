"""The supporter's pages: connect contacts, watch the video, five friends, send, own page.

Pages work without JavaScript (plain forms and redirects); HTMX and static/app.js make them
quicker (cards swap in place, the video plays while matching runs, copy link, Web Share).
"""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select, update
from starlette.datastructures import UploadFile

from targetshare.store import schema
from targetshare.web import asks
from targetshare.web.contacts_in import (
    ContactsRejected,
    from_manual,
    from_picker,
    from_upload,
    read_json,
    read_multipart,
)
from targetshare.web.deps import (
    CSRF_FIELD,
    CsrfChecked,
    CurrentSupporter,
    EngineDep,
    PipelineDep,
    SettingsDep,
    render,
    verify_csrf,
)
from targetshare.web.services import ingest_contacts, top_up

router = APIRouter(tags=["supporter (pages)"])

# The upload's body is read by hand (contacts_in.read_multipart), so describe it for /docs here.
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "csrf_token"],
    "properties": {"file": {"type": "string", "format": "binary"}, "csrf_token": {"type": "string"}},
}}}}}

CHANNEL_NAMES = {
    "sms": "text message", "whatsapp": "WhatsApp", "messenger": "Messenger", "email": "e-mail",
    "copy": "copied link", "share": "share sheet",
}


def campaign_video(engine):
    """The campaign's current video (first active content row that has one), or None."""
    table = schema.content
    with engine.connect() as conn:
        return conn.execute(
            select(table).where(table.c.active.is_(True), table.c.video_path.is_not(None)).order_by(table.c.id).limit(1)
        ).first()


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _cards_response(request: Request, supporter, engine, settings, summary: dict | None = None):
    cards = asks.cards_for(engine, supporter.id, settings.base_url, supporter.name)
    context = {"cards": cards, "summary": summary, "channel_names": CHANNEL_NAMES, "video": campaign_video(engine)}
    template = "_cards.html" if _is_htmx(request) else "friends.html"
    return render(request, template, context, supporter=supporter)


def _connect_error(request: Request, supporter, message: str):
    template = "_error.html" if _is_htmx(request) else "connect.html"
    video = campaign_video(request.app.state.engine)
    return render(request, template, {"error": message, "video": video}, status_code=422, supporter=supporter)


@router.get("/connect")
def connect_page(request: Request, supporter: CurrentSupporter):
    return render(request, "connect.html", {"video": campaign_video(request.app.state.engine)},
                  supporter=supporter)


def _ingest(request, supporter, engine, pipeline, settings, records):
    summary = ingest_contacts(engine, pipeline, settings, supporter.id, records)
    return _cards_response(request, supporter, engine, settings, summary)


@router.post("/connect/upload", openapi_extra=UPLOAD_BODY)
async def upload(request: Request, supporter: CurrentSupporter, engine: EngineDep, pipeline: PipelineDep,
                 settings: SettingsDep):
    """Multipart ``file`` and ``csrf_token``, read in memory (never spooled to disk)."""
    try:
        form = await read_multipart(request, settings.max_upload_bytes)
        verify_csrf(request, form.get(CSRF_FIELD))
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise ContactsRejected("Please choose a contacts file to upload.")
        records = await from_upload(file, settings.max_upload_bytes)
    except ContactsRejected as exc:
        return _connect_error(request, supporter, str(exc))
    return _ingest(request, supporter, engine, pipeline, settings, records)


@router.post("/connect/manual", dependencies=[CsrfChecked])
def manual(request: Request, supporter: CurrentSupporter, engine: EngineDep, pipeline: PipelineDep,
           settings: SettingsDep, name: str = Form(...), phone: str = Form(""), email: str = Form(""),
           city: str = Form(""), zip: str = Form("")):
    try:
        records = from_manual([{"name": name, "tel": [phone], "email": [email], "city": city, "zip": zip}])
    except ContactsRejected as exc:
        return _connect_error(request, supporter, str(exc))
    return _ingest(request, supporter, engine, pipeline, settings, records)


@router.post("/connect/picker", dependencies=[CsrfChecked])
async def picker(request: Request, supporter: CurrentSupporter, engine: EngineDep, pipeline: PipelineDep,
                 settings: SettingsDep):
    try:
        body = await read_json(request, settings.max_upload_bytes)
        records = from_picker(body.get("contacts") if isinstance(body, dict) else None)
    except ContactsRejected as exc:
        return _connect_error(request, supporter, str(exc))
    return _ingest(request, supporter, engine, pipeline, settings, records)


@router.get("/friends")
def friends(request: Request, supporter: CurrentSupporter, engine: EngineDep, settings: SettingsDep):
    return _cards_response(request, supporter, engine, settings)


def _owned(engine, supporter, ask_id: int):
    ask = asks.find_ask(engine, supporter.id, ask_id)
    if ask is None:
        raise HTTPException(404, "No such suggestion.")
    return ask


@router.post("/asks/{ask_id}/send", dependencies=[CsrfChecked])
def send(request: Request, ask_id: int, supporter: CurrentSupporter, engine: EngineDep,
         settings: SettingsDep, pipeline: PipelineDep, channel: str = Form(...), message: str = Form("")):
    ask = _owned(engine, supporter, ask_id)
    closed = asks.not_sendable(engine, ask)
    if closed is not None:
        raise HTTPException(409, closed)
    card = asks.card_for(engine, supporter.id, ask_id, settings.base_url, supporter.name)
    link = asks.send_link(card, channel, message) if card else None
    if link is None:
        raise HTTPException(422, "That way of sending isn't available for this friend.")
    if asks.mark_sent(engine, supporter.id, ask_id, channel):
        pipeline.record_outcome(supporter.id, ask.voter_id, True)
    if channel in ("copy", "share") or "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"recorded": True, "link": link})
    return RedirectResponse(link, status_code=303)


def _after_action(request: Request, supporter, engine, settings, pipeline):
    top_up(engine, pipeline, settings, supporter.id)
    if _is_htmx(request):
        return _cards_response(request, supporter, engine, settings)
    return RedirectResponse("/friends", status_code=303)


@router.post("/asks/{ask_id}/skip", dependencies=[CsrfChecked])
def skip(request: Request, ask_id: int, supporter: CurrentSupporter, engine: EngineDep,
         settings: SettingsDep, pipeline: PipelineDep):
    ask = _owned(engine, supporter, ask_id)
    if asks.skip(engine, supporter.id, ask_id):
        pipeline.record_outcome(supporter.id, ask.voter_id, False)
    return _after_action(request, supporter, engine, settings, pipeline)


@router.post("/asks/{ask_id}/not-my-friend", dependencies=[CsrfChecked])
def not_my_friend(request: Request, ask_id: int, supporter: CurrentSupporter, engine: EngineDep,
                  settings: SettingsDep, pipeline: PipelineDep):
    _owned(engine, supporter, ask_id)
    asks.not_my_friend(engine, supporter.id, ask_id)
    return _after_action(request, supporter, engine, settings, pipeline)


@router.post("/asks/{ask_id}/confirm", dependencies=[CsrfChecked])
def confirm(request: Request, ask_id: int, supporter: CurrentSupporter, engine: EngineDep,
            settings: SettingsDep, pipeline: PipelineDep, choice: str = Form(...)):
    _owned(engine, supporter, ask_id)
    if asks.confirm(engine, supporter.id, ask_id, choice) is None:
        raise HTTPException(422, "Please pick one of the people listed, or \"none of these\".")
    return _after_action(request, supporter, engine, settings, pipeline)


@router.get("/me")
def me(request: Request, supporter: CurrentSupporter, engine: EngineDep, settings: SettingsDep):
    stats = asks.supporter_stats(engine, supporter.id)
    invite = f"{settings.base_url.rstrip('/')}/?ref={supporter.referral_code}"
    return render(request, "me.html", {"stats": stats, "invite_url": invite}, supporter=supporter)


@router.post("/me/name", dependencies=[CsrfChecked])
def set_name(supporter: CurrentSupporter, engine: EngineDep, name: str = Form("")) -> Response:
    with engine.begin() as conn:
        conn.execute(update(schema.supporters).where(schema.supporters.c.id == supporter.id)
                     .values(name=name.strip()[:100]))
    return RedirectResponse("/me", status_code=303)
