"""Outlook contacts CSV export.

Header: ``First Name,Middle Name,Last Name,Title,Suffix,Nickname,...,E-mail Address,
E-mail 2 Address,E-mail 3 Address,...,Mobile Phone,Home Phone,Business Phone,...,Home City,
Home State,Home Postal Code,...,Birthday,...,Categories``. Outlook writes UTF-8 with a BOM or
Windows-1252; the caller decodes (``normalize.decode_text``). Birthday is ``4/12/1985`` or
``0/0/00`` for none; Categories are separated by ``;``.
"""

from __future__ import annotations

from targetshare.contacts.normalize import RawContact, finish_all
from targetshare.contacts.record import Contact
from targetshare.contacts.sources.csv_common import read_csv, require_name_column

__all__ = ["parse_outlook_csv", "looks_like_outlook_csv"]

_NAMES = ("First Name", "Middle Name", "Last Name", "Nickname", "Name", "Display Name")
# Mobile first: it is the number a friend is texted on.
_PHONES = (
    "Mobile Phone", "Primary Phone", "Home Phone", "Home Phone 2", "Other Phone",
    "Business Phone", "Business Phone 2", "Car Phone",
)
_EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
_ADDRESSES = ("Home", "Other", "Business")


def looks_like_outlook_csv(header: list[str]) -> bool:
    return any(col in header for col in ("E-mail Address", "Mobile Phone", "Home Phone", "Business Phone"))


def _row_to_raw(row: dict[str, str], position: int) -> RawContact:
    g = row.get
    raw = RawContact(source="outlook_csv", position=position)
    raw.display_name = g("Display Name", "") or g("Name", "")
    raw.given, raw.middle, raw.family = g("First Name", ""), g("Middle Name", ""), g("Last Name", "")
    raw.nickname = g("Nickname", "")
    raw.organization = g("Company", "")
    raw.birthday = g("Birthday", "")
    raw.phones = [g(col, "") for col in _PHONES if g(col)]
    raw.emails = [g(col, "") for col in _EMAILS if g(col)]
    for kind in _ADDRESSES:
        raw.addresses.append(
            (g(f"{kind} City", ""), g(f"{kind} State", ""), g(f"{kind} Postal Code", ""))
        )
    for cat in (g("Categories") or "").split(";"):
        if cat.strip().lower() in ("starred", "favorites", "favourites"):
            raw.starred = True
        elif cat.strip():
            raw.labels.append(cat.strip())
    if (g("Spouse") or "").strip():
        raw.relations.append(("spouse", g("Spouse", "")))
    return raw


def parse_outlook_csv(text: str, region: str = "US") -> list[Contact]:
    """Every row of an Outlook contacts CSV export as canonical contacts."""
    header, rows = read_csv(text)
    require_name_column(header, _NAMES, "Outlook")
    return finish_all([_row_to_raw(row, i) for i, row in enumerate(rows, start=1)], region)
