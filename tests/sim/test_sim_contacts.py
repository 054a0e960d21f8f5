"""Contact exports look like real ones, carry real noise, and line up with truth/contacts.csv."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd

from targetshare.normalize import clean_name
from targetshare.sim.contacts import GOOGLE_HEADER


def _records(path) -> list[dict]:
    """Tiny independent readers: one dict (names, phone digits) per record, in file order."""
    if path.suffix == ".vcf":
        text = path.read_bytes().decode("utf-8").replace("\r\n ", "")
        out = []
        for card in text.split("BEGIN:VCARD\r\n")[1:]:
            fields = dict(line.split(":", 1) for line in card.split("\r\n") if ":" in line)
            n = fields.get("N", ";").split(";")
            tel = next((v for k, v in fields.items() if k.startswith("TEL")), "")
            out.append({"last": n[0], "first": n[1], "phone": re.sub(r"\D", "", tel)[-10:]})
        return out
    if path.suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8"))))
        return [{"last": r["Last Name"], "first": r["First Name"],
                 "phone": re.sub(r"\D", "", r["Phone 1 - Value"])[-10:]} for r in rows]
    friends = json.loads(path.read_text())["friends_v2"]
    names = [f["name"].encode("latin-1").decode("utf-8") for f in friends]
    return [{"first": n.split(" ")[0], "last": n.split(" ")[-1], "phone": ""} for n in names]


def test_formats_are_mixed_and_well_formed(sim_dir):
    files = sorted((sim_dir / "contacts").iterdir())
    assert len(files) == 16
    assert len({f.suffix for f in files}) >= 2
    for f in files:
        raw = f.read_bytes()
        if f.suffix == ".vcf":
            assert raw.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n")
            assert b"\n" not in raw.replace(b"\r\n", b"")
            assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
            assert raw.count(b"BEGIN:VCARD") == raw.count(b"END:VCARD")
        elif f.suffix == ".csv":
            assert raw.decode("utf-8").split("\r\n")[0].split(",") == GOOGLE_HEADER
        else:
            data = json.loads(raw)
            assert set(data) == {"friends_v2"}
            assert all(set(x) == {"name", "timestamp"} for x in data["friends_v2"])
            assert raw.isascii()


def test_truth_rows_match_records(sim_dir):
    truth = pd.read_csv(sim_dir / "truth" / "contacts.csv", dtype={"voter_id": str, "person_id": "Int64"})
    voters = pd.read_csv(sim_dir / "ncvoter.txt", sep="\t", dtype=str, encoding="cp1252",
                         keep_default_na=False).set_index("ncid")
    agree, checked = 0, 0
    for name, rows in truth.groupby("contacts_file"):
        records = _records(sim_dir / name)
        assert len(records) == len(rows)
        assert list(rows.position) == list(range(1, len(rows) + 1))
        for rec, (_, row) in zip(records, rows.iterrows(), strict=True):
            if isinstance(row.voter_id, str) and clean_name(rec["last"]):
                checked += 1
                agree += clean_name(rec["last"]) == voters.at[row.voter_id, "last_name"]
    assert checked > 500 and agree / checked > 0.7


def test_real_life_noise_is_present(sim_dir):
    truth = pd.read_csv(sim_dir / "truth" / "contacts.csv", dtype={"voter_id": str, "person_id": "Int64"})
    assert truth.person_id.isna().any()  # businesses
    assert (truth.person_id.notna() & truth.voter_id.isna()).mean() > 0.1  # unregistered / out of state
    assert truth.duplicated(["supporter_id", "person_id"]).any()  # the same friend twice
    text = "".join(p.read_bytes().decode("utf-8") for p in (sim_dir / "contacts").iterdir())
    assert "NICKNAME:" in text or ",Nickname," in text
    assert re.search(r"\b(Mom|Dad|Mama|Hubby|Wife|Husband)\b", text)
    assert re.search(r"[\U0001F300-\U0001FAFF]", text)  # emoji
    assert "\\u00" in text or "X-ABLabel" in text or "starred" in text
    sizes = truth.groupby("contacts_file").size()
    assert sizes.median() > 60 and sizes.max() > 2 * sizes.median()


def test_supporters_and_scores(sim_dir):
    sup = pd.read_csv(sim_dir / "supporters.csv")
    assert list(sup.columns) == ["supporter_id", "email", "first_name", "last_name", "voter_id", "contacts_file"]
    assert all((sim_dir / f).exists() for f in sup.contacts_file)
    people = pd.read_csv(sim_dir / "truth" / "people.csv", dtype={"voter_id": str})
    people = people[people.registered == 1].set_index("voter_id")
    assert (people.support.reindex(sup.voter_id) > 0.55).all()
    scores = pd.read_csv(sim_dir / "scores.csv")
    assert list(scores.columns) == ["voter_id", "support_score", "turnout_score", "persuasion_score"]
    assert scores.iloc[:, 1:].stack().between(0, 100).all()
    joined = scores.set_index("voter_id").join(people)
    assert joined.support_score.corr(joined.support) > 0.6
    assert joined.turnout_score.corr(joined.baseline_turnout) > 0.6


def test_ties_and_graph(sim_dir):
    ties = pd.read_csv(sim_dir / "truth" / "ties.csv")
    assert ties.tie_strength.between(0, 1).all()
    assert ties.groupby("relation").tie_strength.mean()["close_friend"] > ties.groupby(
        "relation").tie_strength.mean()["acquaintance"]
    graph = pd.read_csv(sim_dir / "truth" / "graph.csv")
    assert len(graph) >= len(ties)


def test_engine_parsers_read_every_export(sim_dir):
    """The contact area's parsers read each export, one contact per truth row (integration check)."""
    from targetshare.contacts import parse_file

    truth = pd.read_csv(sim_dir / "truth" / "contacts.csv")
    counts = truth.groupby("contacts_file").size()
    for name, expected in counts.items():
        assert len(parse_file(sim_dir / name)) == expected, name
