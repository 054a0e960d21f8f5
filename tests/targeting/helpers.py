"""Small synthetic stores for the targeting tests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert

from targetshare.store import schema

NOW = datetime(2026, 10, 1, 12, 0)


def add_voters(engine, voters: list[dict]) -> None:
    """Insert voters (voter_id plus any overrides) under one voter import."""
    with engine.begin() as conn:
        imp = conn.execute(insert(schema.voter_imports).values(
            source="test", format="csv", file_sha256="x", started_at=NOW, status="done")).inserted_primary_key[0]
        rows = []
        for v in voters:
            row = {"first_name": "Pat", "last_name": "Doe", "county": "WAKE", "city": "RALEIGH", "state": "NC",
                   "zip": "27601", "status": "A", "age": 40, "street_address": "", "household_id": None, "row_hash": "h",
                   "import_id": imp, "updated_at": NOW}
            row.update(v)
            rows.append(row)
        conn.execute(insert(schema.voters), rows)


def add_history(engine, voter_id: str, dates: list[date]) -> None:
    with engine.begin() as conn:
        imp = conn.execute(insert(schema.voter_imports).values(
            source="h", format="csv", file_sha256="y", started_at=NOW, status="done")).inserted_primary_key[0]
        conn.execute(insert(schema.vote_history), [
            {"voter_id": voter_id, "election_date": d, "election_desc": "GENERAL", "import_id": imp} for d in dates])


def add_supporter(engine, email: str, voter_id: str | None = None, name: str = "Sam Doe") -> int:
    with engine.begin() as conn:
        return conn.execute(insert(schema.supporters).values(
            email=email, name=name, voter_id=voter_id, referral_code=email, created_at=NOW)).inserted_primary_key[0]


def add_contact(engine, supporter_id: int, signals: dict | None = None, phones: list | None = None) -> int:
    with engine.begin() as conn:
        return conn.execute(insert(schema.contacts).values(
            supporter_id=supporter_id, source="manual", source_position="1", display_name="Friend",
            phones=phones or [], emails=[], signals=signals or {}, created_at=NOW)).inserted_primary_key[0]


def write_scores(path, rows: list[tuple], header: str = "voter_id,support_score,turnout_score,persuasion_score") -> None:
    path.write_text(header + "\n" + "".join(",".join(str(x) for x in r) + "\n" for r in rows))
