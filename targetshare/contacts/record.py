"""The one canonical contact record every source is parsed into.

The field names are a contract with the matching engine; change them only together with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Contact", "SOURCES", "empty_signals"]

SOURCES = ("vcard", "google_csv", "outlook_csv", "facebook_json", "picker", "manual")


def empty_signals() -> dict[str, Any]:
    """Signals with every key present, so readers never need ``.get``."""
    return {
        "starred": False,
        "relationship": "",
        "labels": [],
        "has_nickname": False,
        "friends_since": None,
        "organization": "",
        "phone_count": 0,
        "email_count": 0,
        "related": [],
    }


@dataclass(frozen=True)
class Contact:
    """One entry of a supporter's contact book, cleaned for matching.

    Names are upper-case ASCII (``targetshare.normalize.clean_name``) except ``display_name``,
    which is kept as the supporter typed it (emoji included) for showing back to them.
    """

    contact_id: str
    source: str
    display_name: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    nickname: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    city: str = ""
    state: str = ""
    zip: str = ""
    birthday: str = ""
    birth_year: int | None = None
    signals: dict[str, Any] = field(default_factory=empty_signals)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with fresh lists, so callers can't mutate the record through it."""
        signals = dict(self.signals)
        signals["labels"] = list(signals.get("labels", []))
        signals["related"] = [dict(r) for r in signals.get("related", [])]
        return {
            "contact_id": self.contact_id,
            "source": self.source,
            "display_name": self.display_name,
            "given_name": self.given_name,
            "middle_name": self.middle_name,
            "family_name": self.family_name,
            "nickname": self.nickname,
            "phones": list(self.phones),
            "emails": list(self.emails),
            "city": self.city,
            "state": self.state,
            "zip": self.zip,
            "birthday": self.birthday,
            "birth_year": self.birth_year,
            "signals": signals,
        }
