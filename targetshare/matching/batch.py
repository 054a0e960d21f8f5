"""Batch matching with Splink (DuckDB by default, Spark with ``engine="spark"``).

Used to re-match every stored contact after a voter-file refresh. The decision rule per contact
is the real-time matcher's (probability, margin over the runner-up, more than a given name).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from targetshare.matching.comparisons import contact_features, settings_for_dialect, voter_features
from targetshare.matching.matcher import ACCEPT_PROBABILITY
from targetshare.matching.model import MatchModel, register_tf_tables

__all__ = ["batch_match", "rematch_store", "spark_available"]


def spark_available() -> str:
    """"" when PySpark and Java can run Splink's Spark backend, else why not."""
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'targetshare[spark]')"
    if not shutil.which("java"):
        return "java is not on PATH"
    return ""


def _db_api(engine: str):
    if engine == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if engine == "spark":
        reason = spark_available()
        if reason:
            raise RuntimeError(f"--engine spark unavailable: {reason}")
        from pyspark.sql import SparkSession
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        # a small local session unless one is already running (a cluster's, or a test's):
        # Splink's Jaro-Winkler UDFs come from the jar it ships
        spark = (SparkSession.builder.master("local[2]").appName("targetshare-rematch")
                 .config("spark.jars", similarity_jar_location())
                 .config("spark.sql.shuffle.partitions", "4")
                 .config("spark.ui.enabled", "false")
                 .getOrCreate())
        if spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty():  # Splink checkpoints
            import tempfile

            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="targetshare-spark-"))
        return SparkAPI(spark_session=spark)
    raise ValueError(f"unknown engine {engine!r} (duckdb or spark)")


def _predict(model: MatchModel, voter_feats: pd.DataFrame, contact_feats: pd.DataFrame,
             engine: str) -> pd.DataFrame:
    from splink import Linker

    db = _db_api(engine)
    if engine == "spark":
        spark = db.spark
        left = db.register(spark.createDataFrame(contact_feats.astype(object).where(contact_feats.notna(), None)),
                           table_name="contacts")
        right = db.register(spark.createDataFrame(voter_feats.astype(object).where(voter_feats.notna(), None)),
                            table_name="voters")
    else:
        left = db.register(contact_feats, table_name="contacts")
        right = db.register(voter_feats, table_name="voters")
    settings = settings_for_dialect(model.settings, engine)
    settings.update(link_type="link_only", retain_matching_columns=True)
    linker = Linker([left, right], settings, log_level=None)
    register_tf_tables(linker, voter_feats)
    out = linker.inference.predict_between(left, right).as_pandas_dataframe()
    return out[["unique_id_l", "unique_id_r", "match_weight", "match_probability",
                "gamma_first_name", "gamma_last_name", "gamma_phone", "gamma_email"]]


def decide(pairs: pd.DataFrame, contact_ids: Iterable[str], accept_probability: float = ACCEPT_PROBABILITY,
           margin_bits: float = 3.0, max_candidates: int = 5) -> pd.DataFrame:
    """Best voter, runner-up and acceptance per contact from scored pairs (Splink's columns)."""
    pairs = pairs.sort_values(["unique_id_l", "match_weight"], ascending=[True, False])
    pairs = pairs.assign(rank=pairs.groupby("unique_id_l").cumcount())
    best = pairs[pairs["rank"] == 0].set_index("unique_id_l")
    second = pairs[pairs["rank"] == 1].set_index("unique_id_l")
    cands = (pairs[pairs["rank"] < max_candidates].groupby("unique_id_l")
             .apply(lambda g: [{"voter_id": v, "match_probability": float(p)} for v, p in
                               zip(g["unique_id_r"], g["match_probability"], strict=True)]))
    out = pd.DataFrame({"contact_id": [str(c) for c in contact_ids]}).set_index("contact_id")
    out["best"] = best["unique_id_r"]
    out["match_probability"] = best["match_probability"].astype(float)
    out["runner_up_probability"] = second["match_probability"].astype(float)
    margin = best["match_weight"] - second["match_weight"].reindex(best.index).fillna(-np.inf)
    names = (best["gamma_first_name"] > 0) & (best["gamma_last_name"] > 0)
    evidence = names | (best["gamma_phone"] > 0) | (best["gamma_email"] > 0)
    ok = (best["match_probability"] >= accept_probability) & (margin >= margin_bits) & evidence
    out["voter_id"] = np.where(ok.reindex(out.index).fillna(False).astype(bool), out["best"], "")
    out["candidates"] = cands.reindex(out.index)
    out = out.fillna({"match_probability": 0.0, "runner_up_probability": 0.0})
    out["candidates"] = out["candidates"].map(lambda c: c if isinstance(c, list) else [])
    return out.reset_index()[["contact_id", "voter_id", "match_probability",
                              "runner_up_probability", "candidates"]]


def batch_match(voters: pd.DataFrame, contacts: Iterable[Mapping[str, Any]], model: MatchModel,
                engine: str = "duckdb", **decision: Any) -> pd.DataFrame:
    """Match every contact (canonical dicts) against the voters with Splink on ``engine``."""
    contacts = list(contacts)
    voter_feats = voter_features(voters, model.name_keys)
    contact_feats = contact_features(contacts, model.name_keys)
    pairs = _predict(model, voter_feats, contact_feats, engine)
    return decide(pairs, contact_feats["unique_id"], **decision)


def _stored_contacts(engine) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from targetshare.store.schema import contacts as contacts_table

    with engine.connect() as conn:
        rows = conn.execute(select(contacts_table)).mappings().all()
    return [contact_record(r) for r in rows]


def contact_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored ``contacts`` row as the canonical contact dict the matcher reads
    (``contact_id`` is the row id as text)."""
    return {**dict(row), "contact_id": str(row["id"]),
            "phones": row["phones"] if isinstance(row["phones"], list) else json.loads(row["phones"] or "[]"),
            "emails": row["emails"] if isinstance(row["emails"], list) else json.loads(row["emails"] or "[]")}


def rematch_store(engine, model: MatchModel, batch_engine: str = "duckdb") -> dict[str, int]:
    """Re-match every stored contact; confirmed or rejected matches are left as the supporter said."""
    from sqlalchemy import delete, insert, select

    from targetshare.matching.matcher import load_voters
    from targetshare.store.schema import matches

    contacts = _stored_contacts(engine)
    with engine.connect() as conn:
        kept = {str(r[0]) for r in conn.execute(
            select(matches.c.contact_id).where(matches.c.status.in_(["confirmed", "rejected"])))}
    todo = [c for c in contacts if c["contact_id"] not in kept]
    result = batch_match(load_voters(engine), todo, model, engine=batch_engine) if todo else pd.DataFrame()
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [{"contact_id": int(r.contact_id), "voter_id": r.voter_id or (r.candidates[0]["voter_id"] if r.candidates else ""),
             "match_probability": r.match_probability, "runner_up_probability": r.runner_up_probability,
             "status": "auto" if r.voter_id else "needs_confirmation", "candidates": r.candidates,
             "model_version": model.voter_file_version, "created_at": now}
            for r in result.itertuples() if r.voter_id or r.candidates]
    with engine.begin() as conn:
        if todo:
            conn.execute(delete(matches).where(matches.c.contact_id.in_([int(c["contact_id"]) for c in todo])))
        if rows:
            conn.execute(insert(matches), rows)
    return {"contacts": len(contacts), "kept": len(kept), "rematched": len(todo),
            "auto": sum(r["status"] == "auto" for r in rows),
            "needs_confirmation": sum(r["status"] == "needs_confirmation" for r in rows)}
