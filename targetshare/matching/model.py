"""Train, save and explain the Fellegi–Sunter match model (Splink 5 does the training).

* u-probabilities: random sampling of voter pairs (a dedupe linker over the voter file alone);
* m-probabilities: EM on contact-versus-voter candidate pairs, when contacts are given;
  re-estimated from supporters' confirmations with :func:`retrain_with_labels`;
* prior: ``match_rate / n_voters`` — one contact matches at most one of the ``n_voters`` voters.

The saved JSON holds the Splink settings (reloadable by ``splink.Linker``), the nickname keys
learnt from the voter file and the voter-file version the model belongs to.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from targetshare.matching.comparisons import (
    COMPARISONS,
    TF_COLUMNS,
    name_keys,
    settings_dict,
    term_frequencies,
)

__all__ = ["MatchModel", "CompiledModel", "train_model", "retrain_with_labels", "register_tf_tables",
           "splink_linker", "weights_table"]

FORMAT = "targetshare-match-model/1"
PROB_FLOOR = 1e-6
log = logging.getLogger(__name__)


@dataclass
class CompiledLevel:
    kind: str
    cols: list[str]
    thr: float | None
    weight: float  # log2(m/u); 0 for the null level
    tf_col: str | None = None
    tf_log2_u: float = 0.0  # log2(u of the exact level) for the TF adjustment
    tf_min_u: float = 0.0
    tf_weight: float = 1.0


@dataclass
class CompiledModel:
    """What the real-time scorer needs: the prior weight and each level's weight."""

    prior_weight: float
    comparisons: list[tuple[str, list[CompiledLevel]]]


@dataclass
class MatchModel:
    settings: dict[str, Any]
    voter_file_version: str
    name_keys: dict[str, str]
    n_voters: int
    match_rate: float = 0.5
    training: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "voter_file_version": self.voter_file_version,
                "n_voters": self.n_voters, "match_rate": self.match_rate,
                "training": self.training, "name_keys": self.name_keys,
                "splink_settings": self.settings}

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True))
        return path

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatchModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a targetshare match model (format {data.get('format')!r})")
        return cls(settings=data["splink_settings"], voter_file_version=data["voter_file_version"],
                   name_keys=data["name_keys"], n_voters=data["n_voters"],
                   match_rate=data.get("match_rate", 0.5), training=data.get("training", {}))

    @classmethod
    def load(cls, path: str | Path) -> MatchModel:
        return cls.from_json(json.loads(Path(path).read_text()))

    def splink_settings_object(self):
        from splink import SettingsCreator

        return SettingsCreator.from_path_or_dict(dict(self.settings)).get_settings("duckdb")

    def compile(self) -> CompiledModel:
        """Weights exactly as Splink computes them (read from Splink's own settings object)."""
        from splink.internals.misc import prob_to_match_weight

        settings = self.splink_settings_object()
        comps = []
        for spec, comp in zip(COMPARISONS, settings.comparisons, strict=True):
            levels = comp.comparison_levels
            compiled = []
            for lv_spec, lv in zip(spec["levels"], levels, strict=True):
                level = CompiledLevel(kind=lv_spec["kind"], cols=lv_spec["cols"],
                                      thr=lv_spec.get("thr"), weight=float(lv._match_weight))
                if lv._has_tf_adjustments and not lv.is_null_level:
                    level.tf_col = lv_spec["cols"][0]
                    level.tf_log2_u = math.log2(lv._u_probability_corresponding_to_exact_match(levels))
                    level.tf_min_u = float(lv._tf_minimum_u_value)
                    level.tf_weight = float(lv._tf_adjustment_weight)
                compiled.append(level)
            comps.append((spec["name"], compiled))
        prior = settings._probability_two_random_records_match
        return CompiledModel(prior_weight=prob_to_match_weight(prior), comparisons=comps)


def register_tf_tables(linker, voter_feats: pd.DataFrame) -> None:
    """Give Splink the voter-file term frequencies (so training, prediction and the real-time
    scorer all use the same ``tf`` values, whatever the contacts are)."""
    for col in TF_COLUMNS:
        tf = term_frequencies(voter_feats, col)
        table = pd.DataFrame({col: tf.index.astype(str), f"tf_{col}": tf.to_numpy("float64")})
        sdf = linker._db_api.register(table, table_name=f"tf_lookup_{col}")
        linker.table_management.register_term_frequency_lookup(sdf, col)


def _clamp_probabilities(settings: dict[str, Any]) -> None:
    """Keep every m and u in [1e-6, 1] so no weight is infinite (unseen levels get the floor)."""
    for comp in settings["comparisons"]:
        for level in comp["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                level[key] = PROB_FLOOR if value is None or value < PROB_FLOOR else min(value, 1.0)


def _quiet_splink() -> None:
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _estimate_u(voter_feats: pd.DataFrame, prior: float, max_pairs: float, seed: int) -> dict:
    from splink import DuckDBAPI, Linker

    db = DuckDBAPI()
    sdf = db.register(voter_feats, table_name="voters_u")
    linker = Linker(sdf, settings_dict(prior, link_type="dedupe_only"), log_level=None)
    register_tf_tables(linker, voter_feats)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    return linker.misc.save_model_to_json()


def splink_linker(settings: dict[str, Any], voter_feats: pd.DataFrame,
                  contact_feats: pd.DataFrame, db_api=None):
    """A Splink link_only linker over contact and voter features, TF from the voter file."""
    from splink import DuckDBAPI, Linker

    db = db_api or DuckDBAPI()
    contacts = db.register(contact_feats, table_name="contacts")
    voters = db.register(voter_feats, table_name="voters")
    settings = dict(settings, link_type="link_only")
    linker = Linker([contacts, voters], settings, log_level=None)
    register_tf_tables(linker, voter_feats)
    return linker, contacts, voters


EM_BLOCKS = (("first_key", "last_name"), ("last_name", "city"))


def _estimate_m_by_em(settings: dict, voter_feats: pd.DataFrame,
                      contact_feats: pd.DataFrame) -> tuple[dict, list[str]]:
    from splink import block_on

    linker, _, _ = splink_linker(settings, voter_feats, contact_feats)
    done = []
    for cols in EM_BLOCKS:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*cols), record_sample_proportion=1.0)
            done.append("+".join(cols))
        except Exception as exc:  # noqa: BLE001 - EM can fail on tiny or degenerate samples
            log.warning("EM blocked on %s skipped: %s", cols, exc)
    return linker.misc.save_model_to_json(), done


def train_model(voters: pd.DataFrame, contacts: pd.DataFrame | None = None, *,
                voter_file_version: str, match_rate: float = 0.5, min_contacts_for_em: int = 200,
                u_max_pairs: float = 1e6, seed: int = 42) -> MatchModel:
    """Train on canonical voters (DataFrame) and optionally contact *features*' source dicts.

    ``contacts`` is a list-like of canonical contact dicts or a DataFrame of them; EM runs only
    with at least ``min_contacts_for_em`` contacts, otherwise the default m-probabilities stay.
    """
    from targetshare.matching.comparisons import contact_features, voter_features

    _quiet_splink()
    counts = voters["first_name"].fillna("").astype(str).str.upper().value_counts().to_dict()
    keys = name_keys(counts)
    voter_feats = voter_features(voters, keys)
    n_voters = len(voter_feats)
    prior = min(0.5, match_rate / max(n_voters, 1))
    settings = _estimate_u(voter_feats, prior, u_max_pairs, seed)
    training: dict[str, Any] = {"u": f"random sampling, max_pairs={u_max_pairs:g}", "m": "defaults"}
    if contacts is not None and len(contacts) >= min_contacts_for_em:
        records = contacts.to_dict("records") if isinstance(contacts, pd.DataFrame) else contacts
        contact_feats = contact_features(records, keys)
        _clamp_probabilities(settings)
        settings, done = _estimate_m_by_em(settings, voter_feats, contact_feats)
        training["m"] = f"EM on {len(contact_feats)} contacts blocked on {', '.join(done) or 'none'}"
    settings["probability_two_random_records_match"] = prior
    settings["link_type"] = "link_only"
    _clamp_probabilities(settings)
    return MatchModel(settings=settings, voter_file_version=voter_file_version, name_keys=keys,
                      n_voters=n_voters, match_rate=match_rate, training=training)


def retrain_with_labels(model: MatchModel, voter_feats: pd.DataFrame,
                        contact_feats: pd.DataFrame, labels: pd.DataFrame,
                        min_labels: int = 50) -> MatchModel:
    """Re-estimate m from supporters' confirmations.

    ``labels`` has ``contact_id, voter_id, is_match`` (1 = "yes, that's my friend", 0 = "not my
    friend"). Below ``min_labels`` confirmed pairs the model is returned unchanged.

    m is P(level | match), so only the confirmed pairs estimate it; the ``is_match == 0`` rows are
    left out (Splink's ``estimate_m_from_pairwise_labels`` ignores ``clerical_match_score`` and
    would count every row it is given as a match). Levels no confirmed pair falls in keep their m.
    """
    confirmed = labels[labels["is_match"].astype(int) == 1]
    if len(confirmed) < min_labels:
        return model
    linker, contacts, voters = splink_linker(model.settings, voter_feats, contact_feats)
    table = pd.DataFrame({
        "source_dataset_l": contacts.templated_name, "unique_id_l": confirmed["contact_id"].astype(str),
        "source_dataset_r": voters.templated_name, "unique_id_r": confirmed["voter_id"].astype(str),
        "clerical_match_score": 1.0,
    })
    labels_sdf = linker._db_api.register(table, table_name="labels")
    linker.training.estimate_m_from_pairwise_labels(labels_sdf)
    settings = linker.misc.save_model_to_json()
    settings["probability_two_random_records_match"] = model.settings["probability_two_random_records_match"]
    _clamp_probabilities(settings)
    training = dict(model.training, m=f"pairwise labels ({len(confirmed)} confirmed)")
    return MatchModel(settings=settings, voter_file_version=model.voter_file_version,
                      name_keys=model.name_keys, n_voters=model.n_voters,
                      match_rate=model.match_rate, training=training)


def weights_table(model: MatchModel) -> str:
    """Markdown table of every comparison level with its m, u and match weight."""
    settings = model.splink_settings_object()
    lines = ["| comparison | level | m | u | weight (log2 m/u) | TF |", "|---|---|---|---|---|---|"]
    for spec, comp in zip(COMPARISONS, settings.comparisons, strict=True):
        for lv_spec, lv in zip(spec["levels"], comp.comparison_levels, strict=True):
            if lv.is_null_level:
                lines.append(f"| {spec['name']} | {lv_spec['label']} | | | 0 | |")
                continue
            tf = "yes" if lv._has_tf_adjustments else ""
            lines.append(f"| {spec['name']} | {lv_spec['label']} | {lv.m_probability:.4g} | "
                         f"{lv.u_probability:.4g} | {lv._match_weight:+.2f} | {tf} |")
    prior = settings._probability_two_random_records_match
    lines.append(f"\nPrior: P(match) = {prior:.3g} per contact–voter pair "
                 f"({model.match_rate} / {model.n_voters} voters).")
    return "\n".join(lines)
