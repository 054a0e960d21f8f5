"""``targetshare demo``: a small simulated state, imported and ready to serve.

Steps, each idempotent so a second ``make demo`` is quick: simulate ``./demo-world`` (unless it is
there), import its voter file and history, import the vendor scores, store the demo targeting
config and content, create the demo organizer, train the match model and warm the index.
"""

from __future__ import annotations

import csv
import os
import secrets
from datetime import datetime
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine, insert, select

from targetshare.settings import Settings, get_settings
from targetshare.store import schema
from targetshare.store.db import open_store

DEMO_ORGANIZER = "organizer@demo.targetshare.org"
DEMO_CONFIG = Path(__file__).with_name("demo_targeting.yaml")

console = Console()


def demo_settings(out: Path, port: int) -> Settings:
    """Demo mode; the store is ``out/targetshare.db`` unless TARGETSHARE_DATABASE_URL says otherwise."""
    overrides: dict = {"mode": "demo", "port": port, "base_url": f"http://127.0.0.1:{port}",
                       "quarantine_dir": str(out / "quarantine"),
                       "index_cache_dir": str(out / "cache")}  # fmt: skip
    if not os.environ.get("TARGETSHARE_DATABASE_URL"):
        overrides["database_url"] = f"sqlite:///{out / 'targetshare.db'}"
    return get_settings(**overrides)


def build_demo(out: Path, *, voters: int, supporters: int, seed: int, fresh: bool = False,
               port: int = 8000, warm: bool = True) -> Settings:  # fmt: skip
    """Build (or reuse) the demo state in ``out`` and return the settings to serve it with."""
    out = Path(out)
    if fresh or not (out / "ncvoter.txt").exists():
        from targetshare.sim import simulate

        console.print(f"[bold]1/5[/] simulating {voters:,} voters and {supporters} supporters into {out}/")
        simulate(out, voters=voters, supporters=supporters, seed=seed)
    else:
        console.print(f"[bold]1/5[/] reusing the simulated state in {out}/ (--fresh to rebuild)")
    settings = demo_settings(out, port)
    engine = open_store(settings.database_url)
    _import_state(engine, out, settings)
    organizer = _ensure_organizer(engine)
    if warm:
        console.print("[bold]5/5[/] training the match model and building the voter index")
        from targetshare.web.services import Pipeline

        with console.status("training (Splink) and indexing..."):
            Pipeline(engine, settings).matcher()
    _print_logins(out, settings, organizer)
    engine.dispose()
    return settings


def _import_state(engine: Engine, out: Path, settings: Settings) -> None:
    from targetshare.sharing.content import seed_demo_content
    from targetshare.targeting.batch import assign_universe_holdouts
    from targetshare.targeting.config import current_config, save_config
    from targetshare.targeting.scores import import_scores
    from targetshare.voterfile import import_voter_file

    console.print("[bold]2/5[/] importing the voter file and vote history")
    result = import_voter_file(out / "ncvoter.txt", out / "ncvhis.txt", engine=engine,
                               quarantine_dir=settings.quarantine_dir)  # fmt: skip
    console.print(f"     {result.inserted:,} new, {result.updated:,} updated, {result.unchanged:,} unchanged, "
                  f"{result.quarantined:,} quarantined")  # fmt: skip
    console.print("[bold]3/5[/] importing the vendor scores")
    scores = import_scores(engine, out / "scores.csv")
    console.print(f"     scores version {scores.version}")
    console.print("[bold]4/5[/] targeting config, holdout, demo content and organizer")
    text = DEMO_CONFIG.read_text()
    stored = current_config(engine, default=False)
    if stored is None or stored.yaml_text != text:
        save_config(engine, text)
    targets, held = assign_universe_holdouts(engine)
    console.print(f"     {targets:,} targets in the universe, {held:,} held out at random")
    seed_demo_content(engine)


def _ensure_organizer(engine: Engine) -> str:
    with engine.begin() as conn:
        exists = conn.execute(
            select(schema.supporters.c.id).where(schema.supporters.c.email == DEMO_ORGANIZER)
        ).first()
        if not exists:
            conn.execute(insert(schema.supporters).values(
                email=DEMO_ORGANIZER, name="Demo Organizer", role="organizer",
                referral_code=secrets.token_urlsafe(8), created_at=datetime.now()))  # fmt: skip
    return DEMO_ORGANIZER


def _print_logins(out: Path, settings: Settings, organizer: str) -> None:
    console.rule("[bold green]targetshare demo")
    console.print(f"Open {settings.base_url}/ and sign in by e-mail; in demo mode the sign-in link "
                  f"appears in the outbox at {settings.base_url}/dev/outbox (no mail is sent).")  # fmt: skip
    console.print(f"  organizer: [bold]{organizer}[/]")
    with open(out / "supporters.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:3]
    for row in rows:
        console.print(f"  supporter: [bold]{row['email']}[/]  contacts to upload: {out / row['contacts_file']}")
    console.print(f"All contact exports are in {out / 'contacts'}/ (vCard, Google CSV, Facebook JSON).")
