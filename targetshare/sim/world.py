"""The simulated population: households, demographics and the latent traits behind behaviour.

Everything here is vectorised numpy over the whole state and kept as compact integer or float32
arrays (about 60 bytes a voter, so 7.5 million voters fit in well under a gigabyte); strings are
built only when a chunk is written (see ``ncsbe.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from targetshare.sim.geo import NC_AREA_CODES, STREET_NAMES, STREET_TYPE_P, STREET_TYPES, geography
from targetshare.sim.names import name_tables

__all__ = ["Population", "build_population", "SNAPSHOT_YEAR", "RACES", "ETHNICS", "PARTIES"]

SNAPSHOT_YEAR = 2025  # the voter file is a snapshot taken in December of this year
RACES = np.array(["W", "B", "U", "O", "A", "M", "I", "P"])
RACE_P = np.array([0.615, 0.205, 0.085, 0.045, 0.022, 0.016, 0.011, 0.001])
RACE_LEAN = np.array([-0.35, 1.7, 0.2, 0.4, 0.5, 0.6, 0.1, 0.2])
ETHNICS = np.array(["NL", "HL", "UN"])
PARTIES = np.array(["DEM", "REP", "UNA", "LIB", "GRE"])
HOUSEHOLD_SIZE_P = np.array([0.30, 0.38, 0.16, 0.10, 0.04, 0.02])  # voters per household, 1–6


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Population:
    """One row per registered voter (index = person_id - 1)."""

    household: np.ndarray  # int32
    county: np.ndarray  # int16, 1–100
    place: np.ndarray  # int32 row of geography().places
    street_num: np.ndarray  # int32
    street: np.ndarray  # int16 into STREET_NAMES
    street_type: np.ndarray  # int8 into STREET_TYPES
    apt: np.ndarray  # int16, 0 = none
    sex: np.ndarray  # "F" / "M" / "U"
    age: np.ndarray  # int16, age at the end of SNAPSHOT_YEAR
    first: np.ndarray  # int32 into name_tables().first
    middle: np.ndarray  # int32, -1 = none
    last: np.ndarray  # int32 into name_tables().last
    suffix: np.ndarray  # int8: 0 none, 1 JR, 2 SR, 3 II, 4 III
    race: np.ndarray  # int8 into RACES
    ethnic: np.ndarray  # int8 into ETHNICS
    party: np.ndarray  # int8 into PARTIES
    active: np.ndarray  # bool: status A, else I
    reg_years: np.ndarray  # float32 years registered before the snapshot
    phone: np.ndarray  # int64 current cell number, 10 digits
    listed_phone: np.ndarray  # int64 number in the voter file, 0 = blank
    support: np.ndarray  # float32 latent P(votes for the campaign | votes)
    turnout: np.ndarray  # float32 latent turnout propensity
    persuadability: np.ndarray  # float32, roughly -1.5..1.5
    susceptibility: np.ndarray  # float32, mean 1
    household_size: np.ndarray  # int8

    def __len__(self) -> int:
        return len(self.household)

    def take(self, idx: np.ndarray) -> Population:
        """The sub-population at these indices."""
        return Population(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})


def _age_weights() -> np.ndarray:
    """Ages 18–100 shaped like NC's registered voters (young under-registered, long tail to 100)."""
    ages = np.arange(18, 101)
    w = np.where(ages < 25, 0.8, 1.0) * np.where(ages > 65, np.clip(1 - (ages - 65) / 32, 0.01, 1), 1)
    return w / w.sum()


def _household_layout(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Household id, member rank and household size for ``n`` voters."""
    sizes = rng.choice(6, size=n // 2 + 10, p=HOUSEHOLD_SIZE_P) + 1
    cut = int(np.searchsorted(np.cumsum(sizes), n)) + 1
    sizes = sizes[:cut]
    sizes[-1] -= int(sizes.sum()) - n
    hh = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    rank = (np.arange(n) - starts).astype(np.int8)
    return hh, rank, np.repeat(sizes, sizes).astype(np.int8)


def _ages_and_sexes(rng: np.random.Generator, hh: np.ndarray, rank: np.ndarray) -> tuple:
    n = len(hh)
    age_w = _age_weights()
    head_age = (rng.choice(len(age_w), size=int(hh[-1]) + 1, p=age_w) + 18)[hh]
    head_sex = np.where(rng.random(int(hh[-1]) + 1) < 0.54, "F", "M")[hh]
    age = head_age.astype(float)
    spouse = rank == 1
    age[spouse] = head_age[spouse] + rng.normal(0, 4, spouse.sum())
    other = rank >= 2
    child = other & (head_age >= 40) & (rng.random(n) < 0.8)
    age[child] = head_age[child] - rng.uniform(20, 36, child.sum())
    rest = other & ~child
    age[rest] = head_age[rest] + rng.normal(0, 8, rest.sum())
    age = np.clip(np.round(age), 18, 100).astype(np.int16)
    sex = np.where(rng.random(n) < 0.52, "F", "M")
    sex = np.where(rank == 0, head_sex, sex)
    opposite = np.where(head_sex == "F", "M", "F")
    sex = np.where(spouse & (rng.random(n) < 0.9), opposite, sex)
    sex = np.where(rng.random(n) < 0.04, "U", sex)
    return age, sex


def _names(rng: np.random.Generator, hh: np.ndarray, rank: np.ndarray, sex: np.ndarray, age: np.ndarray):
    tables = name_tables()
    n = len(hh)
    hh_last = tables.sample_last(rng, int(hh[-1]) + 1)[hh]
    own_last = tables.sample_last(rng, n)
    keep = np.where(rank == 1, 0.8, np.where(rank >= 2, 0.85, 1.0))
    last = np.where(rng.random(n) < keep, hh_last, own_last).astype(np.int32)
    first = tables.sample_first(rng, sex)
    middle = tables.sample_first(rng, sex)
    middle = np.where(rng.random(n) < 0.82, middle, -1).astype(np.int32)
    male = tables.first_sex[first] == "M"
    u = rng.random(n)
    suffix = np.where(male & (u < 0.025), 1, np.where(male & (u < 0.03) & (age > 50), 2, 0))
    suffix = np.where(male & (u > 0.995), 3 + (u > 0.998), suffix).astype(np.int8)
    return first, middle, last, suffix


def _phones(rng: np.random.Generator, county: np.ndarray) -> np.ndarray:
    area_by_county = geography().counties.area_code.to_numpy()
    area = np.where(
        rng.random(len(county)) < 0.8,
        area_by_county[county - 1],
        rng.choice(NC_AREA_CODES, size=len(county)),
    )
    exchange = rng.integers(201, 1000, len(county))
    exchange = np.where(exchange == 555, 556, exchange)
    line = rng.integers(0, 10000, len(county))
    return (area.astype(np.int64) * 10_000_000 + exchange * 10_000 + line).astype(np.int64)


def _latent(rng: np.random.Generator, hh: np.ndarray, county: np.ndarray, race: np.ndarray, age: np.ndarray):
    """Support, turnout, persuadability and susceptibility, correlated within households."""
    n = len(hh)
    n_hh = int(hh[-1]) + 1
    lean = geography().counties.lean.to_numpy()[county - 1]
    hh_lean = rng.normal(0, 1.0, n_hh)[hh]
    x = lean + RACE_LEAN[race] + hh_lean + 0.012 * (45 - age) + rng.normal(0, 0.6, n) - 0.1
    support = sigmoid(x)
    hh_turn = rng.normal(0, 0.7, n_hh)[hh]
    age_eff = 0.045 * (np.minimum(age, 75) - 45) - 0.05 * np.maximum(age - 82, 0)
    turnout = sigmoid(0.35 + age_eff + hh_turn + rng.normal(0, 0.9, n))
    pers = np.clip(0.6 * np.tanh(x) + rng.normal(0, 0.6, n), -1.5, 1.5)
    log_s = 0.012 * (45 - age) + rng.normal(0, 0.4, n)
    susc = np.exp(log_s)
    susc = susc / susc.mean()
    return x, support.astype(np.float32), turnout.astype(np.float32), pers.astype(np.float32), susc


def _party(rng: np.random.Generator, x: np.ndarray, age: np.ndarray) -> np.ndarray:
    """DEM ~31%, REP ~30%, UNA ~38%, LIB ~0.7%, GRE ~0.05%, as in NC registration."""
    z = x + rng.normal(0, 0.8, len(x))
    z = np.where((age < 35) & (rng.random(len(x)) < 0.25), np.median(z), z)
    lo, hi = np.quantile(z, [0.30, 0.69])
    party = np.where(z > hi, 0, np.where(z < lo, 1, 2)).astype(np.int8)
    u = rng.random(len(x))
    party[(party != 0) & (u < 0.009)] = 3
    party[(party != 1) & (u > 0.9992)] = 4
    return party


def build_population(n: int, rng: np.random.Generator) -> Population:
    """Draw ``n`` registered voters in households across North Carolina."""
    geo = geography()
    hh, rank, hh_size = _household_layout(rng, n)
    n_hh = int(hh[-1]) + 1
    county = geo.sample_counties(rng, n_hh)
    place = geo.sample_places(rng, county)
    age, sex = _ages_and_sexes(rng, hh, rank)
    first, middle, last, suffix = _names(rng, hh, rank, sex, age)
    hh_race = rng.choice(len(RACES), size=n_hh, p=RACE_P)[hh]
    race = np.where(rng.random(n) < 0.05, rng.choice(len(RACES), size=n, p=RACE_P), hh_race)
    hh_eth = rng.choice(3, size=n_hh, p=[0.72, 0.055, 0.225])[hh]
    county_p = county[hh]
    x, support, turnout, pers, susc = _latent(rng, hh, county_p, race, age)
    party = _party(rng, x, age)
    married = (hh_size >= 2) & (rank <= 1)
    susc = (susc * np.where(married, 0.85, 1.1)).astype(np.float32)
    active = rng.random(n) > 0.22 * (1 - turnout) ** 2 * 1.6
    reg_years = np.minimum(age - 18 + rng.random(n), rng.exponential(30, n)).astype(np.float32)
    phone = _phones(rng, county_p)
    listed = np.where(rng.random(n) < 0.85, phone, _phones(rng, county_p))
    listed = np.where(rng.random(n) < 0.2, listed, 0).astype(np.int64)
    apt = np.where(rng.random(n_hh) < 0.14, rng.integers(1, 400, n_hh), 0).astype(np.int16)
    return Population(
        household=hh, county=county_p, place=place[hh],
        street_num=rng.integers(100, 9999, n_hh).astype(np.int32)[hh],
        street=rng.integers(0, len(STREET_NAMES), n_hh).astype(np.int16)[hh],
        street_type=rng.choice(len(STREET_TYPES), size=n_hh, p=STREET_TYPE_P).astype(np.int8)[hh],
        apt=apt[hh], sex=sex, age=age, first=first, middle=middle, last=last, suffix=suffix,
        race=race.astype(np.int8), ethnic=hh_eth.astype(np.int8), party=party, active=active,
        reg_years=reg_years, phone=phone, listed_phone=listed, support=support, turnout=turnout,
        persuadability=pers, susceptibility=susc, household_size=hh_size,
    )
