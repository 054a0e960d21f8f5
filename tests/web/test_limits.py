"""Every request body is size-limited (web/body_limit.py): by its Content-Length before anything
reads it, or counted as it streams in. Contact uploads get max_upload_bytes plus the overhead."""

from fastapi.testclient import TestClient
from webhelpers import csrf_of, make_app, sign_in


def _chunks(data: bytes, size: int = 16384):
    for i in range(0, len(data), size):
        yield data[i:i + size]


def test_an_oversized_form_is_refused_by_its_content_length(client):
    csrf = csrf_of(client)
    response = client.post("/auth/email", data={"email": "a@example.org", "ref": "x" * 200_000, "csrf_token": csrf})
    assert response.status_code == 413
    # refused before the handler ran: no token needed to get the 413, and nothing was sent
    assert client.post("/me/name", data={"name": "n" * 200_000}).status_code == 413
    assert client.get("/dev/outbox.json").json()["mails"] == []


def test_an_oversized_streamed_body_is_refused_as_it_arrives(client):
    csrf = sign_in(client)
    body = b"csrf_token=" + csrf.encode() + b"&name=" + b"n" * 300_000
    response = client.post("/me/name", content=_chunks(body), follow_redirects=False,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert "n" * 100 not in client.get("/me").text
    json_answer = client.post("/api/v1/auth/email", content=_chunks(b'{"email": "' + b"a" * 300_000 + b'"}'),
                              headers={"content-type": "application/json"})
    assert json_answer.status_code == 413 and "too big" in json_answer.json()["detail"]


def test_a_multipart_body_to_a_form_endpoint_is_limited_and_not_spooled(client, rollovers):
    csrf = csrf_of(client)
    response = client.post("/auth/email", data={"email": "a@example.org", "csrf_token": csrf},
                           files={"junk": ("junk.bin", b"\0" * 3_000_000)})
    assert response.status_code == 413
    assert rollovers == []


def test_small_forms_still_work(client):
    csrf = csrf_of(client)
    assert client.post("/auth/email", data={"email": "a@example.org", "csrf_token": csrf}).status_code == 200


def test_contact_uploads_get_the_upload_limit(loaded_url, cache_dir):
    app = make_app(loaded_url, cache_dir, max_upload_bytes=300_000, max_body_bytes=10_000)
    row = b"Zebediah Qwxyzzy,+19195550000,zeb@example.org\n"
    csv = b"Name,Phone,E-mail\n" + row * (250_000 // len(row))
    with TestClient(app) as client:
        csrf = sign_in(client)
        fits = client.post("/connect/upload", files={"file": ("c.csv", csv)}, data={"csrf_token": csrf})
        assert fits.status_code in (200, 422) and "too big" not in fits.text
        # past the upload limit the handler explains (422); far past it the middleware refuses (413)
        too_big = client.post("/connect/upload", files={"file": ("c.csv", csv * 2)}, data={"csrf_token": csrf})
        assert too_big.status_code == 422 and "too big" in too_big.text
        huge = client.post("/connect/upload", files={"file": ("c.csv", csv * 4)}, data={"csrf_token": csrf})
        assert huge.status_code == 413 and "too big" in huge.text
        # the small limit applies everywhere else
        assert client.post("/me/name", data={"name": "n" * 20_000, "csrf_token": csrf}).status_code == 413
