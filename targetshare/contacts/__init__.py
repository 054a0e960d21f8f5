"""Contact sources: every supporter upload parsed into one canonical :class:`Contact`.

Parsers read and return; they never store anything (contacts that don't match the voter file
are never kept — see docs/contacts.md).
"""

from targetshare.contacts.dedupe import dedupe
from targetshare.contacts.detect import detect_and_parse, parse_file
from targetshare.contacts.record import Contact
from targetshare.contacts.sources.manual import parse_manual

__all__ = ["Contact", "parse_file", "detect_and_parse", "parse_manual", "dedupe"]
