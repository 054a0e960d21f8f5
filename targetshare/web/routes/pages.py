"""Public pages: the landing page (with sign-in) and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import func, select

from targetshare import __version__
from targetshare.store import schema
from targetshare.web.deps import EngineDep, OptionalSupporter, render
from targetshare.web.oidc import configured_providers

router = APIRouter(tags=["public pages"])


@router.get("/")
def landing(request: Request, engine: EngineDep, supporter: OptionalSupporter, ref: str = ""):
    if supporter is not None and not ref:
        return RedirectResponse("/friends" if _has_asks(engine, supporter.id) else "/connect", status_code=303)
    with engine.connect() as conn:
        voters = conn.execute(select(func.count()).select_from(schema.voters)).scalar_one()
    providers = configured_providers(request.app)
    return render(request, "landing.html", {"voters": voters, "ref": ref[:32], "providers": providers})


def _has_asks(engine, supporter_id: int) -> bool:
    with engine.connect() as conn:
        return conn.execute(
            select(schema.asks.c.id).where(schema.asks.c.supporter_id == supporter_id).limit(1)
        ).first() is not None


@router.get("/healthz")
def healthz(engine: EngineDep):
    try:
        with engine.connect() as conn:
            conn.execute(select(1)).scalar_one()
    except Exception as exc:  # the check exists to report exactly this
        return JSONResponse({"status": "error", "database": str(exc.__class__.__name__)}, status_code=503)
    return {"status": "ok", "database": "ok", "version": __version__}
