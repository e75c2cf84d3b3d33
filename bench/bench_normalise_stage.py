"""Benchmark the normalise stage of `leadbase dedupe` alone: `normalise_pending`.

The pipeline sample's three files (bench_pipeline.py's, cached in --workdir) are
imported once into a base that is kept as a snapshot; each run copies the snapshot
and times `normalise_pending` plus its commit in this process, as `leadbase dedupe`
runs it: wall seconds, CPU seconds of this process and of its workers (children),
and the load average before and after. `--again` then marks every record as
normalised by an older normaliser and times the stage once more (the re-normalise
path: old rows and keys deleted, companies kept). On PostgreSQL the imported base
is a template database (leadbase_normstage_pipeline_N), kept for the next run:
drop it when done.

Usage: .venv/bin/python bench/bench_normalise_stage.py [--companies 140000]
           [--workdir /tmp/norm-bench] [--postgres URL] [--again] [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text, update

sys.path.insert(0, str(Path(__file__).parent))
from bench_pipeline import LEADBASE, SOURCES, write_files


def cpu() -> tuple[float, float]:
    """(this process, its waited-for children) user + system seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (
        own.ru_utime + own.ru_stime,
        children.ru_utime + children.ru_stime,
    )


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def imported_base(db: str, folder: Path) -> None:
    """A fresh base holding the three sample files, not yet normalised."""
    admin = ("--admin-user", "admin", "--admin-password", "bench-password-1")
    subprocess.run([LEADBASE, "--db", db, "init", *admin], check=True)
    for source, (file, kind) in SOURCES.items():
        command = ["import", str(folder / file), "--source", source, "--kind", kind]
        subprocess.run(
            [LEADBASE, "--db", db, *command],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def sqlite_copy(workdir: Path, folder: Path) -> str:
    snapshot = workdir / f"normalise-stage-{folder.name}.db"
    if not snapshot.exists():
        building = snapshot.with_suffix(".building")
        imported_base(f"sqlite:///{building}", folder)
        engine = create_engine(f"sqlite:///{building}")
        with engine.connect() as connection:  # fold the WAL in: the copy is whole
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        building.rename(snapshot)
    target = workdir / "normalise-stage-run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(snapshot, target)
    return f"sqlite:///{target}"


def postgres_copy(url: str, folder: Path) -> tuple[str, str]:
    """(template database holding the imported base, a fresh copy of it)."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    template = f"leadbase_normstage_{folder.name.replace('-', '_')}"
    base = url.rsplit("/", 1)[0]
    with admin.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}
        ).scalar()
        if not found:
            connection.execute(text(f'CREATE DATABASE "{template}"'))
            imported_base(f"{base}/{template}", folder)
        name = f"leadbase_normstage_{uuid.uuid4().hex[:8]}"
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return template, f"{base}/{name}"


def timed_stage(db: str, label: str) -> None:
    from dedupe.records import normalise_pending
    from leadbase.db import make_engine, session_scope

    engine = make_engine(db)
    before_load = load()
    stored: list[float] = []  # when each chunk of rows was stored
    started, (own, children) = time.perf_counter(), cpu()
    with session_scope(engine) as session:
        done = normalise_pending(session, lambda _: stored.append(time.perf_counter()))
        stage = time.perf_counter() - started
    wall = time.perf_counter() - started
    own_after, children_after = cpu()
    engine.dispose()
    mine, workers = own_after - own, children_after - children
    print(
        f"{label}: {done:,} records; normalise_pending {stage:.1f} s, with commit "
        f"{wall:.1f} s wall; CPU {mine + workers:.1f} s (this process {mine:.1f}, "
        f"workers {workers:.1f}); load before {before_load}, after {load()}"
    )
    if stored:
        print(
            f"  first rows stored after {stored[0] - started:.1f} s; after the last "
            f"ones {started + stage - stored[-1]:.1f} s more (indexes), commit "
            f"{wall - stage:.1f} s"
        )


def mark_stale(db: str) -> None:
    from dedupe.records import NORMALISER_VERSION
    from leadbase.models import NormalisedRecord

    engine = create_engine(db)
    with engine.begin() as connection:
        connection.execute(
            update(NormalisedRecord).values(normaliser_version=NORMALISER_VERSION - 1)
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=140_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/norm-bench"))
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--again", action="store_true", help="then re-normalise all")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    folder = write_files(args.companies, args.workdir)
    for run in range(1, args.runs + 1):
        if args.postgres:
            _, db = postgres_copy(args.postgres, folder)
        else:
            db = sqlite_copy(args.workdir, folder)
        timed_stage(db, f"run {run}, first normalise")
        if args.again:
            mark_stale(db)
            timed_stage(db, f"run {run}, normalised again")
        if args.postgres:
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                name = db.rsplit("/", 1)[1]
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
