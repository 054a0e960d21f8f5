"""Synthetic voters and contact books for the matcher's tests and benchmarks.

Names follow the 1990 census frequency lists shipped with ``targetshare.sim`` (read as data files
when present, a short built-in list otherwise), so term frequencies look like a real state file.
The contact books mimic phone exports: nicknames, typos, missing surnames, labels ("Mom"),
phones and e-mails on some, birthdays on a few, and contacts who are not voters at all.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["synthetic_voters", "synthetic_contacts"]

_DATA = Path(__file__).resolve().parents[1] / "sim" / "data"
_FALLBACK_FIRST = ("JAMES JOHN ROBERT MICHAEL WILLIAM DAVID RICHARD CHARLES JOSEPH THOMAS MARY "
                   "PATRICIA LINDA BARBARA ELIZABETH JENNIFER MARIA SUSAN MARGARET DOROTHY").split()
_FALLBACK_LAST = ("SMITH JOHNSON WILLIAMS JONES BROWN DAVIS MILLER WILSON MOORE TAYLOR ANDERSON "
                  "THOMAS JACKSON WHITE HARRIS MARTIN THOMPSON GARCIA MARTINEZ ROBINSON").split()
_FALLBACK_CITIES = [("RALEIGH", "27601"), ("DURHAM", "27701"), ("CHARLOTTE", "28202"),
                    ("GREENSBORO", "27401"), ("WILMINGTON", "28401")]
NICKS = {"WILLIAM": "BILL", "ROBERT": "BOB", "JAMES": "JIM", "RICHARD": "DICK", "MICHAEL": "MIKE",
         "ELIZABETH": "LIZ", "MARGARET": "PEGGY", "THOMAS": "TOM", "JOSEPH": "JOE",
         "CHRISTOPHER": "CHRIS", "JENNIFER": "JENNY", "PATRICIA": "PATTY", "DANIEL": "DAN",
         "KATHERINE": "KATE", "ANTHONY": "TONY", "DAVID": "DAVE", "CHARLES": "CHUCK",
         "SUSAN": "SUE", "DEBORAH": "DEBBIE", "REBECCA": "BECKY", "EDWARD": "ED"}
LABELS = ["MOM", "DAD", "PIZZA PLACE", "DENTIST", "PLUMBER", "WORK", "HOME", "BABE", "GRANDMA"]


def _read(name: str, cols: int) -> tuple[np.ndarray, np.ndarray] | None:
    path = _DATA / name
    if not path.exists():
        return None
    with gzip.open(path, "rt") as fh:
        frame = pd.read_csv(fh)
    frame = frame.groupby("name", as_index=False)["pct"].sum() if cols == 3 else frame
    weights = frame["pct"].to_numpy(float)
    return np.array(frame["name"].tolist()), weights / weights.sum()


def _places() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    path = _DATA / "nc_places.csv"
    if path.exists():
        frame = pd.read_csv(path, dtype={"zip_code": str})
        w = frame["weight"].to_numpy(float)
        return np.array(frame["city"].tolist()), np.array(frame["zip_code"].tolist()), w / w.sum()
    cities, zips = zip(*_FALLBACK_CITIES, strict=True)
    return np.array(cities), np.array(zips), np.full(len(cities), 1 / len(cities))


def synthetic_voters(n: int, seed: int = 0, phone_share: float = 0.3,
                     email_share: float = 0.1, birth_date_share: float = 0.0) -> pd.DataFrame:
    """``n`` voters in the canonical voter schema (already normalised)."""
    rng = np.random.default_rng(seed)
    first = _read("census1990_first.csv.gz", 3) or (np.array(_FALLBACK_FIRST), None)
    last = _read("census1990_last.csv.gz", 2) or (np.array(_FALLBACK_LAST), None)
    cities, zips, w = _places()
    place = rng.choice(len(cities), n, p=w)
    years = rng.integers(1935, 2006, n)
    month, day = rng.integers(1, 13, n), rng.integers(1, 29, n)
    ids = np.char.add("V", np.arange(n).astype(str))
    phones = np.char.add("+1919", rng.integers(2_000_000, 9_999_999, n).astype(str))
    phones = np.where(rng.random(n) < phone_share, phones, "")
    fn = rng.choice(first[0], n, p=first[1])
    ln = rng.choice(last[0], n, p=last[1])
    emails = np.char.add(np.char.add(np.char.lower(fn), "."), np.char.lower(ln))
    emails = np.char.add(np.char.add(emails, rng.integers(1, 999, n).astype(str)), "@example.com")
    dates = pd.to_datetime(pd.DataFrame({"year": years, "month": month, "day": day}))
    return pd.DataFrame({
        "voter_id": ids, "first_name": fn,
        "middle_name": rng.choice(np.array(list("ABCDEFGHJKLMNPRSTW") + [""]), n),
        "last_name": ln,
        "birth_date": np.where(rng.random(n) < birth_date_share, dates.dt.strftime("%Y-%m-%d"), ""),
        "birth_year": years, "gender": rng.choice(np.array(["M", "F"]), n),
        "street_address": "", "city": cities[place], "state": "NC", "zip": zips[place],
        "phone": phones, "email": np.where(rng.random(n) < email_share, emails, ""),
    })


def _typo(rng: np.random.Generator, name: str) -> str:
    if len(name) < 4:
        return name
    i = int(rng.integers(1, len(name) - 1))
    op = rng.integers(0, 3)
    if op == 0:
        return name[:i] + name[i + 1:]
    if op == 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + "AEIOURSTN"[int(rng.integers(0, 9))] + name[i + 1:]


def _contact_from_voter(rng: np.random.Generator, cid: str, v: dict) -> tuple[dict, str]:
    first, last = v["first_name"], v["last_name"]
    r = rng.random()
    if r < 0.25 and first in NICKS:
        first = NICKS[first]
    elif r < 0.32:
        first = _typo(rng, first)
    if rng.random() < 0.05:
        last = _typo(rng, last)
    kind = rng.choice(["name", "city", "phone", "birthday", "first_only"], p=[.3, .25, .25, .1, .1])
    c = {"contact_id": cid, "source": "synthetic", "given_name": first,
         "family_name": "" if kind == "first_only" else last, "phones": [], "emails": []}
    if kind == "city":
        c["city"] = v["city"]
    if kind == "phone":
        if v["phone"]:
            c["phones"] = [v["phone"]]
        elif v["email"]:
            c["emails"] = [v["email"]]
        else:
            kind = "name"
    if kind == "birthday":
        c["birthday"] = v["birth_date"] or f"{v['birth_year']}-01-01"
    c["display_name"] = f"{first} {c['family_name']}".strip()
    return c, str(kind)


def synthetic_contacts(voters: pd.DataFrame, n: int, seed: int = 1, voter_share: float = 0.6,
                       label_share: float = 0.1) -> tuple[list[dict], pd.DataFrame]:
    """``n`` contacts (canonical dicts) and their truth (contact_id, voter_id, carries)."""
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(voters), n, replace=False)
    contacts, truth = [], []
    first_pool, last_pool = voters["first_name"].to_numpy(), voters["last_name"].to_numpy()
    for i in range(n):
        cid, r = f"c{i + 1}", rng.random()
        if r < voter_share:
            v = voters.iloc[int(picks[i])].to_dict()
            c, kind = _contact_from_voter(rng, cid, v)
            truth.append((cid, v["voter_id"], kind))
        elif r < voter_share + label_share:
            label = str(rng.choice(LABELS))
            c = {"contact_id": cid, "source": "synthetic", "display_name": label.title(),
                 "given_name": label, "family_name": "", "phones": ["+1704" + str(rng.integers(2_000_000, 9_999_999))]}
            truth.append((cid, "", "label"))
        else:  # a real person who is not on this voter file: a plausible name, elsewhere
            c = {"contact_id": cid, "source": "synthetic",
                 "given_name": str(first_pool[rng.integers(len(first_pool))]),
                 "family_name": str(last_pool[rng.integers(len(last_pool))]),
                 "phones": ["+1212" + str(rng.integers(2_000_000, 9_999_999))]}
            truth.append((cid, "", "non_voter"))
        contacts.append(c)
    return contacts, pd.DataFrame(truth, columns=["contact_id", "voter_id", "carries"])
