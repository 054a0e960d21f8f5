"""The North Carolina State Board of Elections layouts (``ncvoter`` and ``ncvhis``).

Read by header name, never by position: the current 67-column layout and the older ones
(``birth_age``, ``absent_ind``, ``name_prefx_cd``, ``name_sufx_cd``, ``area_cd``/``phone_num``,
``dist_2_*``) all resolve to the same fields. Columns we do not keep are ignored.
"""

from __future__ import annotations

from pathlib import Path

from targetshare.errors import InputFileError
from targetshare.voterfile.formats import (
    HISTORY_FIELDS,
    VOTER_FIELDS,
    Layout,
    build_layout,
)

# our field -> NCSBE header names, preferred first
VOTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "voter_id": ("ncid",),
    "county_id": ("county_id",),
    "county": ("county_desc",),
    "registration_number": ("voter_reg_num",),
    "status": ("status_cd", "voter_status_cd"),
    "first_name": ("first_name",),
    "middle_name": ("middle_name", "midl_name"),
    "last_name": ("last_name",),
    "name_suffix": ("name_suffix_lbl", "name_sufx_cd"),
    "birth_year": ("birth_year",),
    "age": ("age_at_year_end", "birth_age", "age"),
    "gender": ("gender_code",),
    "race": ("race_code",),
    "ethnicity": ("ethnic_code",),
    "party": ("party_cd",),
    "registration_date": ("registr_dt",),
    "street_address": ("res_street_address",),
    "city": ("res_city_desc",),
    "state": ("state_cd",),
    "zip": ("zip_code",),
    "phone": ("full_phone_number",),
    "precinct": ("precinct_abbrv",),
    "municipality": ("municipality_desc",),
    "congressional_district": ("cong_dist_abbrv",),
    "state_senate_district": ("nc_senate_abbrv",),
    "state_house_district": ("nc_house_abbrv",),
    "confidential": ("confidential_ind",),
}

HISTORY_COLUMNS: dict[str, tuple[str, ...]] = {
    "voter_id": ("ncid",),
    "election_date": ("election_lbl",),
    "election_desc": ("election_desc",),
    "voting_method": ("voting_method",),
    "voted_party": ("voted_party_cd",),
    "county_id": ("county_id",),
}


def _choose(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    present = set(header)
    chosen: dict[str, str] = {}
    for name, candidates in columns.items():
        for candidate in candidates:
            if candidate in present:
                chosen[name] = candidate
                break
    return chosen


def voter_layout(header: list[str], path: str | Path = "") -> Layout:
    """Layout of an ``ncvoter`` file; InputFileError when it has no ``ncid``/``last_name``."""
    chosen = _choose(header, VOTER_COLUMNS)
    missing = [c for c in ("ncid", "last_name") if c not in header]
    if missing:
        raise InputFileError(
            f"{path}: not an NCSBE voter file (no {', '.join(missing)} column in the header; "
            f"found {', '.join(header[:6])}...)"
        )
    phone_parts = None
    if "phone" not in chosen and "area_cd" in header and "phone_num" in header:
        phone_parts = (header.index("area_cd"), header.index("phone_num"))
    return build_layout(
        "ncsbe", VOTER_FIELDS, header, chosen, phone_parts=phone_parts,
        date_format="%m/%d/%Y", default_state="NC",
    )  # fmt: skip


def history_layout(header: list[str], path: str | Path = "") -> Layout:
    """Layout of an ``ncvhis`` file; InputFileError when it has no ``ncid``/``election_lbl``."""
    chosen = _choose(header, HISTORY_COLUMNS)
    missing = [c for c in ("ncid", "election_lbl") if c not in header]
    if missing:
        raise InputFileError(
            f"{path}: not an NCSBE vote-history file (no {', '.join(missing)} column in the header)"
        )
    return build_layout("ncsbe", HISTORY_FIELDS, header, chosen, date_format="%m/%d/%Y")
