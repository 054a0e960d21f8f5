"""CLI: ``targetshare link``, ``targetshare match-eval``, ``targetshare rematch``, ``targetshare retrain``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from targetshare.errors import TargetshareError

__all__ = ["register", "read_contacts_csv", "link_files", "retrain_store_model"]


def read_contacts_csv(path: str | Path) -> list[dict[str, Any]]:
    """Canonical contact dicts from a contacts CSV (``contact_id, name`` or ``first_name,
    last_name``, then ``phones``/``emails`` separated by ``;``, ``city, state, zip, birthday``)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "contact_id" not in frame.columns:
        raise TargetshareError(f"{path}: no contact_id column")
    out = []
    for rec in frame.to_dict("records"):
        out.append({
            "contact_id": rec["contact_id"], "source": "csv",
            "display_name": rec.get("name", ""), "given_name": rec.get("first_name", ""),
            "middle_name": rec.get("middle_name", ""), "family_name": rec.get("last_name", ""),
            "phones": [p for p in rec.get("phones", "").split(";") if p.strip()],
            "emails": [e for e in rec.get("emails", "").split(";") if e.strip()],
            "city": rec.get("city", ""), "state": rec.get("state", ""), "zip": rec.get("zip", ""),
            "birthday": rec.get("birthday", ""),
        })
    return out


def link_files(voters_csv: Path, contacts_csv: Path, out: Path, model_path: Path | None = None,
               save_model: Path | None = None, chunk: int = 5000) -> dict[str, Any]:
    """Match a contacts CSV against a voters CSV and write one row per contact."""
    from targetshare.matching.matcher import Matcher

    contacts = read_contacts_csv(contacts_csv)
    matcher = Matcher.from_voters(voters_csv, model_path=model_path, cache_dir=False,
                                  contacts=None if model_path else contacts)
    if save_model:
        matcher.model.save(save_model)
    rows = []
    for start in range(0, len(contacts), chunk):
        rows.extend(matcher.match(contacts[start:start + chunk]))
    frame = pd.DataFrame(rows, columns=["contact_id", "voter_id", "match_probability",
                                        "runner_up_probability", "candidates"])
    frame.drop(columns="candidates").to_csv(out, index=False, float_format="%.6g")
    return {"contacts": len(frame), "matched": int((frame["voter_id"] != "").sum()),
            "model": matcher.model.training}


def retrain_store_model(database_url: str | None = None, cache_dir: str | Path | None = None,
                        min_labels: int = 50) -> dict[str, Any]:
    """Re-estimate the web app's model of the current voter file from the store's confirmations
    and replace its file (the old one kept alongside). Returns what happened: ``retrained``,
    ``path``, ``backup``, ``confirmed``, ``not_matches``, ``before`` and ``after`` (name m's)."""
    from targetshare.matching.learn import (
        labels_from_store,
        model_path,
        name_m_probabilities,
        retrain_from_store,
        save_replacing,
    )
    from targetshare.matching.matcher import load_voters, voter_file_version
    from targetshare.matching.model import MatchModel
    from targetshare.settings import get_settings
    from targetshare.store.db import open_store

    if database_url is None or cache_dir is None:
        settings = get_settings()
        database_url = database_url or settings.database_url
        cache_dir = cache_dir or settings.index_cache_dir
    engine = open_store(database_url)
    try:
        voters = load_voters(engine)
        if voters.empty:
            raise TargetshareError("the store has no voters: import a voter file first")
        path = model_path(cache_dir, voter_file_version(engine, voters))
        if not path.exists():
            raise TargetshareError(f"no model at {path} for the current voter file: the web app trains "
                                   "and saves it on its first match (or pass the app's --cache-dir)")
        model = MatchModel.load(path)
        feats, labels = labels_from_store(engine, model.name_keys)
        in_file = labels[labels["voter_id"].isin(set(voters["voter_id"].astype(str)))]
        confirmed = int(in_file["is_match"].sum())
        summary: dict[str, Any] = {"retrained": False, "path": str(path), "backup": None,
                                   "confirmed": confirmed, "not_matches": int(len(in_file) - confirmed),
                                   "min_labels": min_labels, "before": name_m_probabilities(model)}
        new = retrain_from_store(engine, model, min_labels, voters=voters, labels=(feats, labels))
        if new is None:
            return summary
        backup = save_replacing(new, path)
        summary.update(retrained=True, backup=str(backup) if backup else None,
                       after=name_m_probabilities(new))
        return summary
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    """Add the matching commands to the ``targetshare`` app."""

    @app.command("link")
    def link(
        voters: Path = typer.Argument(..., exists=True, help="canonical voters CSV"),
        contacts: Path = typer.Argument(..., exists=True, help="canonical contacts CSV"),
        out: Path = typer.Option(..., "--out", help="matches CSV to write"),
        model: Path | None = typer.Option(None, "--model", exists=True, help="trained model JSON"),
        save_model: Path | None = typer.Option(None, "--save-model", help="write the trained model here"),
    ) -> None:
        """Match contacts to voters; trains the model on these files unless --model is given."""
        summary = link_files(voters, contacts, out, model, save_model)
        typer.echo(f"{summary['matched']} of {summary['contacts']} contacts matched → {out}")

    @app.command("match-eval")
    def match_eval(
        matches: Path = typer.Argument(..., exists=True, help="matches CSV from `targetshare link`"),
        truth: Path = typer.Argument(..., exists=True, help="truth CSV: contact_id (or position), voter_id"),
        chart: Path | None = typer.Option(None, "--chart", help="precision–recall chart (.png or .svg)"),
        as_json: bool = typer.Option(False, "--json", help="print figures as JSON"),
    ) -> None:
        """Precision, recall and F1 of matches against a truth file."""
        from targetshare.matching.evaluate import evaluate, pr_curve, read_truth, write_pr_chart

        found = pd.read_csv(matches, dtype={"contact_id": str, "voter_id": str}, keep_default_na=False)
        found["match_probability"] = pd.to_numeric(found["match_probability"], errors="coerce").fillna(0.0)
        known = read_truth(truth)
        figures = evaluate(found, known)
        if chart:
            write_pr_chart(pr_curve(found, known), chart)
            figures["chart"] = str(chart)
        if as_json:
            typer.echo(json.dumps(figures, indent=2))
            return
        for key, value in figures.items():
            typer.echo(f"{key:>12}: {value:.4f}" if isinstance(value, float) else f"{key:>12}: {value}")

    @app.command("rematch")
    def rematch(
        model: Path = typer.Option(..., "--model", exists=True, help="trained model JSON"),
        engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark"),
        database_url: str | None = typer.Option(None, "--database-url", help="store URL (default: settings)"),
    ) -> None:
        """Re-match every stored contact after a voter-file refresh (Splink batch)."""
        from targetshare.matching.batch import rematch_store, spark_available
        from targetshare.matching.model import MatchModel
        from targetshare.store.db import open_store

        if engine == "spark" and spark_available():
            raise TargetshareError(f"--engine spark unavailable: {spark_available()}")
        summary = rematch_store(open_store(database_url), MatchModel.load(model), engine)
        typer.echo(json.dumps(summary))

    @app.command("retrain")
    def retrain(
        min_labels: int = typer.Option(50, "--min-labels", min=1, help="confirmed matches needed to retrain"),
        cache_dir: Path | None = typer.Option(None, "--cache-dir", help="the web app's index cache folder "
                                              "(default: settings)"),
        database_url: str | None = typer.Option(None, "--database-url", help="store URL (default: settings)"),
    ) -> None:
        """Re-estimate the web app's match model from supporters' confirmations."""
        result = retrain_store_model(database_url, cache_dir, min_labels)
        counts = f"{result['confirmed']} confirmed matches, {result['not_matches']} known non-matches"
        if not result["retrained"]:
            typer.echo(f"too few labels to retrain: {counts}; need at least {min_labels} confirmed. "
                       f"Model unchanged ({result['path']}).")
            return
        typer.echo(f"retrained on {counts} (non-matches don't enter m) → {result['path']}")
        if result["backup"]:
            typer.echo(f"previous model kept as {result['backup']}")
        typer.echo(f"{'comparison':<16} {'level':<28} {'m before':>10} {'m after':>10}")
        for (comp, level), before in result["before"].items():
            after = result["after"].get((comp, level), float("nan"))
            typer.echo(f"{comp:<16} {level:<28} {before:>10.4f} {after:>10.4f}")
