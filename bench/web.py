"""Web benchmark: ``targetshare bench web [--voters N] [--uploads N] [--seconds S] --json``.

1. Upload → five suggestions, server time: for ``uploads`` supporters, 500 contacts each (drawn
   from the simulated exports) go through ``ingest_contacts`` (matching, storing matched,
   targeting, asks) and ``cards_for`` (the five cards), in-process, timed per upload; p50/p95.
   The matcher's one-off build (index + model, cached on disk) is reported separately.
2. Friend's page ``/s/{token}``: uvicorn in its own process on loopback (no access log), loaded by
   ``wrk`` (Debian) for ``seconds`` with ``connections`` connections rotating over the sent
   share tokens; requests/s and p50/p99 latency. Bounded: loopback only, fixed duration.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN_SERVER = """
import sys, uvicorn
from targetshare.settings import get_settings
from targetshare.web import create_app
app = create_app(get_settings(database_url=sys.argv[1], mode="demo", index_cache_dir=sys.argv[3]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""

LUA = """
tokens = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/s/" .. tokens[(i %% #tokens) + 1])
end
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _build_store(work: Path, voters: int, seed: int) -> tuple[str, Path]:
    from targetshare.sharing import seed_demo_content
    from targetshare.sim import simulate
    from targetshare.store.db import open_store
    from targetshare.targeting.scores import import_scores
    from targetshare.voterfile import import_voter_file

    world = work / "world"
    simulate(world, voters=voters, seed=seed, progress=False)
    url = f"sqlite:///{work / 'store.db'}"
    engine = open_store(url)
    import_voter_file(world / "ncvoter.txt", world / "ncvhis.txt", engine=engine, quarantine_dir=work / "q")
    import_scores(engine, world / "scores.csv")
    seed_demo_content(engine)
    engine.dispose()
    return url, world


def _contact_pool(world: Path) -> list[dict]:
    from targetshare.contacts import parse_file

    pool = []
    for path in sorted((world / "contacts").iterdir()):
        pool.extend(c.to_dict() for c in parse_file(path))
    return pool


def _upload_timings(url: str, world: Path, cache: Path, uploads: int, per_upload: int, seed: int) -> dict:
    from targetshare.settings import get_settings
    from targetshare.store.db import open_store
    from targetshare.web.accounts import sign_in_or_create
    from targetshare.web.asks import cards_for
    from targetshare.web.services import Pipeline, ingest_contacts

    settings = get_settings(database_url=url, mode="demo", index_cache_dir=str(cache))
    engine = open_store(url)
    pipeline = Pipeline(engine, settings)
    start = time.perf_counter()
    pipeline.matcher()
    build_s = time.perf_counter() - start
    pool = _contact_pool(world)
    rng = random.Random(seed)
    times, matched, cards = [], [], []
    for n in range(uploads):
        sid = sign_in_or_create(engine, f"bench{n}@example.org")
        records = [dict(r, contact_id=f"{n}:{i}") for i, r in enumerate(rng.sample(pool, min(per_upload, len(pool))))]
        t0 = time.perf_counter()
        summary = ingest_contacts(engine, pipeline, settings, sid, records)
        shown = cards_for(engine, sid, settings.base_url)
        times.append((time.perf_counter() - t0) * 1000)
        matched.append(summary["matched"])
        cards.append(len(shown))
    engine.dispose()
    return {
        "matcher_build_s": round(build_s, 2),
        "contacts_per_upload": per_upload,
        "uploads": uploads,
        "upload_ms_p50": round(_percentile(times, 0.5), 1),
        "upload_ms_p95": round(_percentile(times, 0.95), 1),
        "upload_ms_max": round(max(times), 1),
        "matched_per_upload_mean": round(sum(matched) / len(matched), 1),
        "cards_per_upload_min": min(cards),
    }


def _tokens(url: str, limit: int = 200) -> list[str]:
    from sqlalchemy import select

    from targetshare.store import schema
    from targetshare.store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        tokens = conn.execute(select(schema.asks.c.share_token).limit(limit)).scalars().all()
    engine.dispose()
    return list(tokens)


def _wrk_ms(text: str, label: str) -> float | None:
    found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not found:
        return None
    value, unit = float(found.group(1)), found.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _friend_load(url: str, cache: Path, work: Path, seconds: int, connections: int) -> dict:
    if not shutil.which("wrk"):
        return {"friend_page": "skipped: wrk not installed (apt-get install -y wrk)"}
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tokens = _tokens(url)
    script = work / "tokens.lua"
    script.write_text(LUA % ", ".join(f'"{t}"' for t in tokens))
    server = subprocess.Popen([sys.executable, "-c", RUN_SERVER, url, str(port), str(cache)])
    try:
        import httpx

        for _ in range(200):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/s/{tokens[0]}", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        for token in tokens:  # first opens write a row; the load measures the steady state
            httpx.get(f"http://127.0.0.1:{port}/s/{token}", timeout=5)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
             f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=seconds + 30,
        ).stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "friend_rps": float(rps.group(1)) if rps else None,
        "friend_ms_p50": _wrk_ms(out, "50"),
        "friend_ms_p99": _wrk_ms(out, "99"),
        "friend_non_2xx": int(errors.group(1)) if errors else 0,
        "friend_tokens": len(tokens),
        "friend_connections": connections,
        "friend_seconds": seconds,
        "server": "uvicorn, 1 process, access log off; wrk -t2 on the same 2-core machine",
    }


def run(voters: int = 50_000, uploads: int = 20, contacts: int = 500, seconds: int = 10,
        connections: int = 16, seed: int = 11, **_: object) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        cache = work / "cache"
        t0 = time.perf_counter()
        url, world = _build_store(work, voters, seed)
        result: dict = {"voters": voters, "store": "sqlite", "setup_s": round(time.perf_counter() - t0, 1)}
        result.update(_upload_timings(url, world, cache, uploads, contacts, seed))
        result.update(_friend_load(url, cache, work, seconds, connections))
    result["targets"] = {"upload_ms_p95": 300, "friend_rps": 300, "friend_ms_p99": 50}
    return result
