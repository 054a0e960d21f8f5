"""Typed settings, declared once.

Every setting is read from an environment variable named ``TARGETSHARE_<NAME>`` (or from a
``.env`` file in the working directory). docs/settings.md documents each one; a test fails when
a setting here has no entry there.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-demo-only"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "testserver"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TARGETSHARE_", env_file=".env", extra="ignore")

    mode: Literal["demo", "dev", "production"] = Field(
        "dev", description="demo and dev allow default secrets and show the mail outbox; production refuses both."
    )
    database_url: str = Field(
        "sqlite:///targetshare.db",
        description="SQLAlchemy URL of the store: a SQLite file (embedded default) or postgresql://...",
    )
    secret_key: str = Field(
        DEFAULT_SECRET, description="Signs share links, sessions and sign-in tokens. Must be set in production."
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, description="Port the web server listens on.")
    base_url: str = Field(
        "http://127.0.0.1:8000", description="Public address used to build share links and sign-in links."
    )
    campaign_name: str = Field("Demo Campaign", description="Name shown on every page.")
    quarantine_dir: str = Field(
        "quarantine", description="Folder where rejected import rows are written, one CSV per import."
    )
    index_cache_dir: str = Field(
        ".targetshare-cache", description="Folder for the matcher's on-disk blocking-index cache."
    )

    # --- web: sign-in, mail, uploads (targetshare.web) ---
    smtp_host: str = Field("", description="SMTP server for sign-in mails; empty in demo/dev sends to the outbox page.")
    smtp_port: int = Field(587, description="SMTP port.")
    smtp_username: str = Field("", description="SMTP user name (empty: no login).")
    smtp_password: str = Field("", description="SMTP password.")
    smtp_starttls: bool = Field(True, description="Use STARTTLS on the SMTP connection.")
    mail_from: str = Field("targetshare@localhost", description="From address of sign-in mails.")
    sign_in_link_minutes: int = Field(15, description="Minutes an e-mailed sign-in link stays valid (single use).")
    session_days: int = Field(30, description="Days a sign-in (cookie or API token) lasts.")
    sign_in_limit_per_email: int = Field(5, description="Sign-in mails per e-mail address per window.")
    sign_in_limit_per_ip: int = Field(20, description="Sign-in requests per client address per window.")
    sign_in_window_seconds: int = Field(600, description="Length of the sign-in rate-limit window.")
    max_upload_bytes: int = Field(5_000_000, description="Largest contact file accepted.")
    max_body_bytes: int = Field(
        65_536, description="Largest request body outside the contact uploads (those get max_upload_bytes + 100 kB, checked by their handlers)."
    )
    oidc_google_client_id: str = Field("", description="Google sign-in client id (empty: off).")
    oidc_google_client_secret: str = Field("", description="Google sign-in client secret.")
    oidc_facebook_client_id: str = Field("", description="Facebook sign-in app id (empty: off).")
    oidc_facebook_client_secret: str = Field("", description="Facebook sign-in app secret.")

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.mode == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("TARGETSHARE_SECRET_KEY must be set to a private value in production mode")
        host = (urlsplit(self.base_url).hostname or "").lower()
        if self.mode != "production" and host not in LOOPBACK_HOSTS:
            raise ValueError(
                f"TARGETSHARE_MODE={self.mode} shows every sign-in link at /dev/outbox and allows the default "
                f"secret, so it only runs on a loopback base_url; {self.base_url} is public: set "
                "TARGETSHARE_MODE=production and TARGETSHARE_SECRET_KEY"
            )
        return self


def get_settings(**overrides) -> Settings:
    """Settings from the environment, with explicit overrides (used by tests and the CLI)."""
    return Settings(**overrides)
