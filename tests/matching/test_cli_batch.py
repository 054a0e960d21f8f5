"""`targetshare link` and `match-eval` end to end on files; batch (Splink) agrees with real time."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from targetshare.cli import app
from targetshare.matching import Matcher
from targetshare.matching.batch import batch_match, spark_available


def _write_contacts(contacts, path):
    rows = [{"contact_id": c["contact_id"], "name": c.get("display_name", ""),
             "phones": ";".join(c.get("phones", [])), "emails": ";".join(c.get("emails", [])),
             "city": c.get("city", ""), "state": "", "zip": "", "birthday": c.get("birthday", "")}
            for c in contacts]
    pd.DataFrame(rows).to_csv(path, index=False)


def test_link_then_match_eval(voters, book, model, tmp_path):
    contacts, truth = book
    voters.to_csv(tmp_path / "voters.csv", index=False)
    _write_contacts(contacts, tmp_path / "contacts.csv")
    truth.to_csv(tmp_path / "truth.csv", index=False)
    model.save(tmp_path / "model.json")
    runner = CliRunner()
    result = runner.invoke(app, ["link", str(tmp_path / "voters.csv"), str(tmp_path / "contacts.csv"),
                                 "--out", str(tmp_path / "m.csv"), "--model", str(tmp_path / "model.json")])
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "m.csv", dtype=str, keep_default_na=False)
    assert list(out.columns) == ["contact_id", "voter_id", "match_probability", "runner_up_probability"]
    assert len(out) == len(contacts)
    result = runner.invoke(app, ["match-eval", str(tmp_path / "m.csv"), str(tmp_path / "truth.csv"),
                                 "--chart", str(tmp_path / "pr.svg"), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["precision"] >= 0.97 and (tmp_path / "pr.svg").stat().st_size > 1000


def test_link_trains_when_no_model_is_given(voters, book, tmp_path):
    contacts, _ = book
    voters.iloc[:3000].to_csv(tmp_path / "voters.csv", index=False)
    _write_contacts(contacts[:300], tmp_path / "contacts.csv")
    result = CliRunner().invoke(app, ["link", str(tmp_path / "voters.csv"), str(tmp_path / "contacts.csv"),
                                      "--out", str(tmp_path / "m.csv"), "--save-model", str(tmp_path / "model.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "model.json").read_text())["format"] == "targetshare-match-model/1"


def test_batch_duckdb_decides_like_the_real_time_matcher(voters, book, model):
    contacts, _ = book
    batch = batch_match(voters, contacts, model)
    live = pd.DataFrame(Matcher.from_voters(voters, model=model, cache_dir=False).match(contacts))
    merged = batch.merge(live, on="contact_id", suffixes=("_batch", "_live"))
    assert (merged["voter_id_batch"] == merged["voter_id_live"]).mean() > 0.99
    assert (merged["match_probability_batch"] - merged["match_probability_live"]).abs().max() < 1e-6


@pytest.fixture
def small_spark(tmp_path):
    """One local core, two shuffle partitions, 1 GB: enough for 2,000 voters, kind to CI."""
    reason = spark_available()
    if reason or not shutil.which("java"):
        pytest.skip(f"Spark batch matching needs PySpark and Java: {reason}")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (SparkSession.builder.master("local[1]").appName("targetshare-test")
             .config("spark.jars", similarity_jar_location())
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.default.parallelism", "1")
             .config("spark.driver.memory", "1g")
             .config("spark.ui.enabled", "false")
             .getOrCreate())
    spark.sparkContext.setCheckpointDir(str(tmp_path / "checkpoints"))
    yield spark
    spark.stop()


@pytest.mark.spark
def test_batch_on_spark(voters, book, model, small_spark):
    contacts, _ = book
    spark = batch_match(voters.iloc[:2000], contacts[:100], model, engine="spark")
    duck = batch_match(voters.iloc[:2000], contacts[:100], model)
    merged = spark.merge(duck, on="contact_id", suffixes=("_spark", "_duck"))
    assert len(merged) == 100 and (merged["voter_id_spark"] == merged["voter_id_duck"]).all()
    assert (merged["match_probability_spark"] - merged["match_probability_duck"]).abs().max() < 1e-6
    assert (merged["voter_id_duck"] != "").sum() > 10
