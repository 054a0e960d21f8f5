"""Import of NCSBE files: layouts, quoting, encoding, normalisation, idempotency, history."""

from __future__ import annotations

from sqlalchemy import select

from targetshare.store.schema import households, vote_history, voter_imports, voters
from targetshare.voterfile import import_voter_file, voter_stats

from .ncsbe_files import CURRENT, HISTORY, OLD, vote, voter, write


def _voter(engine, ncid: str) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(select(voters).where(voters.c.voter_id == ncid)).mappings().one())


def _import(engine, tmp_path, path, **kw):
    return import_voter_file(path, engine=engine, quarantine_dir=tmp_path / "q", **kw)


def _sample(tmp_path, header=CURRENT, **kw):
    rows = [
        voter("AA1", "Peña", "José", full_phone_number="(919) 555-0134"),
        voter("AA2", "O’Neil", "mary ann", res_street_address="400 n west avenue apt 3"),
        voter("AA3", "JONES", "SAM", confidential_ind="Y", res_street_address="",
              res_city_desc="", zip_code=""),
    ]  # fmt: skip
    return write(tmp_path / "ncvoter.txt", header, rows, **kw)


def test_current_layout_cp1252_is_normalised(engine, tmp_path):
    result = _import(engine, tmp_path, _sample(tmp_path))
    assert (result.rows_read, result.inserted, result.quarantined) == (3, 3, 0)
    pena = _voter(engine, "AA1")
    assert (pena["last_name"], pena["first_name"], pena["phone"]) == ("PENA", "JOSE", "+19195550134")
    assert (pena["street_address"], pena["city"], pena["zip"], pena["state"]) == (
        "12 MAIN ST", "RALEIGH", "27601", "NC")  # fmt: skip
    assert str(pena["registration_date"]) == "2004-03-15"
    assert (pena["birth_year"], pena["age"], pena["party"], pena["county_id"]) == (1970, 55, "DEM", 92)
    oneil = _voter(engine, "AA2")
    assert (oneil["last_name"], oneil["first_name"]) == ("O'NEIL", "MARY ANN")
    assert oneil["street_address"] == "400 N W AVE APT 3"
    assert oneil["household_id"] != pena["household_id"]
    assert _voter(engine, "AA3")["household_id"] is None  # confidential: no address, no household
    with engine.connect() as conn:
        assert len(conn.execute(select(households)).all()) == 2


def test_older_layout_reads_by_header_name(engine, tmp_path):
    _import(engine, tmp_path, _sample(tmp_path, header=OLD))
    pena = _voter(engine, "AA1")
    assert (pena["last_name"], pena["age"], pena["birth_year"], pena["phone"]) == (
        "PENA", 55, 1970, "+19195550134")  # fmt: skip


def test_quoted_variant_and_utf8_file(engine, tmp_path):
    _import(engine, tmp_path, _sample(tmp_path, quoted=True))
    assert _voter(engine, "AA1")["last_name"] == "PENA"
    utf8 = _sample(tmp_path, encoding="utf-8")
    result = _import(engine, tmp_path, utf8)
    assert (result.unchanged, result.updated) == (3, 0)  # same voters, same normalised rows


def test_old_phone_columns_are_joined(engine, tmp_path):
    header = [c for c in OLD if c != "full_phone_number"] + ["area_cd", "phone_num"]
    path = write(tmp_path / "v.txt", header, [voter("P1", area_cd="919", phone_num="5550199")])
    _import(engine, tmp_path, path)
    assert _voter(engine, "P1")["phone"] == "+19195550199"


def test_reimport_is_idempotent_and_updates_only_changes(engine, tmp_path):
    path = _sample(tmp_path)
    first = _import(engine, tmp_path, path)
    hash_before = _voter(engine, "AA2")["row_hash"]
    again = _import(engine, tmp_path, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert _voter(engine, "AA2")["import_id"] == first.import_id
    changed = write(tmp_path / "ncvoter2.txt", CURRENT, [
        voter("AA1", "Peña", "José", full_phone_number="(919) 555-0134"),
        voter("AA2", "O’Neil", "mary ann", res_street_address="9 Elm Street", party_cd="UNA"),
        voter("AA4", "NEW", "VOTER"),
    ])  # fmt: skip
    third = _import(engine, tmp_path, changed)
    assert (third.inserted, third.updated, third.unchanged) == (1, 1, 1)
    moved = _voter(engine, "AA2")
    assert (moved["party"], moved["street_address"], moved["import_id"]) == ("UNA", "9 ELM ST", third.import_id)
    assert moved["row_hash"] != hash_before
    assert _voter(engine, "AA1")["import_id"] == first.import_id  # unchanged rows are not written
    assert _voter(engine, "AA3")["status"] == "A"  # absent from the new file: kept as it was
    with engine.connect() as conn:
        imports = conn.execute(select(voter_imports).order_by(voter_imports.c.id)).mappings().all()
        house_ids = {r[0] for r in conn.execute(select(households.c.household_id))}
    assert [(r["inserted"], r["updated"], r["unchanged"]) for r in imports] == [(3, 0, 0), (0, 0, 3), (1, 1, 1)]
    assert all(len(r["file_sha256"]) == 64 and r["status"] == "done" for r in imports)
    assert house_ids == {_voter(engine, v)["household_id"] for v in ("AA1", "AA2", "AA4")}  # old address pruned


def test_removed_status_updates_the_voter(engine, tmp_path):
    _import(engine, tmp_path, _sample(tmp_path))
    path = write(tmp_path / "r.txt", CURRENT, [voter("AA1", "Peña", "José", full_phone_number="(919) 555-0134",
                                                     status_cd="R", voter_status_desc="REMOVED")])  # fmt: skip
    result = _import(engine, tmp_path, path)
    assert result.updated == 1 and _voter(engine, "AA1")["status"] == "R"


def test_history_upserts_on_voter_date_and_election(engine, tmp_path):
    vfile = _sample(tmp_path)
    hfile = write(tmp_path / "ncvhis.txt", HISTORY, [
        vote("AA1"), vote("AA2"), vote("AA1", "03/03/2020", "03/03/2020 PRIMARY", voting_method="IN-PERSON"),
    ])  # fmt: skip
    result = _import(engine, tmp_path, vfile, history=hfile)
    assert (result.history_read, result.history_rows) == (3, 3)
    again = _import(engine, tmp_path, vfile, history=hfile)
    assert again.history_rows == 3
    with engine.connect() as conn:
        rows = conn.execute(select(vote_history).order_by(vote_history.c.election_date)).mappings().all()
    assert len(rows) == 3
    assert (str(rows[0]["election_date"]), rows[0]["election_desc"], rows[0]["voting_method"]) == (
        "2020-03-03", "03/03/2020 PRIMARY", "IN-PERSON")  # fmt: skip
    assert all(r["import_id"] == result.import_id for r in rows)  # unchanged history not rewritten
    stats = voter_stats(engine=engine)
    assert (stats["voters"], stats["history_rows"], stats["households"], stats["imports"]) == (3, 3, 2, 2)
    assert stats["last_import"]["id"] == again.import_id
