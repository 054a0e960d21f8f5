import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from webhelpers import biggest_export, csrf_of, sign_in, upload

from targetshare.store import schema


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def open_asks(engine, supporter_email: str):
    with engine.connect() as conn:
        return conn.execute(
            select(schema.asks, schema.matches.c.status.label("match_status"))
            .join(schema.supporters, schema.supporters.c.id == schema.asks.c.supporter_id)
            .join(schema.matches, schema.matches.c.contact_id == schema.asks.c.contact_id)
            .where(schema.supporters.c.email == supporter_email, schema.asks.c.status == "suggested")
        ).all()


def test_upload_matches_stores_only_matched_and_shows_five_cards(client, app, world):
    csrf = sign_in(client)
    response = upload(client, csrf, biggest_export(world))
    assert response.status_code == 200, response.text
    found = re.search(r"We found (\d+) of your (\d+) contacts", response.text)
    matched, received = int(found.group(1)), int(found.group(2))
    assert 0 < matched < received
    engine = app.state.engine
    assert count(engine, schema.contacts) == count(engine, schema.matches) <= matched
    assert len(open_asks(engine, "ana@example.org")) == 5
    assert response.text.count('class="card"') == 5
    # never a modeled score or party on the supporter's page
    assert "probab" not in response.text.lower() and "party" not in response.text.lower()


def test_bad_files_get_a_clear_message_and_store_nothing(client, app):
    csrf = sign_in(client)
    cases = {
        "photo.png": b"\x89PNG\r\n\x1a\n" + b"0" * 100,
        "contacts.csv": b"just some words, and more words\nwithout any columns we know\n",
        "empty.vcf": b"",
    }
    for name, data in cases.items():
        response = client.post("/connect/upload", files={"file": (name, data)}, data={"csrf_token": csrf})
        assert response.status_code == 422, name
        assert "Nothing was stored" in response.text or "couldn" in response.text
    assert count(app.state.engine, schema.contacts) == 0


def test_too_big_file_is_refused(loaded_url, cache_dir, world):
    from webhelpers import make_app

    app = make_app(loaded_url, cache_dir, max_upload_bytes=1000)
    with TestClient(app) as client:
        csrf = sign_in(client)
        response = upload(client, csrf, biggest_export(world))
        assert response.status_code == 422 and "too big" in response.text
        assert count(app.state.engine, schema.contacts) == 0


def test_send_records_one_send_and_redirects_to_the_phone(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    engine = app.state.engine
    ask = next(a for a in open_asks(engine, "ana@example.org") if a.match_status != "needs_confirmation")
    for _ in range(2):  # a double click
        response = client.post(f"/asks/{ask.id}/send", data={"channel": "messenger", "message": "Hi <b>you</b>",
                                                              "csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("fb-messenger://share/?link=")
    with engine.connect() as conn:
        events = conn.execute(select(schema.share_events).where(schema.share_events.c.ask_id == ask.id)).all()
        row = conn.execute(select(schema.asks).where(schema.asks.c.id == ask.id)).one()
    assert [(e.kind, e.channel) for e in events] == [("sent", "messenger")]
    assert row.status == "sent" and row.sent_at is not None and row.channel == "messenger"


def test_sms_link_carries_the_edited_message(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    with app.state.engine.connect() as conn:
        rows = conn.execute(
            select(schema.asks.c.id, schema.contacts.c.phones)
            .join(schema.contacts, schema.contacts.c.id == schema.asks.c.contact_id)
            .where(schema.asks.c.status == "suggested")
        ).all()
    with_phone = [r for r in rows if r.phones]
    assert with_phone, "the biggest simulated export should give at least one card with a phone"
    row = with_phone[0]
    # (httpx can't parse an sms: Location header, so ask for the JSON form of the same answer)
    response = client.post(f"/asks/{row.id}/send", data={"channel": "sms", "message": "Vote with me!",
                                                         "csrf_token": csrf}, headers={"accept": "application/json"})
    assert re.match(r"sms:\+?\d+\?&body=Vote%20with%20me%21$", response.json()["link"])


def test_skip_and_not_my_friend_top_up_the_cards(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    engine = app.state.engine
    first, second = open_asks(engine, "ana@example.org")[:2]
    response = client.post(f"/asks/{first.id}/skip", data={"csrf_token": csrf}, headers={"hx-request": "true"})
    assert response.status_code == 200 and 'id="cards"' in response.text
    client.post(f"/asks/{second.id}/not-my-friend", data={"csrf_token": csrf})
    still = open_asks(engine, "ana@example.org")
    assert {first.id, second.id}.isdisjoint({a.id for a in still})
    assert len(still) >= 3
    with engine.connect() as conn:
        status = conn.execute(select(schema.matches.c.status).where(schema.matches.c.contact_id == second.contact_id)).scalar()
    assert status == "rejected"


def test_confirm_an_ambiguous_friend(client, app, world):
    csrf = sign_in(client)
    engine = app.state.engine
    ambiguous = []
    for path in sorted((world / "contacts").iterdir()):
        upload(client, csrf, path)
        for _ in range(20):  # skipping others tops the cards up: walk until an ambiguous one shows
            current = open_asks(engine, "ana@example.org")
            ambiguous = [a for a in current if a.match_status == "needs_confirmation"]
            if ambiguous or not current:
                break
            for a in current:
                client.post(f"/asks/{a.id}/skip", data={"csrf_token": csrf})
        if ambiguous:
            break
    assert ambiguous, "the simulated state should give at least one ambiguous match"
    ask = ambiguous[0]
    page = client.get("/friends").text
    assert "Which one is your friend?" in page
    assert client.post(f"/asks/{ask.id}/confirm", data={"choice": "nobody-like-this", "csrf_token": csrf}).status_code == 422
    choice = re.search(rf'action="/asks/{ask.id}/confirm".*?name="choice" value="([^"]+)"', page, re.S).group(1)
    assert client.post(f"/asks/{ask.id}/confirm", data={"choice": choice, "csrf_token": csrf}).status_code == 200
    with engine.connect() as conn:
        match = conn.execute(select(schema.matches).where(schema.matches.c.contact_id == ask.contact_id)).one()
    assert match.status == "confirmed" and match.voter_id == choice


def test_another_supporters_ids_are_not_found(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    theirs = open_asks(app.state.engine, "ana@example.org")[0]
    with TestClient(app) as other:
        other_csrf = sign_in(other, "mallory@example.org")
        for action in ("send", "skip", "not-my-friend", "confirm"):
            data = {"csrf_token": other_csrf, "channel": "sms", "choice": "none"}
            assert other.post(f"/asks/{theirs.id}/{action}", data=data).status_code == 404, action
    assert open_asks(app.state.engine, "ana@example.org")[0].status == "suggested"


def test_names_are_escaped_everywhere(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    evil = "<script>alert(1)</script>"
    engine = app.state.engine
    with engine.begin() as conn:
        conn.execute(update(schema.contacts).values(display_name=evil))
        conn.execute(update(schema.supporters).values(name=evil))
    for page in ("/friends", "/me"):
        text = client.get(page).text
        assert evil not in text and "&lt;script&gt;" in text, page
    with engine.connect() as conn:
        token = conn.execute(select(schema.asks.c.share_token)).scalars().first()
    text = client.get(f"/s/{token}").text
    assert evil not in text and "&lt;script&gt;alert(1)&lt;/script&gt; sent you this" in text


def test_friend_page_records_the_open_and_opt_out_suppresses_for_everyone(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    engine = app.state.engine
    ask = open_asks(engine, "ana@example.org")[0]
    with TestClient(app) as friend:
        page = friend.get(f"/s/{ask.share_token}")
        assert page.status_code == 200 and "Stop these messages" in page.text
        assert 'src="/static/media/campaign.webm"' in page.text and "probab" not in page.text.lower()
        friend.get(f"/s/{ask.share_token}")
        assert friend.post(f"/s/{ask.share_token}/opt-out", data={}).status_code == 403  # no CSRF token
        done = friend.post(f"/s/{ask.share_token}/opt-out", data={"csrf_token": csrf_of(friend)})
        assert done.status_code == 200 and "won't get these messages" in done.text
        assert "won't get these messages" in friend.get(f"/s/{ask.share_token}").text
    with engine.connect() as conn:
        kinds = conn.execute(select(schema.share_events.c.kind).where(schema.share_events.c.ask_id == ask.id)).scalars().all()
        opt = conn.execute(select(schema.opt_outs.c.voter_id)).scalars().all()
        status = conn.execute(select(schema.asks.c.status).where(schema.asks.c.id == ask.id)).scalar()
    assert kinds.count("opened") == 1 and "opted_out" in kinds
    assert opt == [ask.voter_id] and status == "opted_out"
    # another supporter who knows both this person and one of ana's other friends: targeting
    # suggests the other friend (the control) and never the person who opted out
    from targetshare.targeting import suggest_for_supporter

    other = next(a for a in open_asks(engine, "ana@example.org") if a.voter_id != ask.voter_id)
    with TestClient(app) as bo:
        sign_in(bo, "bo@example.org")
    with engine.connect() as conn:
        bo_id = conn.execute(select(schema.supporters.c.id).where(schema.supporters.c.email == "bo@example.org")).scalar()
    items = [{"contact_id": a.contact_id, "voter_id": a.voter_id, "match_probability": 1.0, "signals": {},
              "display_name": "x"} for a in (ask, other)]
    again = suggest_for_supporter(engine, bo_id, items, k=5)
    assert [s["voter_id"] for s in again] == [other.voter_id]


def test_unknown_and_forged_share_links_are_404(client):
    assert client.get("/s/not-a-token").status_code == 404
    assert client.get("/s/" + "A" * 27).status_code == 404


def test_supporter_page_counts_sent_and_opened(client, app, world):
    csrf = sign_in(client)
    upload(client, csrf, biggest_export(world))
    ask = next(a for a in open_asks(app.state.engine, "ana@example.org") if a.match_status != "needs_confirmation")
    client.post(f"/asks/{ask.id}/send", data={"channel": "copy", "csrf_token": csrf}, headers={"accept": "application/json"})
    with TestClient(app) as friend:
        friend.get(f"/s/{ask.share_token}")
    page = client.get("/me").text
    assert re.search(r"Messages sent</dt><dd>1<", page) and re.search(r"Opened by friends</dt><dd>1<", page)
    assert "/?ref=" in page


def test_manual_contact_that_does_not_match_is_not_stored(client, app):
    csrf = sign_in(client)
    response = client.post("/connect/manual", data={"name": "Zebediah Qwxyzzy", "phone": "+1 919 555 0000",
                                                    "csrf_token": csrf})
    assert response.status_code == 200 and "We found 0 of your 1" in response.text
    assert count(app.state.engine, schema.contacts) == 0


def test_picker_json_is_accepted(client, app, world):
    csrf = sign_in(client)
    body = {"contacts": [{"name": ["Zebediah Qwxyzzy"], "tel": ["+19195550000"], "email": []}]}
    response = client.post("/connect/picker", json=body, headers={"x-csrf-token": csrf, "hx-request": "true"})
    assert response.status_code == 200 and "We found 0 of your 1" in response.text


def test_pages_send_security_headers(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer" and headers["x-frame-options"] == "DENY"
