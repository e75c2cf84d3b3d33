"""The CLI as a user meets it: one clear error line and exit 1 for mistakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from leadbase.cli import cli
from leadbase.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    session_scope,
)
from leadbase.models import AuditLog, User

LEADBASE = str(Path(sys.executable).with_name("leadbase"))


def read(url: str, statement: Any) -> list[Any]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        rows = list(session.scalars(statement).all())
    engine.dispose()
    return rows


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def run_process(
    *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console script in a real process, as a person runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADBASE_")}
    return subprocess.run(
        [LEADBASE, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


def init(url: str, *extra: str) -> Result:
    return run(
        "--db",
        url,
        "init",
        "--admin-user",
        "admin",
        "--admin-password",
        "admin-password",
        *extra,
    )


def test_init_creates_the_schema_and_the_first_admin(empty_db_url: str) -> None:
    result = init(empty_db_url)
    assert result.exit_code == 0, result.output
    assert (
        "created at" in result.output and "Admin user 'admin' created" in result.output
    )
    [admin] = read(empty_db_url, select(User))
    assert admin.role == "admin" and admin.password_hash.startswith("$argon2id$")
    assert read(empty_db_url, select(AuditLog.action)) == ["user.add"]


def test_init_upgrades_an_older_schema_and_says_from_what(empty_db_url: str) -> None:
    from alembic import command

    init(empty_db_url)
    engine = make_engine(empty_db_url)
    head = head_revision(engine)
    config = alembic_config(engine)
    with engine.begin() as connection:  # as upgrade_schema runs migrations
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")  # the latest migration undone
    older = current_revision(engine)
    engine.dispose()
    assert older is not None and older != head
    result = init(empty_db_url)
    assert result.exit_code == 0, result.output
    assert f"Schema upgraded from {older} to {head} in" in result.output


def test_init_twice_is_harmless(empty_db_url: str) -> None:
    init(empty_db_url)
    again = init(empty_db_url)
    assert again.exit_code == 0, again.output
    assert "up to date" in again.output and "left unchanged" in again.output
    plain = run("--db", empty_db_url, "init")
    assert plain.exit_code == 0 and "1 admin user(s) exist" in plain.output


def test_init_reads_the_password_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/env.db"
    result = run(
        "--db",
        url,
        "init",
        "--admin-user",
        "boss",
        env={"LEADBASE_ADMIN_PASSWORD": "from-the-env"},
    )
    assert result.exit_code == 0, result.output
    logged_in = run("--db", url, "users", "list")
    assert "boss" in logged_in.output and "admin" in logged_in.output


def test_init_without_a_password_and_no_terminal_says_how(tmp_path: Path) -> None:
    result = run_process(
        "--db", f"sqlite:///{tmp_path}/x.db", "init", "--admin-user", "a"
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Error: Password for a is needed and there is no terminal to ask on; "
        "pass it as an option or environment variable (see --help)"
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://nobody@127.0.0.1:1/x",
            "cannot connect to postgresql+psycopg://nobody@127.0.0.1:1/x",
        ),
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("not a url", "not a database URL"),
        (
            "sqlite:///no/such/dir/x.db",
            "no database file no/such/dir/x.db; run `leadbase init`",
        ),
    ],
)
def test_a_bad_database_url_is_one_clear_line_and_exit_1(
    url: str, expected: str
) -> None:
    result = run_process("--db", url, "stats")
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_the_password_never_appears_in_an_error(tmp_path: Path) -> None:
    result = run_process("--db", "postgresql://u:topsecret@127.0.0.1:1/x", "stats")
    assert result.returncode == 1 and "topsecret" not in result.stderr


def test_stats_json_is_the_documented_stable_object(db_url: str) -> None:
    result = run("--db", db_url, "stats", "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    for key in ("sources", "raw_records", "companies", "contacts", "pending_pairs"):
        assert stats[key] == 0 and isinstance(stats[key], int)
    assert stats["companies_by_status"] == {
        "new": 0,
        "verified": 0,
        "rejected": 0,
        "dead": 0,
    }
    assert stats["companies_by_category"] == {
        "A": 0,
        "B": 0,
        "C": 0,
        "D": 0,
        "E": 0,
        "none": 0,
    }


def test_users_can_be_added_listed_changed_and_disabled(db_url: str) -> None:
    init(db_url)
    env = {"LEADBASE_USER_PASSWORD": "reviewer-pass"}
    assert (
        run(
            "--db", db_url, "users", "add", "anna", "--role", "reviewer", env=env
        ).exit_code
        == 0
    )
    assert run("--db", db_url, "users", "set-role", "anna", "viewer").exit_code == 0
    assert run("--db", db_url, "users", "disable", "anna").exit_code == 0
    listed = json.loads(run("--db", db_url, "users", "list", "--json").output)
    assert {u["username"]: (u["role"], u["active"]) for u in listed} == {
        "admin": ("admin", True),
        "anna": ("viewer", False),
    }
    actions = read(db_url, select(AuditLog.action).order_by(AuditLog.id))
    assert actions == ["user.add", "user.add", "user.set_role", "user.disable"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["users", "add", "anna", "--role", "boss", "--password", "long-enough"],
            "Error: unknown role 'boss'; use one of: admin, reviewer, viewer",
        ),
        (["users", "set-role", "ghost", "admin"], "Error: no user 'ghost'"),
        (
            ["users", "add", "anna", "--role", "viewer", "--password", "short"],
            "Error: password too short",
        ),
        (["users", "disable", "admin"], "Error: 'admin' is the last active admin"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_1(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    url = f"sqlite:///{tmp_path}/u.db"
    init(url)
    result = run_process("--db", url, *args)
    assert result.returncode == 1, result
    assert result.stderr.strip().startswith(expected), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_command_has_help() -> None:
    for args in (
        ["--help"],
        ["init", "--help"],
        ["stats", "--help"],
        ["users", "--help"],
        ["users", "add", "--help"],
        ["sample", "--help"],
    ):
        result = run(*args)
        assert result.exit_code == 0 and "Usage:" in result.output


def test_sample_load_stores_three_sources_once(db_url: str, tmp_path: Path) -> None:
    first = run(
        "--db",
        db_url,
        "sample",
        "--companies",
        "40",
        "--out",
        str(tmp_path / "s"),
        "--load",
    )
    assert first.exit_code == 0, first.output
    again = run(
        "--db",
        db_url,
        "sample",
        "--companies",
        "40",
        "--out",
        str(tmp_path / "s"),
        "--load",
    )
    assert "0 new raw records" in again.output
    stats = json.loads(run("--db", db_url, "stats", "--json").output)
    truth = (tmp_path / "s" / "truth.csv").read_text(encoding="utf-8").splitlines()
    assert stats["sources"] == 3
    assert stats["raw_records"] == len(truth) - 1  # one raw record per sample row
