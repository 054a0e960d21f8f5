"""Streaming reader for delimited voter-file text: encoding and quoting detection, line numbers.

The file is read through a small raw wrapper that counts bytes (for progress bars) and hashes
them (``voter_imports.file_sha256``) as they stream past, so the file is read exactly once and
never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from targetshare.errors import InputFileError

SNIFF_BYTES = 1 << 20


def _cp1252_or_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode as latin-1 does."""
    bad = error.object[error.start : error.end]
    return bad.decode("latin-1"), error.end


codecs.register_error("targetshare_latin1", _cp1252_or_latin1)


class HashingReader(io.RawIOBase):
    """A raw binary stream that hashes and counts every byte read from ``raw``."""

    def __init__(self, raw: io.RawIOBase) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self._raw.readinto(buffer)
        if n:
            self.sha256.update(memoryview(buffer)[:n])
            self.bytes_read += n
        return n or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


def detect_encoding(head: bytes) -> str:
    """``utf-8`` when the first megabyte has non-ASCII bytes that are valid UTF-8, else cp1252.

    NCSBE publishes Windows-1252 / latin-1; a file re-saved by a spreadsheet may be UTF-8.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.isascii():
        return "cp1252"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sniff window is still UTF-8
        if exc.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


@dataclass
class DelimitedFile:
    """An open delimited file: its header (lower-cased) and a stream of ``(line, fields)``."""

    path: Path
    header: list[str]
    delimiter: str
    encoding: str
    quoted: bool
    _hasher: HashingReader
    _text: io.TextIOWrapper
    _reader: Iterator[list[str]] = field(repr=False, default=None)  # type: ignore[assignment]

    @property
    def bytes_read(self) -> int:
        return self._hasher.bytes_read

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def sha256(self) -> str:
        """Hex digest of the whole file (reads any unread rest; call after the records)."""
        while self._hasher.read(1 << 20):
            pass
        return self._hasher.sha256.hexdigest()

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """``(physical line number where the record starts, fields)`` for every data row."""
        reader = self._reader
        last = 1
        for row in reader:
            start = last + 1
            last = reader.line_num + 1  # type: ignore[attr-defined]
            if not row or row == [""]:
                continue  # blank line
            yield start, row

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> DelimitedFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_delimited(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    quotechar: str = '"',
) -> DelimitedFile:
    """Open ``path`` for streaming; ``encoding``/``delimiter`` None means detect from the head."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"voter file not found: {path}")
    raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by DelimitedFile.close
    hasher = HashingReader(raw)
    buffered = io.BufferedReader(hasher, buffer_size=SNIFF_BYTES)
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    enc = encoding or detect_encoding(head)
    errors = "targetshare_latin1" if codecs.lookup(enc).name == "cp1252" else "strict"
    text = io.TextIOWrapper(buffered, encoding=enc, errors=errors, newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError as exc:
        text.close()
        raise InputFileError(f"{path}: not readable as {enc}: {exc}") from exc
    if not first.strip():
        text.close()
        raise InputFileError(f"{path}: empty file or no header row")
    delim = delimiter or _guess_delimiter(first)
    quoted = first.lstrip("\ufeff").startswith(quotechar)
    options = {"delimiter": delim, "strict": False}
    if quoted or delim == ",":
        options.update(quotechar=quotechar, quoting=csv.QUOTE_MINIMAL)
    else:
        options.update(quoting=csv.QUOTE_NONE)
    header_row = next(csv.reader([first], **options))
    header = [h.strip().strip('"').lstrip("\ufeff").strip().lower() for h in header_row]
    handle = DelimitedFile(path, header, delim, enc, quoted, hasher, text)
    handle._reader = csv.reader(_decode_guard(text, path, enc), **options)
    return handle


def _guess_delimiter(first: str) -> str:
    counts = {d: first.count(d) for d in ("\t", ",", "|", ";")}
    return max(counts, key=counts.get) if max(counts.values()) else "\t"


def _decode_guard(text: io.TextIOWrapper, path: Path, enc: str) -> Iterator[str]:
    try:
        yield from text
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not readable as {enc} (give the encoding): {exc}") from exc
