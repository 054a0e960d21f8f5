"""The comparisons of the match model, declared once as data.

Each comparison is a list of levels in a tiny vocabulary (``null``, ``eq``, ``jw``, ``overlap``,
``diff_le``, ``all_eq``, ``else``). From that one declaration we generate the Splink settings
(SQL conditions, DuckDB dialect) *and* the numpy evaluation in :mod:`targetshare.matching.scorer`,
so the real-time scorer and Splink cannot drift apart.

Records are first turned into *features* (:func:`voter_features`, :func:`contact_features`): the
cleaned columns plus derived keys (nickname group, Soundex, middle initial, birth month-day).
Both Splink and the scorer see the same features.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from targetshare.normalize import clean_city, clean_email, clean_name, clean_zip, parse_date

__all__ = [
    "COMPARISONS",
    "BLOCKING_RULES",
    "FEATURE_COLUMNS",
    "TF_COLUMNS",
    "comparison_sql",
    "contact_features",
    "contact_fields",
    "name_key",
    "name_keys",
    "settings_dict",
    "settings_for_dialect",
    "soundex",
    "term_frequencies",
    "voter_features",
]

JW_HIGH = 0.92
JW_LOW = 0.8

# Each level: kind, columns, optional threshold, label, default m-probability (used until EM or
# labels re-estimate it). ``tf`` marks the exact level that carries a term-frequency adjustment.
COMPARISONS: list[dict[str, Any]] = [
    {"name": "first_name", "levels": [
        {"kind": "null", "cols": ["first_name"], "label": "null"},
        {"kind": "eq", "cols": ["first_name"], "tf": True, "label": "exact", "m": 0.78},
        {"kind": "eq", "cols": ["first_key"], "label": "same nickname group", "m": 0.1},
        {"kind": "jw", "cols": ["first_name"], "thr": JW_HIGH, "label": f"jaro-winkler >= {JW_HIGH}", "m": 0.05},
        {"kind": "eq", "cols": ["first_sx"], "label": "same soundex", "m": 0.03},
        {"kind": "jw", "cols": ["first_name"], "thr": JW_LOW, "label": f"jaro-winkler >= {JW_LOW}", "m": 0.02},
        {"kind": "else", "cols": [], "label": "different", "m": 0.02},
    ]},
    {"name": "middle_initial", "levels": [
        {"kind": "null", "cols": ["middle_initial"], "label": "null"},
        {"kind": "eq", "cols": ["middle_initial"], "label": "same initial", "m": 0.9},
        {"kind": "else", "cols": [], "label": "different", "m": 0.1},
    ]},
    {"name": "last_name", "levels": [
        {"kind": "null", "cols": ["last_name"], "label": "null"},
        {"kind": "eq", "cols": ["last_name"], "tf": True, "label": "exact", "m": 0.88},
        {"kind": "jw", "cols": ["last_name"], "thr": JW_HIGH, "label": f"jaro-winkler >= {JW_HIGH}", "m": 0.05},
        {"kind": "eq", "cols": ["last_sx"], "label": "same soundex", "m": 0.02},
        {"kind": "jw", "cols": ["last_name"], "thr": JW_LOW, "label": f"jaro-winkler >= {JW_LOW}", "m": 0.02},
        {"kind": "else", "cols": [], "label": "different", "m": 0.03},
    ]},
    {"name": "phone", "levels": [
        {"kind": "null", "cols": ["phones"], "label": "null"},
        {"kind": "overlap", "cols": ["phones"], "label": "a phone in common", "m": 0.8},
        {"kind": "else", "cols": [], "label": "different", "m": 0.2},
    ]},
    {"name": "email", "levels": [
        {"kind": "null", "cols": ["emails"], "label": "null"},
        {"kind": "overlap", "cols": ["emails"], "label": "an email in common", "m": 0.7},
        {"kind": "else", "cols": [], "label": "different", "m": 0.3},
    ]},
    {"name": "city", "levels": [
        {"kind": "null", "cols": ["city"], "label": "null"},
        {"kind": "eq", "cols": ["city"], "tf": True, "label": "exact", "m": 0.8},
        {"kind": "jw", "cols": ["city"], "thr": 0.9, "label": "jaro-winkler >= 0.9", "m": 0.05},
        {"kind": "else", "cols": [], "label": "different", "m": 0.15},
    ]},
    {"name": "zip", "levels": [
        {"kind": "null", "cols": ["zip"], "label": "null"},
        {"kind": "eq", "cols": ["zip"], "label": "exact", "m": 0.7},
        {"kind": "else", "cols": [], "label": "different", "m": 0.3},
    ]},
    {"name": "birth", "levels": [
        {"kind": "null_pairs", "cols": ["birth_year", "birth_md"], "label": "null"},
        {"kind": "all_eq", "cols": ["birth_year", "birth_md"], "label": "same date", "m": 0.6},
        {"kind": "eq", "cols": ["birth_md"], "label": "same birthday", "m": 0.2},
        {"kind": "eq", "cols": ["birth_year"], "label": "same year", "m": 0.12},
        {"kind": "diff_le", "cols": ["birth_year"], "thr": 1, "label": "year within 1", "m": 0.05},
        {"kind": "else", "cols": [], "label": "different", "m": 0.03},
    ]},
]

TF_COLUMNS = ("first_name", "last_name", "city")
# Contacts rarely carry these, and a supporter's copy of a friend's phone, e-mail or town is often
# stale, so EM on contact pairs would over-fit them: their m stays at the defaults above until
# supporters' confirmations re-estimate them (:func:`~targetshare.matching.model.retrain_with_labels`).
FIXED_M_COMPARISONS = frozenset({"middle_initial", "phone", "email", "city", "zip", "birth"})
TF_MINIMUM_U = 1e-6

# Blocking rules: equi-joins on feature columns (``phones``/``emails`` are exploded lists).
BLOCKING_RULES: list[tuple[str, ...]] = [
    ("first_key", "last_name"),
    ("phones",),
    ("emails",),
    ("last_name", "birth_year"),
    ("last_name", "zip"),
    ("first_key", "zip"),
    ("last_name", "city"),
    ("first_key", "city", "last_sx"),
    ("first_key", "city"),
    ("zip", "first_sx"),
    ("zip", "last_sx"),
]

FEATURE_COLUMNS = [
    "unique_id", "first_name", "first_key", "first_sx", "middle_initial", "last_name", "last_sx",
    "phones", "emails", "city", "zip", "birth_year", "birth_md",
]


# Functions whose names differ between Splink's backends (Splink runs condition text as written).
_DIALECT_FUNCTIONS = {
    "duckdb": {"jw": "jaro_winkler_similarity", "overlap": "list_has_any"},
    "spark": {"jw": "jaro_winkler", "overlap": "arrays_overlap"},  # jaro_winkler: Splink's jar
}


def comparison_sql(level: Mapping[str, Any], dialect: str = "duckdb") -> str:
    """The Splink SQL condition of one level (DuckDB dialect unless ``dialect="spark"``)."""
    fn = _DIALECT_FUNCTIONS[dialect]
    kind, cols = level["kind"], level["cols"]
    if kind == "else":
        return "ELSE"
    if kind == "null":
        return f"{cols[0]}_l IS NULL OR {cols[0]}_r IS NULL"
    if kind == "null_pairs":
        return " AND ".join(f"({c}_l IS NULL OR {c}_r IS NULL)" for c in cols)
    if kind == "eq":
        return f"{cols[0]}_l = {cols[0]}_r"
    if kind == "all_eq":
        return " AND ".join(f"{c}_l = {c}_r" for c in cols)
    if kind == "jw":
        return f"{fn['jw']}({cols[0]}_l, {cols[0]}_r) >= {level['thr']}"
    if kind == "overlap":
        return f"{fn['overlap']}({cols[0]}_l, {cols[0]}_r)"
    if kind == "diff_le":
        return f"abs({cols[0]}_l - {cols[0]}_r) <= {level['thr']}"
    raise ValueError(f"unknown level kind {kind!r}")


def settings_for_dialect(settings: Mapping[str, Any], dialect: str) -> dict[str, Any]:
    """A copy of trained Splink settings with every level's condition written for ``dialect``."""
    import copy

    out = copy.deepcopy(dict(settings))
    for spec, comp in zip(COMPARISONS, out["comparisons"], strict=True):
        for level_spec, level in zip(spec["levels"], comp["comparison_levels"], strict=True):
            level["sql_condition"] = comparison_sql(level_spec, dialect)
    return out


def _level_dict(level: Mapping[str, Any], fix_m: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"sql_condition": comparison_sql(level), "label_for_charts": level["label"]}
    if level["kind"] in ("null", "null_pairs"):
        out["is_null_level"] = True
        return out
    out["m_probability"] = level["m"]
    if fix_m:
        out["fix_m_probability"] = True
    if level.get("tf"):
        out["tf_adjustment_column"] = level["cols"][0]
        out["tf_adjustment_weight"] = 1.0
        out["tf_minimum_u_value"] = TF_MINIMUM_U
    return out


def _blocking_rule_dict(cols: tuple[str, ...]) -> dict[str, Any]:
    rule: dict[str, Any] = {"blocking_rule": " AND ".join(f'l."{c}" = r."{c}"' for c in cols)}
    lists = [c for c in cols if c in ("phones", "emails")]
    if lists:
        rule["arrays_to_explode"] = lists
    return rule


def settings_dict(prior: float, link_type: str = "link_only") -> dict[str, Any]:
    """A Splink settings dictionary (untrained: default m, no u) for these comparisons."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": [
            {
                "output_column_name": comp["name"],
                "comparison_description": comp["name"],
                "comparison_levels": [_level_dict(lv, comp["name"] in FIXED_M_COMPARISONS)
                                      for lv in comp["levels"]],
            }
            for comp in COMPARISONS
        ],
        "blocking_rules_to_generate_predictions": [_blocking_rule_dict(r) for r in BLOCKING_RULES],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
    }


# ---------------------------------------------------------------- derived keys

_SOUNDEX = {c: d for d, letters in
            {"1": "BFPV", "2": "CGJKQSXZ", "3": "DT", "4": "L", "5": "MN", "6": "R"}.items()
            for c in letters}


@lru_cache(maxsize=200_000)
def soundex(name: str) -> str:
    """American Soundex of an upper-case name ("" for no letters)."""
    letters = re.sub(r"[^A-Z]", "", name)
    if not letters:
        return ""
    out, last = letters[0], _SOUNDEX.get(letters[0], "")
    for ch in letters[1:]:
        code = _SOUNDEX.get(ch, "")
        if code and code != last:
            out += code
            if len(out) == 4:
                break
        if ch not in "HW":
            last = code
    return out.ljust(4, "0")


@lru_cache(maxsize=1)
def _formal_names() -> dict[str, frozenset[str]]:
    """Upper-case name → the formal names it is a nickname of (``nicknames`` package)."""
    from nicknames import NickNamer

    return {nick.upper(): frozenset(f.upper() for f in formals)
            for nick, formals in NickNamer().canonical_lookup.items()}


def name_keys(first_name_counts: Mapping[str, int]) -> dict[str, str]:
    """Nickname-group keys learnt from how often each given name occurs in the voter file.

    A name maps to the most frequent of itself and its formal names (BILL → WILLIAM rather than
    WILLIS or ROBERT, because more voters are called William); ties keep the name itself. Only names
    whose key differs are listed; :func:`name_key` falls back to the name.
    """
    keys: dict[str, str] = {}
    for nick, formals in _formal_names().items():
        best = max(sorted(formals | {nick}),
                   key=lambda f: (first_name_counts.get(f, 0), f == nick))
        if best != nick:
            keys[nick] = best
    return keys


def name_key(first: str, keys: Mapping[str, str]) -> str:
    """Nickname-group key of a given name under ``keys`` (from :func:`name_keys`)."""
    return keys.get(first, first) if first else ""


# ---------------------------------------------------------------- features

def _name_features(first: str, middle: str, last: str, keys: Mapping[str, str]) -> dict[str, Any]:
    first, middle, last = clean_name(first), clean_name(middle), clean_name(last)
    return {
        "first_name": first or None,
        "first_key": name_key(first, keys) or None,
        "first_sx": soundex(first) or None,
        "middle_initial": middle[:1] or None,
        "last_name": last or None,
        "last_sx": soundex(last) or None,
    }


def _year(value: Any) -> int | None:
    try:
        year = int(float(value))
    except (TypeError, ValueError):
        return None
    return year if 1880 <= year <= 2100 else None


def _birth_parts(birthday: str) -> tuple[int | None, str | None]:
    text = (birthday or "").strip()
    if re.fullmatch(r"--\d\d-\d\d", text):
        return None, text[2:]
    parsed = parse_date(text) if text else None
    if parsed is None:
        return None, None
    return parsed.year, parsed.strftime("%m-%d")


def _list(values: Iterable[str], clean) -> list[str] | None:
    out = sorted({v for v in (clean(x) for x in values) if v})
    return out or None


def _map_unique(series: pd.Series, func) -> pd.Series:
    """Apply ``func`` once per distinct value (voter files repeat names a lot)."""
    codes, uniques = pd.factorize(series.fillna("").astype(str), sort=False)
    mapped = pd.Series([func(u) for u in uniques], dtype=object)
    out = mapped.iloc[codes].reset_index(drop=True) if len(uniques) else pd.Series([None] * len(series), dtype=object)
    return out.where(out.astype(bool), None) if len(out) else out


def _col(voters: pd.DataFrame, name: str) -> pd.Series:
    if name in voters.columns:
        return voters[name].reset_index(drop=True)
    return pd.Series([""] * len(voters), dtype=object)


def _voter_birth(voters: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Birth year (``birth_year``, else the year of ``birth_date``) and month-day of voters."""
    dates = _col(voters, "birth_date").fillna("").astype(str)
    codes, uniques = pd.factorize(dates, sort=False)
    parts = [_birth_parts(u) for u in uniques]
    date_year = pd.Series([p[0] for p in parts], dtype="Float64").iloc[codes].reset_index(drop=True)
    md = pd.Series([p[1] for p in parts], dtype=object).iloc[codes].reset_index(drop=True)
    years = pd.to_numeric(_col(voters, "birth_year"), errors="coerce").astype("Float64")
    years = years.where(years.between(1880, 2100), date_year)
    return years.round().astype("Int64"), md


def voter_features(voters: pd.DataFrame, keys: Mapping[str, str]) -> pd.DataFrame:
    """Feature frame of voters (canonical voter columns in, :data:`FEATURE_COLUMNS` out)."""
    first = _map_unique(_col(voters, "first_name"), clean_name)
    last = _map_unique(_col(voters, "last_name"), clean_name)
    phone = _map_unique(_col(voters, "phone"), lambda v: v.strip())
    email = _map_unique(_col(voters, "email"), clean_email)
    years, md = _voter_birth(voters)
    feats = pd.DataFrame({
        "unique_id": _col(voters, "voter_id").astype(str),
        "first_name": first,
        "first_key": _map_unique(first, lambda v: name_key(v, keys)),
        "first_sx": _map_unique(first, soundex),
        "middle_initial": _map_unique(_col(voters, "middle_name"), lambda v: clean_name(v)[:1]),
        "last_name": last,
        "last_sx": _map_unique(last, soundex),
        "phones": phone.map(lambda v: [v] if v else None),
        "emails": email.map(lambda v: [v] if v else None),
        "city": _map_unique(_col(voters, "city"), clean_city),
        "zip": _map_unique(_col(voters, "zip"), clean_zip),
        "birth_year": years,
        "birth_md": md,
    })
    return feats[FEATURE_COLUMNS]


def _split_display_name(name: str) -> tuple[str, str]:
    parts = clean_name(name).split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return parts[0], parts[-1]


def contact_fields(rec: Mapping[str, Any]) -> tuple:
    """The raw fields of one canonical contact dict that matching reads, before cleaning:
    ``(given, middle, family, phones, emails, city, zip, birthday, birth_year)``.

    Shared by :func:`contact_features` (Splink's input) and the real-time encoder, which cleans
    each distinct value once (:mod:`targetshare.matching.encode`).
    """
    given = rec.get("given_name") or rec.get("first_name") or ""
    family = rec.get("family_name") or rec.get("last_name") or ""
    if not given and not family:
        given, family = _split_display_name(rec.get("display_name") or rec.get("name") or "")
    if not given and rec.get("nickname"):
        given = rec["nickname"]
    phones = rec.get("phones") or []
    emails = rec.get("emails") or []
    if isinstance(phones, str):
        phones = phones.split(";")
    if isinstance(emails, str):
        emails = emails.split(";")
    return (given, rec.get("middle_name") or "", family, phones, emails, rec.get("city") or "",
            rec.get("zip") or "", rec.get("birthday") or "", rec.get("birth_year"))


def contact_features(contacts: Iterable[Mapping[str, Any]], keys: Mapping[str, str]) -> pd.DataFrame:
    """Feature frame of contacts given as dicts in the canonical contact schema."""
    from targetshare.normalize import phone_e164

    rows = []
    for rec in contacts:
        given, middle, family, phones, emails, city, zip_code, birthday, birth_year = contact_fields(rec)
        feats = _name_features(given, middle, family, keys)
        year, md = _birth_parts(birthday)
        feats.update({
            "unique_id": str(rec["contact_id"]),
            "phones": _list(phones, phone_e164),
            "emails": _list(emails, clean_email),
            "city": clean_city(city) or None,
            "zip": clean_zip(zip_code) or None,
            "birth_year": _year(birth_year) or year,
            "birth_md": md,
        })
        rows.append(feats)
    frame = pd.DataFrame(rows, columns=FEATURE_COLUMNS)
    frame["birth_year"] = frame["birth_year"].astype("Int64")
    return frame


def term_frequencies(voter_feats: pd.DataFrame, column: str) -> pd.Series:
    """Share of non-null voter values equal to each value (Splink's ``tf_`` definition)."""
    counts = voter_feats[column].dropna().value_counts()
    return counts / counts.sum()
