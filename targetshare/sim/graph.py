"""Supporters' ego networks: who is in each contact book, and how close each tie is.

Friends are drawn with household, family (shared surname), geographic, age and political
homophily from county × age band × party buckets, so building networks for a few thousand
supporters stays cheap at 7.5 million voters. Book sizes are heavy-tailed (log-normal).
Optionally the structure of a real Facebook graph (``../shared/data/graphs``) is mapped onto
simulated people (``graph_seed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from targetshare.sim.geo import OTHER_STATES, geography
from targetshare.sim.names import name_tables
from targetshare.sim.world import Population, sigmoid

__all__ = ["EgoNetworks", "pick_supporters", "build_ego_networks", "GRAPH_SEEDS", "GRAPHS_DIR"]

GRAPHS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "graphs"
GRAPH_SEEDS = {
    "snap": "snap_ego_facebook_combined.txt",
    "caltech": "fb100_Caltech36.net",
    "haverford": "fb100_Haverford76.net",
}
# relation: (share among voter friends, median interactions a month)
FRIEND_RELATIONS = {
    "close_friend": (0.08, 12.0), "friend": (0.38, 1.5), "coworker": (0.14, 3.0),
    "church": (0.06, 1.0), "neighbor": (0.06, 1.0), "acquaintance": (0.28, 0.2),
}
KIN_INTERACTIONS = {"spouse": 80.0, "parent": 10.0, "child": 12.0, "sibling": 6.0, "family": 2.0,
                    "housemate": 30.0}
EXTRA_SHARE = {"nc_unregistered": 0.13, "out_of_state": 0.13}
BOOK_MEDIAN, BOOK_SIGMA = 230.0, 0.75


@dataclass
class EgoNetworks:
    """Ties (one row per supporter × person) and the people outside the voter file."""

    ties: pd.DataFrame
    extras: pd.DataFrame  # person_id, first, last, sex, age, phone, state
    seed_edges: pd.DataFrame  # person_a, person_b of a real graph mapped onto people (may be empty)


def pick_supporters(pop: Population, m: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``m`` supporters: active voters who lean to the campaign and are engaged."""
    w = np.where(pop.active & (pop.support > 0.55), pop.support.astype(float) ** 4 * pop.turnout, 0.0)
    m = min(m, int((w > 0).sum()))
    return np.sort(rng.choice(len(pop), size=m, replace=False, p=w / w.sum()))


class _Buckets:
    """Voters sorted by county × age band × party group for fast homophilous sampling."""

    def __init__(self, pop: Population) -> None:
        self.key = self.key_of(pop.county, pop.age, pop.party)
        self.order = np.argsort(self.key, kind="stable")
        sorted_key = self.key[self.order]
        self.start = np.searchsorted(sorted_key, np.arange(101 * 18))
        self.end = np.searchsorted(sorted_key, np.arange(101 * 18), side="right")
        self.surname_order = np.argsort(pop.last, kind="stable")
        self.surnames = pop.last[self.surname_order]

    @staticmethod
    def key_of(county: np.ndarray, age: np.ndarray, party: np.ndarray) -> np.ndarray:
        band = np.clip((age.astype(np.int64) - 18) // 12, 0, 5)
        group = np.minimum(party.astype(np.int64), 2)
        return county.astype(np.int64) * 18 + band * 3 + group

    def draw(self, rng: np.random.Generator, county: int, age: int, party: int, k: int) -> np.ndarray:
        geo = geography()
        c = np.where(rng.random(k) < 0.6, county, geo.sample_counties(rng, k))
        band = min(5, (age - 18) // 12)
        shift = rng.choice([0, -1, 1, -2, 2, 3], size=k, p=[0.45, 0.15, 0.15, 0.1, 0.1, 0.05])
        b = np.clip(band + shift, 0, 5)
        g = np.where(rng.random(k) < 0.45, min(party, 2), rng.integers(0, 3, k))
        key = c.astype(np.int64) * 18 + b * 3 + g
        size = self.end[key] - self.start[key]
        ok = size > 0
        pick = self.start[key] + (rng.random(k) * np.maximum(size, 1)).astype(np.int64)
        return self.order[pick[ok]]

    def same_surname(self, rng: np.random.Generator, last: int, k: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.surnames, [last, last + 1])
        if hi - lo == 0:
            return np.empty(0, dtype=np.int64)
        return self.surname_order[lo + rng.integers(0, hi - lo, min(k, hi - lo))]


def _kin_relation(pop: Population, s: int, others: np.ndarray, household: bool) -> np.ndarray:
    gap = pop.age[others].astype(int) - int(pop.age[s])
    sib = "housemate" if household else "sibling"
    rel = np.where(gap >= 17, "parent", np.where(gap <= -17, "child", sib))
    spouse = household & (np.abs(gap) < 12) & (pop.sex[others] != pop.sex[s])
    return np.where(spouse, "spouse", np.where(~household & (rel == sib) & (np.abs(gap) > 8), "family", rel))


def _voter_contacts(pop: Population, s: int, buckets: _Buckets, rng: np.random.Generator,
                    n_voters: int, seeded: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Person indices of one supporter's voter contacts, with their relation to the supporter."""
    hh = np.flatnonzero(pop.household[max(0, s - 6) : s + 7] == pop.household[s]) + max(0, s - 6)
    hh = hh[hh != s]
    fam = buckets.same_surname(rng, int(pop.last[s]), int(rng.poisson(4)))
    fam = fam[(fam != s) & ~np.isin(fam, hh)]
    if seeded is not None:
        friends = seeded
    else:
        friends = buckets.draw(rng, int(pop.county[s]), int(pop.age[s]), int(pop.party[s]), n_voters)
    friends = friends[(friends != s) & ~np.isin(friends, hh) & ~np.isin(friends, fam)]
    names = list(FRIEND_RELATIONS)
    shares = np.array([FRIEND_RELATIONS[r][0] for r in names])
    rel_f = np.array(names)[rng.choice(len(names), size=len(friends), p=shares / shares.sum())]
    people = np.concatenate([hh, fam, friends]).astype(np.int64)
    rel = np.concatenate([_kin_relation(pop, s, hh, True), _kin_relation(pop, s, fam, False), rel_f])
    return people, rel


def _tie_features(rng: np.random.Generator, rel: np.ndarray, same_hh: np.ndarray, same_county: np.ndarray,
                  age_gap: np.ndarray) -> dict[str, np.ndarray]:
    """Latent tie features and tie strength; interaction frequency and recency dominate."""
    medians = {**{r: v[1] for r, v in FRIEND_RELATIONS.items()}, **KIN_INTERACTIONS}
    med = np.array([medians[r] for r in rel]) if len(rel) else np.empty(0)
    inter = med * np.exp(rng.normal(0, 0.9, len(rel)))
    days = rng.exponential(1, len(rel)) * 30 / np.sqrt(inter + 0.05)
    family = np.isin(rel, ["parent", "child", "sibling", "family", "spouse"])
    starred = rng.random(len(rel)) < sigmoid(-4.2 + 1.0 * np.log1p(inter) + 1.5 * family)
    years = np.where(family, np.maximum(age_gap, 0) + rng.uniform(5, 40, len(rel)), rng.exponential(7, len(rel)))
    score = (-2.2 + 0.9 * np.log1p(inter) - 0.35 * np.log1p(days / 7) + 1.2 * same_hh + 0.5 * family
             + 0.15 * same_county + 0.3 * starred - 0.01 * age_gap + rng.normal(0, 0.4, len(rel)))
    return {
        "relation": rel, "interactions_per_month": inter.round(3), "days_since_contact": days.round(1),
        "years_known": years.round(1), "starred": starred.astype(int), "tie_strength": sigmoid(score).round(4),
    }


def _extras(rng: np.random.Generator, n: int, first_id: int, out_of_state: np.ndarray) -> pd.DataFrame:
    """People in contact books who are not in the voter file (unregistered or out of state)."""
    tables = name_tables()
    sex = np.where(rng.random(n) < 0.52, "F", "M")
    states = np.array([s for s, _ in OTHER_STATES])
    pick = rng.integers(0, len(OTHER_STATES), n)
    nc_area = geography().counties.area_code.to_numpy()[geography().sample_counties(rng, n) - 1]
    area = np.where(out_of_state, np.array([a for _, a in OTHER_STATES])[pick], nc_area)
    phone = area.astype(np.int64) * 10_000_000 + rng.integers(201, 999, n) * 10_000 + rng.integers(0, 10000, n)
    return pd.DataFrame({
        "person_id": np.arange(first_id, first_id + n, dtype=np.int64),
        "first": tables.first[tables.sample_first(rng, sex)], "last": tables.last[tables.sample_last(rng, n)],
        "sex": sex, "age": np.clip(rng.normal(38, 15, n), 18, 95).astype(int), "phone": phone,
        "state": np.where(out_of_state, states[pick], "NC"),
    })


def book_sizes(rng: np.random.Generator, m: int) -> np.ndarray:
    """Contact-book sizes: log-normal, median ~230, a few over 1,000."""
    return np.clip(np.round(BOOK_MEDIAN * np.exp(rng.normal(0, BOOK_SIGMA, m))), 15, 5000).astype(int)


def build_ego_networks(pop: Population, supporters: np.ndarray, rng: np.random.Generator,
                       graph_seed: str | None = None, tick=lambda n: None) -> EgoNetworks:
    """Every supporter's contacts with tie features; person ids are voter index + 1, extras after."""
    buckets = _Buckets(pop)
    seeded, seed_edges = _seeded_friends(pop, supporters, buckets, rng, graph_seed)
    frames, next_id, extra_frames = [], len(pop) + 1, []
    for s in supporters:
        k = int(book_sizes(rng, 1)[0])
        n_extra = rng.binomial(k, sum(EXTRA_SHARE.values()))
        people, rel = _voter_contacts(pop, s, buckets, rng, k - n_extra, seeded.get(int(s)) if seeded else None)
        oos = rng.random(n_extra) < 0.5
        extra = _extras(rng, n_extra, next_id, oos)
        next_id += n_extra
        extra_frames.append(extra)
        erel = np.array(list(FRIEND_RELATIONS))[rng.integers(0, len(FRIEND_RELATIONS), n_extra)]
        same_hh = np.concatenate([pop.household[people] == pop.household[s], np.zeros(n_extra, bool)])
        same_cty = np.concatenate([pop.county[people] == pop.county[s], np.zeros(n_extra, bool)])
        ages = np.concatenate([pop.age[people], extra.age.to_numpy()])
        gap = np.abs(ages.astype(int) - int(pop.age[s]))
        feats = _tie_features(rng, np.concatenate([rel, erel]), same_hh, same_cty, gap)
        frames.append(pd.DataFrame({
            "supporter_index": s, "person_id": np.concatenate([people + 1, extra.person_id.to_numpy()]),
            "same_household": same_hh.astype(int), "same_county": same_cty.astype(int), "age_gap": gap, **feats,
        }))
        tick(1)
    if not frames:  # no supporters: a voter file only
        columns = ["supporter_index", "person_id", "same_household", "same_county", "age_gap", "relation",
                   "interactions_per_month", "days_since_contact", "years_known", "starred", "tie_strength"]
        return EgoNetworks(pd.DataFrame({c: np.zeros(0, dtype=np.int64) for c in columns}),
                           _extras(rng, 0, next_id, np.zeros(0, bool)), seed_edges)
    ties = pd.concat(frames, ignore_index=True)
    extras = pd.concat(extra_frames, ignore_index=True)
    return EgoNetworks(ties, extras, seed_edges)


def _read_graph(name: str) -> np.ndarray:
    path = GRAPHS_DIR / GRAPH_SEEDS[name]
    if name == "snap":
        return np.loadtxt(path, dtype=np.int64, comments=("#", "nd"))
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lower().startswith(("*edges", "*arcs"))) + 1
    return np.array([[int(x) - 1 for x in line.split()[:2]] for line in lines[start:] if line.strip()])


def _seeded_friends(pop: Population, supporters: np.ndarray, buckets: _Buckets, rng: np.random.Generator,
                    graph_seed: str | None) -> tuple[dict[int, np.ndarray] | None, pd.DataFrame]:
    """Map a real graph onto people: BFS-ordered blocks of nodes share a county, so friends stay local."""
    empty = pd.DataFrame({"person_a": [], "person_b": []}, dtype=np.int64)
    if graph_seed is None:
        return None, empty
    edges = _read_graph(graph_seed)
    n_nodes = int(edges.max()) + 1
    degree = np.bincount(edges.ravel(), minlength=n_nodes)
    nodes = rng.permutation(n_nodes)
    person = np.empty(n_nodes, dtype=np.int64)
    hubs = nodes[np.argsort(-degree[nodes], kind="stable")][: len(supporters)]
    person[hubs] = supporters[: len(hubs)]
    rest = np.setdiff1d(np.arange(n_nodes), hubs)
    for node in rest:
        anchor = person[hubs[int(rng.integers(len(hubs)))]] if len(hubs) else 0
        got = buckets.draw(rng, int(pop.county[anchor]), int(pop.age[anchor]), int(pop.party[anchor]), 1)
        person[node] = got[0] if len(got) else int(rng.integers(len(pop)))
    mapped = person[edges]
    friends: dict[int, np.ndarray] = {}
    for node in hubs:
        nb = np.concatenate([edges[edges[:, 0] == node, 1], edges[edges[:, 1] == node, 0]])
        friends[int(person[node])] = np.unique(person[nb])
    return friends, pd.DataFrame({"person_a": mapped[:, 0] + 1, "person_b": mapped[:, 1] + 1})
