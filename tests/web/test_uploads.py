"""Contact uploads never touch the disk: not the file, not a too-big body, not a temp file."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from webhelpers import api_token, make_app, sign_in

from targetshare.store import schema


def _contacts(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.contacts)).scalar_one()


def _big_csv(size: int) -> bytes:
    row = b"Zebediah Qwxyzzy,+19195550000,zeb@example.org\n"
    return b"Name,Phone,E-mail\n" + row * (size // len(row))


def test_a_two_megabyte_upload_stays_in_memory(client, app, rollovers):
    csrf = sign_in(client)
    response = client.post("/connect/upload", files={"file": ("contacts.csv", _big_csv(2_000_000))},
                           data={"csrf_token": csrf})
    assert response.status_code in (200, 422)
    assert rollovers == []
    assert _contacts(app.state.engine) == 0


def test_api_upload_stays_in_memory(client, app, rollovers):
    headers = api_token(client, "api@example.org")
    response = client.post("/api/v1/contacts", files={"file": ("contacts.csv", _big_csv(2_000_000))}, headers=headers)
    assert response.status_code in (200, 422)
    assert rollovers == []


def test_a_too_big_streamed_upload_is_refused_before_it_is_read(loaded_url, cache_dir, rollovers):
    app = make_app(loaded_url, cache_dir, max_upload_bytes=10_000)
    with TestClient(app) as client:
        csrf = sign_in(client)
        body = _big_csv(3_000_000)
        boundary = "xyzzy"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def chunks():  # no Content-Length: the server can only count what arrives
            yield head
            for i in range(0, len(body), 65536):
                yield body[i:i + 65536]
            yield tail

        response = client.post("/connect/upload", content=chunks(),
                               headers={"content-type": f"multipart/form-data; boundary={boundary}"})
        assert response.status_code == 422 and "too big" in response.text
        assert rollovers == []
        api = client.post("/api/v1/contacts", content=b'{"contacts": [' + b'{"display_name": "x"},' * 7_000 + b'{}]}',
                          headers={**api_token(client, "api@example.org"), "content-type": "application/json"})
        assert api.status_code == 422 and "too big" in api.text
        assert _contacts(app.state.engine) == 0


def test_upload_still_needs_the_csrf_token(client, app, world):
    from webhelpers import biggest_export

    sign_in(client)
    path = biggest_export(world)
    response = client.post("/connect/upload", files={"file": (path.name, path.read_bytes())},
                           data={"csrf_token": "forged.0000"})
    assert response.status_code == 403
    assert _contacts(app.state.engine) == 0
