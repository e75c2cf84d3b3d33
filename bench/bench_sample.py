"""Benchmark: write the sample files and load them as raw records.

Each stage runs in a fresh process so its peak RSS is its own.
Usage: .venv/bin/python bench/bench_sample.py [--companies 100000]
       [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text


def _write(out: str, companies: int) -> dict[str, Any]:
    from leadbase.sample import write_sample

    summary = write_sample(Path(out), companies)
    return {"rows": sum(summary.rows_by_source.values())}


def _load(url: str, companies: int) -> dict[str, Any]:
    from leadbase.audit import Actor
    from leadbase.db import make_engine, session_scope, upgrade_schema
    from leadbase.sample_loader import load_sample

    engine = make_engine(url, create=True)
    upgrade_schema(engine)
    with session_scope(engine) as session:
        results = load_sample(session, companies, 42, actor=Actor(name="bench"))
    return {"rows": sum(r.stored for r in results.values())}


def _child(queue: Any, func: Any, args: tuple[Any, ...]) -> None:
    started = time.perf_counter()
    result = func(*args)
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(result)


def measure(func: Any, *args: Any) -> dict[str, Any]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, func, args))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def report(label: str, result: dict[str, Any]) -> None:
    rate = result["rows"] / result["seconds"]
    print(
        f"{label:<28} {result['rows']:>10,} rows  {result['seconds']:>7.1f} s  "
        f"{rate:>9,.0f} rows/s  peak RSS {result['peak_rss_mb']:>6.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report("write sample files", measure(_write, f"{tmp}/sample", args.companies))
        sqlite_url = f"sqlite:///{tmp}/bench.db"
        report("load into SQLite", measure(_load, sqlite_url, args.companies))
        if args.postgres:
            name = f"leadbase_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = admin.url.set(database=name).render_as_string(False)
                report("load into PostgreSQL", measure(_load, url, args.companies))
            finally:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
