import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from targetshare.settings import DEFAULT_SECRET, Settings, get_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented():
    text = DOCS.read_text()
    for name in Settings.model_fields:
        assert f"`{name}`" in text, f"setting {name} missing from docs/settings.md"
        assert f"TARGETSHARE_{name.upper()}" in text


def test_documented_defaults_match_code():
    text = DOCS.read_text()
    for name, field in Settings.model_fields.items():
        row = re.search(rf"^\| `{name}` \|[^|]*\| `([^`]*)` \|", text, re.M)
        assert row, name
        assert row.group(1) == str(field.default), name


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("TARGETSHARE_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("TARGETSHARE_PORT", "9001")
    settings = get_settings()
    assert settings.database_url == "sqlite:///elsewhere.db"
    assert settings.port == 9001


def test_production_refuses_default_secret():
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(mode="production", secret_key=DEFAULT_SECRET)
    assert Settings(mode="production", secret_key="s3cret-value").mode == "production"
