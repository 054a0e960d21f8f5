"""North Carolina counties, cities, ZIP codes, area codes and streets for the simulated state."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["Geography", "geography", "STREET_NAMES", "STREET_TYPES", "OTHER_STATES", "NC_AREA_CODES"]

NC_AREA_CODES = np.array([252, 336, 704, 743, 828, 910, 919, 980, 984])
# (state, a real area code) for friends who live elsewhere; neighbours weigh more
OTHER_STATES = [
    ("VA", 804), ("VA", 757), ("SC", 803), ("SC", 864), ("GA", 404), ("GA", 770), ("TN", 615),
    ("FL", 407), ("FL", 813), ("NY", 212), ("NY", 718), ("PA", 215), ("OH", 614), ("TX", 512),
    ("CA", 415), ("MD", 301), ("DC", 202), ("NJ", 201), ("IL", 312), ("MA", 617),
]
STREET_NAMES = np.array(
    "MAIN OAK PINE MAPLE CEDAR ELM WALNUT CHURCH MILL SPRING HILLCREST LAKE RIDGE FOREST "
    "MEADOW WILLOW DOGWOOD MAGNOLIA HICKORY POPLAR CHESTNUT LAUREL HOLLY SYCAMORE BIRCH "
    "FRANKLIN WASHINGTON JEFFERSON MADISON JACKSON LINCOLN GRANT MONROE HARRISON TAYLOR "
    "FAIRVIEW PLEASANT GROVE SUNSET VALLEY CREEK RIVER BROAD KING QUEEN PARK COLLEGE "
    "UNION MARKET HIGHLAND CAMERON GLENWOOD STONEY BRIDGE TRYON PEACHTREE BRIARCLIFF "
    "OLD FARM COUNTRY CLUB HARBOR WINDSOR CAROLINA BLUE RIDGE PIEDMONT HAYWOOD".split()
)
STREET_TYPES = np.array(["ST", "RD", "DR", "AVE", "LN", "CT", "CIR", "WAY", "TRL", "PL", "BLVD"])
STREET_TYPE_P = np.array([0.22, 0.22, 0.2, 0.1, 0.08, 0.07, 0.04, 0.03, 0.02, 0.015, 0.005])


@dataclass(frozen=True)
class Geography:
    """County and place tables, as arrays for vectorised sampling."""

    counties: pd.DataFrame  # county_id, county_desc, population_k, area_code, lean
    places: pd.DataFrame  # county_id, city, zip_code, weight
    county_p: np.ndarray  # probability of each county (index = county_id - 1)
    place_start: np.ndarray  # first row in ``places`` of each county
    place_count: np.ndarray

    def sample_counties(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """County ids 1–100 in proportion to population."""
        return (rng.choice(100, size=n, p=self.county_p) + 1).astype(np.int16)

    def sample_places(self, rng: np.random.Generator, county_id: np.ndarray) -> np.ndarray:
        """Row indices into ``places`` within each household's county, by place weight."""
        out = np.empty(len(county_id), dtype=np.int32)
        order = np.argsort(county_id, kind="stable")
        sorted_ids = county_id[order]
        bounds = np.searchsorted(sorted_ids, np.arange(1, 102))
        weights = self.places.weight.to_numpy()
        for c in range(100):
            lo, hi = bounds[c], bounds[c + 1]
            if hi == lo:
                continue
            start, count = self.place_start[c], self.place_count[c]
            w = weights[start : start + count]
            out[order[lo:hi]] = start + rng.choice(count, size=hi - lo, p=w / w.sum())
        return out


def _read(name: str) -> pd.DataFrame:
    ref = resources.files("targetshare.sim") / "data" / name
    with ref.open("rb") as handle:
        return pd.read_csv(handle, keep_default_na=False, dtype={"zip_code": str})


@lru_cache(maxsize=1)
def geography() -> Geography:
    """Load the shipped North Carolina tables."""
    counties = _read("nc_counties.csv")
    places = _read("nc_places.csv").sort_values(["county_id"], kind="stable").reset_index(drop=True)
    pop = counties.population_k.to_numpy(dtype=float)
    ids = places.county_id.to_numpy()
    start = np.searchsorted(ids, np.arange(1, 101))
    count = np.searchsorted(ids, np.arange(1, 101), side="right") - start
    return Geography(counties, places, pop / pop.sum(), start, count)
