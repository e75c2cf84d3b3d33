"""Alembic environment: runs on the connection `leadbase.db.upgrade_schema` passes in,
or on `sqlalchemy.url` when called from the `alembic` command line."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from leadbase.db import make_engine
from leadbase.models import Base

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", create=True)
    try:
        with engine.begin() as new_connection:
            run_on(new_connection)
    finally:
        engine.dispose()  # no pooled connection left for the collector to close
