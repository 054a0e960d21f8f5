"""Merge duplicate contacts within one upload (same phone, or same full name)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from targetshare.contacts.record import Contact

__all__ = ["dedupe"]


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _groups(contacts: Sequence[Contact]) -> list[list[int]]:
    """Indices grouped by shared phone or by equal given+family name (both non-empty)."""
    parent = list(range(len(contacts)))
    first_seen: dict[tuple[str, str], int] = {}
    for i, c in enumerate(contacts):
        keys = [("phone", p) for p in c.phones]
        if c.given_name and c.family_name:
            keys.append(("name", f"{c.given_name}|{c.family_name}"))
        for key in keys:
            if key in first_seen:
                parent[_find(parent, i)] = _find(parent, first_seen[key])
            else:
                first_seen[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(contacts)):
        groups.setdefault(_find(parent, i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _merge(items: list[Contact]) -> Contact:
    base = items[0]
    if len(items) == 1:
        return base

    def first(attr: str) -> str:
        return next((getattr(c, attr) for c in items if getattr(c, attr)), "")

    phones = list(dict.fromkeys(p for c in items for p in c.phones))
    emails = list(dict.fromkeys(e for c in items for e in c.emails))
    labels = list(dict.fromkeys(lab for c in items for lab in c.signals["labels"]))
    since = [c.signals["friends_since"] for c in items if c.signals["friends_since"] is not None]
    signals = {
        **base.signals,
        "starred": any(c.signals["starred"] for c in items),
        "relationship": next((c.signals["relationship"] for c in items if c.signals["relationship"]), ""),
        "labels": labels,
        "has_nickname": any(c.signals["has_nickname"] for c in items),
        "friends_since": min(since) if since else None,
        "organization": next((c.signals["organization"] for c in items if c.signals["organization"]), ""),
        "phone_count": len(phones),
        "email_count": len(emails),
        "related": [r for c in items for r in c.signals["related"]],
        "merged_ids": [c.contact_id for c in items],
    }
    birthday = max((c.birthday for c in items), key=len)  # a full date beats "--MM-DD"
    return replace(
        base,
        **{a: first(a) for a in ("display_name", "given_name", "middle_name", "family_name",
                                 "nickname", "city", "state", "zip")},
        phones=phones,
        emails=emails,
        birthday=birthday,
        birth_year=next((c.birth_year for c in items if c.birth_year), None),
        signals=signals,
    )


def dedupe(contacts: Sequence[Contact]) -> list[Contact]:
    """One contact per person: records sharing a phone or a full name are merged.

    The merged record keeps the first record's ``contact_id`` and ``source``; the ids merged
    into it are listed in ``signals["merged_ids"]``. Given-name-only records ("Mom", "Jen") merge
    only through a shared phone, never by name.
    """
    return [_merge([contacts[i] for i in group]) for group in _groups(contacts)]
