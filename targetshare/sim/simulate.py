"""``simulate()``: write a whole synthetic state — voter file, contact exports, scores — and its truth.

Layout of ``out_dir``::

    ncvoter.txt  ncvhis.txt          NCSBE layout, what the campaign imports
    supporters.csv  scores.csv       the campaign's supporters and its vendor's modeled scores
    contacts/<supporter_id>.vcf|csv|json
    truth/  people.csv contacts.csv ties.csv graph.csv behaviour.json   (never read by the engine)
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from targetshare.sim import behaviour, ncsbe
from targetshare.sim.contacts import EXTENSIONS, FORMAT_SHARES, render_book, write_export
from targetshare.sim.election import NEXT_ELECTION, calibrated_offset, vote_probability
from targetshare.sim.geo import STREET_NAMES, STREET_TYPES, geography
from targetshare.sim.graph import GRAPH_SEEDS, GRAPHS_DIR, build_ego_networks, pick_supporters
from targetshare.sim.names import name_tables
from targetshare.sim.world import (
    PARTIES,
    SNAPSHOT_YEAR,
    Population,
    build_population,
    logit,
    sigmoid,
)

__all__ = ["simulate"]


@contextmanager
def _progress(enabled: bool):
    columns = [TextColumn("{task.description:<22}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
               TimeElapsedColumn()]
    with Progress(*columns, disable=not enabled) as bar:
        yield bar


def _step(bar: Progress, label: str, total: int):
    task = bar.add_task(label, total=total)
    return lambda n: bar.advance(task, n)


def simulate(out_dir: str | Path, voters: int = 200_000, supporters: int | None = None, seed: int = 0,
             weak_ties: bool = False, graph_seed: str | None = None, progress: bool = True) -> dict:
    """Write a simulated state to ``out_dir`` and return a small summary.

    Same arguments give byte-identical files. ``supporters`` defaults to one per 1,000 voters (at
    least 20). ``graph_seed`` (``snap``, ``caltech``, ``haverford``) maps a real Facebook graph onto
    supporters' friendships; it is skipped with a message when ``../shared/data/graphs`` is absent.
    """
    out = Path(out_dir)
    (out / "contacts").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    supporters = max(20, voters // 1000) if supporters is None else supporters
    notes: list[str] = []
    if graph_seed is not None and not (GRAPHS_DIR / GRAPH_SEEDS[graph_seed]).exists():
        notes.append(f"graph seed {graph_seed!r} skipped: {GRAPHS_DIR} not found; using bucket sampling")
        graph_seed = None
    params = behaviour.weak_ties() if weak_ties else behaviour.DEFAULTS
    with _progress(progress) as bar:
        pop = build_population(voters, np.random.default_rng([seed, 1]))
        order, rank = ncsbe.county_order(pop)
        ncsbe.write_ncvoter(out / "ncvoter.txt", pop, (order, rank), seed, _step(bar, "ncvoter.txt", voters))
        voted = ncsbe.past_turnout(pop, seed)
        rows = ncsbe.write_ncvhis(out / "ncvhis.txt", pop, (order, rank), voted, seed, _step(bar, "ncvhis.txt", voters))
        del voted
        eligible = pop.active
        p0 = vote_probability(pop.turnout, calibrated_offset(pop.turnout, eligible, NEXT_ELECTION.turnout))
        p0 = np.where(pop.active, p0, p0 * 0.5)
        chosen = pick_supporters(pop, supporters, np.random.default_rng([seed, 2]))
        nets = build_ego_networks(pop, chosen, np.random.default_rng([seed, 3]), graph_seed,
                                  _step(bar, "ego networks", len(chosen)))
        sup = _write_contacts(out, pop, rank, chosen, nets, seed, _step(bar, "contact exports", len(chosen)))
        _write_scores(out / "scores.csv", pop, rank, p0, seed)
        _write_people(out / "truth" / "people.csv", pop, rank, p0, nets.extras, seed, _step(bar, "truth", voters))
    _write_graph(out / "truth", nets, sup, pop, rank, seed)
    used = {**behaviour.params_dict(params), "weak_ties": weak_ties, "next_election": NEXT_ELECTION.desc,
            "seed": seed, "graph_seed": graph_seed}
    (out / "truth" / "behaviour.json").write_text(json.dumps(used, indent=2, sort_keys=True) + "\n")
    return {"out_dir": str(out), "voters": voters, "supporters": len(chosen), "history_rows": rows,
            "contacts": int(len(nets.ties)), "extra_people": int(len(nets.extras)),
            "households": int(pop.household[-1]) + 1, "seed": seed, "notes": notes}


def _voter_people(pop: Population, rank: np.ndarray, idx: np.ndarray, seed: int) -> pd.DataFrame:
    """Names, phones and addresses of these voters, for rendering contacts."""
    names, geo = name_tables(), geography()
    ncid, _ = ncsbe.voter_ids(pop.county[idx], rank[idx], seed)
    street = (pd.Series(pop.street_num[idx]).astype(str) + " " + STREET_NAMES[pop.street[idx]] + " "
              + STREET_TYPES[pop.street_type[idx]])
    return pd.DataFrame({
        "person_id": idx + 1, "voter_id": ncid, "first": names.first[pop.first[idx]],
        "middle": np.where(pop.middle[idx] >= 0, names.first[np.maximum(pop.middle[idx], 0)], ""),
        "last": names.last[pop.last[idx]], "sex": pop.sex[idx], "phone": pop.phone[idx],
        "listed_phone": pop.listed_phone[idx], "birth_year": SNAPSHOT_YEAR - pop.age[idx].astype(int),
        "street": street.to_numpy(), "city": geo.places.city.to_numpy()[pop.place[idx]],
        "zip": geo.places.zip_code.to_numpy()[pop.place[idx]],
    })


class _People:
    """Everyone in a contact book as column arrays sorted by person_id; dicts are built per book."""

    def __init__(self, frame: pd.DataFrame) -> None:
        frame = frame.sort_values("person_id", kind="stable")
        self.ids = frame.person_id.to_numpy(dtype=np.int64)
        self.cols = {c: frame[c].to_numpy(dtype=object) for c in frame.columns}

    def rows(self, person_ids: list[int]) -> list[dict]:
        pos = np.searchsorted(self.ids, np.asarray(person_ids, dtype=np.int64))
        names = list(self.cols)
        return [dict(zip(names, vals, strict=True)) for vals in zip(*(self.cols[c][pos] for c in names), strict=True)]


def _people_table(pop: Population, rank: np.ndarray, nets, seed: int) -> _People:
    """Names, phones and addresses of everyone in a contact book."""
    ids = np.unique(nets.ties.person_id.to_numpy())
    voters = _voter_people(pop, rank, ids[ids <= len(pop)] - 1, seed)
    extras = nets.extras.assign(voter_id="", middle="", listed_phone=0, birth_year=SNAPSHOT_YEAR - nets.extras.age,
                                street="", city="", zip="")
    both = pd.concat([voters, extras[voters.columns]], ignore_index=True)
    return _People(both)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (much faster than ``to_dict("records")``)."""
    cols = list(frame.columns)
    return [dict(zip(cols, row, strict=True)) for row in zip(*(frame[c].tolist() for c in cols), strict=True)]


def _write_contacts(out: Path, pop: Population, rank: np.ndarray, chosen: np.ndarray, nets, seed: int,
                    tick) -> pd.DataFrame:
    """Write each supporter's export and ``truth/contacts.csv``; return the supporters table."""
    table = _people_table(pop, rank, nets, seed)
    formats = list(FORMAT_SHARES)
    shares = np.array(list(FORMAT_SHARES.values()))
    sup_people = _voter_people(pop, rank, chosen, seed)
    truth_rows, sup_rows = [], []
    groups = dict(tuple(nets.ties.groupby("supporter_index", sort=True)))
    for j, s in enumerate(chosen):
        rng = np.random.default_rng([seed, 4, j])
        sid = f"S{j + 1:05d}"
        fmt = formats[int(rng.choice(len(formats), p=shares / shares.sum()))]
        ties = _records(groups[s].sample(frac=1.0, random_state=int(rng.integers(2**31))))
        people = table.rows([int(t["person_id"]) for t in ties])
        voter_of = {p["person_id"]: p["voter_id"] for p in people}
        book = render_book(people, ties, rng, fmt)
        fname = f"contacts/{sid}.{EXTENSIONS[fmt]}"
        write_export(out / fname, book, fmt, rng)
        for pos, c in enumerate(book, 1):
            vid = voter_of[c.person_id] if c.person_id else ""
            truth_rows.append((sid, fname, pos, c.person_id or "", vid))
        me = sup_people.iloc[j]
        email = f"{me['first'].lower()}.{me['last'].lower().replace(' ', '')}{int(rng.integers(1, 999))}@example.org"
        sup_rows.append((sid, email, me["first"].title(), me["last"].title(), me["voter_id"], fname, fmt, int(s) + 1))
        tick(1)
    cols = ["supporter_id", "email", "first_name", "last_name", "voter_id", "contacts_file", "format", "person_id"]
    sup = pd.DataFrame(sup_rows, columns=cols)
    sup[cols[:6]].to_csv(out / "supporters.csv", index=False)
    pd.DataFrame(truth_rows, columns=["supporter_id", "contacts_file", "position", "person_id", "voter_id"]).to_csv(
        out / "truth" / "contacts.csv", index=False)
    return sup


def _write_scores(path: Path, pop: Population, rank: np.ndarray, p0: np.ndarray, seed: int) -> None:
    """The vendor's modeled scores (0–100): noisy functions of the truth."""
    with open(path, "w", newline="") as fh:
        fh.write("voter_id,support_score,turnout_score,persuasion_score\n")
        for i, start in enumerate(range(0, len(pop), ncsbe.CHUNK)):
            idx = np.arange(start, min(start + ncsbe.CHUNK, len(pop)))
            rng = np.random.default_rng([seed, 5, i])
            ncid, _ = ncsbe.voter_ids(pop.county[idx], rank[idx], seed)
            n = len(idx)
            pd.DataFrame({
                "voter_id": ncid,
                "support_score": np.round(100 * sigmoid(logit(pop.support[idx]) + rng.normal(0, 0.7, n))).astype(int),
                "turnout_score": np.round(100 * sigmoid(logit(p0[idx]) + rng.normal(0, 0.5, n))).astype(int),
                "persuasion_score": np.round(100 * sigmoid(0.8 * pop.persuadability[idx] + rng.normal(0, 1.0, n))).astype(int),
            }).to_csv(fh, header=False, index=False)


def _write_people(path: Path, pop: Population, rank: np.ndarray, p0: np.ndarray, extras: pd.DataFrame,
                  seed: int, tick) -> None:
    cols = ["person_id", "voter_id", "registered", "state", "household_id", "county_id", "voter_reg_num", "age",
            "support", "turnout_propensity", "baseline_turnout", "persuadability", "susceptibility", "party_cd"]
    with open(path, "w", newline="") as fh:
        fh.write(",".join(cols) + "\n")
        for start in range(0, len(pop), ncsbe.CHUNK):
            idx = np.arange(start, min(start + ncsbe.CHUNK, len(pop)))
            ncid, reg = ncsbe.voter_ids(pop.county[idx], rank[idx], seed)
            pd.DataFrame({
                "person_id": idx + 1, "voter_id": ncid, "registered": 1, "state": "NC",
                "household_id": pop.household[idx] + 1, "county_id": pop.county[idx], "voter_reg_num": reg,
                "age": pop.age[idx], "support": pop.support[idx].round(4), "turnout_propensity": pop.turnout[idx].round(4),
                "baseline_turnout": p0[idx].round(4), "persuadability": pop.persuadability[idx].round(4),
                "susceptibility": pop.susceptibility[idx].round(4), "party_cd": PARTIES[pop.party[idx]],
            }).to_csv(fh, header=False, index=False)
            tick(len(idx))
        pd.DataFrame({
            "person_id": extras.person_id, "voter_id": "", "registered": 0, "state": extras.state,
            "household_id": "", "county_id": "", "voter_reg_num": "", "age": extras.age, "support": "",
            "turnout_propensity": "", "baseline_turnout": "", "persuadability": "", "susceptibility": "", "party_cd": "",
        })[cols].to_csv(fh, header=False, index=False)


def _write_graph(truth: Path, nets, sup: pd.DataFrame, pop: Population, rank: np.ndarray, seed: int) -> None:
    """``ties.csv`` (supporter × person with latent features) and ``graph.csv`` (edge list)."""
    by_index = sup.set_index(sup.person_id - 1)
    ties = nets.ties.copy()
    ties.insert(0, "supporter_id", by_index.supporter_id.reindex(ties.supporter_index).to_numpy())
    person = ties.person_id.to_numpy()
    is_voter = person <= len(pop)
    idx = person[is_voter] - 1
    voter_id = np.full(len(ties), "", dtype=object)
    voter_id[is_voter] = ncsbe.voter_ids(pop.county[idx], rank[idx], seed)[0]
    ties.insert(2, "voter_id", voter_id)
    ties.drop(columns="supporter_index").to_csv(truth / "ties.csv", index=False)
    edges = pd.DataFrame({"person_a": ties.supporter_index + 1, "person_b": ties.person_id,
                          "kind": "contact", "tie_strength": ties.tie_strength})
    seeded = nets.seed_edges.assign(kind="graph_seed", tie_strength="")
    pd.concat([edges, seeded], ignore_index=True).to_csv(truth / "graph.csv", index=False)
