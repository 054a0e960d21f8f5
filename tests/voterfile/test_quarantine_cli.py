"""Rejected rows: every one quarantined with line and reason, counted, shown by the CLI."""

from __future__ import annotations

import csv
import json

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from targetshare.errors import InputFileError
from targetshare.store.schema import quarantine
from targetshare.voterfile import import_voter_file
from targetshare.voterfile.commands import register

from .ncsbe_files import CURRENT, HISTORY, vote, voter, write


def _bad_files(tmp_path):
    vfile = write(tmp_path / "ncvoter.txt", CURRENT, [
        voter("OK1"),                                  # line 2
        voter(""),                                     # 3 missing ncid
        voter("B2", last=""),                          # 4 missing last name
        voter("B3", registr_dt="31/31/2004"),          # 5 unparseable date
        voter("B4", birth_year="19x0"),                # 6 bad birth year
        "92\tWAKE\t1\tB5\tSHORT",                      # 7 wrong field count
        voter("OK1", "OTHER"),                         # 8 duplicate ncid
        voter("OK2", "Peña"),                          # 9
        voter("B6", birth_year="2999"),                # 10 birth year in the future
    ])  # fmt: skip
    hfile = write(tmp_path / "ncvhis.txt", HISTORY, [
        vote("OK1"), vote("NOPE"), vote("OK2", when="13/45/2020"), vote("OK2", when=""),
    ])  # fmt: skip
    return vfile, hfile


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps "voters" a sub-command
    return app


def test_every_rejected_row_is_quarantined_with_line_and_reason(engine, tmp_path):
    vfile, hfile = _bad_files(tmp_path)
    result = import_voter_file(vfile, hfile, engine=engine, quarantine_dir=tmp_path / "q")
    assert (result.rows_read, result.inserted, result.history_rows) == (9, 2, 1)
    assert result.quarantined == 7 + 3
    with engine.connect() as conn:
        rows = conn.execute(select(quarantine).order_by(quarantine.c.id)).mappings().all()
    got = [(r["file"].rsplit("/", 1)[-1], r["line_number"], r["reason"].split(":")[0]) for r in rows]
    assert got == [
        ("ncvoter.txt", 3, "missing voter id"),
        ("ncvoter.txt", 4, "missing last name"),
        ("ncvoter.txt", 5, "unparseable registration date"),
        ("ncvoter.txt", 6, "bad birth year"),
        ("ncvoter.txt", 7, "wrong field count"),
        ("ncvoter.txt", 8, "duplicate voter id in file"),
        ("ncvoter.txt", 10, "bad birth year"),
        ("ncvhis.txt", 3, "history row for unknown voter"),
        ("ncvhis.txt", 4, "unparseable election date"),
        ("ncvhis.txt", 5, "missing election date"),
    ]
    assert all(r["import_id"] == result.import_id and r["raw"] for r in rows)
    assert "(first at line 2)" in rows[5]["reason"]
    with open(result.quarantine_file, newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [(int(r["line_number"]), r["reason"]) for r in written] == [
        (r["line_number"], r["reason"]) for r in rows
    ]
    assert result.reasons["bad birth year"] == 2


def test_cli_import_and_stats_json(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("TARGETSHARE_QUARANTINE_DIR", str(tmp_path / "q"))
    vfile, hfile = _bad_files(tmp_path)
    runner = CliRunner()
    out = runner.invoke(_app(), ["voters", "import", str(vfile), "--history", str(hfile),
                                 "--database-url", db_url, "--json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["quarantined"] == 10
    out = runner.invoke(_app(), ["voters", "stats", "--json", "--database-url", db_url])
    assert out.exit_code == 0, out.output
    stats = json.loads(out.stdout)
    assert {k: stats[k] for k in ("voters", "history_rows", "quarantined", "households", "imports")} == {
        "voters": 2, "history_rows": 1, "quarantined": 10, "households": 1, "imports": 1}  # fmt: skip
    assert stats["last_import"]["quarantined"] == 10
    assert list((tmp_path / "q").glob("import-*.csv"))
    out = runner.invoke(_app(), ["voters", "import", str(vfile), "--database-url", db_url])
    assert out.exit_code == 0, out.output  # the progress-bar path
    assert "unchanged" in out.stdout


def test_cli_via_python_m_targetshare(tmp_path):
    import subprocess
    import sys

    vfile, _ = _bad_files(tmp_path)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"TARGETSHARE_QUARANTINE_DIR": str(tmp_path / "q"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "targetshare", "voters", "import", str(vfile),
                           "--database-url", url, "--json"], capture_output=True, text=True, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "targetshare", "voters", "stats", "--json",
                           "--database-url", url], capture_output=True, text=True, env=env)  # fmt: skip
    assert json.loads(done.stdout)["quarantined"] == 7
    missing = subprocess.run([sys.executable, "-m", "targetshare", "voters", "import",
                              str(tmp_path / "nope.txt"), "--database-url", url],
                             capture_output=True, text=True, env=env)  # fmt: skip
    assert missing.returncode == 1 and "not found" in missing.stderr and "Traceback" not in missing.stderr


def test_clear_errors_for_unreadable_inputs(sqlite_engine, tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        import_voter_file(tmp_path / "missing.txt", engine=sqlite_engine)
    other = tmp_path / "contacts.csv"
    other.write_text("name,phone\nAnn,555\n")
    with pytest.raises(InputFileError, match="not an NCSBE voter file.*ncid"):
        import_voter_file(other, engine=sqlite_engine)
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(InputFileError, match="empty"):
        import_voter_file(tmp_path / "empty.txt", engine=sqlite_engine)
    vfile, _ = _bad_files(tmp_path)
    with pytest.raises(InputFileError, match="vote-history"):
        import_voter_file(vfile, history=vfile, engine=sqlite_engine)
    with pytest.raises(InputFileError, match="needs --mapping"):
        import_voter_file(vfile, format="csv", engine=sqlite_engine)
