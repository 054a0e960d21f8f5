"""web: sign-in tokens and the demo/dev mail outbox

Revision ID: 0020
Revises: 0010
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("referral_code", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_tokens_token_hash")),
    )
    with op.batch_alter_table("sign_in_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_sign_in_tokens_email", ["email"], unique=False)
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_email", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )


def downgrade() -> None:
    op.drop_table("mail_outbox")
    with op.batch_alter_table("sign_in_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_tokens_email")
    op.drop_table("sign_in_tokens")
