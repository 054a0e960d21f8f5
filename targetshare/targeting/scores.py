"""Import of vendor-modeled scores (support, turnout, persuasion or uplift), one version per file.

A CSV keyed by voter id; columns are found by their usual names or named in a mapping YAML. Each
column's scale (0–1 or 0–100) is declared or detected (any value above 1 means 0–100). Bad rows
(missing id, unknown voter, not a number, out of range, duplicate id) are quarantined with line
number and reason; the good rows are stored in one transaction, so an import lands whole or not
at all. Importing the same file with the same mapping again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Engine, func, insert, select

from targetshare.errors import ConfigError, InputFileError
from targetshare.store.schema import score_imports, score_quarantine, scores, voters

__all__ = ["ScoreMapping", "ScoreImportResult", "import_scores", "load_mapping", "current_scores_version",
           "scores_for"]

SCORE_FIELDS = ("support", "turnout", "persuasion")
_GUESSES = {
    "voter_id": ["voter_id", "voterid", "ncid", "voter id", "state_voter_id", "sos_id", "id"],
    "support": ["support_score", "support", "candidate_support"],
    "turnout": ["turnout_score", "turnout", "turnout_propensity", "vote_propensity"],
    "persuasion": ["persuasion_score", "persuasion", "persuadability", "uplift_score", "uplift"],
}
_CHUNK = 5_000
Scale = Literal["auto", "0-1", "0-100"]


class ScoreMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: dict[Literal["voter_id", "support", "turnout", "persuasion"], str] = {}
    scale: Scale | dict[Literal["support", "turnout", "persuasion"], Scale] = "auto"
    persuasion_kind: Literal["persuadability", "uplift"] = "persuadability"

    def scale_of(self, name: str) -> Scale:
        return self.scale if isinstance(self.scale, str) else self.scale.get(name, "auto")  # type: ignore[call-overload]


@dataclass
class ScoreImportResult:
    version: int
    rows_read: int
    inserted: int
    quarantined: int
    scales: dict[str, str]
    reused: bool = False
    problems: list[tuple[int, str]] = field(default_factory=list)  # first few (line, reason)


def load_mapping(path: Path | None) -> ScoreMapping:
    if path is None:
        return ScoreMapping()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return ScoreMapping.model_validate(data)
    except OSError as exc:
        raise InputFileError(f"cannot read score mapping {path}: {exc}") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"score mapping {path} is invalid: {exc}") from exc


def _resolve_columns(header: list[str], mapping: ScoreMapping) -> dict[str, str | None]:
    lower = {h.strip().lower(): h for h in header}
    resolved: dict[str, str | None] = {}
    for name, guesses in _GUESSES.items():
        declared = mapping.columns.get(name)  # type: ignore[call-overload]
        if declared is not None:
            if declared not in header:
                raise InputFileError(f"mapped column {declared!r} for {name} is not in the file header")
            resolved[name] = declared
            continue
        resolved[name] = next((lower[g] for g in guesses if g in lower), None)
    missing = [n for n in ("voter_id", "support", "turnout") if resolved[n] is None]
    if missing:
        raise InputFileError(
            f"score file has no column for {', '.join(missing)}; header is {header}. "
            "Name the columns with --mapping (see docs/targeting.md)."
        )
    return resolved


@dataclass
class _Parsed:
    good: list[tuple[int, str, dict[str, float | None]]]
    bad: list[tuple[int, str, str]]
    rows_read: int


def _parse(path: Path, mapping: ScoreMapping) -> tuple[_Parsed, dict[str, str | None]]:
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputFileError(f"cannot read score file {path}: {exc}") from exc
    with fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            raise InputFileError(f"score file {path} is empty")
        cols = _resolve_columns(header, mapping)
        idx = {n: header.index(c) for n, c in cols.items() if c is not None}
        parsed = _Parsed([], [], 0)
        seen: set[str] = set()
        for line_no, row in enumerate(reader, start=2):
            parsed.rows_read += 1
            problem = _parse_row(row, idx, seen, line_no, parsed)
            if problem:
                parsed.bad.append((line_no, problem, ",".join(row)))
    return parsed, cols


def _parse_row(row: list[str], idx: dict[str, int], seen: set[str], line_no: int, parsed: _Parsed) -> str:
    if len(row) <= max(idx.values()):
        return f"expected at least {max(idx.values()) + 1} fields, found {len(row)}"
    voter_id = row[idx["voter_id"]].strip()
    if not voter_id:
        return "missing voter id"
    if len(voter_id) > 32:
        return "voter id longer than 32 characters"
    values: dict[str, float | None] = {}
    for name in SCORE_FIELDS:
        if name not in idx:
            values[name] = None
            continue
        text = row[idx[name]].strip()
        if not text and name == "persuasion":
            values[name] = None
            continue
        try:
            number = float(text)
        except ValueError:
            return f"{name} score {text!r} is not a number"
        if not math.isfinite(number):
            return f"{name} score {text!r} is not a finite number"
        values[name] = number
    if voter_id in seen:
        return f"duplicate voter id {voter_id} (first occurrence kept)"
    seen.add(voter_id)
    parsed.good.append((line_no, voter_id, values))
    return ""


def _detect_scales(parsed: _Parsed, mapping: ScoreMapping) -> dict[str, str]:
    scales: dict[str, str] = {}
    for name in SCORE_FIELDS:
        declared = mapping.scale_of(name)
        if declared != "auto":
            scales[name] = declared
            continue
        top = max((abs(v[name]) for _, _, v in parsed.good if v[name] is not None), default=0.0)
        scales[name] = "0-100" if top > 1.0 else "0-1"
    return scales


def _normalise(parsed: _Parsed, scales: dict[str, str], mapping: ScoreMapping) -> list[dict]:
    """Rescale to 0–1, moving out-of-range rows to ``parsed.bad``."""
    rows = []
    for line_no, voter_id, values in parsed.good:
        out: dict = {"voter_id": voter_id}
        problem = ""
        for name in SCORE_FIELDS:
            v = values[name]
            if v is None:
                out[name] = None
                continue
            top = 100.0 if scales[name] == "0-100" else 1.0
            low = -top if name == "persuasion" and mapping.persuasion_kind == "uplift" else 0.0
            if not low <= v <= top:
                problem = f"{name} score {v:g} is outside {low:g}..{top:g} ({scales[name]} scale)"
                break
            out[name] = v / top
        if problem or out["support"] is None or out["turnout"] is None:
            parsed.bad.append((line_no, problem or "support and turnout scores are required", voter_id))
            continue
        out["_line"] = line_no
        rows.append(out)
    return rows


def _known_voters(conn, ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        known.update(conn.execute(select(voters.c.voter_id).where(voters.c.voter_id.in_(chunk))).scalars())
    return known


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def import_scores(engine: Engine, path: Path, mapping: ScoreMapping | None = None) -> ScoreImportResult:
    """Import a score file as a new version (or return the existing one for the same file+mapping)."""
    path = Path(path)
    mapping = mapping or ScoreMapping()
    file_sha = _sha256(path) if path.exists() else ""
    mapping_json = mapping.model_dump(mode="json")
    mapping_sha = hashlib.sha256(json.dumps(mapping_json, sort_keys=True).encode()).hexdigest()
    with engine.connect() as conn:
        prior = conn.execute(select(score_imports).where(
            score_imports.c.file_sha256 == file_sha, score_imports.c.mapping_sha256 == mapping_sha,
            score_imports.c.status == "done").order_by(score_imports.c.id.desc())).first()
        if conn.execute(select(func.count()).select_from(voters)).scalar() == 0:
            raise InputFileError("the voter file is not loaded yet: import it before scores")
    if prior is not None:
        return ScoreImportResult(prior.id, prior.rows_read, prior.inserted, prior.quarantined,
                                 dict(prior.scales), reused=True)
    started = datetime.now()
    parsed, _ = _parse(path, mapping)
    scales = _detect_scales(parsed, mapping)
    rows = _normalise(parsed, scales, mapping)
    with engine.begin() as conn:
        known = _known_voters(conn, [r["voter_id"] for r in rows])
        kept = []
        for r in rows:
            line = r.pop("_line")
            if r["voter_id"] in known:
                kept.append(r)
            else:
                parsed.bad.append((line, f"voter id {r['voter_id']} is not in the voter file", r["voter_id"]))
        version = conn.execute(insert(score_imports).values(
            source=str(path), file_sha256=file_sha, mapping=mapping_json, mapping_sha256=mapping_sha,
            scales=scales, started_at=started, finished_at=datetime.now(), status="done",
            rows_read=parsed.rows_read, inserted=len(kept), quarantined=len(parsed.bad),
        )).inserted_primary_key[0]
        for start in range(0, len(kept), _CHUNK):
            conn.execute(insert(scores), [{**r, "version": version} for r in kept[start:start + _CHUNK]])
        bad = sorted(parsed.bad)
        for start in range(0, len(bad), _CHUNK):
            conn.execute(insert(score_quarantine), [
                {"import_id": version, "line_number": ln, "reason": why, "raw": raw[:2000]}
                for ln, why, raw in bad[start:start + _CHUNK]])
    return ScoreImportResult(version, parsed.rows_read, len(kept), len(bad), scales,
                             problems=[(ln, why) for ln, why, _ in bad[:10]])


def current_scores_version(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(func.max(score_imports.c.id)).where(score_imports.c.status == "done")).scalar()


def scores_for(conn, voter_ids: list[str], version: int | None) -> dict[str, tuple[float, float, float]]:
    """(support, turnout, persuasion) on 0–1 for the ids that have scores in ``version``."""
    if version is None or not voter_ids:
        return {}
    out: dict[str, tuple[float, float, float]] = {}
    for start in range(0, len(voter_ids), _CHUNK):
        chunk = voter_ids[start:start + _CHUNK]
        q = select(scores.c.voter_id, scores.c.support, scores.c.turnout, scores.c.persuasion).where(
            scores.c.version == version, scores.c.voter_id.in_(chunk))
        for row in conn.execute(q):
            out[row.voter_id] = (row.support, row.turnout, math.nan if row.persuasion is None else row.persuasion)
    return out
