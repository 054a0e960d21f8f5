"""The simulated ncvoter/ncvhis files follow the NCSBE layout and look like North Carolina."""

from __future__ import annotations

import re

import pandas as pd

from targetshare.sim.ncsbe import NCVHIS_COLUMNS, NCVOTER_COLUMNS

# copied from ../shared/data/ncsbe-layout.md, in order
LAYOUT_NCVOTER = """county_id, county_desc, voter_reg_num, ncid, last_name, first_name, middle_name, name_suffix_lbl,
status_cd, voter_status_desc, reason_cd, voter_status_reason_desc, res_street_address, res_city_desc,
state_cd, zip_code, mail_addr1, mail_addr2, mail_addr3, mail_addr4, mail_city, mail_state, mail_zipcode,
full_phone_number, confidential_ind, registr_dt, race_code, ethnic_code, party_cd, gender_code,
birth_year, age_at_year_end, birth_state, drivers_lic, precinct_abbrv, precinct_desc, municipality_abbrv,
municipality_desc, ward_abbrv, ward_desc, cong_dist_abbrv, super_court_abbrv, judic_dist_abbrv,
nc_senate_abbrv, nc_house_abbrv, county_commiss_abbrv, county_commiss_desc, township_abbrv,
township_desc, school_dist_abbrv, school_dist_desc, fire_dist_abbrv, fire_dist_desc, water_dist_abbrv,
water_dist_desc, sewer_dist_abbrv, sewer_dist_desc, sanit_dist_abbrv, sanit_dist_desc,
rescue_dist_abbrv, rescue_dist_desc, munic_dist_abbrv, munic_dist_desc, dist_1_abbrv, dist_1_desc,
vtd_abbrv, vtd_desc"""
LAYOUT_NCVHIS = """county_id, county_desc, voter_reg_num, election_lbl, election_desc, voting_method, voted_party_cd,
voted_party_desc, pct_label, pct_description, ncid, voted_county_id, voted_county_desc, vtd_label,
vtd_description"""


def _cols(text: str) -> list[str]:
    return [c.strip() for c in text.replace("\n", " ").split(",")]


def read_tab(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, encoding="cp1252", keep_default_na=False)


def test_columns_match_the_published_layout():
    assert NCVOTER_COLUMNS == _cols(LAYOUT_NCVOTER) and len(NCVOTER_COLUMNS) == 67
    assert NCVHIS_COLUMNS == _cols(LAYOUT_NCVHIS) and len(NCVHIS_COLUMNS) == 15


def test_ncvoter_rows(sim_dir):
    raw = (sim_dir / "ncvoter.txt").read_bytes()
    lines = raw.decode("cp1252").split("\r\n")
    assert lines[0].split("\t") == NCVOTER_COLUMNS
    assert all(len(line.split("\t")) == 67 for line in lines[1:] if line)
    v = read_tab(sim_dir / "ncvoter.txt")
    assert len(v) == 6000 and v.ncid.is_unique
    assert v.ncid.str.fullmatch(r"[A-Z]{2}\d{6}").all()
    assert set(v.county_id.astype(int)) <= set(range(1, 101)) and v.county_id.nunique() > 60
    assert v.registr_dt.str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert set(v.status_cd) == {"A", "I"} and 0.8 < (v.status_cd == "A").mean() < 0.97
    shares = v.party_cd.value_counts(normalize=True)
    assert 0.25 < shares["DEM"] < 0.37 and 0.25 < shares["REP"] < 0.36 and 0.32 < shares["UNA"] < 0.44
    assert set(v.party_cd) <= {"DEM", "REP", "UNA", "LIB", "GRE"}
    assert set(v.race_code) <= set("ABIMOPUW") and set(v.ethnic_code) <= {"HL", "NL", "UN"}
    assert set(v.gender_code) <= {"M", "F", "U"}
    age = v.age_at_year_end.astype(int)
    assert age.between(18, 100).all() and (v.birth_year.astype(int) + age == 2025).all()
    assert 38 < age.median() < 55
    phones = v.full_phone_number[v.full_phone_number != ""]
    assert 0.15 <= len(phones) / len(v) <= 0.25
    assert phones.str.fullmatch(r"(252|336|704|743|828|910|919|980|984)\d{7}").all()
    assert v.zip_code[v.confidential_ind == "N"].str.fullmatch(r"2[78]\d{3}").all()


def test_households_share_addresses_and_surnames(sim_dir):
    v = read_tab(sim_dir / "ncvoter.txt")
    v = v[v.confidential_ind == "N"]
    by_address = v.groupby(["res_street_address", "res_city_desc", "zip_code"])
    sizes = by_address.size()
    assert sizes.max() <= 8 and (sizes >= 2).mean() > 0.3
    shared = by_address.last_name.agg(lambda s: s.value_counts().iloc[0] / len(s))[sizes >= 2]
    assert shared.mean() > 0.7


def test_ncvhis_rows_and_turnout(sim_dir):
    v = read_tab(sim_dir / "ncvoter.txt")
    h = read_tab(sim_dir / "ncvhis.txt")
    assert list(h.columns) == NCVHIS_COLUMNS
    assert set(h.ncid) <= set(v.ncid)
    assert h.election_lbl.str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert (h.election_desc.str.split(" ").str[0] == h.election_lbl).all()
    assert 4 <= h.election_lbl.nunique() <= 6
    assert set(h.voting_method) <= {"ABSENTEE ONESTOP", "IN-PERSON", "ABSENTEE BY MAIL", "PROVISIONAL"}
    turnout = h.groupby("election_desc").ncid.nunique() / len(v)
    assert 0.37 <= turnout["11/08/2022 GENERAL"] <= 0.5
    assert 0.6 <= turnout["11/05/2024 GENERAL"] <= 0.72
    assert not h.duplicated(["ncid", "election_lbl"]).any()
    assert re.fullmatch(r"\d{12}", h.voter_reg_num.iloc[0])
