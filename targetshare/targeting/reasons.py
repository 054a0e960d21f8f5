"""Why this friend: a short, kind reason built only from public facts.

Only the voter file's public record (county, city, household, the elections they voted in) and
what the supporter and the friend share are used. Modeled scores, party and anything inferred
never appear: each reason is assembled from the fixed phrases below, so no other words can.
"""

from __future__ import annotations

__all__ = ["reason_for", "vote_history_phrase", "FORBIDDEN_WORDS"]

# Words a reason must never contain (checked by the tests on every phrase we can build).
FORBIDDEN_WORDS = ("score", "support", "persuad", "model", "party", "democrat", "republican",
                   "unaffiliated", "lean", "likely", "%", "propensity", "uplift")


def _place(text: str | None) -> str:
    words = (text or "").strip().split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def vote_history_phrase(voted: int, recent: int) -> str:
    """Public vote history, in plain words, over the ``recent`` most recent elections on file."""
    if recent <= 0:
        return ""
    if voted >= recent:
        return "votes in every election"
    if voted * 2 >= recent:
        return "votes in most elections"
    if voted > 0:
        return "votes in some elections"
    return "hasn't voted in recent elections"


def reason_for(voter: dict | None, me: dict | None, voted: int, recent: int, same_household: bool) -> str:
    """E.g. "Lives in Wake County · votes in some elections · you both live in Raleigh"."""
    parts: list[str] = []
    voter = voter or {}
    county = _place(voter.get("county"))
    if county:
        parts.append(f"lives in {county} County")
    history = vote_history_phrase(voted, recent)
    if history:
        parts.append(history)
    city = _place(voter.get("city"))
    if same_household:
        parts.append("you share a home")
    elif me and city and _place(me.get("city")) == city:
        parts.append(f"you both live in {city}")
    if not parts:
        return "A friend whose vote counts"
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]
