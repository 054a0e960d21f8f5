"""Sniff which export a file is and parse it: the one entry point for uploaded contact files."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from targetshare.contacts.normalize import decode_text
from targetshare.contacts.record import Contact
from targetshare.contacts.sources.facebook_json import parse_facebook_json
from targetshare.contacts.sources.google_csv import looks_like_google_csv, parse_google_csv
from targetshare.contacts.sources.outlook_csv import looks_like_outlook_csv, parse_outlook_csv
from targetshare.contacts.sources.vcard import looks_like_vcard, parse_vcard
from targetshare.errors import InputFileError

__all__ = ["detect_and_parse", "parse_file", "detect_format", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 10_000_000
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive or Excel workbook (unzip it, or save the sheet as CSV)",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel/Word file (save it as CSV)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"SQLite format 3": "an SQLite database",
}
_EXPECTED = {".vcf": "vCard", ".vcard": "vCard", ".csv": "CSV", ".json": "JSON"}


def _csv_header(text: str) -> list[str]:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        return [h.strip() for h in next(csv.reader(io.StringIO(first)), [])]
    except csv.Error:
        return []


def _looks_tabular(text: str, width: int) -> bool:
    """The first data rows have as many fields as the header (prose with a comma does not)."""
    try:
        rows = [r for r in csv.reader(io.StringIO(text[:20000])) if any(c.strip() for c in r)]
    except csv.Error:
        return False
    sample = rows[1:6]
    return not sample or all(len(r) == width for r in sample)


def detect_format(text: str) -> str:
    """'vcard' | 'facebook_json' | 'google_csv' | 'outlook_csv' | '' (unknown)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if looks_like_vcard(stripped):
        return "vcard"
    if stripped[:1] in ("{", "["):
        return "facebook_json"
    header = _csv_header(stripped)
    if len(header) < 2:
        return ""
    if looks_like_google_csv(header):
        return "google_csv"
    if looks_like_outlook_csv(header):
        return "outlook_csv"
    if any(h in header for h in ("First Name", "Last Name", "Name", "Given Name")):
        return "google_csv" if "Labels" in header else "outlook_csv"
    return "csv_unknown" if _looks_tabular(stripped, len(header)) else ""


def _not_contacts(filename: str | None) -> InputFileError:
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in _EXPECTED:
        return InputFileError(
            f"{filename} is named like a {_EXPECTED[ext]} file but does not contain "
            f"{_EXPECTED[ext]} contact data (wrong format?)"
        )
    return InputFileError(
        "not a contact file: expected a vCard (.vcf), a Google or Outlook contacts CSV, "
        "or a Facebook friends JSON"
    )


def detect_and_parse(
    data: bytes,
    filename: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    region: str = "US",
) -> list[Contact]:
    """Parse an uploaded contact file of any supported format; raise InputFileError if unusable."""
    if len(data) > max_bytes:
        raise InputFileError(
            f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit for a contact file"
        )
    if not data.strip():
        raise InputFileError("the file is empty")
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise InputFileError(f"not a contact file: this is {what}")
    text = decode_text(data)
    if "\x00" in text:
        raise InputFileError("not a contact file: it contains binary data")
    kind = detect_format(text)
    if kind == "vcard":
        return parse_vcard(text, region)
    if kind == "facebook_json":
        return parse_facebook_json(text, region)
    if kind == "google_csv":
        return parse_google_csv(text, region)
    if kind == "outlook_csv":
        return parse_outlook_csv(text, region)
    if kind == "csv_unknown":
        raise InputFileError(
            "CSV without a name column: expected a Google Contacts or Outlook export "
            "(First Name / Last Name or Name columns)"
        )
    raise _not_contacts(filename)


def parse_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES, region: str = "US"
) -> list[Contact]:
    """Read and parse a contact file from disk (size checked before reading)."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputFileError(f"cannot read {p}: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise InputFileError(f"{p.name} is {size:,} bytes, over the {max_bytes:,}-byte limit")
    return detect_and_parse(p.read_bytes(), p.name, max_bytes=max_bytes, region=region)
