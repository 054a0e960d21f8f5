"""kill -9 in the middle of an import leaves the previous import intact and readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import func, select

from targetshare.store.db import open_store
from targetshare.store.schema import voters
from targetshare.voterfile import import_voter_file, voter_stats

from .ncsbe_files import CURRENT, voter, write

CHILD = textwrap.dedent("""
    import sys, time
    from targetshare.voterfile import import_voter_file

    def progress(phase, done, total, rows):
        print(phase, rows, flush=True)
        time.sleep(0.05)

    import_voter_file(sys.argv[1], database_url=sys.argv[2], quarantine_dir=sys.argv[3],
                      chunk_size=200, progress=progress)
    print("finished", flush=True)
""")


def _parties(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(voters.c.party, func.count()).group_by(voters.c.party)).all()
    return dict(rows)


def _import_and_kill(path, db_url: str, tmp_path, while_running=lambda: True) -> None:
    """Start importing ``path`` in a child process, wait until it has written a few chunks, check
    ``while_running()`` (what a reader sees meanwhile), then kill -9 it."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), db_url, str(tmp_path / "q")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        progressed = [child.stdout.readline() for _ in range(4)]
        assert all(line.startswith("voters") for line in progressed), (progressed, child.stderr.read())
        assert while_running()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()


def test_kill_9_mid_import_keeps_previous_state(db_url, tmp_path):
    engine = open_store(db_url)
    first = write(tmp_path / "v1.txt", CURRENT, [voter(f"K{i}") for i in range(3000)])
    import_voter_file(first, engine=engine, quarantine_dir=tmp_path / "q")
    second = write(tmp_path / "v2.txt", CURRENT, [voter(f"K{i}", party_cd="UNA") for i in range(5000)])
    _import_and_kill(second, db_url, tmp_path, while_running=lambda: _parties(engine) == {"DEM": 3000})
    engine.dispose()

    reopened = open_store(db_url)
    assert _parties(reopened) == {"DEM": 3000}
    stats = voter_stats(engine=reopened)
    assert (stats["voters"], stats["imports"], stats["households"]) == (3000, 1, 1)
    again = import_voter_file(second, engine=reopened, quarantine_dir=tmp_path / "q")
    assert (again.inserted, again.updated, again.unchanged) == (2000, 3000, 0)
    assert _parties(reopened) == {"UNA": 5000}
    reopened.dispose()


def _voter_indexes(engine) -> set[str]:
    from sqlalchemy import inspect

    return {ix["name"] for ix in inspect(engine).get_indexes("voters")}


def test_kill_9_during_a_first_import_leaves_an_empty_store_with_its_indexes(db_url, tmp_path):
    """A first import into an empty store rebuilds the voters' indexes at its end; killed
    before that, the store is still empty and every index is still there."""
    engine = open_store(db_url)
    indexes = _voter_indexes(engine)
    assert {"ix_voters_last_first", "ix_voters_phone", "ix_voters_household"} <= indexes
    first = write(tmp_path / "v1.txt", CURRENT, [voter(f"K{i}") for i in range(5000)])
    _import_and_kill(first, db_url, tmp_path)
    engine.dispose()

    reopened = open_store(db_url)
    assert _voter_indexes(reopened) == indexes
    assert voter_stats(engine=reopened)["voters"] == 0
    import_voter_file(first, engine=reopened, quarantine_dir=tmp_path / "q")
    assert _voter_indexes(reopened) == indexes
    assert _parties(reopened) == {"DEM": 5000}
    reopened.dispose()
