"""Facebook "Download your information" friends list (JSON).

``{"friends_v2": [{"name": "Ren\\u00c3\\u00a9e Smith", "timestamp": 1500000000}]}``, or the
older ``{"friends": [...]}``. Facebook writes each UTF-8 byte of a name as its own ``\\u00XX``
escape, so names arrive as mojibake ("RenÃ©e"); :func:`fix_mojibake` turns them back.
Only names and the friendship date are in the file: no phones, no e-mails.
"""

from __future__ import annotations

import json
from typing import Any

from targetshare.contacts.normalize import RawContact, finish_all
from targetshare.contacts.record import Contact
from targetshare.errors import InputFileError

__all__ = ["parse_facebook_json", "fix_mojibake"]

_KEYS = ("friends_v2", "friends")


def fix_mojibake(text: str) -> str:
    """Undo Facebook's byte-per-character escaping when the text really is that; else unchanged."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _friends(doc: Any) -> list[Any]:
    if isinstance(doc, dict):
        for key in _KEYS:
            if key in doc:
                value = doc[key]
                if not isinstance(value, list):
                    raise InputFileError(f"Facebook JSON: {key!r} is not a list of friends")
                return value
    raise InputFileError(
        "JSON file without a friends list: expected a 'friends_v2' or 'friends' key "
        "(Facebook: Download your information → Friends and followers → JSON)"
    )


def parse_facebook_json(text: str, region: str = "US") -> list[Contact]:
    """Every friend in a Facebook friends export as canonical contacts."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"not valid JSON: line {exc.lineno}: {exc.msg}") from exc
    raws = []
    for position, friend in enumerate(_friends(doc), start=1):
        if not isinstance(friend, dict):
            raise InputFileError(f"Facebook JSON: friend {position} is not an object")
        raw = RawContact(source="facebook_json", position=position, plain_name=True)
        raw.display_name = fix_mojibake(str(friend.get("name") or ""))
        stamp = friend.get("timestamp")
        raw.friends_since = int(stamp) if isinstance(stamp, int | float) else None
        info = friend.get("contact_info")
        if isinstance(info, str) and "@" in info:
            raw.emails.append(info)
        raws.append(raw)
    return finish_all(raws, region)
