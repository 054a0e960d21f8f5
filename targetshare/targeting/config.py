"""The campaign's targeting configuration: a YAML file, validated, versioned in the store.

``docs/targeting.md`` documents every key with an example. Score bounds in the universe are on
the 0–100 scale whatever scale the vendor delivered (scores are stored as 0–1).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from functools import lru_cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import Engine, func, insert, select

from targetshare.errors import ConfigError
from targetshare.store.schema import targeting_configs

__all__ = [
    "TargetingConfig",
    "Universe",
    "GeographyWeights",
    "StoredConfig",
    "parse_config",
    "save_config",
    "current_config",
    "DEFAULT_CONFIG_YAML",
]

GEOGRAPHY_FIELDS = ("county", "state", "city", "zip", "congressional_district",
                    "state_senate_district", "state_house_district", "precinct", "municipality")

DEFAULT_CONFIG_YAML = "goals: {turnout: 1.0}\n"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Universe(_Strict):
    """Which voters may be targeted at all. Unset rules do not filter."""

    support: tuple[float, float] | None = None  # 0–100 bounds, inclusive
    turnout: tuple[float, float] | None = None
    persuasion: tuple[float, float] | None = None
    counties: list[str] | None = None
    states: list[str] | None = None
    cities: list[str] | None = None
    zips: list[str] | None = None
    congressional_districts: list[str] | None = None
    state_senate_districts: list[str] | None = None
    state_house_districts: list[str] | None = None
    min_elections_voted: int | None = Field(None, ge=0)
    max_elections_voted: int | None = Field(None, ge=0)
    recent_elections: int = Field(4, ge=1, le=20)
    statuses: list[str] | None = None  # registration status, e.g. [A] or [A, I]
    min_age: int | None = Field(None, ge=0)
    max_age: int | None = Field(None, ge=0)

    @field_validator("support", "turnout", "persuasion")
    @classmethod
    def _bounds(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is None:
            return value
        low, high = value
        if not (0 <= low <= high <= 100):
            raise ValueError(f"must be [low, high] with 0 <= low <= high <= 100 (0–100 scale), got {list(value)}")
        return value

    @model_validator(mode="after")
    def _ranges(self) -> Universe:
        pairs = [("min_elections_voted", "max_elections_voted"), ("min_age", "max_age")]
        for low, high in pairs:
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"{low} ({lo}) is greater than {high} ({hi})")
        return self


class GeographyWeights(_Strict):
    """Multiplies each target's value by the weight of its area ("Wake first, Durham second")."""

    by: Literal[GEOGRAPHY_FIELDS] = "county"  # type: ignore[valid-type]
    weights: dict[str, float] = Field(default_factory=dict)
    default: float = Field(1.0, ge=0)

    @field_validator("weights")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k, w in value.items() if w < 0]
        if bad:
            raise ValueError(f"weights must be >= 0; negative for {', '.join(map(str, bad))}")
        return {str(k).strip().upper(): float(w) for k, w in value.items()}


class TargetingConfig(_Strict):
    goals: dict[Literal["turnout", "persuasion"], float] = Field(default_factory=lambda: {"turnout": 1.0})
    universe: Universe = Field(default_factory=Universe)
    geography_weights: GeographyWeights | None = None
    asks_per_supporter: int = Field(5, ge=1, le=50)
    max_asks_per_target: int = Field(3, ge=1, le=100)
    holdout_share: float = Field(0.10, ge=0.0, lt=1.0)
    content: dict[Literal["turnout", "persuasion"], str] = Field(default_factory=dict)
    turnout_effect: float = Field(0.083, gt=0, le=1)  # Schein et al. 2021 CACE, midterm
    turnout_uplift: Literal["mid_propensity", "conversion"] = "mid_propensity"
    persuasion_effect: float = Field(0.02, gt=0, le=1)

    @field_validator("goals")
    @classmethod
    def _goal_weights(cls, value: dict[str, float]) -> dict[str, float]:
        if not value:
            raise ValueError("name at least one goal: turnout, persuasion or both, each with a weight")
        if any(w < 0 for w in value.values()):
            raise ValueError("goal weights must be >= 0")
        if sum(value.values()) <= 0:
            raise ValueError("at least one goal weight must be > 0")
        return value

    @model_validator(mode="after")
    def _content_for_goals(self) -> TargetingConfig:
        extra = set(self.content) - set(self.goals)
        if extra:
            raise ValueError(f"content names goal(s) not in goals: {', '.join(sorted(extra))}")
        return self

    def goal_weight(self, goal: str) -> float:
        return float(self.goals.get(goal, 0.0))  # type: ignore[call-overload]


class StoredConfig(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    version: int
    salt: str
    yaml_text: str
    config: TargetingConfig


def _format_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (see docs/targeting.md for the keys)"
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)


@lru_cache(maxsize=64)
def parse_config(text: str) -> TargetingConfig:
    """Validate YAML text into a TargetingConfig; any problem raises ConfigError naming the key."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"targeting config is not valid YAML: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("targeting config must be a YAML mapping of keys (goals, universe, ...)")
    try:
        return TargetingConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"targeting config is invalid: {_format_errors(exc)}") from exc


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def save_config(engine: Engine, text: str) -> StoredConfig:
    """Validate and store a new version; an identical text to the current version stores nothing.

    The holdout salt is drawn once, for the first version, and carried to later versions, so a
    target's holdout assignment never depends on which version was current when it was made.
    """
    config = parse_config(text)
    current = current_config(engine, default=False)
    if current is not None and _sha(current.yaml_text) == _sha(text):
        return current
    salt = current.salt if current is not None else secrets.token_hex(16)
    with engine.begin() as conn:
        version = conn.execute(
            insert(targeting_configs).values(
                yaml=text, yaml_sha256=_sha(text), salt=salt, created_at=datetime.now()
            )
        ).inserted_primary_key[0]
    return StoredConfig(version=version, salt=salt, yaml_text=text, config=config)


def current_config(engine: Engine, default: bool = True) -> StoredConfig | None:
    """The latest stored version. With none stored: ``default`` stores the built-in default
    (``goals: {turnout: 1.0}``) as version 1 and returns it; otherwise None."""
    with engine.connect() as conn:
        latest = select(func.max(targeting_configs.c.version)).scalar_subquery()
        row = conn.execute(
            select(targeting_configs.c.version, targeting_configs.c.yaml, targeting_configs.c.salt).where(
                targeting_configs.c.version == latest
            )
        ).first()
    if row is None:
        return save_config(engine, DEFAULT_CONFIG_YAML) if default else None
    return StoredConfig(version=row.version, salt=row.salt, yaml_text=row.yaml, config=parse_config(row.yaml))
