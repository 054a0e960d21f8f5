"""The in-memory blocking index over the voter file, cached on disk as ``.npy`` files.

Per voter the index keeps only small integers, each in the narrowest dtype its values fit: codes
into dictionaries of distinct strings (first name, last name, city), a middle initial, ZIP, birth
year and month-day, the phone as an int64 of its digits and the e-mail as a 64-bit hash. Per
distinct name it keeps the nickname key, the Soundex code and the term frequency. Each blocking
rule is a sorted key array (the rule's columns packed bit-exactly, each in just the bits its
range of values needs: ``uint32`` when they fit, else ``uint64``) with the ``int32`` voter rows
in the same order, searched with ``np.searchsorted``.

The cache directory is keyed by the voter-file version and the model's nickname keys, and is
reused until either changes; arrays are memory-mapped on load.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from targetshare.matching.comparisons import BLOCKING_RULES, voter_features

__all__ = ["VoterIndex", "email_hash", "phone_int", "narrow", "BLOCK_KEY_COLUMNS"]

INDEX_FORMAT = 2
NULL = -1
# The columns a blocking rule may pack into one key (phones and e-mails are keys on their own).
BLOCK_KEY_COLUMNS = ("first_key", "last_name", "zip", "birth_year", "city", "last_sx", "first_sx")


def email_hash(email: str) -> int:
    """A non-zero signed 64-bit hash of an e-mail address (0 means no e-mail)."""
    value = int.from_bytes(hashlib.blake2b(email.encode(), digest_size=8).digest(), "little", signed=True)
    return value or 1


def phone_int(phone: str) -> int:
    """E.164 phone as an integer of its digits (-1 for none)."""
    digits = phone.lstrip("+")
    return int(digits) if digits.isdigit() else NULL


def narrow(values: np.ndarray) -> np.ndarray:
    """``values`` (integers, -1 for null) in the smallest signed dtype that holds them."""
    low = int(values.min()) if len(values) else 0
    high = int(values.max()) if len(values) else 0
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return values.astype(dtype)
    return values.astype(np.int64)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Narrow integer codes (-1 for null) and the dictionary of distinct strings."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return narrow(codes), np.array([str(u) for u in uniques], dtype=object)


def _per_code(vocab: np.ndarray, func) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``func(name)`` for each name in ``vocab``, and their own dictionary."""
    derived = pd.Series([func(v) or None for v in vocab], dtype=object)
    return _codes(derived)


@dataclass
class VoterIndex:
    arrays: dict[str, np.ndarray]
    vocab: dict[str, np.ndarray]
    meta: dict = field(default_factory=dict)
    _lookup: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------ build
    @classmethod
    def build(cls, voters: pd.DataFrame, name_keys: dict[str, str], version: str) -> VoterIndex:
        from targetshare.matching.comparisons import name_key, soundex

        started = time.perf_counter()
        feats = voter_features(voters, name_keys)
        a: dict[str, np.ndarray] = {}
        vocab: dict[str, np.ndarray] = {}
        for col in ("first_name", "last_name", "city"):
            a[col], vocab[col] = _codes(feats[col])
        a["first_key_of"], vocab["first_key"] = _per_code(vocab["first_name"], lambda n: name_key(n, name_keys))
        a["first_sx_of"], vocab["first_sx"] = _per_code(vocab["first_name"], soundex)
        a["last_sx_of"], vocab["last_sx"] = _per_code(vocab["last_name"], soundex)
        for col in ("first_name", "last_name", "city"):
            counts = np.bincount(a[col][a[col] >= 0], minlength=len(vocab[col]))
            a[f"tf_{col}"] = counts / max(counts.sum(), 1)
        mid = feats["middle_initial"].fillna("").to_numpy(str)
        a["middle_initial"] = np.array([ord(m) if m else NULL for m in mid], dtype=np.int8)
        a["zip"] = narrow(pd.to_numeric(feats["zip"], errors="coerce").fillna(NULL).to_numpy(np.int64))
        a["birth_year"] = feats["birth_year"].fillna(NULL).to_numpy(np.int16)
        md = feats["birth_md"].fillna("").str.replace("-", "")
        a["birth_md"] = pd.to_numeric(md, errors="coerce").fillna(NULL).to_numpy(np.int16)
        a["phone"] = feats["phones"].map(lambda p: phone_int(p[0]) if p else NULL).to_numpy(np.int64)
        a["email"] = feats["emails"].map(lambda e: email_hash(e[0]) if e else 0).to_numpy(np.int64)
        ids = feats["unique_id"].astype(str).str.encode("utf-8")
        a["voter_id"] = np.array(ids.tolist(), dtype=f"S{max(1, int(ids.str.len().max() or 1))}")
        index = cls(arrays=a, vocab=vocab, meta={"format": INDEX_FORMAT, "version": version,
                                                 "n_voters": len(feats)})
        index.meta["key_ranges"] = {c: index._range(c) for c in BLOCK_KEY_COLUMNS}
        for rule in BLOCKING_RULES:
            keys, rows = index._rule_keys_for_voters(rule)
            order = np.argsort(keys, kind="stable")
            a[f"keys_{_rule_name(rule)}"], a[f"rows_{_rule_name(rule)}"] = keys[order], rows[order]
        index.meta["build_seconds"] = round(time.perf_counter() - started, 3)
        return index

    def voter_column(self, col: str) -> np.ndarray:
        """Per-voter codes of a feature column (derived ones through the per-name tables)."""
        a = self.arrays
        if col == "first_key":
            return np.where(a["first_name"] >= 0, a["first_key_of"][a["first_name"]], NULL)
        if col == "first_sx":
            return np.where(a["first_name"] >= 0, a["first_sx_of"][a["first_name"]], NULL)
        if col == "last_sx":
            return np.where(a["last_name"] >= 0, a["last_sx_of"][a["last_name"]], NULL)
        return a[col]

    def _rule_keys_for_voters(self, rule: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        if rule in (("phones",), ("emails",)):
            values = self.arrays["phone" if rule[0] == "phones" else "email"]
            ok = values != (NULL if rule[0] == "phones" else 0)
            return values[ok].astype(np.uint64), np.flatnonzero(ok).astype(np.int32)
        keys, ok = self.pack(rule, [self.voter_column(c) for c in rule])
        return keys, np.flatnonzero(ok).astype(np.int32)

    def _range(self, col: str) -> tuple[int, int]:
        """Smallest value and bit width of a key column over the voters (nulls left out)."""
        values = self.voter_column(col)
        values = values[values >= 0]
        if len(values) == 0:
            return 0, 1
        low, high = int(values.min()), int(values.max())
        return low, max(1, (high - low).bit_length())

    def pack(self, rule: tuple[str, ...], cols: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Packed keys of the rows whose every column is non-null and within the voters' range,
        and that mask. Each column takes the bits its range needs; ``uint32`` when the rule's
        columns fit in 32 bits, else ``uint64`` (exact packing: no collisions)."""
        ranges = self.meta["key_ranges"]
        ok = np.ones(len(cols[0]), dtype=bool)
        shifted = []
        for name, values in zip(rule, cols, strict=True):
            low, bits = ranges[name]
            value = values.astype(np.int64) - low
            ok &= (values >= 0) & (value >= 0) & (value < (1 << bits))
            shifted.append((value, bits))
        total = sum(bits for _, bits in shifted)
        if total > 64:
            raise ValueError(f"blocking rule {rule} needs {total} bits")
        dtype = np.uint32 if total <= 32 else np.uint64
        key = np.zeros(int(ok.sum()), dtype=np.uint64)
        shift = 0
        for value, bits in shifted:
            key |= value[ok].astype(np.uint64) << np.uint64(shift)
            shift += bits
        return key.astype(dtype), ok

    # ------------------------------------------------------------ lookup
    def code(self, col: str, value: str | None) -> int:
        """Code of a string in a dictionary; -1 when null, -2 when absent from the voter file."""
        if not value:
            return NULL
        table = self._lookup.get(col)
        if table is None:
            table = {v: i for i, v in enumerate(self.vocab[col].tolist())}
            self._lookup[col] = table
        return table.get(value, -2)

    def candidates(self, rule: tuple[str, ...], keys: np.ndarray, owners: np.ndarray,
                   max_block: int) -> tuple[np.ndarray, np.ndarray]:
        """(owner, voter row) pairs whose voter has each key; blocks over ``max_block`` skipped."""
        sorted_keys = self.arrays[f"keys_{_rule_name(rule)}"]
        rows = self.arrays[f"rows_{_rule_name(rule)}"]
        keys = keys.astype(sorted_keys.dtype, copy=False)
        lo = np.searchsorted(sorted_keys, keys, "left")
        hi = np.searchsorted(sorted_keys, keys, "right")
        size = hi - lo
        keep = (size > 0) & (size <= max_block)
        lo, size, owners = lo[keep], size[keep], owners[keep]
        total = int(size.sum())
        if total == 0:
            return np.empty(0, np.int64), np.empty(0, np.int32)
        starts = np.repeat(lo - np.cumsum(size) + size, size)
        positions = starts + np.arange(total)
        return np.repeat(owners, size), rows[positions]

    # ------------------------------------------------------------ cache
    def nbytes(self) -> int:
        total = sum(a.nbytes for a in self.arrays.values())
        return total + sum(sum(len(s) + 8 for s in v) for v in self.vocab.values())

    def save(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name, arr in self.arrays.items():
            np.save(directory / f"{name}.npy", arr)
        for name, arr in self.vocab.items():
            np.save(directory / f"vocab_{name}.npy", arr.astype(str))
        (directory / "meta.json").write_text(json.dumps(self.meta))
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> VoterIndex:
        directory = Path(directory)
        meta = json.loads((directory / "meta.json").read_text())
        arrays, vocab = {}, {}
        for path in directory.glob("*.npy"):
            if path.stem.startswith("vocab_"):
                vocab[path.stem[6:]] = np.load(path).astype(object)
            else:
                arrays[path.stem] = np.load(path, mmap_mode="r").view(np.ndarray)
        return cls(arrays=arrays, vocab=vocab, meta=meta)

    @classmethod
    def cached(cls, voters_loader, name_keys: dict[str, str], version: str,
               cache_dir: str | Path) -> VoterIndex:
        """Load the index for ``version`` from ``cache_dir``, building (and saving) it if absent.

        ``voters_loader`` is a callable returning the voters DataFrame, called only on a miss.
        """
        digest = hashlib.sha256(json.dumps([version, sorted(name_keys.items()), INDEX_FORMAT,
                                            BLOCKING_RULES]).encode()).hexdigest()[:16]
        directory = Path(cache_dir) / f"voters-{digest}"
        if (directory / "meta.json").exists():
            return cls.load(directory)
        index = cls.build(voters_loader(), name_keys, version)
        tmp = directory.with_name(directory.name + f".tmp{time.time_ns()}")
        index.save(tmp)
        try:
            tmp.rename(directory)
        except OSError:  # another process won the race; use theirs
            pass
        return index


def _rule_name(rule: tuple[str, ...]) -> str:
    return "__".join(rule)
