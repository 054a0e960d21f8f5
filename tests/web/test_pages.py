from fastapi.testclient import TestClient

from targetshare.settings import get_settings
from targetshare.web import create_app


def make_client(db_url: str, **overrides) -> TestClient:
    return TestClient(create_app(get_settings(database_url=db_url, **overrides)))


def test_healthz_reports_database_ok(db_url):
    with make_client(db_url) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_landing_page_names_the_campaign_and_escapes_it(db_url):
    with make_client(db_url, campaign_name="<b>Vote</b> & Co") as client:
        response = client.get("/")
    assert response.status_code == 200
    assert "&lt;b&gt;Vote&lt;/b&gt; &amp; Co" in response.text
    assert "<b>Vote</b>" not in response.text
    assert "0 registered voters" in response.text


def test_static_css_is_served_locally(db_url):
    with make_client(db_url) as client:
        assert client.get("/static/app.css").status_code == 200
