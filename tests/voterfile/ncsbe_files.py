"""Small NCSBE-layout files for the voter-file tests (current, older, quoted, cp1252)."""

from __future__ import annotations

from pathlib import Path

CURRENT = """county_id county_desc voter_reg_num ncid last_name first_name middle_name name_suffix_lbl
status_cd voter_status_desc reason_cd voter_status_reason_desc res_street_address res_city_desc
state_cd zip_code mail_addr1 mail_addr2 mail_addr3 mail_addr4 mail_city mail_state mail_zipcode
full_phone_number confidential_ind registr_dt race_code ethnic_code party_cd gender_code
birth_year age_at_year_end birth_state drivers_lic precinct_abbrv precinct_desc municipality_abbrv
municipality_desc ward_abbrv ward_desc cong_dist_abbrv super_court_abbrv judic_dist_abbrv
nc_senate_abbrv nc_house_abbrv county_commiss_abbrv county_commiss_desc township_abbrv
township_desc school_dist_abbrv school_dist_desc fire_dist_abbrv fire_dist_desc water_dist_abbrv
water_dist_desc sewer_dist_abbrv sewer_dist_desc sanit_dist_abbrv sanit_dist_desc
rescue_dist_abbrv rescue_dist_desc munic_dist_abbrv munic_dist_desc dist_1_abbrv dist_1_desc
vtd_abbrv vtd_desc""".split()

OLD = """county_id county_desc voter_reg_num last_name first_name middle_name name_sufx_cd status_cd
voter_status_desc reason_cd voter_status_reason_desc absent_ind name_prefx_cd res_street_address
res_city_desc state_cd zip_code mail_addr1 mail_addr2 mail_addr3 mail_addr4 mail_city mail_state
mail_zipcode full_phone_number race_code ethnic_code party_cd gender_code birth_age birth_state
drivers_lic registr_dt precinct_abbrv precinct_desc municipality_abbrv municipality_desc
cong_dist_abbrv super_court_abbrv judic_dist_abbrv nc_senate_abbrv nc_house_abbrv dist_1_abbrv
dist_1_desc dist_2_abbrv dist_2_desc confidential_ind birth_year ncid vtd_abbrv vtd_desc""".split()

HISTORY = """county_id county_desc voter_reg_num election_lbl election_desc voting_method voted_party_cd
voted_party_desc pct_label pct_description ncid voted_county_id voted_county_desc vtd_label
vtd_description""".split()

assert len(CURRENT) == 67 and len(HISTORY) == 15


def voter(ncid: str, last: str = "SMITH", first: str = "JOHN", **extra: str) -> dict[str, str]:
    """One ncvoter row as NCSBE column → value (anything not given is a plausible default)."""
    row = {
        "county_id": "92", "county_desc": "WAKE", "voter_reg_num": ncid[-6:].zfill(6), "ncid": ncid,
        "last_name": last, "first_name": first, "middle_name": "Q", "status_cd": "A",
        "voter_status_desc": "ACTIVE", "res_street_address": "12 Main Street",
        "res_city_desc": "RALEIGH", "state_cd": "NC", "zip_code": "27601",
        "full_phone_number": "", "confidential_ind": "N", "registr_dt": "03/15/2004",
        "race_code": "W", "ethnic_code": "NL", "party_cd": "DEM", "gender_code": "M",
        "birth_year": "1970", "age_at_year_end": "55", "birth_age": "55", "precinct_abbrv": "01-01",
        "municipality_desc": "RALEIGH", "cong_dist_abbrv": "2", "nc_senate_abbrv": "14",
        "nc_house_abbrv": "33",
    }  # fmt: skip
    row.update(extra)
    return row


def vote(ncid: str, when: str = "11/03/2020", desc: str = "11/03/2020 GENERAL", **extra) -> dict:
    row = {"county_id": "92", "county_desc": "WAKE", "election_lbl": when, "election_desc": desc,
           "voting_method": "ABSENTEE ONESTOP", "voted_party_cd": "DEM", "ncid": ncid}  # fmt: skip
    row.update(extra)
    return row


def write(path: Path, header: list[str], rows: list, *, quoted: bool = False,
          encoding: str = "cp1252") -> Path:  # fmt: skip
    """Write a tab-separated file; a row may be a dict (by column) or a raw line (str)."""
    def fmt(values: list[str]) -> str:
        return "\t".join(f'"{v}"' if quoted else v for v in values)

    lines = [fmt(header)]
    for row in rows:
        lines.append(row if isinstance(row, str) else fmt([row.get(c, "") for c in header]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path
