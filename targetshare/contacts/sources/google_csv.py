"""Google Contacts CSV export, current layout and the legacy "Google CSV" layout.

Current: ``First Name,Middle Name,Last Name,...,Nickname,...,Birthday,...,Labels,
E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,...,Address 1 - City,
Address 1 - Region,Address 1 - Postal Code,...,Relation 1 - Label,Relation 1 - Value``.
Legacy: ``Name,Given Name,Additional Name,Family Name,...,Group Membership,
E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,...``.
A cell may hold several values joined by `` ::: ``; labels look like ``* myContacts ::: * starred``.
"""

from __future__ import annotations

from targetshare.contacts.normalize import RawContact, finish_all
from targetshare.contacts.record import Contact
from targetshare.contacts.sources.csv_common import (
    multi,
    numbered,
    read_csv,
    require_name_column,
)

__all__ = ["parse_google_csv", "looks_like_google_csv", "is_legacy"]

_CURRENT_NAMES = ("First Name", "Middle Name", "Last Name", "Nickname", "File As")
_LEGACY_NAMES = ("Name", "Given Name", "Additional Name", "Family Name", "Nickname")


def is_legacy(header: list[str]) -> bool:
    return "Given Name" in header or "Group Membership" in header or "E-mail 1 - Type" in header


def looks_like_google_csv(header: list[str]) -> bool:
    markers = ("Labels", "Group Membership", "Phone 1 - Value", "E-mail 1 - Value", "Given Name")
    return any(m in header for m in markers)


def _row_to_raw(row: dict[str, str], header: list[str], position: int, legacy: bool) -> RawContact:
    g = row.get
    raw = RawContact(source="google_csv", position=position)
    if legacy:
        raw.display_name = g("Name", "")
        raw.given, raw.middle, raw.family = g("Given Name", ""), g("Additional Name", ""), g("Family Name", "")
        group_col, kind = "Group Membership", "Type"
    else:
        raw.given, raw.middle, raw.family = g("First Name", ""), g("Middle Name", ""), g("Last Name", "")
        group_col, kind = "Labels", "Label"
    raw.nickname = (multi(g("Nickname")) or [""])[0]
    raw.birthday = g("Birthday", "").strip()
    raw.organization = g("Organization Name", "") or g("Organization 1 - Name", "")
    for label in multi(g(group_col)):
        if label.lstrip("* ").lower() == "starred":
            raw.starred = True
        else:
            raw.labels.append(label)
    for n in numbered(header, r"Phone (\d+) - Value"):
        raw.phones += multi(g(f"Phone {n} - Value"))
    for n in numbered(header, r"E-mail (\d+) - Value"):
        raw.emails += multi(g(f"E-mail {n} - Value"))
    for n in numbered(header, r"Address (\d+) - (?:City|Region|Postal Code)"):
        raw.addresses.append(
            (
                (multi(g(f"Address {n} - City")) or [""])[0],
                (multi(g(f"Address {n} - Region")) or [""])[0],
                (multi(g(f"Address {n} - Postal Code")) or [""])[0],
            )
        )
    for n in numbered(header, r"Relation (\d+) - Value"):
        labels = multi(g(f"Relation {n} - {kind}"))
        for i, name in enumerate(multi(g(f"Relation {n} - Value"))):
            raw.relations.append((labels[i] if i < len(labels) else "", name))
    return raw


def parse_google_csv(text: str, region: str = "US") -> list[Contact]:
    """Every row of a Google Contacts CSV export as canonical contacts."""
    header, rows = read_csv(text)
    legacy = is_legacy(header)
    require_name_column(header, _LEGACY_NAMES if legacy else _CURRENT_NAMES, "Google Contacts")
    raws = [_row_to_raw(row, header, i, legacy) for i, row in enumerate(rows, start=1)]
    return finish_all(raws, region)
