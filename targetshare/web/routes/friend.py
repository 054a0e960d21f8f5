"""The friend's page: ``/s/{token}``, the personal link a supporter sent.

Shows the campaign's video or message and its call to action, records the open, and offers
one click to stop these messages: that suppresses the person for every supporter.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from targetshare.sharing.links import share_token_valid
from targetshare.web import asks
from targetshare.web.deps import EngineDep, SettingsDep, check_csrf, render

router = APIRouter(tags=["friend's page"])

REGISTER_URL = "https://vote.gov/"
POLLING_PLACE_URL = "https://www.vote.org/polling-place-locator/"


def _view(engine, settings, token: str):
    if not share_token_valid(settings.secret_key, token):
        raise HTTPException(404, "This link isn't valid. Please check you copied all of it.")
    found = asks.friend_view(engine, token)
    if found is None:
        raise HTTPException(404, "This link isn't valid. Please check you copied all of it.")
    return found


@router.get("/s/{token}")
def friend_page(request: Request, token: str, engine: EngineDep, settings: SettingsDep):
    ask, opted_out = _view(engine, settings, token)
    if not opted_out:
        asks.record_open(engine, ask.id)
    return render(request, "friend.html", {
        "ask": ask, "token": token, "opted_out": opted_out,
        "register_url": REGISTER_URL, "polling_place_url": POLLING_PLACE_URL,
    })


@router.post("/s/{token}/opt-out")
async def friend_opt_out(request: Request, token: str, engine: EngineDep, settings: SettingsDep):
    """Stop these messages. Forms carry the CSRF token; JSON clients may post without one
    (a cross-site form cannot send JSON), the unguessable token being the capability."""
    is_json = request.headers.get("content-type", "").startswith("application/json")
    if not is_json:
        await check_csrf(request)
    ask, _ = _view(engine, settings, token)
    asks.opt_out(engine, ask.id, ask.voter_id)
    if is_json or "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"opted_out": True})
    return render(request, "opted_out.html", {})
