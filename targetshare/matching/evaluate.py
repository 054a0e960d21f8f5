"""Precision, recall and F1 of matches against a truth file, and a precision–recall chart.

Truth is read only here, by tests, benchmarks and ``targetshare match-eval`` — never by matching.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["evaluate", "pr_curve", "read_truth", "write_pr_chart"]


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
