"""``create_app(settings)``: the FastAPI application factory.

Nothing is created at import time: each app gets its own settings and store engine, so tests
run many apps side by side on per-test databases.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from targetshare import __version__
from targetshare.settings import Settings, get_settings
from targetshare.store.db import open_store

HERE = Path(__file__).parent


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
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from targetshare.web.routes import pages

    app.include_router(pages.router)
    return app
