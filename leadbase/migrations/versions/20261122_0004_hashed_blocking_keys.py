"""hashed blocking keys: (kind, key, record_id) for incremental neighbour look-ups;
companies.head_company_id indexed (a merge and its undo look branches up by it)

The first layout (kind and value as text, a surrogate id) was never written to;
it is replaced by 64-bit hashed keys clustered on the look-up order, without a
foreign key (derived rows, rebuilt by every full run; see the model).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("blocking_keys")
    op.create_table(
        "blocking_keys",
        sa.Column("kind", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("record_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "key", "record_id", name=op.f("pk_blocking_keys")
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_blocking_keys_record_id"), "blocking_keys", ["record_id"])
    op.create_index(
        op.f("ix_companies_head_company_id"), "companies", ["head_company_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_companies_head_company_id"), table_name="companies")
    op.drop_index(op.f("ix_blocking_keys_record_id"), table_name="blocking_keys")
    op.drop_table("blocking_keys")
    op.create_table(
        "blocking_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.raw_record_id"],
            name=op.f("fk_blocking_keys_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocking_keys")),
        sa.UniqueConstraint(
            "record_id",
            "kind",
            "value",
            name=op.f("uq_blocking_keys_record_id_kind_value"),
        ),
    )
    op.create_index("ix_blocking_keys_kind_value", "blocking_keys", ["kind", "value"])
