"""From what a source parser read (:class:`RawContact`) to the canonical :class:`Contact`.

Every source fills a ``RawContact`` with the text as found in the file; :func:`finish` applies the
shared cleaning (``targetshare.normalize``), the name parsing of :mod:`.names` and builds the
signals, so the rules are the same whatever the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from targetshare.contacts.names import (
    parse_display_name,
    plain_label,
    relationship_from_label,
    relationship_from_labels,
)
from targetshare.contacts.record import Contact, empty_signals
from targetshare.errors import InputFileError
from targetshare.normalize import (
    clean_city,
    clean_email,
    clean_name,
    clean_state,
    clean_zip,
    phone_e164,
)

__all__ = ["RawContact", "finish", "finish_all", "decode_text", "parse_birthday", "state_code"]

_STATE_NAMES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
    "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
    "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
    "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
    "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
    "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
    "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
    "WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
    "PUERTO RICO": "PR",
}
# Labels the address books add themselves; they say nothing about the friendship.
_SYSTEM_LABELS = frozenset({"mycontacts", "my contacts", "starred", "imported", "other contacts"})
_NO_YEAR_BELOW = 1800  # Apple writes 1604 for "year omitted"; Outlook sometimes 1601


@dataclass
class RawContact:
    """What one source read for one contact, before any cleaning."""

    source: str
    position: int
    display_name: str = ""
    given: str = ""
    middle: str = ""
    family: str = ""
    nickname: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[tuple[str, str, str]] = field(default_factory=list)  # city, state, zip
    birthday: str = ""
    omit_year: bool = False
    organization: str = ""
    labels: list[str] = field(default_factory=list)
    starred: bool = False
    relations: list[tuple[str, str]] = field(default_factory=list)  # (label, name)
    friends_since: int | None = None
    plain_name: bool = False  # a real profile name (Facebook): no "Mom"/"work" reading


def decode_text(data: bytes) -> str:
    """Decode a file: UTF-8 (BOM optional), then UTF-16 with a BOM, then Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputFileError(f"file starts with a UTF-16 marker but is not UTF-16: {exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            "cannot decode the file as text (tried UTF-8, UTF-16 and Windows-1252); "
            "export it again as UTF-8"
        ) from exc


def state_code(value: str | None) -> str:
    text = " ".join((value or "").replace(".", " ").split()).upper()
    return clean_state(_STATE_NAMES.get(text, text))


def parse_birthday(value: str | None, omit_year: bool = False) -> tuple[str, int | None]:
    """("YYYY-MM-DD" | "--MM-DD" | "", birth year or None) from the layouts exports use."""
    text = (value or "").strip()
    if not text:
        return "", None
    text = text.split("T", 1)[0]
    year, month, day = _birthday_parts(text)
    if not (month and day) or not (1 <= month <= 12 and 1 <= day <= 31):
        return "", None
    if year is not None and (omit_year or year < _NO_YEAR_BELOW or year > 2100):
        year = None
    if year is None:
        return f"--{month:02d}-{day:02d}", None
    return f"{year:04d}-{month:02d}-{day:02d}", year


def _birthday_parts(text: str) -> tuple[int | None, int, int]:
    patterns = (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
        (r"(\d{4})(\d{2})(\d{2})", "ymd"),
        (r"--(\d{2})-?(\d{2})", "md"),
        (r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", "mdy"),
        (r"(\d{1,2})/(\d{1,2})", "md"),
        (r"(\d{4})/(\d{1,2})/(\d{1,2})", "ymd"),
    )
    for pattern, order in patterns:
        m = re.fullmatch(pattern, text)
        if not m:
            continue
        nums = [int(g) for g in m.groups()]
        if order == "ymd":
            return nums[0], nums[1], nums[2]
        if order == "md":
            return None, nums[0], nums[1]
        year = nums[2]
        if len(m.group(3)) == 2:
            year = 0 if year == 0 else (1900 + year if year > 30 else 2000 + year)
        return (year or None), nums[0], nums[1]
    return None, 0, 0


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _display(raw: RawContact) -> str:
    for candidate in (
        raw.display_name,
        " ".join(p for p in (raw.given, raw.middle, raw.family) if p.strip()),
        raw.nickname,
        raw.organization,
        *raw.emails,
        *raw.phones,
    ):
        if candidate and candidate.strip():
            return " ".join(candidate.split())
    return ""


def _names(raw: RawContact, display: str) -> tuple[str, str, str, str, str, list[str]]:
    """given, middle, family, nickname, relationship, labels."""
    parsed = parse_display_name(display, plain=raw.plain_name)
    relationship, labels = parsed.relationship, list(parsed.labels)
    given, middle, family = parsed.given, parsed.middle, parsed.family
    if any(p.strip() for p in (raw.given, raw.middle, raw.family)):
        # Structured fields win, but each is read for "work", "Mom", emoji and such too.
        fields = []
        for text, leading_label in ((raw.given, False), (raw.middle, True), (raw.family, True)):
            part = parse_display_name(text, leading_label)
            relationship = relationship or part.relationship
            labels += [lab for lab in part.labels if lab not in labels]
            fields.append(" ".join(p for p in (part.given, part.middle, part.family) if p))
        given, middle, family = fields
        if not given and middle:
            given, middle = middle, ""
    nickname = clean_name(raw.nickname) or parsed.nickname
    return given, middle, family, nickname, relationship, labels


def finish(raw: RawContact, region: str = "US") -> Contact:
    """Clean a raw contact into the canonical record."""
    display = _display(raw)
    given, middle, family, nickname, relationship, labels = _names(raw, display)
    for label in raw.labels:
        text = " ".join(label.replace("*", " ").split()).lower()
        if text and text not in _SYSTEM_LABELS and text not in labels:
            labels.append(text)
    relationship = relationship or relationship_from_labels(labels)
    phones = _unique([phone_e164(p, region) for p in raw.phones])
    emails = _unique([clean_email(e) for e in raw.emails])
    city = state = zip_code = ""
    for a_city, a_state, a_zip in raw.addresses:
        if a_city.strip() or a_state.strip() or a_zip.strip():
            city, state, zip_code = clean_city(a_city), state_code(a_state), clean_zip(a_zip)
            break
    birthday, birth_year = parse_birthday(raw.birthday, raw.omit_year)
    signals = empty_signals()
    signals.update(
        starred=raw.starred,
        relationship=relationship,
        labels=labels,
        has_nickname=bool(nickname),
        friends_since=raw.friends_since,
        organization=" ".join(raw.organization.split()),
        phone_count=len(phones),
        email_count=len(emails),
        related=[
            {"relation": relationship_from_label(label) or plain_label(label), "name": name}
            for label, name in raw.relations
            if name.strip()
        ],
    )
    return Contact(
        contact_id=str(raw.position),
        source=raw.source,
        display_name=display,
        given_name=given,
        middle_name=middle,
        family_name=family,
        nickname=nickname,
        phones=phones,
        emails=emails,
        city=city,
        state=state,
        zip=zip_code,
        birthday=birthday,
        birth_year=birth_year,
        signals=signals,
    )


def finish_all(raws: list[RawContact], region: str = "US") -> list[Contact]:
    """Finish every raw contact, then use related names from the supporter's own card.

    Related names ("mother: Jane Doe") on a card describe that card's person. When exactly one
    card in the file carries them, it is almost always the supporter's own ("Me") card, so a
    contact whose display name equals such a related name gets that relationship, unless the
    contact already has one of its own.
    """
    contacts = [finish(raw, region) for raw in raws]
    owners = [c for c in contacts if c.signals["related"]]
    if len(owners) != 1:
        return contacts
    by_name = {
        " ".join(r["name"].lower().split()): relationship_from_label(r["relation"])
        for r in owners[0].signals["related"]
    }
    out = []
    for contact in contacts:
        rel = by_name.get(" ".join(contact.display_name.lower().split()), "")
        if rel and not contact.signals["relationship"] and contact is not owners[0]:
            contact = replace(contact, signals={**contact.signals, "relationship": rel})
        out.append(contact)
    return out
