"""``create_app(settings)``: the FastAPI application factory.

Nothing is created at import time: each app gets its own settings, store engine, signer, rate
limiter and matching pipeline, so tests run many apps side by side on per-test databases.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from targetshare import __version__
from targetshare.settings import Settings, get_settings
from targetshare.store.db import open_store
from targetshare.web.body_limit import BodyLimit
from targetshare.web.contacts_in import BODY_OVERHEAD, too_big_message
from targetshare.web.deps import SignInRequired, render
from targetshare.web.security import RateLimiter, Signer
from targetshare.web.services import Pipeline

HERE = Path(__file__).parent

# The routes that read contacts are the only ones allowed a body larger than max_body_bytes. They
# read it by hand (contacts_in.read_body: in memory, counted, refused past max_upload_bytes plus the
# multipart overhead with a 422 that says why); the middleware is their backstop, at twice that.
CONTACT_PATHS = ("/connect/upload", "/connect/picker", "/api/v1/contacts")

# Pages load scripts, styles and media only from this server (HTMX is vendored). form-action
# lists the messaging apps because a send form answers with a redirect to their deep link.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; "
    "form-action 'self' sms: mailto: fb-messenger: https://wa.me"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # share tokens are in URLs: never leak them onward
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Plain ASGI middleware (cheap on the hot friend's page) adding the headers above."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _exc: SignInRequired):
        return RedirectResponse("/?signin=1", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if _wants_json(request) or request.headers.get("hx-request"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        response = render(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                          status_code=exc.status_code)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if _wants_json(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return render(request, "error.html", {"status": 422, "detail": "Some of the form was missing or invalid."},
                      status_code=422)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = open_store(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        engine.dispose()

    app = FastAPI(
        title="targetshare",
        version=__version__,
        description="Targeted sharing: contacts matched to the voter file, five friends, measured asks.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.signer = Signer(settings.secret_key, settings.session_days)
    app.state.limiter = RateLimiter(settings.sign_in_window_seconds)
    app.state.pipeline = Pipeline(engine, settings)
    app.state.oidc_providers = None  # built from settings on first use (web/oidc.py)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    upload_limit = (2 * (settings.max_upload_bytes + BODY_OVERHEAD), too_big_message(settings.max_upload_bytes))
    app.add_middleware(BodyLimit, default=settings.max_body_bytes,
                       larger={path: upload_limit for path in CONTACT_PATHS})
    app.add_middleware(SecurityHeaders)  # added last: outermost, so a 413 gets the headers too
    _install_handlers(app)

    from targetshare.web.routes import api, auth, dev, friend, pages, supporter

    app.include_router(pages.router)
    app.include_router(auth.router)
    app.include_router(supporter.router)
    app.include_router(friend.router)
    app.include_router(api.router)
    if settings.mode in ("demo", "dev"):
        app.include_router(dev.router)
    return app
