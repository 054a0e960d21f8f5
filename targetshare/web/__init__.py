"""The web app: supporter flow, friend's page, organizer console, JSON API (FastAPI)."""

from targetshare.web import commands
from targetshare.web.app import create_app

__all__ = ["commands", "create_app"]
