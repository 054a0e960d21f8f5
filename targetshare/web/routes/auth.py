"""Sign-in pages: request an e-mailed link, confirm it, sign out; OpenID Connect when configured.

The e-mailed link opens a page with a button, and only the button's POST uses the token: mail
scanners that fetch links can't burn a single-use link or sign anyone in.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from targetshare.web.accounts import (
    MailUnavailable,
    normalize_email,
    redeem_sign_in,
    request_sign_in,
)
from targetshare.web.deps import (
    CsrfChecked,
    EngineDep,
    SettingsDep,
    SignerDep,
    end_session,
    render,
    start_session,
)

router = APIRouter(tags=["sign-in (pages)"])


def limit_sign_in(request: Request, email: str) -> None:
    """429 with Retry-After when this client address or this e-mail asked too often."""
    settings = request.app.state.settings
    limiter = request.app.state.limiter
    client = request.client.host if request.client else "unknown"
    wait = limiter.hit(f"ip:{client}", settings.sign_in_limit_per_ip)
    if not wait:
        wait = limiter.hit(f"email:{email}", settings.sign_in_limit_per_email)
    if wait:
        raise HTTPException(429, "Too many sign-in requests. Please wait a few minutes and try again.",
                            headers={"Retry-After": str(int(wait) + 1)})


def start_sign_in(request: Request, raw_email: str, referral_code: str) -> str:
    """Validate, rate-limit and send a sign-in link; return the normalized address."""
    email = normalize_email(raw_email)
    if email is None:
        raise HTTPException(422, "That doesn't look like an e-mail address.")
    limit_sign_in(request, email)
    try:
        request_sign_in(request.app.state.engine, request.app.state.settings, email, referral_code)
    except MailUnavailable as exc:
        raise HTTPException(503, "Sign-in by e-mail is not available right now.") from exc
    return email


@router.post("/auth/email", dependencies=[CsrfChecked])
def email_link(request: Request, email: str = Form(...), ref: str = Form("")):
    address = start_sign_in(request, email, ref)
    return render(request, "signin_sent.html", {"email": address})


@router.get("/auth/verify")
def verify_page(request: Request, token: str = ""):
    return render(request, "signin_verify.html", {"token": token})


@router.post("/auth/verify", dependencies=[CsrfChecked])
def verify(request: Request, engine: EngineDep, settings: SettingsDep, signer: SignerDep, token: str = Form("")):
    supporter_id = redeem_sign_in(engine, token)
    if supporter_id is None:
        return render(request, "signin_verify.html", {"token": "", "expired": True}, status_code=400)
    response = RedirectResponse("/connect", status_code=303)
    start_session(response, signer, settings, supporter_id)
    return response


@router.post("/auth/logout", dependencies=[CsrfChecked])
def logout(settings: SettingsDep):
    response = RedirectResponse("/", status_code=303)
    end_session(response, settings)
    return response


@router.get("/auth/oidc/{name}")
def oidc_start(request: Request, name: str, settings: SettingsDep, ref: str = ""):
    from targetshare.web import oidc

    provider = oidc.configured_providers(request.app).get(name)
    if provider is None:
        raise HTTPException(404, "That sign-in option isn't available.")
    url, cookie = oidc.authorize_redirect(provider, settings.base_url, settings.secret_key, ref)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(oidc.STATE_COOKIE, cookie, max_age=600, httponly=True, samesite="lax",
                        secure=settings.base_url.startswith("https"), path="/auth/oidc")
    return response


@router.get("/auth/oidc/{name}/callback")
def oidc_callback(request: Request, name: str, engine: EngineDep, settings: SettingsDep, signer: SignerDep,
                  code: str = "", state: str = ""):
    from targetshare.web import oidc
    from targetshare.web.accounts import normalize_email, sign_in_or_create

    provider = oidc.configured_providers(request.app).get(name)
    if provider is None:
        raise HTTPException(404, "That sign-in option isn't available.")
    try:
        ref = oidc.check_state(settings.secret_key, request.cookies.get(oidc.STATE_COOKIE), provider, state)
        email, display = oidc.finish_sign_in(provider, settings.base_url, code)
    except oidc.OidcError as exc:
        raise HTTPException(400, str(exc)) from None
    address = normalize_email(email)
    if address is None:
        raise HTTPException(400, "The provider gave an e-mail address we can't use.")
    response = RedirectResponse("/connect", status_code=303)
    start_session(response, signer, settings, sign_in_or_create(engine, address, display, ref))
    response.delete_cookie(oidc.STATE_COOKIE, path="/auth/oidc")
    return response
