"""Streaming, idempotent, atomic import of a voter file (and its vote history) into the store.

* Streaming: rows are parsed, normalised and written in chunks; memory holds only the chunk and
  one ``voter_id → row_hash`` map of the store (about 250 MB per million voters).
* Idempotent: a voter whose normalised row hashes the same as the stored one is not written;
  new ones are inserted, changed ones updated (upsert by ``voter_id``); history upserts on
  ``(voter_id, election_date, election_desc)``. Voters absent from a new file are kept as they
  are: NCSBE reports removals as ``status_cd = R`` rows, which update the voter's status.
* Atomic: the whole import is one transaction. A crash or ``kill -9`` leaves the previous
  import in place; readers see the old data until the commit (SQLite WAL, PostgreSQL MVCC).
* Nothing is dropped silently: every rejected row goes, with its line number and reason, to a
  quarantine CSV (one per import under ``settings.quarantine_dir``) and to the quarantine table.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, insert

from targetshare.errors import InputFileError
from targetshare.settings import get_settings
from targetshare.store.db import open_store
from targetshare.store.schema import voter_imports
from targetshare.voterfile.formats import Layout, generic, ncsbe
from targetshare.voterfile.formats.text import DelimitedFile, open_delimited
from targetshare.voterfile.normalize import HistoryNormalizer, Reject, VoterNormalizer
from targetshare.voterfile.writer import StoreWriter

__all__ = ["ImportResult", "import_voter_file", "FORMATS"]

FORMATS = ("ncsbe", "csv")
Progress = Callable[[str, int, int, int], None]  # phase, bytes done, bytes total, rows done


@dataclass
class ImportResult:
    """What one import did; ``as_dict()`` is what ``voters import --json`` prints."""

    import_id: int = 0
    status: str = "running"
    source: str = ""
    format: str = ""
    history_source: str | None = None
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    history_read: int = 0
    history_rows: int = 0
    households_pruned: int = 0
    quarantine_file: str | None = None
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


class Quarantine:
    """Rejected rows: buffered, then written to the CSV file and the quarantine table."""

    def __init__(self, folder: Path, import_id: int, result: ImportResult) -> None:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
        self.path = folder / f"import-{import_id:05d}-{stamp}.csv"
        self.import_id, self.result = import_id, result
        self.pending: list[tuple] = []
        self._handle = None
        self._csv = None

    def add(self, file: Path, line: int, reason: str, raw: str) -> None:
        self.pending.append((self.import_id, str(file), line, reason, raw))
        self.result.quarantined += 1
        key = reason.split(":")[0]
        self.result.reasons[key] = self.result.reasons.get(key, 0) + 1

    def flush(self, writer: StoreWriter) -> None:
        if not self.pending:
            return
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self._csv = csv.writer(self._handle)
            self._csv.writerow(["file", "line_number", "reason", "raw"])
            self.result.quarantine_file = str(self.path)
        self._csv.writerows(p[1:] for p in self.pending)
        self._handle.flush()
        writer.write("quarantine", self.pending)
        self.pending = []

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def import_voter_file(
    path: str | Path,
    history: str | Path | None = None,
    *,
    format: str = "ncsbe",
    mapping: str | Path | None = None,
    database_url: str | None = None,
    engine: Engine | None = None,
    quarantine_dir: str | Path | None = None,
    chunk_size: int = 25_000,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ``path`` (and the vote-history file ``history``) into the store; see module doc.

    ``format`` is ``ncsbe`` or ``csv``; ``csv`` needs ``mapping`` (a YAML file), and a mapping
    implies ``csv``. The store is ``engine``, else ``database_url``, else the settings' URL.
    Raises InputFileError before touching the store when a file cannot be read as a voter file.
    """
    started, clock = datetime.now(), time.perf_counter()
    spec = generic.load_mapping(mapping) if mapping else None
    if format not in FORMATS:
        raise InputFileError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    if format == "csv" and spec is None:
        raise InputFileError("--format csv needs --mapping FILE.yaml naming the columns")
    fmt = "csv" if spec else "ncsbe"
    voters_file, voters_layout = _open(path, spec, history=False)
    history_file = history_layout = None
    try:
        if history is not None:
            history_file, history_layout = _open(history, spec, history=True)
        settings = get_settings()
        engine = engine or open_store(database_url or settings.database_url)
        folder = Path(quarantine_dir or settings.quarantine_dir)
        result = ImportResult(source=str(path), format=fmt,
                              history_source=str(history) if history else None)  # fmt: skip
        with engine.connect() as conn:
            writer = StoreWriter(conn)
            try:
                _run(writer, result, started, folder, chunk_size, progress,
                     (voters_file, voters_layout), (history_file, history_layout))  # fmt: skip
            except BaseException:
                writer.rollback()
                _record_failure(engine, result, started)
                raise
    finally:
        voters_file.close()
        if history_file is not None:
            history_file.close()
    result.status = "done"
    result.seconds = round(time.perf_counter() - clock, 3)
    return result


def _open(path: str | Path, spec: generic.Mapping | None, *, history: bool) -> tuple[DelimitedFile, Layout]:
    handle = open_delimited(path, **(spec.reader_options(history) if spec else {}))
    try:
        if spec is None:
            layout_of = ncsbe.history_layout if history else ncsbe.voter_layout
            return handle, layout_of(handle.header, path)
        layout_of = generic.history_layout if history else generic.voter_layout
        return handle, layout_of(handle.header, spec, path)
    except BaseException:
        handle.close()
        raise


def _run(writer, result, started, folder, chunk_size, progress, voters, history) -> None:
    """The body of the import's one transaction."""
    writer.begin()
    result.import_id = writer.start_import(result.source, result.format, result.history_source, started)
    quarantine = Quarantine(folder, result.import_id, result)
    try:
        existing = writer.voter_hashes()
        # A first import into an empty store builds the voters' secondary indexes once at the
        # end (inside the same transaction) instead of updating them row by row.
        rebuild = writer.drop_secondary_indexes("voters") if not existing else []
        seen = _load_voters(writer, result, quarantine, *voters, existing, chunk_size, progress)
        writer.create_indexes(rebuild)
        if history[0] is not None:
            _load_history(writer, result, quarantine, *history, (seen, existing), chunk_size, progress)
        if result.updated:
            result.households_pruned = writer.prune_households()
        quarantine.flush(writer)
    finally:
        quarantine.close()
    counts = {**result.as_dict()}
    writer.finish_import(result.import_id, counts, voters[0].sha256(), datetime.now())
    writer.commit()


def _fits(row: list[str], width: int) -> bool:
    """True when ``row`` has the header's field count (trailing empty extras are trimmed)."""
    if len(row) == width:
        return True
    if len(row) > width and not any(row[width:]):
        del row[width:]
        return True
    return False


def _load_voters(writer, result, quarantine, file, layout, existing, chunk_size, progress) -> dict:
    """Stream the voter file into the store; returns ``voter_id → first line`` of this file."""
    normalizer = VoterNormalizer(layout)
    width, delim, tail = layout.width, file.delimiter, (result.import_id, writer.timestamp(datetime.now()))
    seen: dict[str, int] = {}
    households_sent: set[str] = set()
    voters_chunk: list[tuple] = []
    households_chunk: list[tuple] = []
    for line, row in file.records():
        result.rows_read += 1
        if not _fits(row, width):
            quarantine.add(file.path, line, f"wrong field count: expected {width}, got {len(row)}", delim.join(row))
            continue
        try:
            voter, household = normalizer.voter(row)
        except Reject as exc:
            quarantine.add(file.path, line, str(exc), delim.join(row[:width]))
            continue
        vid = voter[0]
        if vid in seen:
            quarantine.add(file.path, line, f"duplicate voter id in file: {vid} (first at line {seen[vid]})",
                           delim.join(row[:width]))  # fmt: skip
            continue
        seen[vid] = line
        old = existing.get(vid)
        if old == voter[-1]:
            result.unchanged += 1
            continue
        if old is None:
            result.inserted += 1
        else:
            result.updated += 1
        if household is not None and household[0] not in households_sent:
            households_sent.add(household[0])
            households_chunk.append(household)
        voters_chunk.append((*voter, *tail))
        if len(voters_chunk) >= chunk_size:
            _flush_voters(writer, voters_chunk, households_chunk, quarantine)
            if progress:
                progress("voters", file.bytes_read, file.size, result.rows_read)
    _flush_voters(writer, voters_chunk, households_chunk, quarantine)
    if progress:
        progress("voters", file.size, file.size, result.rows_read)
    return seen


def _flush_voters(writer, voters_chunk, households_chunk, quarantine) -> None:
    writer.write("households", households_chunk)
    writer.write("voters", voters_chunk)
    quarantine.flush(writer)
    voters_chunk.clear()
    households_chunk.clear()


def _load_history(writer, result, quarantine, file, layout, known, chunk_size, progress) -> None:
    """Stream the vote-history file; rows for voters neither in this file nor the store are rejected."""
    normalizer = HistoryNormalizer(layout)
    seen, existing = known
    width, delim, import_id = layout.width, file.delimiter, result.import_id
    chunk: list[tuple] = []
    for line, row in file.records():
        result.history_read += 1
        if not _fits(row, width):
            quarantine.add(file.path, line, f"wrong field count: expected {width}, got {len(row)}", delim.join(row))
            continue
        try:
            vote = normalizer.history(row)
        except Reject as exc:
            quarantine.add(file.path, line, str(exc), delim.join(row[:width]))
            continue
        if vote[0] not in seen and vote[0] not in existing:
            quarantine.add(file.path, line, f"history row for unknown voter: {vote[0]}", delim.join(row[:width]))
            continue
        result.history_rows += 1
        chunk.append((*vote, import_id))
        if len(chunk) >= chunk_size * 2:
            writer.write("history", chunk)
            quarantine.flush(writer)
            chunk.clear()
            if progress:
                progress("history", file.bytes_read, file.size, result.history_read)
    writer.write("history", chunk)
    if progress:
        progress("history", file.size, file.size, result.history_read)


def _record_failure(engine: Engine, result: ImportResult, started: datetime) -> None:
    """Leave a ``failed`` row in voter_imports (its own small transaction); best effort."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(voter_imports).values(
                source=result.source, format=result.format, file_sha256="",
                history_source=result.history_source, started_at=started,
                finished_at=datetime.now(), status="failed", rows_read=result.rows_read,
                inserted=0, updated=0, unchanged=0, quarantined=result.quarantined,
                history_rows=0,
            ))  # fmt: skip
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass
