"""Benchmark the write side of `leadbase dedupe`: storing pairs and writing companies.

Runs `run_dedupe` on a base whose records are normalised but have no companies (make
one with --prepare from a `bench_pipeline.py` database), times the "store pairs" and
"companies" stages in wall and CPU seconds, and rolls back, so the base can be used
again. --profile writes cProfile stats of those two stages only; --dump writes what
the run wrote (companies, phones, emails, memberships, merge events, pairs, blocking
keys), time stamps left out, one JSON line per row, to compare two versions of the
code byte for byte.

Usage: .venv/bin/python bench/bench_write.py --prepare /tmp/x/pipeline.db /tmp/x/w.db
       .venv/bin/python bench/bench_write.py --db sqlite:////tmp/x/w.db
       [--profile out.prof] [--dump out.jsonl]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

import dedupe.bulk_write as bulk_write
import dedupe.pipeline as pipeline
from leadbase.audit import to_json
from leadbase.db import make_engine, session_scope
from leadbase.models import (
    BlockingKey,
    CandidatePair,
    Company,
    Email,
    MergeEvent,
    Phone,
)

# Times of the run, also inside merge-event snapshots: differ from run to run.
STAMPS = {"created_at", "updated_at", "normalised_at", "first_seen_at", "undone_at"}
DERIVED = ("companies", "phones", "emails", "merge_events", "pairs", "dedupe_runs")


def prepare(source: Path, target: Path) -> None:
    """A copy of a deduped SQLite base with every company and pair taken away."""
    shutil.copy(source, target)
    connection = sqlite3.connect(target)
    for table in DERIVED:
        connection.execute(f"DELETE FROM {table}")
    connection.execute("UPDATE records SET company_id = NULL")
    connection.commit()
    connection.execute("VACUUM")
    connection.close()


def timed(
    name: str,
    function: Callable[..., Any],
    figures: dict[str, tuple[float, float]],
    profile: cProfile.Profile | None,
) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        try:
            return function(*args, **kwargs)
        finally:
            if profile is not None:
                profile.disable()
            figures[name] = (time.perf_counter() - wall, time.process_time() - cpu)

    return wrapper


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in STAMPS}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def per_table(
    function: Callable[..., Any], figures: dict[str, list[float]]
) -> Callable[..., Any]:
    """Time a bulk statement helper by the table it writes (its model argument)."""

    def wrapper(session: Any, model: Any, *args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(session, model, *args, **kwargs)
        finally:
            spent = figures.setdefault(model.__tablename__, [0.0, 0.0, 0.0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.process_time() - cpu
            spent[2] += len(args[-1])

    return wrapper


def dump_rows(session: Any) -> Iterator[bytes]:
    for model in (Company, Phone, Email, MergeEvent, CandidatePair, BlockingKey):
        columns = [c.key for c in model.__table__.columns if c.key not in STAMPS]
        query = select(*(getattr(model, c) for c in columns))
        for row in session.execute(query.order_by(*model.__table__.primary_key)):
            values = _scrub({c: to_json(v) for c, v in zip(columns, row, strict=True)})
            yield orjson.dumps(
                [model.__tablename__, values], option=orjson.OPT_SORT_KEYS
            )
    query = "SELECT raw_record_id, company_id FROM records ORDER BY raw_record_id"
    for row in session.connection().exec_driver_sql(query):
        yield orjson.dumps(["records", list(row)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prepare", nargs=2, type=Path, metavar=("FROM", "TO"))
    parser.add_argument("--db", help="database URL")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    if args.prepare:
        prepare(*args.prepare)
        return
    figures: dict[str, tuple[float, float]] = {}
    profile = cProfile.Profile() if args.profile else None
    pipeline._store_pairs = timed(  # type: ignore[method-assign]
        "store pairs", pipeline._store_pairs, figures, profile
    )
    pipeline._write_companies = timed(  # type: ignore[method-assign]
        "companies", pipeline._write_companies, figures, profile
    )
    tables: dict[str, list[float]] = {}
    for module in (pipeline, bulk_write):
        for name in ("bulk_insert_ignoring_conflicts", "bulk_update_column"):
            if hasattr(module, name):
                setattr(module, name, per_table(getattr(module, name), tables))
    print(f"load average at start {os.getloadavg()}")
    engine = make_engine(args.db)
    with session_scope(engine) as session:
        summary = pipeline.run_dedupe(session, full=True)
        if args.dump:
            with args.dump.open("wb") as out:
                for line in dump_rows(session):
                    out.write(line + b"\n")
        session.rollback()
    print(
        f"records {summary.records:,}  companies {summary.companies_written:,}  "
        f"pairs {summary.stored_pairs:,}"
    )
    for name, (wall, cpu) in figures.items():
        print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    for table, (wall, cpu, rows) in tables.items():
        print(f"  {table}: {rows:,.0f} rows in {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"load average at end {os.getloadavg()}")
    if profile is not None:
        profile.dump_stats(args.profile)


if __name__ == "__main__":
    main()
