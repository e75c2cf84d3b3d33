"""crawl new leads and job liveness

Raw records flag the crawled companies that were new leads when they arrived; crawl
jobs count them and say which host and process run them, with a heartbeat, so a
job left "running" by a killed process can be told apart. Adding columns with a
constant default rewrites no table (SQLite ADD COLUMN; PostgreSQL 11+).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:03:45.269935
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadbase.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("new_leads", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("heartbeat_at", leadbase.models.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("raw_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "is_new_lead", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("raw_records", schema=None) as batch_op:
        batch_op.drop_column("is_new_lead")

    with op.batch_alter_table("crawl_jobs", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("pid")
        batch_op.drop_column("host")
        batch_op.drop_column("new_leads")
