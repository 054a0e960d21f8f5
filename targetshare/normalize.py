"""Normalisation shared by the voter file, the contact sources and the matcher.

The same function must clean a voter's name and a contact's name, or matching compares
apples with pears; so every part of the engine imports these and none writes its own.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

import phonenumbers

__all__ = [
    "clean_name",
    "clean_email",
    "clean_zip",
    "clean_city",
    "clean_state",
    "clean_street",
    "phone_e164",
    "parse_date",
]

_NON_LETTERS = re.compile(r"[^A-Z' -]+")
_SPACES = re.compile(r"\s+")
_STREET_WORDS = {
    "STREET": "ST", "AVENUE": "AVE", "ROAD": "RD", "DRIVE": "DR", "LANE": "LN", "COURT": "CT",
    "CIRCLE": "CIR", "BOULEVARD": "BLVD", "PLACE": "PL", "TERRACE": "TER", "HIGHWAY": "HWY",
    "PARKWAY": "PKWY", "TRAIL": "TRL", "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
    "APARTMENT": "APT", "SUITE": "STE",
}
STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP".split()
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def clean_name(value: str | None) -> str:
    """Upper-case ASCII letters, apostrophes, hyphens and single spaces; emoji and digits dropped.

    >>> clean_name("  José  o'Neil 🎉")
    "JOSE O'NEIL"
    """
    if not value:
        return ""
    text = strip_accents(str(value)).upper().replace("’", "'")
    text = _NON_LETTERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" -'")


def clean_email(value: str | None) -> str:
    if not value:
        return ""
    text = str(value).strip().lower()
    return text if "@" in text and "." in text.split("@")[-1] else ""


def clean_zip(value: str | None) -> str:
    """Five-digit ZIP, or empty."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) in (5, 9):
        return digits[:5]
    if len(digits) == 4:  # leading zero lost by a spreadsheet
        return "0" + digits
    return ""


def clean_city(value: str | None) -> str:
    if not value:
        return ""
    return _SPACES.sub(" ", re.sub(r"[^A-Z ]+", " ", strip_accents(str(value)).upper())).strip()


def clean_state(value: str | None) -> str:
    text = (value or "").strip().upper()
    return text if text in STATE_CODES else ""


def clean_street(value: str | None) -> str:
    """Upper-case street address with common suffixes abbreviated (STREET → ST)."""
    if not value:
        return ""
    text = re.sub(r"[^A-Z0-9# ]+", " ", strip_accents(str(value)).upper())
    words = [_STREET_WORDS.get(w, w) for w in text.split()]
    return " ".join(words)


_NANP_CHARS = re.compile(r"^\+?[\d\s().-]+$")


@lru_cache(maxsize=65536)
def phone_e164(value: str | None, region: str = "US") -> str:
    """E.164 form of a phone number (``+19195551234``), or empty when it is not a valid number.

    Plain North American numbers (10 digits, or 11 starting with 1) skip ``phonenumbers.parse``,
    which is most of the cost, and are validated directly: same answer, about six times faster,
    which matters for a voter file with a million distinct numbers.
    """
    if not value:
        return ""
    text = str(value).strip()
    if not any(ch.isdigit() for ch in text):
        return ""
    if region in ("US", "CA") and _NANP_CHARS.match(text):
        digits = re.sub(r"\D", "", text)
        if text.startswith("+") and not digits.startswith("1"):
            return _parse_e164(text, region)
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) == 10:
            number = phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))
            if phonenumbers.is_valid_number_for_region(number, region) or phonenumbers.is_valid_number(number):
                return "+1" + digits
            return ""
    return _parse_e164(text, region)


def _parse_e164(text: str, region: str) -> str:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%Y%m%d", "%m/%d/%y", "%d.%m.%Y")


def parse_date(value: str | None) -> date | None:
    """A date from the layouts voter files and contact exports use; None when empty or invalid."""
    if not value:
        return None
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
