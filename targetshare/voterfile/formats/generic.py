"""Any delimited voter file, described by a YAML column mapping.

The mapping names, for each of our fields, the column of the campaign's file that holds it,
plus reading options (see docs/voterfile.md)::

    columns:
      voter_id: SOS_VOTERID
      last_name: LAST_NAME
    options:
      delimiter: ","
      encoding: utf-8
      date_format: "%m/%d/%Y"
      default_state: OH
    history:
      columns: {voter_id: SOS_VOTERID, election_date: DATE, election_desc: ELECTION}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from targetshare.errors import InputFileError
from targetshare.voterfile.formats import (
    HISTORY_FIELDS,
    REQUIRED_HISTORY_FIELDS,
    REQUIRED_VOTER_FIELDS,
    VOTER_FIELDS,
    Layout,
    build_layout,
)

OPTION_NAMES = ("delimiter", "encoding", "date_format", "default_state", "quotechar")


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file: voter columns, history columns and reading options."""

    columns: dict[str, str]
    options: dict[str, str] = field(default_factory=dict)
    history_columns: dict[str, str] = field(default_factory=dict)
    history_options: dict[str, str] = field(default_factory=dict)

    def reader_options(self, history: bool = False) -> dict[str, str]:
        """Keyword arguments for ``open_delimited`` (encoding, delimiter, quotechar)."""
        opts = {**self.options, **(self.history_options if history else {})}
        return {k: opts[k] for k in ("encoding", "delimiter", "quotechar") if opts.get(k)}


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping YAML; InputFileError names what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"mapping file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputFileError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise InputFileError(f"{path}: a mapping needs a 'columns:' section (our field: their column)")
    columns = _columns(path, data["columns"], VOTER_FIELDS, REQUIRED_VOTER_FIELDS)
    options = _options(path, data.get("options") or {})
    history = data.get("history") or {}
    history_columns = (
        _columns(path, history.get("columns") or {}, HISTORY_FIELDS, REQUIRED_HISTORY_FIELDS)
        if history
        else {}
    )
    return Mapping(columns, options, history_columns, _options(path, history.get("options") or {}))


def _columns(path: Path, raw: dict, fields: tuple[str, ...], required: tuple[str, ...]) -> dict[str, str]:
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise InputFileError(
            f"{path}: unknown field(s) {', '.join(unknown)}; known: {', '.join(fields)}"
        )
    missing = [f for f in required if not raw.get(f)]
    if missing:
        raise InputFileError(f"{path}: the mapping must name a column for {', '.join(missing)}")
    return {k: str(v).strip().lower() for k, v in raw.items() if v}


def _options(path: Path, raw: dict) -> dict[str, str]:
    unknown = sorted(set(raw) - set(OPTION_NAMES))
    if unknown:
        raise InputFileError(f"{path}: unknown option(s) {', '.join(unknown)}; known: {', '.join(OPTION_NAMES)}")
    options = {k: str(v) for k, v in raw.items()}
    if options.get("delimiter") in ("\\t", "tab", "TAB"):
        options["delimiter"] = "\t"
    return options


def _layout(mapping_columns: dict[str, str], fields: tuple[str, ...], header: list[str],
            path: str | Path, options: dict[str, str]) -> Layout:  # fmt: skip
    absent = sorted(f"{ours}→{theirs}" for ours, theirs in mapping_columns.items() if theirs not in header)
    if absent:
        raise InputFileError(
            f"{path}: the mapping names column(s) the file does not have: {', '.join(absent)} "
            f"(the file's columns: {', '.join(header)})"
        )
    return build_layout(
        "csv", fields, header, mapping_columns,
        date_format=options.get("date_format") or None,
        default_state=(options.get("default_state") or "").upper(),
    )  # fmt: skip


def voter_layout(header: list[str], mapping: Mapping, path: str | Path = "") -> Layout:
    """Layout of a generic voter file under ``mapping``."""
    return _layout(mapping.columns, VOTER_FIELDS, header, path, mapping.options)


def history_layout(header: list[str], mapping: Mapping, path: str | Path = "") -> Layout:
    """Layout of a generic vote-history file under ``mapping``'s ``history`` section."""
    if not mapping.history_columns:
        raise InputFileError("the mapping has no 'history:' section, so --history cannot be read")
    options = {**mapping.options, **mapping.history_options}
    return _layout(mapping.history_columns, HISTORY_FIELDS, header, path, options)
