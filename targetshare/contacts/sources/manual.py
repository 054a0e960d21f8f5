"""Contacts added by hand or through the browser Contact Picker API.

The picker gives ``{"name": [...], "tel": [...], "email": [...], "address": [...]}`` per contact
(every property a list); a hand-entered contact uses the same shape, and may give ``name`` as a
plain string and add ``birthday``, ``city``, ``state``, ``zip``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from targetshare.contacts.normalize import RawContact, finish_all
from targetshare.contacts.record import Contact
from targetshare.errors import InputFileError

__all__ = ["parse_manual"]


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None and not isinstance(v, Mapping)]
    return [str(value)]


def _address(value: Any) -> tuple[str, str, str] | None:
    """A picker ContactAddress ({city, region, postalCode, ...}) as (city, state, zip)."""
    if isinstance(value, Mapping):
        return (
            str(value.get("city") or ""),
            str(value.get("region") or ""),
            str(value.get("postalCode") or ""),
        )
    return None


def parse_manual(records: Iterable[Mapping[str, Any]], source: str = "manual", region: str = "US") -> list[Contact]:
    """Contacts from the picker (``source="picker"``) or typed by hand (``"manual"``)."""
    if source not in ("manual", "picker"):
        raise ValueError(f"source must be 'manual' or 'picker', not {source!r}")
    raws = []
    for position, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            raise InputFileError(f"contact {position}: expected an object with name/tel/email")
        raw = RawContact(source=source, position=position)
        raw.display_name = next((n for n in _list(record.get("name")) if n.strip()), "")
        raw.phones = _list(record.get("tel"))
        raw.emails = _list(record.get("email"))
        addresses = record.get("address") or []
        for value in [addresses] if isinstance(addresses, Mapping) else addresses:
            address = _address(value)
            if address:
                raw.addresses.append(address)
        if any(record.get(k) for k in ("city", "state", "zip")):
            raw.addresses.insert(
                0, (str(record.get("city") or ""), str(record.get("state") or ""), str(record.get("zip") or ""))
            )
        raw.birthday = str(record.get("birthday") or "")
        raws.append(raw)
    return finish_all(raws, region)
