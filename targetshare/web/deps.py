"""Dependency aliases shared by the routers, and the page renderer.

* ``CurrentSupporter``: the signed-in supporter from the session cookie (pages); anonymous
  visitors are sent to the sign-in page.
* ``ApiSupporter``: the supporter from ``Authorization: Bearer`` (JSON API); 401 otherwise.
* ``CsrfChecked``: form posts must carry the CSRF token of the current session (security.py).
* ``start_session``/``end_session`` set the cookies of a sign-in and a sign-out; both rotate the
  CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from targetshare.settings import Settings
from targetshare.web.accounts import supporter_by_id
from targetshare.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    Signer,
    new_nonce,
)
from targetshare.web.services import Pipeline


class SignInRequired(Exception):
    """Raised by page dependencies; app.py turns it into a redirect to the sign-in page."""


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


def get_signer(request: Request) -> Signer:
    return request.app.state.signer


def get_pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


def optional_supporter(request: Request):
    signer: Signer = request.app.state.signer
    sid = signer.supporter_from_session(request.cookies.get(SESSION_COOKIE))
    return supporter_by_id(request.app.state.engine, sid) if sid is not None else None


def current_supporter(request: Request):
    supporter = optional_supporter(request)
    if supporter is None:
        raise SignInRequired()
    return supporter


def api_supporter(request: Request):
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    signer: Signer = request.app.state.signer
    sid = signer.supporter_from_access_token(token.strip()) if scheme.lower() == "bearer" else None
    supporter = supporter_by_id(request.app.state.engine, sid) if sid is not None else None
    if supporter is None:
        raise HTTPException(401, "sign in first: Authorization: Bearer <access_token>",
                            headers={"WWW-Authenticate": "Bearer"})
    return supporter


def csrf_binding(request: Request) -> str | None:
    return request.app.state.signer.csrf_binding(request.cookies.get(SESSION_COOKIE),
                                                 request.cookies.get(PRE_SESSION_COOKIE))


def verify_csrf(request: Request, form_value: object = None) -> None:
    """403 unless the X-CSRF-Token header, or else the form's field, is the token of the
    request's current session (or, signed out, of its pre-session nonce)."""
    submitted = request.headers.get(CSRF_HEADER) or (form_value if isinstance(form_value, str) else None)
    if not request.app.state.signer.csrf_valid(csrf_binding(request), submitted):
        raise HTTPException(403, "This form has expired. Go back, reload the page and try again.")


async def check_csrf(request: Request) -> None:
    value = None
    if not request.headers.get(CSRF_HEADER):
        value = (await request.form()).get(CSRF_FIELD)
    verify_csrf(request, value)


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
SignerDep = Annotated[Signer, Depends(get_signer)]
PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]
CurrentSupporter = Annotated[Any, Depends(current_supporter)]
OptionalSupporter = Annotated[Any, Depends(optional_supporter)]
ApiSupporter = Annotated[Any, Depends(api_supporter)]
CsrfChecked = Depends(check_csrf)


def render(request: Request, template: str, context: dict | None = None, status_code: int = 200,
           supporter: Any = None) -> HTMLResponse:
    """Render a page with what every page needs, setting the pre-session cookie when a signed-out
    visitor has none."""
    app = request.app
    signer: Signer = app.state.signer
    settings: Settings = app.state.settings
    binding = csrf_binding(request)
    nonce = None
    if binding is None:
        nonce = new_nonce()
        binding = signer.csrf_binding(None, nonce)
    ctx = {
        "campaign_name": settings.campaign_name,
        "mode": settings.mode,
        "csrf_token": signer.csrf_token(binding),
        "supporter": supporter,
        "dev_outbox": settings.mode in ("demo", "dev"),
    }
    ctx.update(context or {})
    response = app.state.templates.TemplateResponse(request, template, ctx, status_code=status_code)
    if nonce is not None:
        _set_pre_session(response, settings, nonce)
    return response


def _set_pre_session(response, settings: Settings, nonce: str) -> None:
    response.set_cookie(PRE_SESSION_COOKIE, nonce, httponly=True, samesite="lax",
                        secure=settings.base_url.startswith("https"), path="/")


def start_session(response, signer: Signer, settings: Settings, supporter_id: int) -> None:
    """Sign in: a new session (new session id) and a new pre-session nonce."""
    response.set_cookie(
        SESSION_COOKIE, signer.session_cookie(supporter_id), max_age=settings.session_days * 86400,
        httponly=True, samesite="lax", secure=settings.base_url.startswith("https"), path="/",
    )
    _set_pre_session(response, settings, new_nonce())


def end_session(response, settings: Settings) -> None:
    """Sign out: the session cookie goes and the pre-session nonce is replaced."""
    response.delete_cookie(SESSION_COOKIE, path="/")
    _set_pre_session(response, settings, new_nonce())
