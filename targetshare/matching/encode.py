"""A login's contacts as arrays of the voter index's codes, each distinct value cleaned once.

:class:`ContactEncoder` is the real-time path: it keeps, per raw value seen (a given name, a
surname, a city, a phone...), what cleaning, the nickname key, Soundex and the dictionary look-up
made of it, so a login costs one dict look-up per field per contact and the Python work of
cleaning is paid once per distinct value across logins. :func:`encode_contacts` encodes a feature
frame from :func:`~targetshare.matching.comparisons.contact_features` (the frame Splink sees);
``tests/matching/test_agreement.py`` checks both give the same codes.

Codes: ``-1`` null; ``>= 0`` the voter dictionary's code; ``<= -2`` a value no voter has (each
distinct unseen value its own code, so the Jaro-Winkler cache can key on it).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers

from targetshare.matching.comparisons import (
    _birth_parts,
    _year,
    contact_fields,
    name_key,
    soundex,
)
from targetshare.matching.index import NULL, VoterIndex, email_hash, phone_int
from targetshare.normalize import clean_city, clean_email, clean_name, clean_zip, phone_e164

__all__ = ["ContactBatch", "ContactEncoder", "encode_contacts", "STRING_COLUMNS"]

# Contact columns held as dictionary codes, and the index dictionary each is looked up in.
STRING_COLUMNS = ("first_name", "last_name", "city", "first_key", "first_sx", "last_sx")


@dataclass
class ContactBatch:
    """One login's contacts as arrays aligned with the voter index's codes."""

    ids: list[str]
    codes: dict[str, np.ndarray]  # column -> int64 codes (-1 null, <= -2 absent from voter file)
    strings: dict[str, np.ndarray]  # first_name/last_name/city -> object arrays ("" for null)
    phones: np.ndarray  # (n, k) int64, -1 padding
    emails: np.ndarray  # (n, k) int64, 0 padding

    def __len__(self) -> int:
        return len(self.ids)


def _padded(lists: list[list[int]], fill: int) -> np.ndarray:
    width = max([len(x) for x in lists] + [1])
    out = np.full((len(lists), width), fill, dtype=np.int64)
    for i, values in enumerate(lists):
        if values:
            out[i, : len(values)] = values
    return out


class _Codes:
    """String → code in one index dictionary; unseen strings get stable codes <= -2."""

    def __init__(self, index: VoterIndex, col: str, lock: threading.Lock):
        self.index, self.col, self.lock = index, col, lock
        self.unseen: dict[str, int] = {}
        self.issued = 0  # never reset, so a code is never reused for another string

    def __call__(self, value: str) -> int:
        code = self.index.code(self.col, value)
        if code != -2:
            return code
        with self.lock:
            if value not in self.unseen:
                self.unseen[value] = -2 - self.issued
                self.issued += 1
            return self.unseen[value]


class ContactEncoder:
    """Encodes contacts (canonical dicts) for one index and one model's nickname keys."""

    def __init__(self, index: VoterIndex, keys: Mapping[str, str], max_cached: int = 200_000):
        self.index, self.keys, self.max_cached = index, keys, max_cached
        lock = threading.Lock()
        self._code = {col: _Codes(index, col, lock) for col in STRING_COLUMNS}
        self._caches: list[dict] = []
        self._given = self._cache()   # raw -> (first, key, sx codes, cleaned)
        self._family = self._cache()  # raw -> (last, sx codes, cleaned)
        self._city = self._cache()    # raw -> (code, cleaned)
        self._middle = self._cache()  # raw -> ord of initial or -1
        self._zip = self._cache()     # raw -> int or -1
        self._birth = self._cache()   # raw -> (year or None, month-day int or -1)
        self._phone = self._cache()   # raw -> int or None
        self._email = self._cache()   # raw -> hash or None

    def _cache(self) -> dict:
        self._caches.append({})
        return self._caches[-1]

    # ------------------------------------------------------------ one distinct value each
    def _given_miss(self, raw: str) -> tuple[int, int, int, str]:
        first = clean_name(raw)
        if not first:
            return NULL, NULL, NULL, ""
        sx = soundex(first)
        return (self._code["first_name"](first), self._code["first_key"](name_key(first, self.keys)),
                self._code["first_sx"](sx) if sx else NULL, first)

    def _family_miss(self, raw: str) -> tuple[int, int, str]:
        last = clean_name(raw)
        if not last:
            return NULL, NULL, ""
        sx = soundex(last)
        return self._code["last_name"](last), self._code["last_sx"](sx) if sx else NULL, last

    def _city_miss(self, raw: str) -> tuple[int, str]:
        city = clean_city(raw)
        return (self._code["city"](city), city) if city else (NULL, "")

    @staticmethod
    def _birth_miss(raw: str) -> tuple[int | None, int]:
        year, md = _birth_parts(raw)
        return year, int(md.replace("-", "")) if md else NULL

    @staticmethod
    def _phone_miss(raw: str) -> int | None:
        if len(raw) == 12 and raw.startswith("+1") and raw[2:].isdigit() and raw[2] != "0":
            # already E.164 (what the contact parsers write): the validity test phone_e164 makes
            # for a plain NANP number, without its text clean-up; most are valid US numbers,
            # which one compiled pattern pair confirms
            if _us_number_is_valid(raw[2:]):
                return int(raw[1:])
            number = phonenumbers.PhoneNumber(country_code=1, national_number=int(raw[2:]))
            valid = (phonenumbers.is_valid_number_for_region(number, "US")
                     or phonenumbers.is_valid_number(number))
            return int(raw[1:]) if valid else None
        phone = phone_e164(raw)
        return phone_int(phone) if phone else None

    @staticmethod
    def _email_miss(raw: str) -> int | None:
        email = clean_email(raw)
        return email_hash(email) if email else None

    # ------------------------------------------------------------ a login
    def encode(self, contacts: Iterable[Mapping[str, Any]]) -> ContactBatch:
        if any(len(c) > self.max_cached for c in self._caches):
            for cache in self._caches:
                cache.clear()
            for lookup in self._code.values():
                lookup.unseen.clear()
        contacts = list(contacts)
        ids = [str(rec["contact_id"]) for rec in contacts]
        fields = [contact_fields(rec) for rec in contacts]
        given, middle, family, phones, emails, city, zips, births, years = (
            list(column) for column in zip(*fields, strict=True)) if fields else ([] for _ in range(9))
        g = _lookup(self._given, given, self._given_miss)
        f = _lookup(self._family, family, self._family_miss)
        c = _lookup(self._city, city, self._city_miss)
        b = _lookup(self._birth, births, self._birth_miss)
        codes = {
            "first_name": np.array([x[0] for x in g], np.int64),
            "first_key": np.array([x[1] for x in g], np.int64),
            "first_sx": np.array([x[2] for x in g], np.int64),
            "last_name": np.array([x[0] for x in f], np.int64),
            "last_sx": np.array([x[1] for x in f], np.int64),
            "city": np.array([x[0] for x in c], np.int64),
            "middle_initial": np.array(_lookup(self._middle, middle, _initial), np.int64),
            "zip": np.array(_lookup(self._zip, zips, _zip_int), np.int64),
            "birth_year": np.array([_year(y) or x[0] or NULL for y, x in zip(years, b, strict=True)],
                                   np.int64),
            "birth_md": np.array([x[1] for x in b], np.int64),
        }
        strings = {"first_name": np.array([x[3] for x in g], dtype=object),
                   "last_name": np.array([x[2] for x in f], dtype=object),
                   "city": np.array([x[1] for x in c], dtype=object)}
        return ContactBatch(ids=ids, codes=codes, strings=strings,
                            phones=_padded(self._many(self._phone, phones, self._phone_miss), NULL),
                            emails=_padded(self._many(self._email, emails, self._email_miss), 0))

    @staticmethod
    def _many(cache: dict, lists: list, miss) -> list[list[int]]:
        """Distinct non-null values of each contact's list (as Splink's feature lists), looked up
        in one pass over the login's values."""
        flat = [v for values in lists for v in values]
        found = iter(_lookup(cache, flat, miss))
        out = []
        for values in lists:
            if not values:
                out.append([])
            elif len(values) == 1:
                v = next(found)
                out.append([] if v is None else [v])
            else:
                out.append(list({v for v in (next(found) for _ in values) if v is not None}))
        return out


_MISSING = object()


@lru_cache(maxsize=1)
def _us_patterns() -> tuple[re.Pattern, re.Pattern]:
    """phonenumbers' own US patterns for 10-digit numbers: the general one, and the union of the
    number types (a number is valid when it matches the first and one of the types)."""
    from phonenumbers import PhoneMetadata

    md = PhoneMetadata.metadata_for_region("US")

    def fits(desc) -> bool:
        return (desc is not None and desc.national_number_pattern is not None
                and (not desc.possible_length or 10 in desc.possible_length))

    types = [d for d in (md.premium_rate, md.toll_free, md.shared_cost, md.voip, md.personal_number,
                         md.pager, md.uan, md.voicemail, md.fixed_line, md.mobile) if fits(d)]
    general = md.general_desc.national_number_pattern if fits(md.general_desc) else "(?!)"
    union = "|".join(f"(?:{d.national_number_pattern})" for d in types) or "(?!)"
    return re.compile(f"(?:{general})"), re.compile(f"(?:{union})")


def _us_number_is_valid(national: str) -> bool:
    """True only when ``phonenumbers.is_valid_number_for_region(+1 national, "US")`` is (a
    False sends the caller to phonenumbers itself)."""
    general, types = _us_patterns()
    return general.fullmatch(national) is not None and types.fullmatch(national) is not None


def _lookup(cache: dict, raws: list, miss) -> list:
    get = cache.get
    out = [get(r, _MISSING) for r in raws]
    for i, value in enumerate(out):
        if value is _MISSING:
            raw = raws[i]
            value = cache[raw] = miss(raw)
            out[i] = value
    return out


def _initial(raw: str) -> int:
    middle = clean_name(raw)
    return ord(middle[0]) if middle else NULL


def _zip_int(raw: str) -> int:
    text = clean_zip(raw)
    return int(text) if text else NULL


def encode_contacts(feats: pd.DataFrame, index: VoterIndex) -> ContactBatch:
    """Encode a :func:`~targetshare.matching.comparisons.contact_features` frame (the reference
    path: what Splink sees, turned into codes)."""
    lock = threading.Lock()
    codes: dict[str, np.ndarray] = {}
    strings: dict[str, np.ndarray] = {}
    for col in STRING_COLUMNS:
        values = [v if isinstance(v, str) and v else "" for v in feats[col].tolist()]
        lookup = _Codes(index, col, lock)
        codes[col] = np.array([lookup(v) if v else NULL for v in values], np.int64)
        if col in ("first_name", "last_name", "city"):
            strings[col] = np.array(values, dtype=object)
    mid = feats["middle_initial"].tolist()
    codes["middle_initial"] = np.array([ord(m) if isinstance(m, str) and m else NULL for m in mid], np.int64)
    codes["zip"] = pd.to_numeric(feats["zip"], errors="coerce").fillna(NULL).to_numpy(np.int64)
    codes["birth_year"] = feats["birth_year"].astype("Float64").fillna(NULL).to_numpy(np.int64)
    md = feats["birth_md"].map(lambda v: int(v.replace("-", "")) if isinstance(v, str) and v else NULL)
    codes["birth_md"] = md.to_numpy(np.int64)
    phones = [[phone_int(p) for p in (v or [])] for v in feats["phones"].tolist()]
    emails = [[email_hash(e) for e in (v or [])] for v in feats["emails"].tolist()]
    return ContactBatch(ids=[str(x) for x in feats["unique_id"].tolist()], codes=codes,
                        strings=strings, phones=_padded(phones, NULL), emails=_padded(emails, 0))
