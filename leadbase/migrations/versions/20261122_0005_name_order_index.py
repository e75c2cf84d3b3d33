"""records' name index takes the record id as its second column: name order with
its tie-break, as incremental runs seek neighbours along it; records indexed by
normaliser version (every run asks which are stale)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 22:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_records_name_key", table_name="records")
    op.create_index("ix_records_name_key", "records", ["name_key", "raw_record_id"])
    op.create_index("ix_records_normaliser_version", "records", ["normaliser_version"])


def downgrade() -> None:
    op.drop_index("ix_records_normaliser_version", table_name="records")
    op.drop_index("ix_records_name_key", table_name="records")
    op.create_index("ix_records_name_key", "records", ["name_key"])
