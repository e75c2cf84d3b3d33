"""Shared fixtures: a fresh migrated database per test on SQLite and, with
--postgres URL, on PostgreSQL too; --browser enables the Playwright tier."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from leadbase.db import make_engine, make_sessionmaker, upgrade_schema

IN_CI = os.environ.get("CI", "").lower() == "true"

# CI judges a commit, so its property tests draw the same examples every run; on a
# developer's machine they draw new ones and keep finding what CI would not.
settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        metavar="URL",
        default=os.environ.get("LEADBASE_TEST_POSTGRES_URL"),
        help="Also run database tests on this PostgreSQL server (a database per test "
        "is created from a template and dropped). Env LEADBASE_TEST_POSTGRES_URL.",
    )
    parser.addoption(
        "--browser", action="store_true", help="Run the Playwright browser tests."
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = ["sqlite"]
        if metafunc.config.getoption("--postgres"):
            backends.append("postgresql")
        marks = {"postgresql": [pytest.mark.postgres]}
        metafunc.parametrize(
            "backend",
            [pytest.param(b, marks=marks.get(b, [])) for b in backends],
        )


class PostgresServer:
    """Creates one migrated template database, then a fresh copy per test."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.template = f"leadbase_tpl_{uuid.uuid4().hex[:8]}"
        try:
            with self.admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{self.template}"'))
        except Exception as exc:  # the server is down or refuses us
            message = f"PostgreSQL at {url} is not usable: {exc}"
            if IN_CI:  # CI must prove the PostgreSQL tier, never skip it
                pytest.exit(message, returncode=3)
            pytest.skip(message)
        template = make_engine(
            self.url.set(database=self.template).render_as_string(hide_password=False)
        )
        upgrade_schema(template)
        template.dispose()  # a template in use cannot be copied

    def new_database(self) -> str:
        name = f"leadbase_t_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def empty_database(self) -> str:
        name = f"leadbase_e_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade_schema(engine)
    with engine.connect() as c:  # fold the WAL into the file so a copy is complete
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PostgresServer]:
    url = request.config.getoption("--postgres")
    if not url:
        pytest.skip("PostgreSQL tier needs --postgres URL")
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture
def db_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """URL of a fresh, migrated, empty database on the parametrised backend."""
    if backend == "sqlite":
        path = tmp_path / "leadbase.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop(url)


@pytest.fixture
def empty_db_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """URL of a database with no schema at all, for migration tests."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.empty_database()
    yield url
    server.drop(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_sessionmaker(engine)() as session:
        yield session


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly how many tests of each opt-in tier ran, so a CI log proves it."""
    for tier in ("postgres", "browser"):
        counts: dict[str, int] = {}
        for outcome in ("passed", "failed", "skipped", "error"):
            reports = terminalreporter.stats.get(outcome, [])
            counts[outcome] = sum(
                1
                for r in reports
                if getattr(r, "when", "call") in ("call", "setup")
                and tier in getattr(r, "keywords", {})
                and (outcome != "passed" or r.when == "call")
            )
        terminalreporter.write_line(
            f"{tier} tier: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped, {counts['error']} errors"
        )
