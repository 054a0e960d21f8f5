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


def test_demo_and_dev_modes_refuse_a_public_base_url():
    with pytest.raises(ValidationError, match="loopback"):
        Settings(mode="dev", base_url="https://vote.example.org")
    with pytest.raises(ValidationError, match="loopback"):
        Settings(mode="demo", base_url="http://203.0.113.5:8000")
    assert Settings(mode="dev", base_url="http://localhost:8000").mode == "dev"
    assert Settings(mode="production", base_url="https://vote.example.org", secret_key="x" * 32).mode == "production"
