"""Census name frequencies, nicknames, typos and the encodings real exports get wrong.

Names are kept as integer indices into two tables (first names, last names) so a population of
millions costs a few bytes a person; strings are built only when a chunk is written.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from nicknames import NickNamer

__all__ = ["NameTables", "name_tables", "nickname_for", "typo", "facebook_mojibake"]


@dataclass(frozen=True)
class NameTables:
    """First names (female block, then male block) and last names with their census weights."""

    first: np.ndarray  # object array of upper-case names
    first_sex: np.ndarray  # "F" / "M"
    female_p: np.ndarray  # probabilities over the female block
    male_p: np.ndarray  # probabilities over the male block
    n_female: int
    last: np.ndarray
    last_p: np.ndarray

    def sample_first(self, rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
        """Indices into ``first`` for each sex code (``F``, ``M``, or ``U`` drawn 50/50)."""
        out = np.empty(len(sex), dtype=np.int32)
        is_f = sex == "F"
        is_u = sex == "U"
        is_f = is_f | (is_u & (rng.random(len(sex)) < 0.5))
        nf = int(is_f.sum())
        out[is_f] = rng.choice(self.n_female, size=nf, p=self.female_p)
        out[~is_f] = self.n_female + rng.choice(len(self.male_p), size=len(sex) - nf, p=self.male_p)
        return out

    def sample_last(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Indices into ``last`` by census frequency."""
        return rng.choice(len(self.last), size=n, p=self.last_p).astype(np.int32)


def _read_gz_csv(name: str) -> pd.DataFrame:
    ref = resources.files("targetshare.sim") / "data" / name
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="ascii") as text:
        return pd.read_csv(text, keep_default_na=False, dtype={"name": str})


@lru_cache(maxsize=1)
def name_tables() -> NameTables:
    """Load the 1990 census name tables shipped in ``targetshare/sim/data``."""
    first = _read_gz_csv("census1990_first.csv.gz")
    female = first[first.sex == "F"]
    male = first[first.sex == "M"]
    last = _read_gz_csv("census1990_last.csv.gz")
    return NameTables(
        first=np.concatenate([female.name.to_numpy(), male.name.to_numpy()]).astype(object),
        first_sex=np.array(["F"] * len(female) + ["M"] * len(male)),
        female_p=(female.pct / female.pct.sum()).to_numpy(),
        male_p=(male.pct / male.pct.sum()).to_numpy(),
        n_female=len(female),
        last=last.name.to_numpy().astype(object),
        last_p=(last.pct / last.pct.sum()).to_numpy(),
    )


@lru_cache(maxsize=1)
def _namer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=20000)
def _common_nicknames(first: str) -> tuple[str, ...]:
    """Short, common nicknames of a first name (the package also lists archaic ones)."""
    nicks = _namer().nicknames_of(first.lower())
    keep = sorted(n for n in nicks if 2 < len(n) <= 6 and n[0] == first[0].lower())
    return tuple(n.capitalize() for n in keep)


def nickname_for(first: str, rng: np.random.Generator) -> str | None:
    """A nickname a friend would save (``Bob`` for ``Robert``), or None when there is none."""
    nicks = _common_nicknames(first)
    if not nicks:
        return None
    return nicks[int(rng.integers(len(nicks)))]


_KEYBOARD_NEIGHBOURS = {
    "a": "sq", "e": "wr", "i": "uo", "o": "ip", "n": "bm", "r": "et", "s": "ad", "t": "ry",
    "l": "k", "h": "gj", "c": "xv", "m": "n", "y": "tu", "d": "sf",
}


def typo(text: str, rng: np.random.Generator) -> str:
    """One realistic typing slip: a dropped, doubled, swapped or neighbouring letter."""
    if len(text) < 4:
        return text
    pos = int(rng.integers(1, len(text) - 1))
    kind = int(rng.integers(4))
    if kind == 0:
        return text[:pos] + text[pos + 1 :]
    if kind == 1:
        return text[:pos] + text[pos] + text[pos:]
    if kind == 2:
        return text[: pos - 1] + text[pos] + text[pos - 1] + text[pos + 1 :]
    near = _KEYBOARD_NEIGHBOURS.get(text[pos].lower())
    if not near:
        return text[:pos] + text[pos + 1 :]
    repl = near[int(rng.integers(len(near)))]
    return text[:pos] + (repl.upper() if text[pos].isupper() else repl) + text[pos + 1 :]


def facebook_mojibake(text: str) -> str:
    """Encode text as Facebook's "Download your information" JSON does.

    Facebook writes each UTF-8 byte as its own ``\\u00XX`` escape, so ``José`` appears as
    ``Jos\\u00c3\\u00a9`` and readers must re-encode as latin-1 and decode as UTF-8.
    Returning the latin-1 reading of the UTF-8 bytes makes ``json.dumps`` write exactly that.
    """
    return text.encode("utf-8").decode("latin-1")


def title_case(name: str) -> str:
    """``MCDONALD`` → ``Mcdonald`` style casing as people type names into a phone."""
    return "-".join(part.capitalize() for part in name.split("-"))
