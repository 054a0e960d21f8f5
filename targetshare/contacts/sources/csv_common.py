"""Shared CSV reading for the Google and Outlook exports."""

from __future__ import annotations

import csv
import io
import re

from targetshare.errors import InputFileError

__all__ = ["read_csv", "multi", "numbered", "require_name_column", "MULTI_SEP"]

MULTI_SEP = " ::: "  # Google joins several values in one cell with this


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header (stripped) and the non-blank rows as dicts; ragged rows are padded."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputFileError(f"not a readable CSV file: {exc}") from exc
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputFileError("the CSV file has no header row")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    records = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))
        records.append(dict(zip(header, row, strict=False)))
    return header, records


def require_name_column(header: list[str], wanted: tuple[str, ...], kind: str) -> None:
    if not any(col in header for col in wanted):
        raise InputFileError(
            f"{kind} CSV without a name column: expected one of {', '.join(wanted)}"
        )


def multi(cell: str | None) -> list[str]:
    """Values of a cell that may hold several joined by ' ::: '."""
    return [v.strip() for v in (cell or "").split(":::") if v.strip()]


def numbered(header: list[str], pattern: str) -> list[int]:
    """The N of every column matching ``pattern`` (a regex with one ``(\\d+)``), in order."""
    found = {int(m.group(1)) for col in header if (m := re.fullmatch(pattern, col))}
    return sorted(found)
