"""End to end in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright):
sign in through the outbox, upload a contacts export, watch the video, five friends, confirm an
ambiguous one, send by each channel, open the friend's link, opt out; at desktop and phone sizes,
with an axe-core check of every page and screenshots in docs/screenshots/.

Run with ``make test-browser`` (``pytest -m browser``)."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from webhelpers import biggest_export, make_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).with_name("axe.min.js")
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(loaded_url, cache_dir):
    import uvicorn

    port = _free_port()
    app = make_app(loaded_url, cache_dir, base_url=f"http://127.0.0.1:{port}")
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def check_axe(page, name: str) -> None:
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: {bad}"


KEEP = {"2-five-friends", "3-which-one", "4-sent", "6-friend-page", "7-opted-out"}  # what docs/web.md shows


def shot(page, size: str, step: str) -> None:
    if step not in KEEP:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{size}-{step}.png"), full_page=False)


def _sign_in(page, base: str, size: str, email: str | None = None) -> None:
    email = email or f"{size}@example.org"
    page.goto(base + "/")
    check_axe(page, "landing")
    shot(page, size, "1-landing")
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_role("button", name="E-mail me a sign-in link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    page.goto(base + "/dev/outbox")
    check_axe(page, "outbox")
    page.get_by_role("link", name=f"Open sign-in link for {email}").first.click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(base + "/connect")


def _upload(page, export: Path, size: str) -> None:
    check_axe(page, "connect")
    page.set_input_files("#file", str(export))
    page.get_by_role("button", name="Find my friends").click()
    page.locator("#watch video").wait_for(state="visible")  # the video plays while matching runs
    page.locator("#cards-title").wait_for()
    shot(page, size, "2-five-friends")
    check_axe(page, "cards")


def _shared_names(engine, limit: int = 25) -> list[tuple[str, str, str]]:
    """Names two voters share in one city: a contact with that name and city is ambiguous."""
    from sqlalchemy import func, select

    from targetshare.store import schema

    v = schema.voters.c
    query = (select(v.first_name, v.last_name, v.city).where(v.city != "")
             .group_by(v.first_name, v.last_name, v.city).having(func.count() == 2)
             .order_by(v.last_name, v.first_name).limit(limit))  # fmt: skip
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def _confirm_ambiguous(browser, base: str, app, size: str) -> bool:
    """A second supporter adds by hand a friend whose name and city two voters share, and
    answers "which one is your friend?" on the card that comes up."""
    context = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True, locale="en-US")
    page = context.new_page()
    try:
        _sign_in(page, base, size, email=f"{size}-second@example.org")
        for first, last, city in _shared_names(app.state.engine):
            page.goto(base + "/connect")
            page.get_by_label("Name").fill(f"{first.title()} {last.title()}")
            page.get_by_label("City (optional)").fill(city.title())
            page.get_by_role("button", name="Add").click()
            page.wait_for_load_state("networkidle")
            page.goto(base + "/friends")
            card = page.locator("article.card", has=page.get_by_text("Which one is your friend?"))
            if not card.count():
                continue
            card = card.first
            card.scroll_into_view_if_needed()
            check_axe(page, "which one")
            shot(page, size, "3-which-one")
            card.locator("input[type=radio]").first.check()
            card.get_by_role("button", name="That's my friend").click()
            page.wait_for_load_state("networkidle")
            return True
        return False
    finally:
        context.close()


def _send_by_each_channel(page, size: str) -> dict:
    seen = {}
    deep_links: list[str] = []

    def intercept(route):
        # Let the real request reach the server (it records the send), keep its redirect to the
        # sms:/wa.me/fb-messenger:/mailto: deep link, and answer 204 so headless Chromium stays put.
        response = route.fetch(max_redirects=0)
        deep_links.append(response.headers.get("location", ""))
        route.fulfill(status=204)

    page.context.route("**/asks/*/send", intercept)  # the context's: WhatsApp opens a new tab
    for channel, label in (("sms", "Text message"), ("whatsapp", "WhatsApp"), ("messenger", "Messenger"),
                           ("email", "E-mail")):
        card = page.locator("article.card", has=page.get_by_role("button", name=label)).locator(
            "xpath=self::*[not(contains(@class,'sent'))]").first
        if not card.count():
            continue
        button = card.get_by_role("button", name=label)
        before = len(deep_links)
        button.click()  # WhatsApp's form targets a new tab; the route sees it all the same
        for _ in range(50):
            if len(deep_links) > before:
                break
            page.wait_for_timeout(100)
        seen[channel] = deep_links[-1] if len(deep_links) > before else ""
        page.wait_for_timeout(400)
    page.context.unroute("**/asks/*/send")
    copy = page.locator("article.card:not(.sent)").get_by_role("button", name="Copy link").first
    if copy.count():
        with page.expect_response(lambda r: "/send" in r.url) as response:
            copy.click()
        seen["copy"] = response.value.json()["link"]
    shot(page, size, "4-sent")
    return seen


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_supporter_and_friend_journey(browser, server, world, size):
    base, app = server
    context = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    _sign_in(page, base, size)
    _upload(page, biggest_export(world), size)
    seen = _send_by_each_channel(page, size)
    assert seen["sms"].startswith("sms:") and "body=" in seen["sms"]
    assert seen["whatsapp"].startswith("https://wa.me/")
    assert seen["messenger"].startswith("fb-messenger://share/")
    assert "/s/" in seen["copy"]
    from sqlalchemy import select

    from targetshare.store import schema

    with app.state.engine.connect() as conn:
        channels = set(conn.execute(select(schema.asks.c.channel).where(schema.asks.c.status == "sent")).scalars())
    assert {"sms", "whatsapp", "messenger", "copy"} <= channels
    page.goto(base + "/me")
    check_axe(page, "me")
    shot(page, size, "5-you")
    friend = context.new_page()
    friend.goto(seen["copy"].replace("http://127.0.0.1:8000", base))
    friend.get_by_role("button", name="Stop these messages").wait_for()
    check_axe(friend, "friend")
    shot(friend, size, "6-friend-page")
    friend.get_by_role("button", name="Stop these messages").click()
    friend.get_by_role("heading", name="Done. You won't get these messages.").wait_for()
    shot(friend, size, "7-opted-out")
    check_axe(friend, "opted out")
    context.close()
    assert _confirm_ambiguous(browser, base, app, size), "no ambiguous match came up among the cards"
