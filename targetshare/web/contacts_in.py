"""Turning what a supporter hands over (a file, picker results, a typed contact, API JSON) into
canonical contact records for matching. Parsing is ``targetshare.contacts``; this module only
enforces the web's limits and turns its errors into messages. Nothing here is stored or logged.

Request bodies that carry contacts are read here, in memory and counted as they arrive: Starlette's
own form parser writes any file part over 1 MB to a temporary file on disk (and reads bodies of any
size), which would put unmatched contacts on disk.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, UploadFile
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException, MultiPartParser

from targetshare.contacts import detect_and_parse, parse_manual
from targetshare.errors import InputFileError

__all__ = ["ContactsRejected", "from_upload", "from_bytes", "from_manual", "from_picker", "from_canonical",
           "read_body", "read_multipart", "read_json", "too_big_message", "MAX_CONTACTS", "BODY_OVERHEAD"]

MAX_CONTACTS = 20_000
BODY_OVERHEAD = 100_000  # multipart headers and the CSRF field around the file
CANONICAL_KEYS = ("contact_id", "source", "display_name", "given_name", "middle_name", "family_name",
                  "nickname", "phones", "emails", "city", "state", "zip", "birthday", "birth_year", "signals")


class ContactsRejected(ValueError):
    """The input can't be used; the message says why, in words a supporter understands."""


def _checked(contacts: list) -> list[dict]:
    if not contacts:
        raise ContactsRejected("We couldn't find any contacts in that.")
    if len(contacts) > MAX_CONTACTS:
        raise ContactsRejected(f"That's more than {MAX_CONTACTS:,} contacts; please upload fewer.")
    return [c.to_dict() for c in contacts]


def from_bytes(data: bytes, filename: str | None, max_bytes: int) -> list[dict]:
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    try:
        return _checked(detect_and_parse(data, filename, max_bytes=max_bytes))
    except InputFileError as exc:
        raise ContactsRejected(f"We couldn't read that file: {exc}. Nothing was stored.") from None


def too_big_message(max_bytes: int) -> str:
    return f"That file is too big (the limit is {max_bytes / 1_000_000:g} MB). Nothing was stored."


def _too_big(max_bytes: int) -> ContactsRejected:
    return ContactsRejected(too_big_message(max_bytes))


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The whole request body, in memory; refused as soon as it passes ``max_bytes`` plus the
    multipart overhead (by its Content-Length, or while it streams in without one)."""
    limit = max_bytes + BODY_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_big(max_bytes)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_big(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_multipart(request: Request, max_bytes: int) -> FormData:
    """A multipart form parsed in memory (its file parts never spill to a temporary file)."""
    body = await read_body(request, max_bytes)

    async def stream():
        yield body

    parser = MultiPartParser(request.headers, stream(), max_files=1, max_fields=10)
    parser.spool_max_size = len(body) + 1  # the part can't outgrow the body: no rollover to disk
    try:
        return await parser.parse()
    except (MultiPartException, KeyError):
        raise ContactsRejected("The upload was cut short or garbled. Please try again. Nothing was stored.") from None


async def read_json(request: Request, max_bytes: int) -> Any:
    """A JSON body, size-limited like a file; ContactsRejected when it isn't JSON."""
    body = await read_body(request, max_bytes)
    try:
        return json.loads(body)
    except ValueError:
        raise ContactsRejected("That wasn't JSON we could read. Nothing was stored.") from None


async def from_upload(file: UploadFile, max_bytes: int) -> list[dict]:
    data = await file.read(max_bytes + 1)
    return from_bytes(data, file.filename, max_bytes)


def from_manual(records: list[dict[str, Any]]) -> list[dict]:
    cleaned = [{k: v for k, v in r.items() if v not in ("", [""], None)} for r in records]
    if not any(str(r.get("name") or "").strip() for r in cleaned):
        raise ContactsRejected("Please type your friend's name.")
    try:
        return _checked(parse_manual(cleaned, source="manual"))
    except InputFileError as exc:
        raise ContactsRejected(str(exc)) from None


def from_picker(records: Any) -> list[dict]:
    if not isinstance(records, list):
        raise ContactsRejected("The contact picker sent something we couldn't read.")
    try:
        return _checked(parse_manual(records, source="picker"))
    except InputFileError as exc:
        raise ContactsRejected(str(exc)) from None


def from_canonical(records: Any) -> list[dict]:
    """API clients that parse on their side send canonical records (see docs/contacts.md)."""
    if not isinstance(records, list) or not records:
        raise ContactsRejected("contacts must be a non-empty list of contact records")
    if len(records) > MAX_CONTACTS:
        raise ContactsRejected(f"at most {MAX_CONTACTS:,} contacts per request")
    out = []
    for i, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise ContactsRejected(f"contact {i}: expected an object")
        item = {k: record.get(k) for k in CANONICAL_KEYS}
        item["contact_id"] = str(item["contact_id"] or f"api:{i}")
        item["source"] = str(item["source"] or "manual")
        for key in ("phones", "emails"):
            value = item[key] or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ContactsRejected(f"contact {i}: {key} must be a list of strings")
            item[key] = value
        for key in ("display_name", "given_name", "middle_name", "family_name", "nickname", "city", "state", "zip", "birthday"):
            item[key] = str(item[key] or "")
        item["signals"] = item["signals"] if isinstance(item["signals"], dict) else {}
        out.append(item)
    return out
