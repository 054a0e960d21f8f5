"""Precision, recall and F1 of matches against a truth file, and a precision–recall chart.

Truth is read only here, by tests, benchmarks and ``targetshare match-eval`` — never by matching.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["carries", "evaluate", "ncvr_f1", "ncvr_parties", "pr_curve", "read_truth", "sim_books",
           "sim_voters", "write_pr_chart"]


def read_truth(path: str | Path) -> pd.DataFrame:
    """``contact_id, voter_id`` ("" for a contact who is no voter); the simulator's
    ``truth/contacts.csv`` (``position`` = the parser's contact id) is accepted too."""
    truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "contact_id" not in truth.columns and "position" in truth.columns:
        truth = truth.rename(columns={"position": "contact_id"})
    return truth[["contact_id", "voter_id"] + [c for c in truth.columns if c == "carries"]]


def _joined(matches: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    m = matches[["contact_id", "voter_id", "match_probability"]].astype({"contact_id": str})
    m = m.assign(voter_id=m["voter_id"].fillna("").astype(str))
    t = truth.astype({"contact_id": str}).rename(columns={"voter_id": "true_voter_id"})
    return t.merge(m, on="contact_id", how="left").fillna({"voter_id": "", "match_probability": 0.0})


def evaluate(matches: pd.DataFrame, truth: pd.DataFrame) -> dict[str, float]:
    """Precision over accepted matches, recall over contacts who are voters, and F1."""
    j = _joined(matches, truth)
    accepted = j["voter_id"] != ""
    correct = accepted & (j["voter_id"] == j["true_voter_id"])
    positives = int((j["true_voter_id"] != "").sum())
    precision = float(correct.sum() / accepted.sum()) if accepted.any() else 1.0
    recall = float(correct.sum() / positives) if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"contacts": len(j), "true_voters": positives, "accepted": int(accepted.sum()),
            "correct": int(correct.sum()), "precision": precision, "recall": recall, "f1": f1}


def pr_curve(matches: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall when only matches at or above each probability are accepted."""
    j = _joined(matches, truth)
    j = j[j["voter_id"] != ""].sort_values("match_probability", ascending=False)
    positives = max(int((_joined(matches, truth)["true_voter_id"] != "").sum()), 1)
    correct = np.cumsum((j["voter_id"] == j["true_voter_id"]).to_numpy())
    n = np.arange(1, len(j) + 1)
    return pd.DataFrame({"threshold": j["match_probability"].to_numpy(),
                         "precision": correct / n, "recall": correct / positives})


def write_pr_chart(curve: pd.DataFrame, path: str | Path, title: str = "Precision–recall") -> Path:
    """Plot the curve with matplotlib (PNG or SVG by the file's suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(curve["recall"], curve["precision"], lw=2)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(min(0.9, float(curve["precision"].min()) if len(curve) else 0.9), 1.001)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    path = Path(path)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path


def ncvr_parties(data_dir: str | Path, ocp: int) -> tuple[pd.DataFrame, list[dict]]:
    """Party 1 of the NCVR sample as voters and party 0 as contacts (name, suburb, postcode)."""
    def read(party: int) -> pd.DataFrame:
        name = f"ncvr_numrec_5000_modrec_2_ocp_{ocp}_myp_{party}_nump_5.csv"
        return pd.read_csv(Path(data_dir) / "ncvr" / name, dtype=str, keep_default_na=False)

    right, left = read(1), read(0)
    voters = pd.DataFrame({"voter_id": right["recid"], "first_name": right["givenname"].str.upper(),
                           "last_name": right["surname"].str.upper(), "city": right["suburb"].str.upper(),
                           "zip": right["postcode"]})
    contacts = [{"contact_id": r["recid"], "given_name": r["givenname"].upper(),
                 "family_name": r["surname"].upper(), "city": r["suburb"].upper(), "zip": r["postcode"]}
                for r in left.to_dict("records")]
    return voters, contacts


def ncvr_f1(data_dir: str | Path, ocp: int, **matcher_options) -> dict[str, float]:
    """F1 of the real-time matcher (trained on these files) linking NCVR party 0 to party 1."""
    from targetshare.matching.matcher import Matcher

    voters, contacts = ncvr_parties(data_dir, ocp)
    matcher = Matcher.from_voters(voters, contacts=contacts, cache_dir=False, **matcher_options)
    found = pd.DataFrame(matcher.match(contacts))
    truth = pd.DataFrame({"contact_id": [c["contact_id"] for c in contacts]})
    truth["voter_id"] = truth["contact_id"].where(truth["contact_id"].isin(set(voters["voter_id"])), "")
    return evaluate(found, truth)


def carries(contact) -> str:
    """What a contact gives matching beyond a name: ``phone/email``, ``birthday``, ``city``,
    ``name only``; ``given name only`` when it has no surname (a label, "Jen")."""
    from targetshare.matching.comparisons import contact_fields

    given, _, family, phones, emails, city, zip_code, birthday, birth_year = contact_fields(contact)
    if not family:
        return "given name only"
    if any(phones) or any(emails):
        return "name + phone/email"
    if birthday or birth_year:
        return "name + birthday"
    if city or zip_code:
        return "name + city"
    return "name only"


def sim_books(world: str | Path) -> tuple[list[list[dict]], pd.DataFrame]:
    """The simulator's contact files, parsed as an upload would be (one login each), and truth.

    Contact ids are made unique across files (``S00001.vcf#12``). Truth: ``contact_id, voter_id``
    ("" for a contact who is no voter), ``carries`` (:func:`carries`) and ``supporter_id``.
    """
    from targetshare.contacts import parse_file

    world = Path(world)
    truth = pd.read_csv(world / "truth" / "contacts.csv", dtype=str, keep_default_na=False)
    truth["contact_id"] = truth["contacts_file"].str.split("/").str[-1] + "#" + truth["position"]
    logins, kinds = [], {}
    for name in sorted(truth["contacts_file"].unique()):
        login = []
        for contact in parse_file(world / name):
            rec = contact.to_dict()
            rec["contact_id"] = f"{Path(name).name}#{rec['contact_id']}"
            kinds[rec["contact_id"]] = carries(rec)
            login.append(rec)
        logins.append(login)
    truth["carries"] = truth["contact_id"].map(kinds).fillna("not parsed")
    return logins, truth[["contact_id", "voter_id", "carries", "supporter_id"]]


def sim_voters(world: str | Path, engine) -> None:
    """Import the simulated world's ``ncvoter.txt`` into the store ``engine`` (the real path)."""
    from targetshare.voterfile import import_voter_file

    world = Path(world)
    import_voter_file(world / "ncvoter.txt", engine=engine, quarantine_dir=world / "quarantine")
