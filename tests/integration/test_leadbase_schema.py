"""The schema: migrations agree with the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import leadbase.db
from leadbase.audit import Actor
from leadbase.cli import cli
from leadbase.db import (
    HEAD_REVISION,
    current_revision,
    head_revision,
    make_engine,
    require_current_schema,
    upgrade_schema,
    write_pages_once,
)
from leadbase.enums import SourceKind
from leadbase.errors import SchemaError
from leadbase.models import Base, RawRecord
from leadbase.raw import RawRow, ensure_source, store_raw_records


def test_migrations_create_exactly_the_models(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url, create=True)
    assert upgrade_schema(engine) == (None, head_revision(engine))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_head_every_command_checks_is_alembics(empty_db_url: str) -> None:
    """`HEAD_REVISION` spares each command loading the migration scripts: a new
    migration must move it too."""
    engine = make_engine(empty_db_url, create=True)
    assert current_revision(engine) is None
    upgrade_schema(engine)
    assert HEAD_REVISION == head_revision(engine) == current_revision(engine)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == (
            HEAD_REVISION
        )
    engine.dispose()


def test_upgrading_twice_changes_nothing(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url, create=True)
    upgrade_schema(engine)
    head = current_revision(engine)
    assert upgrade_schema(engine) == (head, head)
    engine.dispose()


def test_an_empty_database_is_refused_with_the_fix(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url, create=True)
    with pytest.raises(SchemaError, match="run `leadbase init`"):
        require_current_schema(engine)
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/wal.db", create=True)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(
        RawRecord(source_id=999, source_key="k", payload={}, content_hash="x" * 64)
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_an_unknown_status_is_refused_by_the_database(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO companies (name, status, is_personal_data, provenance,"
                " first_seen_at, created_at, version)"
                " VALUES ('x', 'bogus', false, '{}', :t, :t, 1)"
            ),
            {"t": "2026-01-01 00:00:00"},
        )


def test_storing_the_same_rows_again_adds_nothing(session: Session) -> None:
    source = ensure_source(session, "list", SourceKind.BOUGHT, actor=Actor.cli())
    rows = [RawRow({"name": "ООО «Ромашка»"}, row_number=2), RawRow({"name": "Альфа"})]
    first = store_raw_records(session, source, rows)
    again = store_raw_records(session, source, [*rows, RawRow({"name": "Вектор"})])
    session.commit()
    assert (first.stored, first.already_known) == (2, 0)
    assert (again.stored, again.already_known) == (1, 2)
    names = session.scalars(select(RawRecord.payload)).all()
    assert sorted(p["name"] for p in names) == ["Альфа", "Вектор", "ООО «Ромашка»"]


def test_a_changed_row_under_the_same_key_is_a_new_raw_record(
    session: Session,
) -> None:
    source = ensure_source(session, "dir", SourceKind.CRAWL, actor=Actor.cli())
    store_raw_records(session, source, [RawRow({"phone": "1"}, source_key="/c/1")])
    result = store_raw_records(
        session, source, [RawRow({"phone": "2"}, source_key="/c/1")]
    )
    session.commit()
    assert result.stored == 1
    stored = session.scalars(select(RawRecord).order_by(RawRecord.id)).all()
    assert [r.payload["phone"] for r in stored] == ["1", "2"]  # the old one is kept


def journal_mode(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.exec_driver_sql("PRAGMA journal_mode").scalar())


def test_a_transaction_writing_pages_once_rolls_back_whole_and_returns_to_wal(
    tmp_path: Path,
) -> None:
    """`write_pages_once` swaps WAL for a rollback journal; pages written past the
    old end of the file (the cache made tiny so they spill) and a changed old
    page are undone by a rollback, and the connection is in WAL mode again."""
    path = tmp_path / "once.db"
    engine = make_engine(f"sqlite:///{path}", create=True)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1, 'kept')")
    engine.dispose()  # checkpointed: the file holds everything
    size = path.stat().st_size
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        assert write_pages_once(session)
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA cache_size=4")
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        # FULL: a rollback journal is not safe from power cuts with NORMAL
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        connection.exec_driver_sql("UPDATE t SET v = 'changed' WHERE id = 1")
        for i in range(2, 3000):
            connection.exec_driver_sql(f"INSERT INTO t VALUES ({i}, '{'x' * 200}')")
        assert path.stat().st_size > size  # spilled into the file itself
        session.rollback()
    assert journal_mode(engine) == "wal"
    with engine.connect() as connection:  # the pool's one connection, switched back
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert connection.exec_driver_sql("SELECT id, v FROM t").all() == [(1, "kept")]
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
    assert path.stat().st_size == size


def test_pages_are_not_written_once_while_another_connection_reads(
    tmp_path: Path,
) -> None:
    """Nobody reading is cut off: with another connection open, or a transaction
    under way, the mode stays WAL."""
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}", create=True)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    reader = engine.connect()
    reader.exec_driver_sql("SELECT COUNT(*) FROM t").scalar()
    with Session(engine) as session:
        assert not write_pages_once(session)
        session.connection().exec_driver_sql("INSERT INTO t VALUES (1)")
        session.commit()
    reader.close()
    with Session(engine) as session:
        session.connection().exec_driver_sql("INSERT INTO t VALUES (2)")
        assert not write_pages_once(session)  # its transaction has begun
        session.commit()
    assert journal_mode(engine) == "wal"
    engine.dispose()


def test_a_command_kept_out_by_a_writer_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a transaction writing its pages once holds the base, a command waits
    out the busy timeout and then says why and what to do, in one line."""
    url = f"sqlite:///{tmp_path / 'held.db'}"
    runner = CliRunner()
    init = ["init", "--admin-user", "admin", "--admin-password", "long-enough-1"]
    assert runner.invoke(cli, ["--db", url, *init]).exit_code == 0
    monkeypatch.setattr(leadbase.db, "BUSY_TIMEOUT_MS", 50)
    engine = make_engine(url)
    with Session(engine) as session:
        assert write_pages_once(session)
        session.connection().exec_driver_sql("BEGIN EXCLUSIVE")
        result = runner.invoke(cli, ["--db", url, "stats"])
        session.rollback()
    engine.dispose()
    assert result.exit_code == 1, result.output
    assert "database is locked" in result.output
    assert "Another command is writing the base" in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(cli, ["--db", url, "stats"]).exit_code == 0


def test_a_connection_kept_from_going_back_to_wal_keeps_full_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At check-in, a reader in a transaction keeps the switched connection in
    rollback-journal mode; it then keeps synchronous=FULL, which that mode needs
    to survive a power cut."""
    monkeypatch.setattr(leadbase.db, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "kept.db"
    engine = make_engine(f"sqlite:///{path}", create=True)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    engine.dispose()
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        assert write_pages_once(session)
        session.connection().exec_driver_sql("SELECT COUNT(*) FROM t").scalar()
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        assert reader.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)
    with engine.connect() as connection:  # the pool's one connection
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    reader.close()
    engine.dispose()
