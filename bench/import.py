"""Benchmark: import a simulated statewide NCSBE voter file (ncvoter + ncvhis).

``targetshare bench import --json [--voters 1000000] [--history 1] [--reimport 1]
[--database-url URL] [--source sim|plain]`` writes the files (``targetshare sim`` by default,
or the plain generator below), then imports them in a child process and reports the
wall time, rows per second and the child's peak RSS. File generation is not timed.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from targetshare.sim.ncsbe import NCVHIS_COLUMNS, NCVOTER_COLUMNS

CHILD = """
import json, resource, sys, time
from targetshare.voterfile import import_voter_file
t = time.perf_counter()
r = import_voter_file(sys.argv[1], history=sys.argv[2] or None, database_url=sys.argv[3],
                      quarantine_dir=sys.argv[4])
out = r.as_dict()
out["wall_s"] = time.perf_counter() - t
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

# The layout is the simulator's (the real current NCSBE columns): one list, not two copies.
HEADER = NCVOTER_COLUMNS
HISTORY_HEADER = NCVHIS_COLUMNS
ELECTIONS = [("11/03/2020", "11/03/2020 GENERAL", 0.75), ("11/08/2022", "11/08/2022 GENERAL", 0.5),
             ("03/05/2024", "03/05/2024 PRIMARY", 0.25), ("11/05/2024", "11/05/2024 GENERAL", 0.7)]  # fmt: skip
LAST = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "PEÑA",
        "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR",
        "MOORE", "JACKSON", "MARTIN", "LEE", "THOMPSON", "WHITE", "HARRIS", "CLARK", "O'NEIL"]  # fmt: skip
FIRST = ["JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA", "DAVID",
         "ELIZABETH", "WILLIAM", "BARBARA", "JOSÉ", "SUSAN", "JOSEPH", "JESSICA", "KAREN", "SARAH"]  # fmt: skip
STREETS = ["MAIN ST", "OAK AVE", "PINE RD", "MAPLE DR", "CEDAR LN", "ELM ST", "WALNUT CT", "HIGHWAY 55"]


def _generate(folder: Path, voters: int, seed: int = 7) -> tuple[Path, Path]:
    """A plain current-layout ncvoter/ncvhis pair (cp1252), about 2.2 votes per voter."""
    rng = random.Random(seed)
    width = len(HEADER)
    col = {name: i for i, name in enumerate(HEADER)}
    vpath, hpath = folder / "ncvoter.txt", folder / "ncvhis.txt"
    with open(vpath, "w", encoding="cp1252", newline="") as vout, \
            open(hpath, "w", encoding="cp1252", newline="") as hout:  # fmt: skip
        vout.write("\t".join(HEADER) + "\r\n")
        hout.write("\t".join(HISTORY_HEADER) + "\r\n")
        for i in range(voters):
            county = 1 + i % 100
            row = [""] * width
            ncid = f"AA{i:08d}"
            household = i // 2  # two or so voters per address
            row[col["county_id"]], row[col["county_desc"]] = str(county), f"COUNTY{county}"
            row[col["voter_reg_num"]], row[col["ncid"]] = str(i), ncid
            row[col["last_name"]], row[col["first_name"]] = rng.choice(LAST), rng.choice(FIRST)
            row[col["middle_name"]] = rng.choice(FIRST)
            row[col["status_cd"]], row[col["voter_status_desc"]] = "A", "ACTIVE"
            row[col["res_street_address"]] = f"{household % 9000 + 1} {STREETS[household % 8]}"
            row[col["res_city_desc"]], row[col["state_cd"]] = f"TOWN {household % 700}", "NC"
            row[col["zip_code"]] = str(27000 + household % 900)
            row[col["full_phone_number"]] = f"919{rng.randrange(2000000, 9999999)}" if i % 5 == 0 else ""
            row[col["confidential_ind"]] = "N"
            row[col["registr_dt"]] = f"{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}/{rng.randrange(1970, 2024)}"
            row[col["race_code"]], row[col["ethnic_code"]] = rng.choice("WBAIMOU"), rng.choice(["NL", "HL", "UN"])
            row[col["party_cd"]], row[col["gender_code"]] = rng.choice(["DEM", "REP", "UNA", "LIB"]), rng.choice("MFU")
            year = rng.randrange(1930, 2006)
            row[col["birth_year"]], row[col["age_at_year_end"]] = str(year), str(2025 - year)
            row[col["precinct_abbrv"]], row[col["cong_dist_abbrv"]] = f"P{county:03d}", str(county % 14 + 1)
            vout.write("\t".join(row) + "\r\n")
            for date, desc, p in ELECTIONS:
                if rng.random() < p:
                    hout.write(f"{county}\tCOUNTY{county}\t{i}\t{date}\t{desc}\tIN-PERSON\t"
                               f"{row[col['party_cd']]}\t\tP{county:03d}\t\t{ncid}\t{county}\t\t\t\r\n")  # fmt: skip
    return vpath, hpath


def _files(folder: Path, voters: int, source: str) -> tuple[Path, Path, str]:
    """The files to import: from ``targetshare sim`` (``source="sim"``) or the plain generator."""
    if source == "sim":
        subprocess.run([sys.executable, "-m", "targetshare", "sim", "--out", str(folder),
                        "--voters", str(voters)], check=True, capture_output=True)  # fmt: skip
        return folder / "ncvoter.txt", folder / "ncvhis.txt", "targetshare sim"
    return (*_generate(folder, voters), "bench/import.py generator")


def _child_import(vpath: Path, hpath: Path | None, url: str, folder: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(vpath), str(hpath or ""), url, str(folder / "quarantine")],
        capture_output=True, text=True, check=False,
    )
    if done.returncode:
        raise RuntimeError(f"import failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(voters: int = 1_000_000, history: int = 1, reimport: int = 1, database_url: str = "",
        source: str = "sim", **_) -> dict:
    """Generate, import (timed, in a child process), optionally re-import; return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        vpath, hpath, source = _files(folder, int(voters), source)
        generate_s = time.perf_counter() - started
        url = database_url or f"sqlite:///{folder / 'bench.db'}"
        first = _child_import(vpath, hpath if history else None, url, folder)
        figures = {
            "voters": int(voters),
            "files_from": source,
            "file_mb": round(vpath.stat().st_size / 2**20, 1),
            "history_file_mb": round(hpath.stat().st_size / 2**20, 1) if history else 0,
            "generate_s": round(generate_s, 1),
            "backend": url.split(":", 1)[0],
            "seconds": round(first["wall_s"], 1),
            "rows": first["rows_read"] + first["history_read"],
            "rows_per_s": round((first["rows_read"] + first["history_read"]) / first["wall_s"]),
            "voter_rows": first["rows_read"],
            "history_rows": first["history_read"],
            "quarantined": first["quarantined"],
            "peak_rss_mb": round(first["peak_rss_mb"]),
        }
        if reimport:
            again = _child_import(vpath, hpath if history else None, url, folder)
            figures.update(reimport_seconds=round(again["wall_s"], 1),
                           reimport_unchanged=again["unchanged"],
                           reimport_peak_rss_mb=round(again["peak_rss_mb"]))  # fmt: skip
        if url.startswith("sqlite"):
            figures["db_mb"] = round((folder / "bench.db").stat().st_size / 2**20, 1)
        return figures
