"""blocking_keys loses its record-id index: every full run rebuilt it (5 s and
160 MB at a million records) for deletes that only removing a source or a new
normaliser version makes, which now scan the table once

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 00:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_blocking_keys_record_id", table_name="blocking_keys")


def downgrade() -> None:
    op.create_index("ix_blocking_keys_record_id", "blocking_keys", ["record_id"])
