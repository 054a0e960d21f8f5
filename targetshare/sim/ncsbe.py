"""Write the population as NCSBE ``ncvoter`` (67 columns) and ``ncvhis`` (15 columns) files.

Rows are written in county order, in chunks, as tab-separated cp1252 text with a header row,
the way the State Board publishes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from targetshare.sim.election import PAST_ELECTIONS, draw_turnout, voting_methods
from targetshare.sim.geo import STREET_NAMES, STREET_TYPES, geography
from targetshare.sim.names import name_tables
from targetshare.sim.world import ETHNICS, PARTIES, RACES, SNAPSHOT_YEAR, Population

__all__ = ["NCVOTER_COLUMNS", "NCVHIS_COLUMNS", "county_order", "voter_ids", "write_ncvoter", "write_results_history", "write_ncvhis"]

NCVOTER_COLUMNS = (
    "county_id county_desc voter_reg_num ncid last_name first_name middle_name name_suffix_lbl "
    "status_cd voter_status_desc reason_cd voter_status_reason_desc res_street_address res_city_desc "
    "state_cd zip_code mail_addr1 mail_addr2 mail_addr3 mail_addr4 mail_city mail_state mail_zipcode "
    "full_phone_number confidential_ind registr_dt race_code ethnic_code party_cd gender_code "
    "birth_year age_at_year_end birth_state drivers_lic precinct_abbrv precinct_desc municipality_abbrv "
    "municipality_desc ward_abbrv ward_desc cong_dist_abbrv super_court_abbrv judic_dist_abbrv "
    "nc_senate_abbrv nc_house_abbrv county_commiss_abbrv county_commiss_desc township_abbrv "
    "township_desc school_dist_abbrv school_dist_desc fire_dist_abbrv fire_dist_desc water_dist_abbrv "
    "water_dist_desc sewer_dist_abbrv sewer_dist_desc sanit_dist_abbrv sanit_dist_desc "
    "rescue_dist_abbrv rescue_dist_desc munic_dist_abbrv munic_dist_desc dist_1_abbrv dist_1_desc "
    "vtd_abbrv vtd_desc"
).split()
NCVHIS_COLUMNS = (
    "county_id county_desc voter_reg_num election_lbl election_desc voting_method voted_party_cd "
    "voted_party_desc pct_label pct_description ncid voted_county_id voted_county_desc vtd_label "
    "vtd_description"
).split()
PARTY_DESC = np.array(["DEMOCRATIC", "REPUBLICAN", "UNAFFILIATED", "LIBERTARIAN", "GREEN"])
SUFFIXES = np.array(["", "JR", "SR", "II", "III"])
BIRTH_STATES = np.array(["NC", "", "VA", "NY", "SC", "FL", "PA", "OH", "NJ", "GA", "CA", "TX", "MD", "OC"])
BIRTH_STATE_P = np.array([0.55, 0.08, 0.05, 0.05, 0.04, 0.035, 0.035, 0.03, 0.025, 0.025, 0.02, 0.02, 0.02, 0.06])
CHUNK = 100_000
ENCODING = "cp1252"


def county_order(pop: Population) -> tuple[np.ndarray, np.ndarray]:
    """Row order of the file (by county) and each voter's rank within their county."""
    order = np.argsort(pop.county, kind="stable")
    starts = np.searchsorted(pop.county[order], np.arange(1, 102))
    rank = np.empty(len(pop), dtype=np.int64)
    rank[order] = np.arange(len(pop)) - starts[pop.county[order] - 1]
    return order, rank


def voter_ids(county: np.ndarray, rank: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``ncid`` (statewide-unique, like ``BN123456``) and ``voter_reg_num`` (12 digits)."""
    letters = np.array([a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"])
    prefixes = np.random.default_rng(seed + 17).permutation(letters)
    county = county.astype(np.int64)
    prefix = prefixes[((rank // 999_000) * 100 + county - 1) % len(prefixes)]
    digits = ((rank % 999_000) * 7919 + county * 131) % 1_000_000
    ncid = pd.Series(prefix).str.cat(pd.Series(digits).astype(str).str.zfill(6)).to_numpy()
    reg = pd.Series(rank + 30_000_000 + county * 11).astype(str).str.zfill(12).to_numpy()
    return ncid.astype(object), reg.astype(object)


def _str(values: np.ndarray) -> pd.Series:
    return pd.Series(values).astype(str)


def _precinct(place: np.ndarray, street: np.ndarray, county: np.ndarray) -> np.ndarray:
    """Precinct number of an address: about one precinct per 6,000 residents of the county."""
    per_county = np.maximum(3, geography().counties.population_k.to_numpy()[county - 1] // 6)
    return (place.astype(np.int64) * 7 + street.astype(np.int64)) % per_county + 1


def _geo_columns(p: Population) -> dict[str, pd.Series]:
    geo = geography()
    county_desc = geo.counties.county_desc.to_numpy()[p.county - 1]
    city = geo.places.city.to_numpy()[p.place]
    zips = geo.places.zip_code.to_numpy()[p.place]
    apt = np.where(p.apt > 0, " APT " + _str(p.apt).to_numpy(), "")
    street = _str(p.street_num) + " " + STREET_NAMES[p.street] + " " + STREET_TYPES[p.street_type] + apt
    precinct = _precinct(p.place, p.street, p.county)
    pabbr = _str(precinct).str.zfill(2)
    in_town = (p.street % 10) < 7
    return {
        "county_desc": pd.Series(county_desc), "res_street_address": street, "res_city_desc": pd.Series(city),
        "zip_code": pd.Series(zips), "precinct_abbrv": pabbr,
        "precinct_desc": pd.Series(county_desc) + " " + pabbr,
        "municipality_abbrv": pd.Series(np.where(in_town, pd.Series(city).str[:4].to_numpy(), "")),
        "municipality_desc": pd.Series(np.where(in_town, city, "")),
        "cong_dist_abbrv": _str((p.county.astype(int) * 7 + precinct // 10) % 14 + 1),
        "nc_senate_abbrv": _str((p.county.astype(int) * 3 + precinct // 5) % 50 + 1),
        "nc_house_abbrv": _str((p.county.astype(int) * 11 + precinct // 3) % 120 + 1).str.zfill(3),
        "judic_dist_abbrv": _str(p.county.astype(int) % 45 + 1),
        "super_court_abbrv": _str(p.county.astype(int) % 45 + 1) + "A",
        "vtd_abbrv": pabbr, "vtd_desc": pabbr,
    }


def _voter_frame(p: Population, ncid: np.ndarray, reg: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    names = name_tables()
    g = _geo_columns(p)
    n = len(p)
    status = np.where(p.active, "A", "I")
    mail = rng.random(n) < 0.55
    confidential = rng.random(n) < 0.001
    reg_date = pd.Timestamp(f"{SNAPSHOT_YEAR}-12-01") - pd.to_timedelta(p.reg_years * 365.25, unit="D")
    phone = np.where(p.listed_phone > 0, _str(p.listed_phone).to_numpy(), "")
    cols: dict[str, object] = {c: "" for c in NCVOTER_COLUMNS}
    cols.update(g)
    cols.update({
        "county_id": p.county, "voter_reg_num": reg, "ncid": ncid, "last_name": names.last[p.last],
        "first_name": names.first[p.first],
        "middle_name": np.where(p.middle >= 0, names.first[np.maximum(p.middle, 0)], ""),
        "name_suffix_lbl": SUFFIXES[p.suffix], "status_cd": status,
        "voter_status_desc": np.where(p.active, "ACTIVE", "INACTIVE"),
        "reason_cd": np.where(p.active, "AV", "IN"),
        "voter_status_reason_desc": np.where(p.active, "VERIFIED", "CONFIRMATION NOT RETURNED"),
        "state_cd": "NC", "mail_addr1": np.where(mail, g["res_street_address"], ""),
        "mail_city": np.where(mail, g["res_city_desc"], ""), "mail_state": np.where(mail, "NC", ""),
        "mail_zipcode": np.where(mail, g["zip_code"], ""), "full_phone_number": phone,
        "confidential_ind": np.where(confidential, "Y", "N"), "registr_dt": reg_date.strftime("%m/%d/%Y"),
        "race_code": RACES[p.race], "ethnic_code": ETHNICS[p.ethnic], "party_cd": PARTIES[p.party],
        "gender_code": p.sex, "birth_year": SNAPSHOT_YEAR - p.age, "age_at_year_end": p.age,
        "birth_state": rng.choice(BIRTH_STATES, size=n, p=BIRTH_STATE_P / BIRTH_STATE_P.sum()),
        "drivers_lic": np.where(rng.random(n) < 0.88, "Y", "N"),
    })
    frame = pd.DataFrame({c: (v.to_numpy() if isinstance(v, pd.Series) else v) for c, v in cols.items()})
    for c in ("res_street_address", "res_city_desc", "zip_code", "mail_addr1", "mail_city", "mail_state", "mail_zipcode"):
        frame.loc[confidential, c] = ""
    return frame


def _write_tab(frame: pd.DataFrame, out) -> None:
    """Append rows as tab-separated cp1252 with CRLF, unquoted, via pyarrow's C++ CSV writer."""
    table = pa.Table.from_pandas(frame.astype(str), preserve_index=False)
    buf = pa.BufferOutputStream()
    options = pacsv.WriteOptions(include_header=False, delimiter="\t", eol="\r\n", quoting_style="none")
    pacsv.write_csv(table, buf, options)
    data = buf.getvalue().to_pybytes()
    out.write(data if data.isascii() else data.decode("utf-8").encode(ENCODING))


def _chunks(order: np.ndarray) -> Iterator[np.ndarray]:
    for start in range(0, len(order), CHUNK):
        yield order[start : start + CHUNK]


def write_ncvoter(path: Path, pop: Population, ids: tuple, seed: int, tick: Callable[[int], None]) -> None:
    """Write ``ncvoter.txt``; ``tick(rows)`` reports progress."""
    order, rank = ids
    with open(path, "wb") as out:
        out.write(("\t".join(NCVOTER_COLUMNS) + "\r\n").encode(ENCODING))
        for i, idx in enumerate(_chunks(order)):
            rng = np.random.default_rng([seed, 101, i])
            ncid, reg = voter_ids(pop.county[idx], rank[idx], seed)
            frame = _voter_frame(pop.take(idx), ncid, reg, rng)
            _write_tab(frame, out)
            tick(len(idx))


def past_turnout(pop: Population, seed: int) -> list[np.ndarray]:
    """Who voted in each of ``PAST_ELECTIONS`` (one boolean array per election)."""
    out = []
    for k, election in enumerate(PAST_ELECTIONS):
        rng = np.random.default_rng([seed, 202, k])
        out.append(draw_turnout(election, pop.turnout, pop.age, pop.reg_years, rng))
    return out


def write_ncvhis(path: Path, pop: Population, ids: tuple, voted: list[np.ndarray], seed: int,
                 tick: Callable[[int], None]) -> int:
    """Write ``ncvhis.txt``: one row per vote cast. Returns the number of rows."""
    order, rank = ids
    geo = geography()
    rows = 0
    with open(path, "wb") as out:
        out.write(("\t".join(NCVHIS_COLUMNS) + "\r\n").encode(ENCODING))
        for i, idx in enumerate(_chunks(order)):
            for k, election in enumerate(PAST_ELECTIONS):
                sel = idx[voted[k][idx]]
                rng = np.random.default_rng([seed, 303, i, k])
                ncid, reg = voter_ids(pop.county[sel], rank[sel], seed)
                frame = _history_frame(pop, sel, ncid, reg, election, rng, geo)
                _write_tab(frame, out)
                rows += len(sel)
            tick(len(idx))
    return rows


def _history_frame(pop: Population, sel: np.ndarray, ncid: np.ndarray, reg: np.ndarray, election,
                   rng: np.random.Generator, geo) -> pd.DataFrame:
    county = pop.county[sel]
    party = pop.party[sel].copy()
    if election.kind == "PRIMARY":  # unaffiliated voters pick a party's ballot by lean
        una = party >= 2
        party[una] = np.where(rng.random(int(una.sum())) < pop.support[sel][una], 0, 1)
    desc = geo.counties.county_desc.to_numpy()[county - 1]
    pct = pd.Series(_precinct(pop.place[sel], pop.street[sel], county)).astype(str).str.zfill(2)
    return pd.DataFrame({
        "county_id": county, "county_desc": desc, "voter_reg_num": reg, "election_lbl": election.date,
        "election_desc": election.desc, "voting_method": voting_methods(election, pop.age[sel], rng),
        "voted_party_cd": PARTIES[party], "voted_party_desc": PARTY_DESC[party], "pct_label": pct.to_numpy(),
        "pct_description": (pd.Series(desc) + " " + pct).to_numpy(), "ncid": ncid, "voted_county_id": county,
        "voted_county_desc": desc, "vtd_label": pct.to_numpy(), "vtd_description": pct.to_numpy(),
    })


def write_results_history(path: Path, results: pd.DataFrame, people: pd.DataFrame, seed: int,
                          election=None) -> int:
    """Write the next election's vote history as an NCSBE ``ncvhis`` file, as the State Board would.

    ``results`` is :func:`targetshare.sim.behaviour.simulate_election`'s output, ``people`` the truth's
    registered people indexed by ``voter_id`` (``Truth.people``). Returns the number of rows.
    """
    from targetshare.sim.election import NEXT_ELECTION

    election = election or NEXT_ELECTION
    voted = results[results.voted == 1].voter_id
    who = people.loc[voted.to_numpy()]
    rng = np.random.default_rng([seed, 404])
    county = who.county_id.to_numpy().astype(int)
    desc = geography().counties.county_desc.to_numpy()[county - 1]
    party = pd.Series(who.party_cd.to_numpy())
    party_desc = PARTY_DESC[party.map({p: i for i, p in enumerate(PARTIES)}).to_numpy()]
    frame = pd.DataFrame({
        "county_id": county, "county_desc": desc,
        "voter_reg_num": who.voter_reg_num.astype(str).str.zfill(12).to_numpy(), "election_lbl": election.date,
        "election_desc": election.desc, "voting_method": voting_methods(election, who.age.to_numpy().astype(int), rng),
        "voted_party_cd": party.to_numpy(), "voted_party_desc": party_desc, "pct_label": "",
        "pct_description": "", "ncid": voted.to_numpy(), "voted_county_id": county,
        "voted_county_desc": desc, "vtd_label": "", "vtd_description": "",
    })
    with open(path, "wb") as out:
        out.write(("\t".join(NCVHIS_COLUMNS) + "\r\n").encode(ENCODING))
        _write_tab(frame, out)
    return len(frame)
