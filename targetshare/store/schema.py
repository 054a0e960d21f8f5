"""The one schema of everything targetshare keeps (SQLAlchemy 2 Core).

Alembic migrations in ``store/migrations`` create it; a test checks that the migrated database
and this metadata agree, so the two never drift.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# --- the voter file -------------------------------------------------------------------------

voter_imports = Table(
    "voter_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("history_source", Text),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("status", String(16), nullable=False),  # running | done | failed
    Column("rows_read", Integer, nullable=False, default=0),
    Column("inserted", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
    Column("history_rows", Integer, nullable=False, default=0),
)

households = Table(
    "households",
    metadata,
    Column("household_id", String(32), primary_key=True),
    Column("street_address", Text, nullable=False),
    Column("city", Text, nullable=False),
    Column("state", String(2), nullable=False),
    Column("zip", String(5), nullable=False),
)

voters = Table(
    "voters",
    metadata,
    Column("voter_id", String(32), primary_key=True),
    Column("county_id", Integer),
    Column("county", Text),
    Column("registration_number", String(32)),
    Column("status", String(2)),
    Column("first_name", Text, nullable=False),
    Column("middle_name", Text, nullable=False, default=""),
    Column("last_name", Text, nullable=False),
    Column("name_suffix", Text, nullable=False, default=""),
    Column("birth_date", Date),
    Column("birth_year", Integer),
    Column("age", Integer),
    Column("gender", String(1)),
    Column("race", String(2)),
    Column("ethnicity", String(2)),
    Column("party", String(4)),
    Column("registration_date", Date),
    Column("street_address", Text, nullable=False, default=""),
    Column("city", Text, nullable=False, default=""),
    Column("state", String(2), nullable=False, default=""),
    Column("zip", String(5), nullable=False, default=""),
    Column("phone", String(16), nullable=False, default=""),
    Column("email", Text, nullable=False, default=""),
    Column("precinct", Text),
    Column("municipality", Text),
    Column("congressional_district", Text),
    Column("state_senate_district", Text),
    Column("state_house_district", Text),
    Column("household_id", String(32), ForeignKey("households.household_id")),
    Column("row_hash", String(32), nullable=False),
    Column("import_id", Integer, ForeignKey("voter_imports.id"), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_voters_last_first", "last_name", "first_name"),
    Index("ix_voters_phone", "phone"),
    Index("ix_voters_household", "household_id"),
)

vote_history = Table(
    "vote_history",
    metadata,
    Column("voter_id", String(32), primary_key=True),
    Column("election_date", Date, primary_key=True),
    Column("election_desc", Text, primary_key=True),
    Column("voting_method", Text),
    Column("voted_party", String(4)),
    Column("county_id", Integer),
    Column("import_id", Integer, ForeignKey("voter_imports.id"), nullable=False),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("voter_imports.id"), nullable=False),
    Column("file", Text, nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Index("ix_quarantine_import", "import_id"),
)

# --- people who use the app ----------------------------------------------------------------

supporters = Table(
    "supporters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", Text, nullable=False, default=""),
    Column("role", String(16), nullable=False, default="supporter"),  # supporter | organizer | admin
    Column("voter_id", String(32)),
    Column("referral_code", String(32), nullable=False, unique=True),
    Column("referred_by", Integer, ForeignKey("supporters.id")),
    Column("created_at", DateTime, nullable=False),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("supporter_id", Integer, ForeignKey("supporters.id"), nullable=False),
    Column("source", String(16), nullable=False),
    Column("source_position", String(32), nullable=False),
    Column("display_name", Text, nullable=False),
    Column("given_name", Text, nullable=False, default=""),
    Column("middle_name", Text, nullable=False, default=""),
    Column("family_name", Text, nullable=False, default=""),
    Column("phones", JSON, nullable=False),
    Column("emails", JSON, nullable=False),
    Column("city", Text, nullable=False, default=""),
    Column("state", String(2), nullable=False, default=""),
    Column("zip", String(5), nullable=False, default=""),
    Column("birthday", String(10), nullable=False, default=""),
    Column("signals", JSON, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_contacts_supporter", "supporter_id"),
)

matches = Table(
    "matches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("voter_id", String(32), nullable=False),
    Column("match_probability", Float, nullable=False),
    Column("runner_up_probability", Float, nullable=False, default=0.0),
    Column("status", String(24), nullable=False),  # auto | needs_confirmation | confirmed | rejected
    Column("candidates", JSON, nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("contact_id", name="uq_matches_contact_id"),
    Index("ix_matches_voter", "voter_id"),
)

# --- what the campaign shares, and what happened -------------------------------------------

content = Table(
    "content",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("goal", String(16), nullable=False),  # persuasion | turnout
    Column("title", Text, nullable=False),
    Column("message_template", Text, nullable=False),
    Column("video_path", Text),
    Column("captions_path", Text),
    Column("poster_path", Text),
    Column("call_to_action", Text, nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

asks = Table(
    "asks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("supporter_id", Integer, ForeignKey("supporters.id"), nullable=False),
    Column("contact_id", Integer, ForeignKey("contacts.id"), nullable=False),
    Column("voter_id", String(32), nullable=False),
    Column("content_id", Integer, ForeignKey("content.id")),
    Column("status", String(16), nullable=False),  # suggested | sent | skipped | not_my_friend
    Column("reason", Text, nullable=False, default=""),
    Column("expected_value", Float, nullable=False, default=0.0),
    Column("share_token", String(64), nullable=False, unique=True),
    Column("channel", String(16)),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    UniqueConstraint("supporter_id", "voter_id", name="uq_asks_supporter_voter"),
    Index("ix_asks_voter", "voter_id"),
)

share_events = Table(
    "share_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ask_id", Integer, ForeignKey("asks.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # sent | opened | opted_out
    Column("channel", String(16)),
    Column("at", DateTime, nullable=False),
    Column("details", JSON),
    Index("ix_share_events_ask", "ask_id"),
)

opt_outs = Table(
    "opt_outs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("voter_id", String(32)),
    Column("phone", String(16)),
    Column("email", String(320)),
    Column("ask_id", Integer, ForeignKey("asks.id")),
    Column("reason", Text, nullable=False, default=""),
    Column("at", DateTime, nullable=False),
    Index("ix_opt_outs_voter", "voter_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", Text, nullable=False, default=""),
    Column("details", JSON),
)

# --- targeting (owned by targetshare/targeting; migration 0010) ----------------------------

targeting_configs = Table(
    "targeting_configs",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("yaml", Text, nullable=False),
    Column("yaml_sha256", String(64), nullable=False),
    Column("salt", String(64), nullable=False),  # holdout hash salt, carried across versions
    Column("created_at", DateTime, nullable=False),
)

score_imports = Table(
    "score_imports",
    metadata,
    Column("id", Integer, primary_key=True),  # = the scores version
    Column("source", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("mapping", JSON, nullable=False),
    Column("mapping_sha256", String(64), nullable=False),
    Column("scales", JSON, nullable=False),  # column -> "0-1" | "0-100" as detected or declared
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("status", String(16), nullable=False),  # running | done | failed
    Column("rows_read", Integer, nullable=False, default=0),
    Column("inserted", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
)

scores = Table(
    "scores",
    metadata,
    Column("voter_id", String(32), primary_key=True),
    Column("version", Integer, ForeignKey("score_imports.id"), primary_key=True),
    Column("support", Float, nullable=False),  # 0..1
    Column("turnout", Float, nullable=False),  # 0..1
    Column("persuasion", Float),  # 0..1 persuadability (or uplift), may be missing
    Index("ix_scores_version", "version"),
)

score_quarantine = Table(
    "score_quarantine",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("score_imports.id"), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Index("ix_score_quarantine_import", "import_id"),
)

holdouts = Table(
    "holdouts",
    metadata,
    Column("voter_id", String(32), primary_key=True),  # assigned once, never recomputed
    Column("config_version", Integer, ForeignKey("targeting_configs.version"), nullable=False),
    Column("held_out", Boolean, nullable=False),
    Column("assigned_at", DateTime, nullable=False),
)

tie_model = Table(
    "tie_model",
    metadata,
    Column("id", Integer, primary_key=True),  # one row (id 1) per store/campaign
    Column("weights", JSON, nullable=False),  # {"mean": {...}, "precision": {...}}
    Column("n_updates", Integer, nullable=False, default=0),
    Column("updated_at", DateTime, nullable=False),
)

target_saturation = Table(
    "target_saturation",
    metadata,
    Column("supporter_id", Integer, ForeignKey("supporters.id"), primary_key=True),
    Column("voter_id", String(32), primary_key=True),
    Column("contact_id", Integer, nullable=False),
    Column("p_send", Float, nullable=False),
    Column("coverage", Float, nullable=False),  # q: chance this ask reaches and moves the target
    Column("features", JSON, nullable=False),  # tie-model features, for the online update
    Column("outcome", String(16)),  # null | sent | skipped
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_target_saturation_voter", "voter_id"),
)

# --- web: sign-in links and the demo/dev mail outbox (owned by targetshare.web) ----------------

sign_in_tokens = Table(
    "sign_in_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the e-mailed token
    Column("email", String(320), nullable=False),
    Column("referral_code", String(32)),  # whoever recruited this person, from the invite link
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),  # single use: set once, atomically
    Index("ix_sign_in_tokens_email", "email"),
)

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("to_email", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("token", Text),  # the sign-in token in the mail (demo/dev only; never written in production)
    Column("created_at", DateTime, nullable=False),
)
