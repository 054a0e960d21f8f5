"""Voter-file layouts: which column of a file holds which of our fields.

A format module turns a file's header into a :class:`Layout`; everything after that (parsing,
normalisation, the store) is the same for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Layout", "VOTER_FIELDS", "HISTORY_FIELDS", "REQUIRED_VOTER_FIELDS"]

VOTER_FIELDS: tuple[str, ...] = (
    "voter_id", "county_id", "county", "registration_number", "status",
    "first_name", "middle_name", "last_name", "name_suffix",
    "birth_date", "birth_year", "age", "gender", "race", "ethnicity", "party",
    "registration_date", "street_address", "city", "state", "zip", "phone", "email",
    "precinct", "municipality", "congressional_district", "state_senate_district",
    "state_house_district", "confidential",
)  # fmt: skip
HISTORY_FIELDS: tuple[str, ...] = (
    "voter_id", "election_date", "election_desc", "voting_method", "voted_party", "county_id",
)  # fmt: skip
REQUIRED_VOTER_FIELDS = ("voter_id", "last_name")
REQUIRED_HISTORY_FIELDS = ("voter_id", "election_date")


@dataclass(frozen=True)
class Layout:
    """Where each field sits in a file's rows.

    ``index`` maps every field of ``fields`` to a column; a field the file lacks maps to
    ``width``, the position of the one empty string the reader appends to every row.
    """

    format: str
    fields: tuple[str, ...]
    width: int
    index: dict[str, int]
    phone_parts: tuple[int, int] | None = None  # older NCSBE files: area_cd + phone_num
    date_format: str | None = None
    default_state: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # field -> header name, for docs/errors

    def has(self, name: str) -> bool:
        return self.index.get(name, self.width) < self.width


def build_layout(
    fmt: str,
    fields: tuple[str, ...],
    header: list[str],
    chosen: dict[str, str],
    **extra,
) -> Layout:
    """A Layout from ``chosen`` (field -> header name present in ``header``)."""
    position = {name: i for i, name in enumerate(header)}
    width = len(header)
    index = {f: position.get(chosen.get(f, ""), width) for f in fields}
    return Layout(fmt, fields, width, index, columns=dict(chosen), **extra)
