"""Learning from supporters' confirmations: labels from the store, a retrained model, its file.

* :func:`labels_from_store` reads what supporters said: a ``confirmed`` match ("which one is your
  friend?" answered) is a match with the chosen voter and a non-match with each other candidate
  it was shown; a ``rejected`` match ("not my friend") is a non-match with its voter.
* :func:`retrain_from_store` re-estimates m from the confirmed pairs
  (:func:`~targetshare.matching.model.retrain_with_labels`) once there are ``min_labels``.
* :func:`model_path` is where the web app keeps the model of a voter file (``targetshare
  retrain`` replaces that file, keeping the old one alongside; the web app notices through
  :func:`model_stamp` and swaps the model in).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from targetshare.matching.comparisons import contact_features, voter_features
from targetshare.matching.model import MatchModel, retrain_with_labels

__all__ = ["NAME_COMPARISONS", "labels_from_store", "retrain_from_store", "model_path", "model_stamp",
           "save_replacing", "name_m_probabilities"]

NAME_COMPARISONS = ("first_name", "middle_initial", "last_name")
LABEL_COLUMNS = ["contact_id", "voter_id", "is_match"]


def model_path(cache_dir: str | Path, content_version: str) -> Path:
    """The model file of a voter file (``content_version`` from
    :func:`~targetshare.matching.matcher.voter_file_version`) in the index cache folder."""
    return Path(cache_dir) / f"match-model-{content_version}.json"


def model_stamp(path: str | Path) -> tuple[int, int, int] | None:
    """What changes when the model file is replaced (mtime, size, inode); None when absent."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def save_replacing(model: MatchModel, path: str | Path) -> Path | None:
    """Write ``model`` to ``path`` atomically, first copying the file it replaces to
    ``<name>.<UTC time>.bak`` alongside. Returns the backup's path (None: nothing replaced)."""
    path = Path(path)
    tmp = model.save(path.with_name(path.name + ".tmp"))
    backup = None
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        backup = path.with_name(f"{path.name}.{stamp}.bak")
        shutil.copy2(path, backup)
    os.replace(tmp, path)
    return backup


def _json_list(value: Any) -> list:
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return list(value or [])


def labels_from_store(engine, keys: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Supporters' answers as ``(contact_feats, labels)``.

    ``labels`` has ``contact_id`` (the contacts row id, as text), ``voter_id``, ``is_match``;
    ``contact_feats`` holds those contacts' features, built with ``keys`` (the model's nickname
    keys) exactly as for Splink (:func:`~targetshare.matching.comparisons.contact_features`,
    whose raw fields the real-time encoder reads too)."""
    from sqlalchemy import select

    from targetshare.matching.batch import contact_record
    from targetshare.store.schema import contacts, matches

    query = (select(contacts, matches.c.voter_id.label("m_voter_id"), matches.c.status.label("m_status"),
                    matches.c.candidates.label("m_candidates"))
             .join(matches, matches.c.contact_id == contacts.c.id)
             .where(matches.c.status.in_(["confirmed", "rejected"]))
             .order_by(contacts.c.id))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    records, labels = [], []
    for row in rows:
        cid, chosen = str(row["id"]), row["m_voter_id"] or ""
        if not chosen:
            continue
        if row["m_status"] == "confirmed":
            labels.append((cid, chosen, 1))
            others = {str(c.get("voter_id") or "") for c in _json_list(row["m_candidates"])
                      if isinstance(c, Mapping)}
            labels.extend((cid, vid, 0) for vid in sorted(others - {"", chosen}))
        else:
            labels.append((cid, chosen, 0))
        records.append(contact_record({k: v for k, v in row.items() if not k.startswith("m_")}))
    frame = pd.DataFrame(labels, columns=LABEL_COLUMNS).astype({"is_match": "int64"})
    return contact_features(records, keys), frame


def retrain_from_store(engine, model: MatchModel, min_labels: int = 50, *,
                       voters: pd.DataFrame | None = None,
                       labels: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> MatchModel | None:
    """A new model whose m-probabilities come from the store's confirmed matches, or None while
    there are fewer than ``min_labels`` of them (pairs whose voter left the voter file don't
    count). ``voters`` (canonical frame) and ``labels`` (from :func:`labels_from_store`) save
    reading them again. The new model's ``training["labels"]`` records the counts used."""
    from targetshare.matching.matcher import load_voters

    contact_feats, frame = labels if labels is not None else labels_from_store(engine, model.name_keys)
    voters = load_voters(engine) if voters is None else voters
    frame = frame[frame["voter_id"].isin(set(voters["voter_id"].astype(str)))]
    confirmed = int(frame["is_match"].sum())
    if confirmed < max(min_labels, 1):
        return None
    voter_feats = voter_features(voters, model.name_keys)
    retrained = retrain_with_labels(model, voter_feats, contact_feats, frame, min_labels=min_labels)
    retrained.training = dict(retrained.training, labels={
        "confirmed": confirmed, "not_matches": int(len(frame) - confirmed),
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
    return retrained


def name_m_probabilities(model: MatchModel) -> dict[tuple[str, str], float]:
    """m of every non-null level of the name comparisons, keyed ``(comparison, level)``."""
    out = {}
    for comp in model.settings["comparisons"]:
        if comp["output_column_name"] not in NAME_COMPARISONS:
            continue
        for level in comp["comparison_levels"]:
            if not level.get("is_null_level"):
                out[(comp["output_column_name"], level["label_for_charts"])] = float(level["m_probability"])
    return out
