from sqlalchemy import func, select

from targetshare.sharing import (
    channel_links,
    new_share_token,
    render_message,
    seed_demo_content,
    share_token_valid,
)
from targetshare.store import schema


def test_share_tokens_are_signed_and_unguessable():
    tokens = {new_share_token("k") for _ in range(1000)}
    assert len(tokens) == 1000
    token = next(iter(tokens))
    assert share_token_valid("k", token)
    assert not share_token_valid("other-key", token)
    assert not share_token_valid("k", token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not share_token_valid("k", "") and not share_token_valid("k", "x" * 200)


def test_channel_links_follow_each_apps_convention():
    links = channel_links("Hi Ana & co: vote!", "https://x.org/s/abc", ["+19195550123"], ["ana@example.org"], "Vote")
    assert links["sms"] == "sms:+19195550123?&body=Hi%20Ana%20%26%20co%3A%20vote%21"
    assert links["whatsapp"] == "https://wa.me/19195550123?text=Hi%20Ana%20%26%20co%3A%20vote%21"
    assert links["messenger"] == "fb-messenger://share/?link=https%3A%2F%2Fx.org%2Fs%2Fabc"
    assert links["email"].startswith("mailto:ana@example.org?subject=Vote&body=Hi%20Ana")
    assert links["copy"] == "https://x.org/s/abc"
    none = channel_links("m", "u", [], [], "s")
    assert "sms" not in none and "whatsapp" not in none and "email" not in none


def test_message_templates_fill_only_known_placeholders():
    text = render_message("Hi {friend}! {unknown} {link}", "Ana María López", "Bo", "https://x/s/1")
    assert text == "Hi Ana! {unknown} https://x/s/1"
    assert render_message("No link here", "Bo", "", "https://x/s/1").endswith("https://x/s/1")


def test_seed_demo_content_is_idempotent(engine):
    assert seed_demo_content(engine) == 2
    assert seed_demo_content(engine) == 0
    with engine.connect() as conn:
        goals = set(conn.execute(select(schema.content.c.goal)).scalars())
        assert conn.execute(select(func.count()).select_from(schema.content)).scalar_one() == 2
    assert goals == {"turnout", "persuasion"}


def test_demo_video_is_small_and_shipped():
    from pathlib import Path

    media = Path(__file__).resolve().parents[2] / "targetshare" / "web" / "static" / "media"
    assert (media / "campaign.webm").stat().st_size < 1_000_000
    assert (media / "campaign.vtt").read_text().startswith("WEBVTT")
