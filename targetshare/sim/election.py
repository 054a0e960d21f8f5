"""Elections: past turnout written to ncvhis, and the simulated next election for evaluation.

A voter's chance of voting in an election is ``sigmoid(HABIT * logit(propensity) + offset)``, where
the offset of each election is calibrated so that turnout among those registered hits the
election's published-like level; the shared propensity makes history predictive, as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from targetshare.sim.world import SNAPSHOT_YEAR, logit, sigmoid

__all__ = ["Election", "PAST_ELECTIONS", "NEXT_ELECTION", "vote_probability", "calibrated_offset"]

HABIT = 1.6  # how strongly the latent propensity carries across elections


@dataclass(frozen=True)
class Election:
    """One election: its date (MM/DD/YYYY), kind and turnout among registered voters."""

    date: str
    kind: str  # GENERAL or PRIMARY
    turnout: float
    presidential: bool

    @property
    def desc(self) -> str:
        return f"{self.date} {self.kind}"

    @property
    def year(self) -> int:
        return int(self.date[-4:])


# NC turnout of registered voters: 2018 ~53%, 2020 ~75%, 2022 ~51%, 2024 ~73%; set a little lower
# because the simulated file keeps inactive registrations, as the real one does.
PAST_ELECTIONS = (
    Election("11/06/2018", "GENERAL", 0.46, False),
    Election("03/03/2020", "PRIMARY", 0.30, True),
    Election("11/03/2020", "GENERAL", 0.68, True),
    Election("05/17/2022", "PRIMARY", 0.18, False),
    Election("11/08/2022", "GENERAL", 0.45, False),
    Election("11/05/2024", "GENERAL", 0.67, True),
)
NEXT_ELECTION = Election("11/03/2026", "GENERAL", 0.45, False)


def vote_probability(turnout: np.ndarray, offset: float) -> np.ndarray:
    """P(vote) of each voter in an election with this offset."""
    return sigmoid(HABIT * logit(np.asarray(turnout, dtype=float)) + offset)


def calibrated_offset(turnout: np.ndarray, eligible: np.ndarray, target: float) -> float:
    """Offset making mean P(vote) among the eligible equal ``target`` (bisection on a sample)."""
    sample = np.asarray(turnout[eligible], dtype=float)[:: max(1, int(eligible.sum()) // 200_000)]
    lo, hi = -8.0, 8.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if vote_probability(sample, mid).mean() < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def eligible_for(election: Election, age: np.ndarray, reg_years: np.ndarray) -> np.ndarray:
    """Registered (and old enough) by the election date."""
    years_before = SNAPSHOT_YEAR + 0.95 - election.year
    return (reg_years >= years_before) & (age - years_before >= 18)


def draw_turnout(
    election: Election, turnout: np.ndarray, age: np.ndarray, reg_years: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Who voted in a past election (boolean per voter)."""
    eligible = eligible_for(election, age, reg_years)
    # ``turnout`` is a share of today's registrations; some were not yet registered then
    target = min(0.92, election.turnout * len(turnout) / max(1, int(eligible.sum())))
    offset = calibrated_offset(turnout, eligible, target)
    return eligible & (rng.random(len(turnout)) < vote_probability(turnout, offset))


def voting_methods(election: Election, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """NCSBE voting_method strings: early in person dominates NC generals, mail skews old."""
    methods = np.array(["ABSENTEE ONESTOP", "IN-PERSON", "ABSENTEE BY MAIL", "PROVISIONAL"])
    early = 0.6 if election.presidential else 0.45
    if election.kind == "PRIMARY":
        early = 0.3
    mail = np.where(age >= 65, 0.09, 0.03) + (0.12 if election.date == "11/03/2020" else 0.0)
    u = rng.random(len(age))
    idx = np.where(u < mail, 2, np.where(u < mail + early, 0, np.where(u > 0.993, 3, 1)))
    return methods[idx]
