"""The dedupe commands as a user runs them: dedupe, --explain, unmerge, export."""

from __future__ import annotations

import csv
import errno
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

import leadbase.db
from dedupe import pipeline, record_spool
from leadbase.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_dedupe_explain_unmerge_and_export(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lb.db'}"
    assert (
        run(
            "--db",
            db,
            "init",
            "--admin-user",
            "admin",
            "--admin-password",
            "long-enough-1",
        ).exit_code
        == 0
    )
    assert (
        run(
            "--db",
            db,
            "sample",
            "--load",
            "--companies",
            "60",
            "--out",
            str(tmp_path / "s"),
        ).exit_code
        == 0
    )

    first = run("--db", db, "dedupe")
    assert first.exit_code == 0, first.output
    assert "auto-merged" in first.output and "(full)" in first.output
    assert "Nothing new to dedupe." in run("--db", db, "dedupe").output

    out = tmp_path / "clusters.csv"
    assert run("--db", db, "export", "clusters", "--out", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows and all(r["company_id"] for r in rows)
    by_company: dict[str, list[str]] = {}
    for row in rows:
        by_company.setdefault(row["company_id"], []).append(row["record_id"])
    company, members = next((c, m) for c, m in by_company.items() if len(m) > 1)

    explained = run("--db", db, "dedupe", "--explain", members[0], members[1])
    assert explained.exit_code == 0
    assert "prior" in explained.output and "probability" in explained.output

    engine = create_engine(db)
    with engine.begin() as connection:  # a person's edit since the first run
        connection.execute(
            text(
                "UPDATE companies SET name = 'Typed by Anna', provenance = "
                "json_set(provenance, '$.name', json('{\"user_id\": 1}')) "
                "WHERE id = :id"
            ),
            {"id": int(company)},
        )
    engine.dispose()
    undone = run("--db", db, "unmerge", company)
    assert undone.exit_code == 0, undone.output
    assert "restored as they were" in undone.output
    assert f"Company {company} was made by that merge and is gone" in undone.output
    assert "  name: Typed by Anna" in undone.output
    again = run("--db", db, "unmerge", company)
    assert again.exit_code == 1 and "no merge to undo" in again.output

    # The undo recorded `distinct` decisions: --train learns from them.
    trained = run("--db", db, "dedupe", "--train")
    assert trained.exit_code == 0, trained.output
    assert "(train)" in trained.output and "reviewers' labels" in trained.output

    missing = run("--db", db, "dedupe", "--explain", "1", "999999")
    assert missing.exit_code == 1 and "record 999999" in missing.output


def test_bad_settings_file_is_named(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lb.db'}"
    run(
        "--db", db, "init", "--admin-user", "admin", "--admin-password", "long-enough-1"
    )
    bad = tmp_path / "settings.json"
    bad.write_text('{"auto_merge": 0.1, "review_lower": 0.5}')
    result = run("--db", db, "dedupe", "--settings", str(bad))
    assert result.exit_code == 1 and "review_lower" in result.output


def test_a_first_run_without_temporary_room_stops_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run holds its records in a temporary file: when the directory is
    full, the user is told where and what to do, and nothing is stored."""
    db = f"sqlite:///{tmp_path / 'lb.db'}"
    run(
        "--db", db, "init", "--admin-user", "admin", "--admin-password", "long-enough-1"
    )
    run("--db", db, "sample", "--load", "--companies", "20", "--out", str(tmp_path))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(record_spool.tempfile, "TemporaryFile", full)
    result = run("--db", db, "dedupe")
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "TMPDIR" in result.output and "Nothing was stored" in result.output
    engine = create_engine(db)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT COUNT(*) FROM records")).scalar()
    engine.dispose()
    assert stored == 0

    monkeypatch.undo()
    assert run("--db", db, "dedupe").exit_code == 0


def test_a_first_run_that_fails_late_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run alone on the base writes its pages once, with a rollback journal
    (`leadbase.db.write_pages_once`): failing after its companies are written
    (spilled into the file, the page cache made tiny) leaves the base as it was,
    in WAL mode, and the next run stores everything."""
    path = tmp_path / "lb.db"
    db = f"sqlite:///{path}"
    run(
        "--db", db, "init", "--admin-user", "admin", "--admin-password", "long-enough-1"
    )
    run("--db", db, "sample", "--load", "--companies", "60", "--out", str(tmp_path))
    size = path.stat().st_size
    pragmas = leadbase.db._set_sqlite_pragmas

    def tiny_cache(dbapi_connection: Any, record: Any) -> None:
        pragmas(dbapi_connection, record)
        dbapi_connection.execute("PRAGMA cache_size=4")

    seen: dict[str, Any] = {}

    def fail(session: Session, inns: object) -> int:
        connection = session.connection()
        seen["mode"] = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        seen["companies"] = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM companies"
        ).scalar()
        seen["size"] = path.stat().st_size
        raise RuntimeError("planted failure after the companies")

    monkeypatch.setattr(leadbase.db, "_set_sqlite_pragmas", tiny_cache)
    monkeypatch.setattr(pipeline, "link_branches", fail)
    with pytest.raises(RuntimeError, match="planted"):
        run("--db", db, "dedupe")
    assert seen["mode"] == "delete" and seen["companies"] > 0
    assert seen["size"] > size

    engine = create_engine(db)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        for table in ("records", "companies", "merge_events", "dedupe_runs"):
            count = connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}")
            assert count.scalar() == 0, table
        raw = connection.exec_driver_sql("SELECT COUNT(*) FROM raw_records").scalar()
    engine.dispose()
    assert path.stat().st_size == size

    monkeypatch.undo()
    assert run("--db", db, "dedupe").exit_code == 0
    engine = create_engine(db)
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT COUNT(*) FROM records").scalar()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
    assert stored == raw


def test_a_later_run_that_fails_late_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later run alone on the base writes through the rollback journal too, with
    synchronous=FULL (the journal is not safe from power cuts with NORMAL):
    failing after it changed companies, it leaves every table as it was, and the
    base in WAL mode with synchronous=NORMAL again."""
    path = tmp_path / "lb.db"
    db = f"sqlite:///{path}"
    run(
        "--db", db, "init", "--admin-user", "admin", "--admin-password", "long-enough-1"
    )
    run("--db", db, "sample", "--companies", "60", "--out", str(tmp_path))
    directory = ["--source", "directory", "--kind", "crawl"]
    imported = run("--db", db, "import", str(tmp_path / "directory.jsonl"), *directory)
    assert imported.exit_code == 0
    assert run("--db", db, "dedupe").exit_code == 0
    bought = ["--source", "bought", "--kind", "bought"]
    assert (
        run("--db", db, "import", str(tmp_path / "bought.xlsx"), *bought).exit_code == 0
    )
    tables = ("records", "companies", "phones", "emails", "merge_events", "pairs")

    def contents() -> dict[str, list[Any]]:
        engine = create_engine(db)
        with engine.connect() as connection:
            found = {
                table: connection.exec_driver_sql(
                    f"SELECT * FROM {table} ORDER BY 1"
                ).all()
                for table in tables
            }
        engine.dispose()
        return found

    before = contents()
    seen: dict[str, Any] = {}

    def fail(session: Session, inns: object) -> int:
        connection = session.connection()
        for pragma in ("journal_mode", "synchronous"):
            seen[pragma] = connection.exec_driver_sql(f"PRAGMA {pragma}").scalar()
        seen["records"] = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM records"
        ).scalar()
        raise RuntimeError("planted failure after the companies")

    monkeypatch.setattr(pipeline, "link_branches", fail)
    with pytest.raises(RuntimeError, match="planted"):
        run("--db", db, "dedupe")
    assert seen["journal_mode"] == "delete" and seen["synchronous"] == 2
    assert seen["records"] > len(before["records"])  # the batch was written
    assert contents() == before
    engine = create_engine(db)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
