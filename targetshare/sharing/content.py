"""The campaign's content rows: what a supporter sends for each goal.

``seed_demo_content(engine)`` writes the demo's two templates (turnout and persuasion), both with
the short video the demo ships (made for it from plain text cards: no third-party media).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, insert, select

from targetshare.store import schema

__all__ = ["DEMO_CONTENT", "seed_demo_content", "content_for_goal"]

VIDEO = "/static/media/campaign.webm"
CAPTIONS = "/static/media/campaign.vtt"
POSTER = "/static/media/poster.png"

DEMO_CONTENT = [
    {
        "slug": "turnout-2026",
        "goal": "turnout",
        "title": "Make a plan to vote",
        "message_template": (
            "Hi {friend}! Election day is coming up and I'm voting. "
            "Have you made a plan? This takes a minute: {link}"
        ),
        "call_to_action": "Make your plan to vote",
    },
    {
        "slug": "persuasion-2026",
        "goal": "persuasion",
        "title": "Why I'm voting",
        "message_template": (
            "Hi {friend}, this short video says why I'm voting this year better than I can. "
            "Would love to know what you think: {link}"
        ),
        "call_to_action": "Watch, and find your polling place",
    },
]


def seed_demo_content(engine: Engine) -> int:
    """Create the demo content rows that don't exist yet (by slug); return how many were added."""
    added = 0
    with engine.begin() as conn:
        existing = set(conn.execute(select(schema.content.c.slug)).scalars())
        for item in DEMO_CONTENT:
            if item["slug"] in existing:
                continue
            conn.execute(
                insert(schema.content).values(
                    **item,
                    video_path=VIDEO,
                    captions_path=CAPTIONS,
                    poster_path=POSTER,
                    active=True,
                    created_at=datetime.now().replace(microsecond=0),
                )
            )
            added += 1
    return added


def content_for_goal(conn, goal: str | None, slug: str | None = None):
    """The active content row for a slug, else for a goal, else any active row (or None)."""
    table = schema.content
    for condition in (
        table.c.slug == slug if slug else None,
        table.c.goal == goal if goal else None,
        table.c.active.is_(True),
    ):
        if condition is None:
            continue
        row = conn.execute(
            select(table).where(condition, table.c.active.is_(True)).order_by(table.c.id).limit(1)
        ).first()
        if row is not None:
            return row
    return None
