"""One file row → one normalised voter (or vote-history) tuple, or a reason to reject it.

Built on the shared cleaners in :mod:`targetshare.normalize`, so a voter's name here and a
contact's name in matching are cleaned by the same code. Per-row work is kept small: field
positions are resolved once per file, and the cleaners' results are memoised (names, cities,
streets and dates repeat a great deal in a voter file; most phones are blank).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from operator import itemgetter

from targetshare.normalize import (
    clean_city,
    clean_email,
    clean_name,
    clean_state,
    clean_street,
    clean_zip,
    parse_date,
    phone_e164,
)
from targetshare.voterfile.formats import HISTORY_FIELDS, VOTER_FIELDS, Layout

__all__ = ["Reject", "VoterNormalizer", "HistoryNormalizer", "VOTER_COLUMNS", "HISTORY_COLUMNS",
           "household_id"]  # fmt: skip

# columns of the voters table in the order VoterNormalizer.voter returns them
VOTER_COLUMNS: tuple[str, ...] = (
    "voter_id", "county_id", "county", "registration_number", "status",
    "first_name", "middle_name", "last_name", "name_suffix",
    "birth_date", "birth_year", "age", "gender", "race", "ethnicity", "party",
    "registration_date", "street_address", "city", "state", "zip", "phone", "email",
    "precinct", "municipality", "congressional_district", "state_senate_district",
    "state_house_district", "household_id", "row_hash",
)  # fmt: skip
HISTORY_COLUMNS: tuple[str, ...] = HISTORY_FIELDS
HOUSEHOLD_COLUMNS = ("household_id", "street_address", "city", "state", "zip")
TRUE_WORDS = frozenset({"Y", "YES", "TRUE", "T", "1"})
GENDER_WORDS = {"MALE": "M", "FEMALE": "F", "UNKNOWN": "U"}
EARLIEST_BIRTH_YEAR = 1880
_INVALID = object()


class Reject(Exception):
    """A row that cannot be imported; ``str(exc)`` is the quarantine reason."""


class _Memo:
    """A bounded memo of a one-argument cleaner (cleared when it grows past ``size``)."""

    def __init__(self, func: Callable[[str], object], size: int = 200_000) -> None:
        self.func, self.size, self.cache = func, size, {}

    def __call__(self, value: str):
        try:
            return self.cache[value]
        except KeyError:
            if len(self.cache) >= self.size:
                self.cache.clear()
            result = self.cache[value] = self.func(value)
            return result


def _date_parser(fmt: str | None) -> Callable[[str], object]:
    """ISO ``YYYY-MM-DD`` text from a file's date, ``None`` when blank, ``_INVALID`` when bad."""

    def parse(value: str):
        text = value.strip()
        if not text:
            return None
        try:
            if fmt == "%m/%d/%Y" and text.count("/") == 2:
                month, day, year = text.split("/")
                parsed = date(int(year), int(month), int(day)) if len(year) == 4 else None
            elif fmt:
                parsed = datetime.strptime(text, fmt).date()
            else:
                parsed = parse_date(text)
        except ValueError:
            parsed = None
        return parsed.isoformat() if parsed else _INVALID

    return _Memo(parse)


def household_id(street: str, city: str, zip_code: str) -> str:
    """Short stable id of a normalised residential address (16 hex digits of its MD5)."""
    return hashlib.md5(f"{street}|{city}|{zip_code}".encode(), usedforsecurity=False).hexdigest()[:16]


def _int(value: str, what: str, low: int | None = None, high: int | None = None) -> int | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise Reject(f"bad {what}: {text!r}") from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise Reject(f"bad {what}: {text!r}")
    return number


def _code(value: str, width: int, what: str) -> str | None:
    text = value.strip().upper()
    if len(text) > width:
        raise Reject(f"bad {what} code: {text!r} (at most {width} characters)")
    return text or None


def _text(value: str, width: int = 0, what: str = "") -> str | None:
    text = value.strip()
    if width and len(text) > width:
        raise Reject(f"bad {what}: {text!r} (at most {width} characters)")
    return text or None


class VoterNormalizer:
    """Turns rows laid out as ``layout`` into voters-table tuples (see ``VOTER_COLUMNS``)."""

    def __init__(self, layout: Layout, this_year: int | None = None) -> None:
        self.width = layout.width
        self._get = itemgetter(*(layout.index[f] for f in VOTER_FIELDS))
        self._phone_parts = layout.phone_parts
        self._default_state = layout.default_state
        self._this_year = this_year or date.today().year
        self._name = _Memo(clean_name)
        self._city = _Memo(clean_city)
        self._street = _Memo(clean_street)
        self._zip = _Memo(clean_zip, 50_000)
        self._county = _Memo(lambda v: v.strip().upper() or None, 10_000)
        self._date = _date_parser(layout.date_format)

    def voter(self, row: list[str]) -> tuple[tuple, tuple | None]:
        """``(voter tuple, household tuple or None)``; raises Reject with the reason."""
        row.append("")
        (vid, county_id, county, reg_num, status, first, middle, last, suffix, birth_date,
         birth_year, age, gender, race, ethnicity, party, reg_date, street, city, state, zip_code,
         phone, email, precinct, municipality, cong, senate, house, confidential) = self._get(row)  # fmt: skip
        vid = vid.strip()
        if not vid:
            raise Reject("missing voter id")
        if len(vid) > 32:
            raise Reject(f"bad voter id: {vid!r} (at most 32 characters)")
        last = self._name(last)
        if not last:
            raise Reject("missing last name")
        birth = self._checked_date(birth_date, "birth date")
        year = _int(birth_year, "birth year", EARLIEST_BIRTH_YEAR, self._this_year)
        if year is None and birth:
            year = int(birth[:4])
        gender = gender.strip().upper()
        if confidential.strip().upper() in TRUE_WORDS:
            street = city = zip_code = ""
        else:
            street, city, zip_code = self._street(street), self._city(city), self._zip(zip_code)
        state = clean_state(state) or self._default_state
        if self._phone_parts:
            phone = row[self._phone_parts[0]] + row[self._phone_parts[1]]
        hid = household_id(street, city, zip_code) if street and (city or zip_code) else None
        values = (
            vid, _int(county_id, "county id"), self._county(county),
            _text(reg_num, 32, "registration number"), _code(status, 2, "status"),
            self._name(first), self._name(middle), last, self._name(suffix),
            birth, year, _int(age, "age", 0, 150), _code(GENDER_WORDS.get(gender, gender), 1, "gender"),
            _code(race, 2, "race"), _code(ethnicity, 2, "ethnicity"), _code(party, 4, "party"),
            self._checked_date(reg_date, "registration date"), street, city, state, zip_code,
            phone_e164(phone) if phone.strip() else "", clean_email(email) if email else "",
            _text(precinct), _text(municipality), _text(cong), _text(senate), _text(house), hid,
        )  # fmt: skip
        row_hash = hashlib.md5(repr(values).encode(), usedforsecurity=False).hexdigest()
        household = (hid, street, city, state, zip_code) if hid else None
        return (*values, row_hash), household

    def _checked_date(self, value: str, what: str) -> str | None:
        parsed = self._date(value)
        if parsed is _INVALID:
            raise Reject(f"unparseable {what}: {value.strip()!r}")
        return parsed  # type: ignore[return-value]


class HistoryNormalizer:
    """Turns rows laid out as ``layout`` into vote_history tuples (see ``HISTORY_COLUMNS``)."""

    def __init__(self, layout: Layout) -> None:
        self.width = layout.width
        self._get = itemgetter(*(layout.index[f] for f in HISTORY_FIELDS))
        self._date = _date_parser(layout.date_format)
        self._desc = _Memo(lambda v: " ".join(v.upper().split()), 10_000)
        self._method = _Memo(lambda v: " ".join(v.upper().split()) or None, 1_000)

    def history(self, row: list[str]) -> tuple:
        """A vote_history tuple; raises Reject with the reason."""
        row.append("")
        vid, election_date, desc, method, party, county_id = self._get(row)
        vid = vid.strip()
        if not vid:
            raise Reject("missing voter id")
        when = self._date(election_date)
        if when is None:
            raise Reject("missing election date")
        if when is _INVALID:
            raise Reject(f"unparseable election date: {election_date.strip()!r}")
        return (vid, when, self._desc(desc), self._method(method), _code(party, 4, "voted party"),
                _int(county_id, "county id"))  # fmt: skip
