"""Parse and import speed of a generated ФНС SME-register release.

Usage: .venv/bin/python bench/bench_registry.py --documents 1000000

Prints documents/s (wall and CPU) and peak RSS for: parsing with filters off,
parsing with filters on, and `leadbase registry import` with filters on into a
fresh SQLite file. With --full-import N it also imports a release of N documents
with filters off (every document stored) into SQLite and, with --postgres URL, into
a fresh PostgreSQL database. Each stage runs in its own process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ADMIN = ["--admin-user", "bench", "--admin-password", "bench-password"]
TIME = ["/usr/bin/time", "-f", "%M %U %S"]  # peak RSS KB, user s, system s
FILTERS = ["--okved", "62,63", "--region", "77,50", "--category", "2,3"]
PARSE = """
import resource, sys, time
from pathlib import Path
from enrich.registries.rmsp import parse_rmsp
from enrich.registries.types import Filters, ParseReport
on = sys.argv[2] == "on"
filters = Filters(okved=("62", "63"), regions=frozenset({"77", "50"}),
                  categories=frozenset({"2", "3"})) if on else Filters()
report = ParseReport()
wall, cpu = time.perf_counter(), time.process_time()
kept = sum(1 for _ in parse_rmsp(Path(sys.argv[1]), filters, report))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{report.documents} {kept} {wall:.2f} {cpu:.2f} {rss:.0f}")
"""


def run_parse(path: Path, mode: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PARSE, str(path), mode],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    docs, kept = int(out[0]), int(out[1])
    wall, cpu, rss = (float(x) for x in out[2:])
    print(
        f"parse, filters {mode:<3}: {docs:,} documents, {kept:,} kept, {wall:.1f} s "
        f"wall ({docs / wall:,.0f} docs/s), {cpu:.1f} s CPU ({docs / cpu:,.0f} "
        f"docs/CPU-s), peak RSS {rss:.0f} MB"
    )


def fresh_sqlite(workdir: Path) -> str:
    for stale in workdir.glob("bench.db*"):
        stale.unlink()
    return f"sqlite:///{workdir / 'bench.db'}"


def run_import(
    path: Path, url: str, documents: int, filters: list[str], label: str
) -> None:
    leadbase = str(Path(sys.executable).with_name("leadbase"))
    subprocess.run(
        [leadbase, "--db", url, "init", *ADMIN],
        check=True,
        capture_output=True,
    )
    started = time.perf_counter()
    done = subprocess.run(
        [
            *TIME,
            leadbase,
            "--db",
            url,
            "registry",
            "import",
            "rmsp",
            str(path),
            *filters,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    rss_kb, user, system = done.stderr.split()[-3:]
    cpu = float(user) + float(system)
    print(done.stdout.strip().splitlines()[0])
    print(
        f"import, {label}: {wall:.1f} s wall ({documents / wall:,.0f} "
        f"docs/s), {cpu:.1f} s CPU, peak RSS {int(rss_kb) / 1024:.0f} MB"
    )


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"leadbase_bench_registry_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--full-import", type=int, default=0, metavar="N")
    parser.add_argument("--postgres", metavar="URL", help="server for --full-import")
    args = parser.parse_args()
    from enrich.registries.synthetic import write_rmsp_zip

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="leadbase-registry-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"data-10112026-structure-10062025-{args.documents}.zip"
    if not path.exists():
        started = time.perf_counter()
        write_rmsp_zip(path, args.documents)
        took = time.perf_counter() - started
        print(f"generated {args.documents:,} documents in {took:.1f} s")
    size = path.stat().st_size / 1e6
    print(f"file {path} ({size:.0f} MB); load average {os.getloadavg()}")
    run_parse(path, "off")
    run_parse(path, "on")
    url = fresh_sqlite(workdir)
    run_import(path, url, args.documents, FILTERS, "filters on (SQLite)")
    if args.full_import:
        full = workdir / f"data-10102026-structure-10062025-{args.full_import}.zip"
        if not full.exists():
            write_rmsp_zip(full, args.full_import)
        url = fresh_sqlite(workdir)
        run_import(full, url, args.full_import, [], "filters off (SQLite)")
        if args.postgres:
            with postgres_database(args.postgres) as url:
                run_import(full, url, args.full_import, [], "filters off (PostgreSQL)")
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
