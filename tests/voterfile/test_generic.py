"""Generic CSV voter files read through a YAML column mapping."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from targetshare.errors import InputFileError
from targetshare.store.schema import vote_history, voters
from targetshare.voterfile import import_voter_file

MAPPING = """
columns:
  voter_id: SOS Voter ID
  first_name: First
  last_name: Last
  birth_date: DOB
  street_address: Address
  city: City
  zip: Zip
  phone: Phone
  email: Email
  party: Party
  registration_date: Registered
options:
  delimiter: ";"
  encoding: cp1252
  date_format: "%Y-%m-%d"
  default_state: oh
history:
  columns: {voter_id: SOS Voter ID, election_date: Date, election_desc: Election}
  options: {delimiter: ","}
"""


def _files(tmp_path, mapping: str = MAPPING):
    (tmp_path / "map.yaml").write_text(mapping)
    (tmp_path / "voters.csv").write_bytes(
        "SOS Voter ID;First;Last;DOB;Address;City;Zip;Phone;Email;Party;Registered\n"
        "OH1;Zoë;Muñoz;1980-02-29;7 Oak Road;Columbus;43215-1234;614 555 0100;ZM@Example.com;REP;2010-05-01\n"
        "OH2;Al;;1980-01-01;;;;;;;\n"
        'OH3;"Bo; Jr";Li;02/29/1980;;;;;;;\n'.encode("cp1252")
    )
    (tmp_path / "history.csv").write_text("SOS Voter ID,Date,Election\nOH1,2024-11-05,General\nOH9,2024-11-05,General\n")
    return tmp_path / "voters.csv", tmp_path / "history.csv", tmp_path / "map.yaml"


def test_generic_csv_with_mapping(engine, tmp_path):
    vfile, hfile, mapping = _files(tmp_path)
    result = import_voter_file(vfile, hfile, mapping=mapping, engine=engine, quarantine_dir=tmp_path)
    assert (result.format, result.inserted, result.history_rows) == ("csv", 1, 1)
    assert sorted(result.reasons) == ["history row for unknown voter", "missing last name",
                                      "unparseable birth date"]  # fmt: skip
    with engine.connect() as conn:
        row = conn.execute(select(voters)).mappings().one()
        vote = conn.execute(select(vote_history)).mappings().one()
    assert (row["first_name"], row["last_name"], row["birth_year"], str(row["birth_date"])) == (
        "ZOE", "MUNOZ", 1980, "1980-02-29")  # fmt: skip
    assert (row["street_address"], row["city"], row["zip"], row["state"]) == ("7 OAK RD", "COLUMBUS", "43215", "OH")
    assert (row["phone"], row["email"], row["party"]) == ("+16145550100", "zm@example.com", "REP")
    assert (str(vote["election_date"]), vote["election_desc"]) == ("2024-11-05", "GENERAL")


def test_mapping_naming_missing_columns_is_a_clear_error(sqlite_engine, tmp_path):
    vfile, _, _ = _files(tmp_path, MAPPING.replace("Last\n", "Surname\n"))
    with pytest.raises(InputFileError, match="does not have: last_name→surname"):
        import_voter_file(vfile, mapping=tmp_path / "map.yaml", engine=sqlite_engine)


@pytest.mark.parametrize("text, message", [
    ("columns: {last_name: Last}\n", "must name a column for voter_id"),
    ("columns: {voter_id: A, last_name: B, shoe_size: C}\n", "unknown field"),
    ("columns: {voter_id: A, last_name: B}\noptions: {colour: red}\n", "unknown option"),
    ("just text\n", "needs a 'columns:' section"),
])  # fmt: skip
def test_bad_mapping_files(sqlite_engine, tmp_path, text, message):
    vfile, _, _ = _files(tmp_path, text)
    with pytest.raises(InputFileError, match=message):
        import_voter_file(vfile, mapping=tmp_path / "map.yaml", engine=sqlite_engine)
