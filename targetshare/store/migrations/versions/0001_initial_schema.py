"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 20:29:44.646436
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "content",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("goal", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("message_template", sa.Text(), nullable=False),
        sa.Column("video_path", sa.Text(), nullable=True),
        sa.Column("captions_path", sa.Text(), nullable=True),
        sa.Column("poster_path", sa.Text(), nullable=True),
        sa.Column("call_to_action", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content")),
        sa.UniqueConstraint("slug", name=op.f("uq_content_slug")),
    )
    op.create_table(
        "households",
        sa.Column("household_id", sa.String(length=32), nullable=False),
        sa.Column("street_address", sa.Text(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=5), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_households")),
    )
    op.create_table(
        "supporters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("voter_id", sa.String(length=32), nullable=True),
        sa.Column("referral_code", sa.String(length=32), nullable=False),
        sa.Column("referred_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referred_by"], ["supporters.id"], name=op.f("fk_supporters_referred_by_supporters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supporters")),
        sa.UniqueConstraint("email", name=op.f("uq_supporters_email")),
        sa.UniqueConstraint("referral_code", name=op.f("uq_supporters_referral_code")),
    )
    op.create_table(
        "voter_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("history_source", sa.Text(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("history_rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voter_imports")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_position", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("given_name", sa.Text(), nullable=False),
        sa.Column("middle_name", sa.Text(), nullable=False),
        sa.Column("family_name", sa.Text(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("emails", sa.JSON(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=5), nullable=False),
        sa.Column("birthday", sa.String(length=10), nullable=False),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supporter_id"], ["supporters.id"], name=op.f("fk_contacts_supporter_id_supporters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index("ix_contacts_supporter", ["supporter_id"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["voter_imports.id"], name=op.f("fk_quarantine_import_id_voter_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index("ix_quarantine_import", ["import_id"], unique=False)

    op.create_table(
        "vote_history",
        sa.Column("voter_id", sa.String(length=32), nullable=False),
        sa.Column("election_date", sa.Date(), nullable=False),
        sa.Column("election_desc", sa.Text(), nullable=False),
        sa.Column("voting_method", sa.Text(), nullable=True),
        sa.Column("voted_party", sa.String(length=4), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["voter_imports.id"],
            name=op.f("fk_vote_history_import_id_voter_imports"),
        ),
        sa.PrimaryKeyConstraint(
            "voter_id", "election_date", "election_desc", name=op.f("pk_vote_history")
        ),
    )
    op.create_table(
        "voters",
        sa.Column("voter_id", sa.String(length=32), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=True),
        sa.Column("county", sa.Text(), nullable=True),
        sa.Column("registration_number", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=2), nullable=True),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("middle_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=False),
        sa.Column("name_suffix", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("race", sa.String(length=2), nullable=True),
        sa.Column("ethnicity", sa.String(length=2), nullable=True),
        sa.Column("party", sa.String(length=4), nullable=True),
        sa.Column("registration_date", sa.Date(), nullable=True),
        sa.Column("street_address", sa.Text(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=5), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("precinct", sa.Text(), nullable=True),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("congressional_district", sa.Text(), nullable=True),
        sa.Column("state_senate_district", sa.Text(), nullable=True),
        sa.Column("state_house_district", sa.Text(), nullable=True),
        sa.Column("household_id", sa.String(length=32), nullable=True),
        sa.Column("row_hash", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.household_id"],
            name=op.f("fk_voters_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["voter_imports.id"], name=op.f("fk_voters_import_id_voter_imports")
        ),
        sa.PrimaryKeyConstraint("voter_id", name=op.f("pk_voters")),
    )
    with op.batch_alter_table("voters", schema=None) as batch_op:
        batch_op.create_index("ix_voters_household", ["household_id"], unique=False)
        batch_op.create_index("ix_voters_last_first", ["last_name", "first_name"], unique=False)
        batch_op.create_index("ix_voters_phone", ["phone"], unique=False)

    op.create_table(
        "asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.String(length=32), nullable=False),
        sa.Column("content_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expected_value", sa.Float(), nullable=False),
        sa.Column("share_token", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_asks_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["content_id"], ["content.id"], name=op.f("fk_asks_content_id_content")
        ),
        sa.ForeignKeyConstraint(
            ["supporter_id"], ["supporters.id"], name=op.f("fk_asks_supporter_id_supporters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asks")),
        sa.UniqueConstraint("share_token", name=op.f("uq_asks_share_token")),
        sa.UniqueConstraint("supporter_id", "voter_id", name="uq_asks_supporter_voter"),
    )
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.create_index("ix_asks_voter", ["voter_id"], unique=False)

    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.String(length=32), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("runner_up_probability", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_matches_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
        sa.UniqueConstraint("contact_id", name="uq_matches_contact_id"),
    )
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.create_index("ix_matches_voter", ["voter_id"], unique=False)

    op.create_table(
        "opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.String(length=32), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("ask_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ask_id"], ["asks.id"], name=op.f("fk_opt_outs_ask_id_asks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opt_outs")),
    )
    with op.batch_alter_table("opt_outs", schema=None) as batch_op:
        batch_op.create_index("ix_opt_outs_voter", ["voter_id"], unique=False)

    op.create_table(
        "share_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["ask_id"], ["asks.id"], name=op.f("fk_share_events_ask_id_asks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_events")),
    )
    with op.batch_alter_table("share_events", schema=None) as batch_op:
        batch_op.create_index("ix_share_events_ask", ["ask_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("share_events", schema=None) as batch_op:
        batch_op.drop_index("ix_share_events_ask")

    op.drop_table("share_events")
    with op.batch_alter_table("opt_outs", schema=None) as batch_op:
        batch_op.drop_index("ix_opt_outs_voter")

    op.drop_table("opt_outs")
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("ix_matches_voter")

    op.drop_table("matches")
    with op.batch_alter_table("asks", schema=None) as batch_op:
        batch_op.drop_index("ix_asks_voter")

    op.drop_table("asks")
    with op.batch_alter_table("voters", schema=None) as batch_op:
        batch_op.drop_index("ix_voters_phone")
        batch_op.drop_index("ix_voters_last_first")
        batch_op.drop_index("ix_voters_household")

    op.drop_table("voters")
    op.drop_table("vote_history")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index("ix_quarantine_import")

    op.drop_table("quarantine")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_supporter")

    op.drop_table("contacts")
    op.drop_table("voter_imports")
    op.drop_table("supporters")
    op.drop_table("households")
    op.drop_table("content")
    op.drop_table("audit_log")
