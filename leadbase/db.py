"""Engines, sessions, migrations and the few dialect-specific statements.

Everything that differs between SQLite and PostgreSQL lives here, so the rest of the
code is written once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    create_engine,
    event,
    inspect,
    make_url,
    text,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from alembic.config import Config

from leadbase.errors import ConfigError, DatabaseUnavailableError, SchemaError

MIGRATIONS = Path(__file__).with_name("migrations")


def parse_url(url: str) -> URL:
    """Parse a database URL; `postgresql://` is taken to mean psycopg 3.

    Raises:
        ConfigError: the text is not a database URL we can use.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"not a database URL: {url!r}; e.g. sqlite:///leadbase.db or "
            "postgresql+psycopg://user@host:5432/dbname"
        ) from exc
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(
            f"unsupported database {parsed.get_backend_name()!r} in "
            f"{safe_url(parsed)}; use sqlite:///FILE or postgresql+psycopg://..."
        )
    return parsed


def safe_url(url: URL | str) -> str:
    """The URL with its password hidden, for messages and logs."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the review app read while an import writes; foreign keys are off by
    # default in SQLite and our invariants depend on them.
    cursor = dbapi_connection.cursor()
    _to_wal(cursor)  # before the busy timeout: not worth waiting for
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB of page cache: a long import transaction spills far less to the WAL.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


# Every digit byte as "0", every other byte as " ": a number orjson could misread
# shows as a run of 19 zeros (see json_loads).
_DIGITS_ONLY = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_DIGIT_RUN = b"0" * 19


def json_loads(text: str | bytes) -> Any:
    """JSON columns as read: exactly what `json.loads` gives, through orjson where
    that is the same. orjson reads an integer beyond 64 bits as a float (from 19
    digits on, negative ones too), and refuses NaN (which `json.dumps` writes) and
    lone surrogates: text with a run of 19 digits, and text orjson refuses, goes
    to `json`.

    The digits are looked for in the UTF-8 bytes with `bytes.translate`, not a
    regular expression: the expression took longer than `json.loads` itself
    (a company's provenance 5.5 µs against json's 3.7; 2.1 µs with this check).
    """
    raw = text
    if isinstance(raw, str):
        try:
            raw = raw.encode()
        except UnicodeEncodeError:  # a lone surrogate: only json reads it
            return json.loads(text)
    if _LONG_DIGIT_RUN not in raw.translate(_DIGITS_ONLY):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


# How long a SQLite statement waits for another connection's lock.
BUSY_TIMEOUT_MS = 30_000
# Said when SQLite stays locked past the busy timeout: a writer without WAL
# (`write_pages_once`) keeps readers out until it commits.
LOCKED_ADVICE = (
    "Another command is writing the base, such as a first dedupe or an import "
    "started when nothing else had it open; run this again when it has finished."
)


def make_engine(url: str, *, create: bool = False, echo: bool = False) -> Engine:
    """Create an engine and prove the database answers.

    Args:
        url: SQLAlchemy URL.
        create: allow a new SQLite file to be created (only `leadbase init` does).
        echo: log SQL.

    Raises:
        ConfigError: bad URL or unknown driver.
        DatabaseUnavailableError: the server is down, refuses us, or the file is absent.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        in_memory = database in {"", ":memory:"}
        if not in_memory and not create and not Path(database).exists():
            raise SchemaError(
                f"no database file {database}; run `leadbase init` to create it "
                "(or pass --db / LEADBASE_DATABASE_URL)"
            )
    try:
        engine = create_engine(
            parsed, echo=echo, pool_pre_ping=True, json_deserializer=json_loads
        )
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigError(f"cannot use {safe_url(parsed)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "checkin", _back_to_wal)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        advice = "Check --db / LEADBASE_DATABASE_URL and that the database server runs."
        if "locked" in reason:  # SQLite: a writer held it past the busy timeout
            advice = LOCKED_ADVICE
        raise DatabaseUnavailableError(
            f"cannot connect to {safe_url(parsed)}: {reason}. {advice}"
        ) from exc
    return engine


def _to_wal(cursor: Any) -> bool:
    """WAL mode, unless the base cannot change mode now: a lone writer in
    rollback-journal mode (`write_pages_once`: a dedupe run, an import) holds
    it. This connection then reads as that mode allows; a later one switches.
    Returns whether the base is in WAL mode."""
    try:
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    return str(mode).lower() == "wal"


def _back_to_wal(dbapi_connection: Any, record: Any) -> None:
    """Pool check-in: a connection `write_pages_once` switched goes back to WAL,
    its transaction over."""
    switched = record is not None and record.info.pop(_ROLLBACK_JOURNAL, False)
    if switched and dbapi_connection is not None:
        cursor = dbapi_connection.cursor()
        # Kept from switching (another connection reads), it stays in its
        # journal mode, so with FULL.
        if _to_wal(cursor):
            cursor.execute("PRAGMA synchronous=NORMAL")  # as every connection has it
        cursor.close()


_ROLLBACK_JOURNAL = "leadbase_rollback_journal"


def write_pages_once(session: Session) -> bool:
    """Let the session's coming transaction write its pages once, into the base:
    for a large writing transaction (a dedupe run, an import). Returns whether
    the mode changed.

    In WAL mode every page goes to the write-ahead log and is copied into the
    base at checkpoint: at a million records a first dedupe writes 2.4 GB twice,
    and the copy alone took 8-10 s at commit. A rollback journal keeps only the
    old content of pages that existed before; pages past the old end of the file
    are written once, and a failure truncates them away, so the transaction is
    as all-or-nothing as before. A daily batch, which changes existing pages
    all over the indexes, journals their old content instead of logging their
    new ones and copying them again: at 1M, a 10k batch ~0.6 s shorter on
    average (bench/RESULTS.md, "Session 10").

    SQLite changes the mode only when no other connection has the base open
    and no transaction has begun: otherwise this does nothing and the run
    writes through WAL. While the transaction runs, a connection opened
    meanwhile waits for it (busy timeout) instead of reading the old state. The
    connection returns to WAL when it goes back to the pool.
    """
    if session.get_bind().dialect.name != "sqlite":
        return False
    connection = session.connection()
    dbapi: Any = connection.connection.driver_connection
    if dbapi.in_transaction:
        return False
    try:
        mode = dbapi.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:  # another connection has the base open
        return False
    if str(mode).lower() != "delete":  # in-memory bases keep "memory"
        return False
    # WAL with synchronous=NORMAL survives a power cut; a rollback journal needs
    # FULL too (SQLite's documentation of the pragma): one sync more per commit
    # and per cache spill.
    dbapi.execute("PRAGMA synchronous=FULL")
    connection.connection.info[_ROLLBACK_JOURNAL] = True  # the record's info
    return True


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (the CLI prints them)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = make_sessionmaker(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# The newest migration (leadbase/migrations/versions). Every command checks the
# base against it; importing alembic and loading its scripts to find it took a
# third of a second of each command. A test holds it to alembic's head.
HEAD_REVISION = "0007"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine (env.py reuses its connection)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False)
    )
    return config


def head_revision(engine: Engine) -> str | None:
    """The newest migration among the scripts, as alembic finds it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        found = connection.execute(text("SELECT version_num FROM alembic_version"))
        return found.scalar()


def upgrade_schema(engine: Engine) -> tuple[str | None, str | None]:
    """Create or upgrade the schema to head; returns (before, after) revisions."""
    from alembic import command

    before = current_revision(engine)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, current_revision(engine)


def require_current_schema(engine: Engine) -> None:
    """Refuse to work on a database that is empty or at another migration.

    Raises:
        SchemaError: with the command that fixes it.
    """
    current, head = current_revision(engine), HEAD_REVISION
    where = safe_url(engine.url)
    if current is None:
        raise SchemaError(f"{where} has no leadbase schema; run `leadbase init` first")
    if current != head:
        raise SchemaError(
            f"{where} is at schema {current}, this leadbase needs {head}; "
            "run `leadbase init` to upgrade (back up the base first)"
        )


def bulk_insert_ignoring_conflicts(
    session: Session,
    model: type[Any],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> int:
    """The fast path for large loads: insert plain rows, skip any that clash with a
    unique constraint, return how many went in.

    Rows are tuples in `columns` order, already in database form (JSON as text,
    timestamps as naive UTC datetimes). SQLite gets `INSERT OR IGNORE` statements
    of many rows each; PostgreSQL gets COPY into a temporary table and one
    `INSERT … SELECT … ON CONFLICT DO NOTHING`. Both stay inside the session's
    transaction.
    """
    if not rows:
        return 0
    table = model.__table__
    dbapi: Any = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        return _copy_insert_postgresql(dbapi, table.name, columns, rows)
    return _insert_sqlite(dbapi, table, columns, rows)


def _insert_sqlite(
    dbapi: Any, table: Any, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> int:
    prepared = sqlite_rows(table, columns, rows)
    return _insert_sqlite_flat(dbapi, table.name, prepared.names, prepared.flat)


@dataclass(frozen=True)
class SqliteRows:
    """Rows as SQLite statements take them (see `sqlite_rows`)."""

    names: list[str]  # the columns given a value
    flat: list[Any]  # the rows' values one after another


def sqlite_rows(
    table: Any,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    keep: Sequence[str] = (),
) -> SqliteRows:
    """Rows in `columns` order made ready for SQLite, with no database at hand (a
    builder process can do it while another one writes).

    Column by column: sqlite3 binds None and bool through its slow adaptation
    path, so a column that is NULL in every row is left to its default (NULL),
    unless it is one to `keep` (filled in later), and booleans go in as 0/1;
    timestamps become SQLAlchemy's SQLite text form.
    """
    names: list[str] = []
    values: list[Sequence[Any]] = []
    memo: dict[datetime, str] = {}
    for name, column_values in zip(columns, zip(*rows, strict=True), strict=True):
        column = table.c[name]
        if (
            column.server_default is None
            and name not in keep
            and column_values.count(None) == len(rows)
        ):
            continue
        names.append(name)
        values.append(_sqlite_column(column.type, column_values, memo))
    if not names:  # rows of NULLs: keep one column to name in the statement
        names, values = [columns[0]], [[None] * len(rows)]
    return SqliteRows(names, list(chain.from_iterable(zip(*values, strict=True))))


def insert_sqlite_rows(session: Session, model: type[Any], rows: SqliteRows) -> int:
    """`bulk_insert_ignoring_conflicts` for rows `sqlite_rows` made ready."""
    dbapi: Any = session.connection().connection.driver_connection
    return _insert_sqlite_flat(dbapi, model.__table__.name, rows.names, rows.flat)


def _insert_sqlite_flat(
    dbapi: Any, table: str, names: Sequence[str], flat: list[Any]
) -> int:
    """INSERT OR IGNORE rows given one after the other in one flat list."""
    # Many rows per statement: each statement, not each value, is what costs.
    limit = dbapi.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(100, limit // len(names)))
    single = "(" + ", ".join("?" * len(names)) + ")"
    head = f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) VALUES "
    whole = len(flat) // (per * len(names)) * per * len(names)
    before = dbapi.total_changes
    cursor = dbapi.cursor()
    many = head + ", ".join([single] * per)
    step = per * len(names)
    for start in range(0, whole, step):
        cursor.execute(many, flat[start : start + step])
    rest = flat[whole:]
    if rest:
        cursor.executemany(
            head + single,
            [rest[i : i + len(names)] for i in range(0, len(rest), len(names))],
        )
    cursor.close()
    return int(dbapi.total_changes - before)


INTEGER_CHUNK = 200_000  # rows of integers converted to Python objects at a time


def bulk_insert_integers(
    session: Session,
    model: type[Any],
    columns: Sequence[str],
    arrays: Sequence[np.ndarray[Any, Any]],
) -> int:
    """`bulk_insert_ignoring_conflicts` for rows of integers held as numpy
    columns (one array per column, in `columns` order).

    Millions of derived rows (blocking keys): SQLite gets them as one flat list
    per chunk, made by numpy, without a tuple per row or any conversion per
    value; only a chunk's values are Python objects at any time.
    """
    total = len(arrays[0]) if arrays else 0
    sqlite = session.get_bind().dialect.name == "sqlite"
    dbapi: Any = session.connection().connection.driver_connection
    inserted = 0
    for start in range(0, total, INTEGER_CHUNK):
        part = [np.asarray(a[start : start + INTEGER_CHUNK]) for a in arrays]
        if sqlite:
            flat = np.column_stack(part).astype(np.int64, copy=False).ravel()
            table = model.__table__.name
            inserted += _insert_sqlite_flat(dbapi, table, columns, flat.tolist())
        else:
            rows = list(zip(*(p.tolist() for p in part), strict=True))
            inserted += bulk_insert_ignoring_conflicts(session, model, columns, rows)
    return inserted


def _sqlite_column(
    kind: Any, values: Sequence[Any], memo: dict[datetime, str]
) -> Sequence[Any]:
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, DateTime):
        return [_stamp(memo, value) for value in values]
    if isinstance(kind, Boolean):
        return [value if value is None else int(value) for value in values]
    return values


def _stamp(memo: dict[datetime, str], value: Any) -> Any:
    if not isinstance(value, datetime):
        return value
    if value not in memo:
        memo[value] = value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return memo[value]


def _copy_to_staging(
    cursor: Any, staging: str, select: str, columns: str, rows: Iterable[Any]
) -> None:
    """COPY rows into an empty temporary table shaped by `select` (… WITH NO DATA)."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
        f"{select} WITH NO DATA"
    )
    # TRUNCATE, not DELETE: the table was created in this transaction, so it is
    # emptied in place. DELETE leaves every earlier batch behind as dead rows
    # until commit, and each statement reading it scans them all again
    # (250k-row import: 58 s with DELETE, 17 s with TRUNCATE; bench/RESULTS.md).
    cursor.execute(f"TRUNCATE {staging}")
    with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _copy_insert_postgresql(
    dbapi: Any, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> int:
    names = ", ".join(columns)
    staging = f"_staging_{table}"
    with dbapi.cursor() as cursor:
        # Only the loaded columns, no constraints or sequence defaults to consume.
        _copy_to_staging(cursor, staging, f"SELECT {names} FROM {table}", names, rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} "
            "ON CONFLICT DO NOTHING"
        )
        return int(cursor.rowcount)


@contextmanager
def indexes_rebuilt_after(
    session: Session,
    models: Sequence[type[Any]],
    rows: int,
    in_order: Sequence[str] = (),
    only: Sequence[str] | None = None,
) -> Iterator[None]:
    """Around a bulk load of about `rows` rows into each of `models`' tables.

    On SQLite a table that at least doubles loses its plain (non-unique) indexes
    for the block and gets them back, each built once from sorted keys, at its
    end: keeping an index of a million random keys (INNs, phones) up to date row
    by row costs more than the rows themselves. An index led by a column of
    `in_order` (values the load writes in increasing order, or all alike) only
    grows at its end, cheaper than a rebuild's scan of the table, and stays; so do
    unique indexes, so conflicts are still found. With `only`, just the indexes led
    by one of those columns go (an update of one column). It all happens in the
    session's transaction: a failure rolls the indexes back with the rows. Other
    readers see the old schema until commit. PostgreSQL keeps its indexes (dropping
    one would lock out readers).
    """
    dropped: list[str] = []
    if session.get_bind().dialect.name == "sqlite":
        connection = session.connection()
        dbapi: Any = connection.connection.driver_connection
        if not dbapi.in_transaction:  # sqlite3 would run (and keep) the DDL alone
            dbapi.execute("BEGIN")
        for model in models:
            table = model.__table__.name
            # Counted only as far as decides it: a daily batch's few thousand
            # rows need not count a table of millions to know it will not double.
            held = connection.exec_driver_sql(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT {int(rows) + 1})"
            ).scalar()
            if rows < max(int(held or 0), 1):
                continue
            for _, name, unique, origin, _ in connection.exec_driver_sql(
                f"PRAGMA index_list({table})"
            ).all():
                lead = connection.exec_driver_sql(f"PRAGMA index_info({name})").first()
                if origin != "c" or unique or lead is None or lead[2] in in_order:
                    continue
                if only is not None and lead[2] not in only:
                    continue
                sql = connection.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                    (name,),
                ).scalar_one()
                connection.exec_driver_sql(f"DROP INDEX {name}")
                dropped.append(sql)
    yield
    for sql in dropped:
        session.connection().exec_driver_sql(sql)


def refresh_statistics(session: Session, models: Iterable[type[Any]]) -> None:
    """PostgreSQL: ANALYZE tables just filled in bulk. Autovacuum gets there in a
    while; an incremental run started before it would be planned without any
    statistics (a 2,000-record batch read its neighbours in 58 s instead of 1)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    names = ", ".join(model.__table__.name for model in models)
    session.execute(text(f"ANALYZE {names}"))


def driver_rows(session: Session, statement: str) -> Iterator[tuple[Any, ...]]:
    """The rows of a statement without parameters, straight from the driver.

    For reads of a million rows: SQLAlchemy's result rows cost about a microsecond
    each, the driver's tuples a fraction of that. Values are as the driver gives
    them (SQLite: timestamps as text), in the session's transaction.
    """
    dbapi: Any = session.connection().connection.driver_connection
    cursor = dbapi.cursor()
    try:
        cursor.execute(statement)
        while batch := cursor.fetchmany(50_000):
            yield from batch
    finally:
        cursor.close()


def reserve_ids(session: Session, model: type[Any], count: int) -> list[int]:
    """`count` fresh primary keys for rows about to be bulk-inserted with them.

    PostgreSQL takes them from the table's sequence (safe with other writers);
    SQLite has one writer at a time, and this session already holds the write lock
    when it has written anything in its transaction, so the ids after the largest
    one used (or handed out by AUTOINCREMENT) are free.
    """
    if count <= 0:
        return []
    table = model.__table__.name
    if session.get_bind().dialect.name == "postgresql":
        ids = session.execute(
            text(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": count},
        ).scalars()
        return sorted(int(i) for i in ids)
    top = int(
        session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()
    )
    # Asked, not tried: a caught OperationalError keeps its frames (and the
    # caller's locals) alive in reference cycles until the collector runs.
    has_sequences = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
    ).scalar()
    sequence = None
    if has_sequences:  # some table is AUTOINCREMENT
        sequence = session.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :table"),
            {"table": table},
        ).scalar()
    start = max(top, int(sequence or 0)) + 1
    return list(range(start, start + count))


def bulk_update_column(
    session: Session,
    model: type[Any],
    key: str,
    column: str,
    values: Sequence[tuple[Any, Any]],
) -> None:
    """Set `column` per row, found by its integer `key`: (key value, new value)
    pairs, each key once.

    Both databases load the pairs into a temporary table and run one UPDATE from it
    (SQLite: a third of the time of one prepared UPDATE per pair, since each
    statement has its own overhead; PostgreSQL: COPY into the table).
    """
    if not values:
        return
    table = model.__table__.name
    staging = f"_update_{table}_{column}"
    dbapi: Any = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        update = (
            f"UPDATE {table} SET {column} = s.v FROM {staging} s "
            f"WHERE {table}.{key} = s.k"
        )
        with dbapi.cursor() as cursor:
            shape = f"SELECT {key} AS k, {column} AS v FROM {table}"
            _copy_to_staging(cursor, staging, shape, "k, v", values)
            cursor.execute(update)
        return
    cursor = dbapi.cursor()
    # Keyed by k (integer keys: every caller's are ids), so each row's new value
    # is found by a seek, not an automatic index built over the staging table.
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} (k INTEGER PRIMARY KEY, v)"
    )
    cursor.execute(f"DELETE FROM {staging}")
    cursor.executemany(f"INSERT OR REPLACE INTO {staging} (k, v) VALUES (?, ?)", values)
    # Driven by the staging table's keys, each row found by its own: UPDATE …
    # FROM left the order to the planner, which, with no statistics for the
    # staging table, read the whole target table and looked each row up in it
    # (17k records of a 1M base: 0.28 s against 0.11).
    cursor.execute(
        f"UPDATE {table} SET {column} = (SELECT v FROM {staging} WHERE k = "
        f"{table}.{key}) WHERE {key} IN (SELECT k FROM {staging})"
    )
    cursor.execute(f"DELETE FROM {staging}")
    cursor.close()
