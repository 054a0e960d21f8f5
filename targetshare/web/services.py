"""The supporter flow's orchestration: contacts → matching → targeting → asks.

This is the one place where the web app calls the engine (``targetshare.matching`` and
``targetshare.targeting``). Rules it keeps:

* Only matched contacts are stored (a ``contacts`` row and a ``matches`` row each); unmatched ones
  live only in this request's memory and are never written, logged or counted by name.
* An ask is written for each suggestion targeting returns, with an unguessable signed share token.
* Modeled values (probabilities, expected value) stay in the store: nothing here returns them to
  a supporter or a friend.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from targetshare.settings import Settings
from targetshare.sharing.content import content_for_goal
from targetshare.sharing.links import new_share_token
from targetshare.store import schema

__all__ = ["Pipeline", "ingest_contacts", "top_up", "needs_confirmation", "SUGGESTIONS"]

SUGGESTIONS = 5
log = logging.getLogger(__name__)
POSSIBLE_MATCH = 0.5


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Pipeline:
    """Matcher and targeter for one app: the matcher is built lazily, once, and rebuilt when a
    newer voter-file import finishes (thread-safe: concurrent first requests build it once).
    When its model file is replaced (``targetshare retrain``), the next request swaps the new
    model in over the same index."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._lock = threading.Lock()
        self._matcher: Any = None
        self._version: int | None = None
        self._model_version = ""
        self._model_path: Path | None = None
        self._model_stamp: tuple | None = None
        self._content_version = ""

    def voter_file_version(self) -> int:
        with self.engine.connect() as conn:
            latest = conn.execute(
                select(func.max(schema.voter_imports.c.id)).where(schema.voter_imports.c.status == "done")
            ).scalar()
        return int(latest or 0)

    def matcher(self) -> Any:
        version = self.voter_file_version()
        with self._lock:
            if self._matcher is None or self._version != version:
                self._matcher = self._build_matcher(version)
                self._version = version
            elif self._model_path is not None:
                from targetshare.matching.learn import model_stamp

                stamp = model_stamp(self._model_path)
                if stamp is not None and stamp != self._model_stamp:
                    self._reload_model(stamp)
            return self._matcher

    def _build_matcher(self, version: int) -> Any:
        """The matcher for this voter file; its trained model is kept next to the index cache,
        so only the first app after an import pays for training."""
        from targetshare.matching import (
            Matcher,
            MatchModel,
            load_voters,
            model_path,
            voter_file_version,
        )
        from targetshare.matching.learn import model_stamp

        voters = load_voters(self.engine)
        content_version = voter_file_version(self.engine, voters)
        cache = Path(self.settings.index_cache_dir)
        path = model_path(cache, content_version)
        stamp = model_stamp(path)
        model = MatchModel.load(path) if stamp is not None else None
        matcher = Matcher.from_voters(voters, model=model, version=content_version, cache_dir=cache)
        if model is None:
            cache.mkdir(parents=True, exist_ok=True)
            matcher.model.save(path)
            stamp = model_stamp(path)
        self._model_path, self._model_stamp, self._content_version = path, stamp, content_version
        self._set_model_version(content_version, version, matcher.model)
        return matcher

    def _reload_model(self, stamp: tuple) -> None:
        """Swap in the model file's new contents (a retrained model) over the current index."""
        from targetshare.matching import MatchModel

        self._model_stamp = stamp
        try:
            model = MatchModel.load(self._model_path)
        except (OSError, ValueError, KeyError) as exc:  # half-written or foreign file: keep ours
            log.warning("model file %s not reloaded: %s", self._model_path, exc)
            return
        try:
            self._matcher = self._matcher.with_model(model)
        except ValueError:  # other nickname keys: the index must be rebuilt
            self._matcher = self._build_matcher(self._version or 0)
            return
        self._set_model_version(self._content_version, self._version or 0, model)

    def _set_model_version(self, content_version: str, version: int, model: Any) -> None:
        labels = (model.training or {}).get("labels") or {}
        tag = f"-labels{labels['confirmed']}" if labels.get("confirmed") else ""
        self._model_version = f"{content_version}-import{version}{tag}"

    @property
    def model_version(self) -> str:
        return self._model_version[:64]

    def match(self, records: list[dict]) -> list[dict]:
        return self.matcher().match(records)

    def suggest(self, supporter_id: int, matched: list[dict], k: int) -> list[dict]:
        from targetshare.targeting import suggest_for_supporter

        return suggest_for_supporter(self.engine, supporter_id, matched, k=k)

    def record_outcome(self, supporter_id: int, voter_id: str, sent: bool) -> None:
        from targetshare.targeting import record_outcome

        record_outcome(self.engine, supporter_id, voter_id, sent)


def needs_confirmation(result: dict) -> bool:
    """Ask "which one is your friend?" when the matcher didn't accept a voter on its own."""
    return bool(result.get("ambiguous")) or not result.get("voter_id")


def resolved(result: dict) -> dict | None:
    """The result with a voter to target: the accepted one, or for an ambiguous contact the
    likeliest candidate when it is at least ``POSSIBLE_MATCH`` likely. None: discard the contact."""
    if result.get("voter_id"):
        return result
    candidates = result.get("candidates") or []
    if candidates and float(candidates[0].get("match_probability") or 0.0) >= POSSIBLE_MATCH:
        top = candidates[0]
        return {**result, "voter_id": top["voter_id"], "match_probability": float(top["match_probability"]),
                "ambiguous": True}
    return None


def _public_candidates(result: dict) -> list[dict]:
    """Candidates as a supporter may see them: name, city, birth year; never a score."""
    keep = ("voter_id", "first_name", "last_name", "city", "birth_year")
    return [{k: c.get(k) for k in keep} for c in result.get("candidates") or []][:4]


def ingest_contacts(engine: Engine, pipeline: Pipeline, settings: Settings, supporter_id: int,
                    records: Sequence[dict]) -> dict:
    """Match a supporter's contacts, keep the matched ones, and top up their suggestions.

    Returns ``{"received", "matched", "stored", "suggested"}`` (counts only; ``stored`` leaves out
    contacts matched to a voter this supporter had already matched)."""
    records = list(records)
    results = pipeline.match(records) if records else []
    by_id = {r["contact_id"]: kept for r in results if (kept := resolved(r)) is not None}
    matched = [(rec, by_id[rec["contact_id"]]) for rec in records if rec["contact_id"] in by_id]
    stored = _store_matches(engine, pipeline.model_version, supporter_id, matched)
    suggested = top_up(engine, pipeline, settings, supporter_id)
    return {"received": len(records), "matched": len(matched), "stored": stored, "suggested": suggested}


def _store_matches(engine: Engine, model_version: str, supporter_id: int,
                   matched: list[tuple[dict, dict]]) -> int:
    """Write contacts + matches rows for matched contacts this supporter hasn't matched before."""
    at = now()
    stored = 0
    with engine.begin() as conn:
        known = set(
            conn.execute(
                select(schema.matches.c.voter_id)
                .join(schema.contacts, schema.contacts.c.id == schema.matches.c.contact_id)
                .where(schema.contacts.c.supporter_id == supporter_id)
            ).scalars()
        )
        for record, result in matched:
            if result["voter_id"] in known:
                continue
            known.add(result["voter_id"])
            contact_id = conn.execute(insert(schema.contacts).values(**_contact_row(record, supporter_id, at))).inserted_primary_key[0]
            conn.execute(
                insert(schema.matches).values(
                    contact_id=contact_id,
                    voter_id=result["voter_id"],
                    match_probability=float(result.get("match_probability") or 0.0),
                    runner_up_probability=float(result.get("runner_up_probability") or 0.0),
                    status="needs_confirmation" if needs_confirmation(result) else "auto",
                    candidates=_public_candidates(result),
                    model_version=model_version,
                    created_at=at,
                )
            )
            stored += 1
    return stored


def _contact_row(record: dict, supporter_id: int, at: datetime) -> dict:
    return {
        "supporter_id": supporter_id,
        "source": str(record.get("source") or "manual")[:16],
        "source_position": str(record.get("contact_id") or "")[:32],
        "display_name": str(record.get("display_name") or "").strip()[:200] or "Your friend",
        "given_name": record.get("given_name") or "",
        "middle_name": record.get("middle_name") or "",
        "family_name": record.get("family_name") or "",
        "phones": list(record.get("phones") or []),
        "emails": list(record.get("emails") or []),
        "city": record.get("city") or "",
        "state": (record.get("state") or "")[:2],
        "zip": (record.get("zip") or "")[:5],
        "birthday": (record.get("birthday") or "")[:10],
        "signals": dict(record.get("signals") or {}),
        "created_at": at,
    }


def _unasked_matches(conn, supporter_id: int) -> list[dict]:
    """This supporter's usable matched contacts that have no ask yet, as targeting wants them."""
    c, m, a = schema.contacts, schema.matches, schema.asks
    asked = select(a.c.voter_id).where(a.c.supporter_id == supporter_id)
    rows = conn.execute(
        select(c.c.id, c.c.display_name, c.c.signals, m.c.voter_id, m.c.match_probability)
        .join(m, m.c.contact_id == c.c.id)
        .where(c.c.supporter_id == supporter_id, m.c.status != "rejected", m.c.voter_id.not_in(asked))
    ).all()
    return [
        {
            "contact_id": r.id,
            "voter_id": r.voter_id,
            "match_probability": r.match_probability,
            "signals": r.signals or {},
            "display_name": r.display_name,
        }
        for r in rows
    ]


def top_up(engine: Engine, pipeline: Pipeline, settings: Settings, supporter_id: int,
           k: int = SUGGESTIONS) -> int:
    """Ask targeting for enough new suggestions to show ``k`` open ones; write their asks."""
    a = schema.asks
    with engine.connect() as conn:
        open_now = conn.execute(
            select(func.count()).select_from(a).where(a.c.supporter_id == supporter_id, a.c.status == "suggested")
        ).scalar_one()
        candidates = _unasked_matches(conn, supporter_id)
    want = k - open_now
    if want <= 0 or not candidates:
        return 0
    suggestions = pipeline.suggest(supporter_id, candidates, want)
    return _write_asks(engine, settings, supporter_id, suggestions[:want])


def _write_asks(engine: Engine, settings: Settings, supporter_id: int, suggestions: list[dict]) -> int:
    written = 0
    at = now()
    for item in suggestions:
        try:
            with engine.begin() as conn:
                content = content_for_goal(conn, item.get("goal"), item.get("content_slug"))
                conn.execute(
                    insert(schema.asks).values(
                        supporter_id=supporter_id,
                        contact_id=item["contact_id"],
                        voter_id=item["voter_id"],
                        content_id=content.id if content is not None else None,
                        status="suggested",
                        reason=str(item.get("reason") or "")[:500],
                        expected_value=float(item.get("expected_value") or 0.0),
                        share_token=new_share_token(settings.secret_key),
                        created_at=at,
                    )
                )
            written += 1
        except IntegrityError:  # already asked (a concurrent upload got there first)
            continue
    return written
