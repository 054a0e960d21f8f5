"""Writes an import into the store inside one transaction, through the raw DBAPI connection.

SQLAlchemy opens the connection (and its pragmas / search path); the bulk statements go to the
driver's ``executemany`` with bind parameters, which is several times faster than Core for
millions of rows. The SQL is the same on SQLite (≥ 3.24) and PostgreSQL apart from the
placeholder and the null-safe comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from targetshare.voterfile.normalize import HISTORY_COLUMNS, HOUSEHOLD_COLUMNS, VOTER_COLUMNS

VOTER_WRITE_COLUMNS = (*VOTER_COLUMNS, "import_id", "updated_at")
HISTORY_WRITE_COLUMNS = (*HISTORY_COLUMNS, "import_id")
HISTORY_KEY = ("voter_id", "election_date", "election_desc")
_START_IMPORT = (
    "INSERT INTO voter_imports (source, format, file_sha256, history_source, started_at, "
    "status, rows_read, inserted, updated, unchanged, quarantined, history_rows) "
    "VALUES (?, ?, '', ?, ?, 'running', 0, 0, 0, 0, 0, 0) RETURNING id"
)
IMPORT_COUNTS = ("rows_read", "inserted", "updated", "unchanged", "quarantined", "history_rows")


class StoreWriter:
    """One import's writes; nothing is visible to readers until :meth:`commit`."""

    def __init__(self, conn: Connection) -> None:
        self.dialect = conn.dialect.name
        self.sqlite = self.dialect == "sqlite"
        self.raw = conn.connection.driver_connection
        self.cursor = self.raw.cursor()
        ph = "?" if self.sqlite else "%s"
        self._sql = {
            "voters": _upsert("voters", VOTER_WRITE_COLUMNS, ("voter_id",), ph,
                              "voters.row_hash <> excluded.row_hash"),
            "households": _insert_ignore("households", HOUSEHOLD_COLUMNS, ("household_id",), ph),
            "history": _upsert("vote_history", HISTORY_WRITE_COLUMNS, HISTORY_KEY, ph,
                               _changed("vote_history", ("voting_method", "voted_party", "county_id"), self.sqlite)),
            "quarantine": _insert("quarantine", ("import_id", "file", "line_number", "reason", "raw"), ph),
        }  # fmt: skip
        self._ph = ph

    def begin(self) -> None:
        """Start the import's transaction (on SQLite take the write lock now, as datasette does)."""
        if self.sqlite:
            self.cursor.execute("PRAGMA cache_size=-131072")  # 128 MB page cache for index inserts
            self.cursor.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()

    def timestamp(self, when: datetime):
        """``when`` as this driver stores a DateTime column the way SQLAlchemy reads it back."""
        return when.isoformat(sep=" ") if self.sqlite else when

    def start_import(self, source: str, fmt: str, history_source: str | None, started: datetime) -> int:
        ph = self._ph
        self.cursor.execute(
            _START_IMPORT.replace("?", ph),
            (source, fmt, history_source, self.timestamp(started)),
        )
        return int(self.cursor.fetchone()[0])

    def finish_import(self, import_id: int, counts: dict, sha256: str, finished: datetime) -> None:
        ph = self._ph
        sets = ", ".join(f"{name} = {ph}" for name in IMPORT_COUNTS)
        self.cursor.execute(
            f"UPDATE voter_imports SET status = 'done', file_sha256 = {ph}, finished_at = {ph}, {sets} "  # noqa: S608 - fixed column names
            f"WHERE id = {ph}",
            (sha256, self.timestamp(finished), *(counts[n] for n in IMPORT_COUNTS), import_id),
        )

    def voter_hashes(self) -> dict[str, str]:
        """``voter_id → row_hash`` of every voter already in the store."""
        self.cursor.execute("SELECT voter_id, row_hash FROM voters")
        hashes: dict[str, str] = {}
        while batch := self.cursor.fetchmany(50_000):
            hashes.update(batch)
        return hashes

    def write(self, table: str, rows: Sequence[tuple]) -> None:
        """Insert or upsert ``rows`` into ``table`` (voters, households, history, quarantine)."""
        if rows:
            self.cursor.executemany(self._sql[table], rows)

    def drop_secondary_indexes(self, table: str) -> list[str]:
        """Drop ``table``'s secondary indexes (SQLite only; DDL is transactional there) and return
        the statements that recreate them; elsewhere drop nothing and return []."""
        if not self.sqlite:
            return []
        self.cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
        indexes = self.cursor.fetchall()
        for name, _sql in indexes:
            self.cursor.execute(f'DROP INDEX "{name}"')  # name read from sqlite_master, not input
        return [sql for _name, sql in indexes]

    def create_indexes(self, statements: Sequence[str]) -> None:
        for sql in statements:
            self.cursor.execute(sql)

    def prune_households(self) -> int:
        """Delete households no voter lives in any more (after voters moved); returns how many."""
        self.cursor.execute(
            "DELETE FROM households WHERE NOT EXISTS (SELECT 1 FROM voters "
            "WHERE voters.household_id = households.household_id)"
        )
        return max(self.cursor.rowcount, 0)


def _upsert(table: str, columns: Sequence[str], key: Sequence[str], ph: str, when: str) -> str:
    cols = ", ".join(columns)
    values = ", ".join([ph] * len(columns))
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    return (
        f"INSERT INTO {table} ({cols}) VALUES ({values}) "  # noqa: S608 - fixed identifiers only
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates} WHERE {when}"
    )


def _insert(table: str, columns: Sequence[str], ph: str) -> str:
    values = ", ".join([ph] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608


def _insert_ignore(table: str, columns: Sequence[str], key: Sequence[str], ph: str) -> str:
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([ph] * len(columns))}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(key)}) DO NOTHING"
    )


def _changed(table: str, columns: Sequence[str], sqlite: bool) -> str:
    op = "IS NOT" if sqlite else "IS DISTINCT FROM"
    return " OR ".join(f"{table}.{c} {op} excluded.{c}" for c in columns)
