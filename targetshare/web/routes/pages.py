"""Public pages: the landing page and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import func, select

from targetshare import __version__
from targetshare.store import schema
from targetshare.web.deps import EngineDep, SettingsDep, TemplatesDep

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def landing(request: Request, settings: SettingsDep, templates: TemplatesDep, engine: EngineDep):
    with engine.connect() as conn:
        voters = conn.execute(select(func.count()).select_from(schema.voters)).scalar_one()
    return templates.TemplateResponse(
        request,
        "landing.html",
        {"campaign_name": settings.campaign_name, "voters": voters, "mode": settings.mode},
    )


@router.get("/healthz")
def healthz(engine: EngineDep):
    try:
        with engine.connect() as conn:
            conn.execute(select(1)).scalar_one()
    except Exception as exc:  # the check exists to report exactly this
        return JSONResponse({"status": "error", "database": str(exc.__class__.__name__)}, status_code=503)
    return {"status": "ok", "database": "ok", "version": __version__}
