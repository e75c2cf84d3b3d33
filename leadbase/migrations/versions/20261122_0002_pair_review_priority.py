"""pair review priority: the review queue is ordered by what a label would teach

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:56:36.824013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pairs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("priority", sa.Double(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_pairs_status_priority", ["status", "priority"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pairs", schema=None) as batch_op:
        batch_op.drop_index("ix_pairs_status_priority")
        batch_op.drop_column("priority")
