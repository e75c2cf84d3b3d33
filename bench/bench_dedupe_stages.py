"""Each stage of one `leadbase dedupe` run: wall seconds, CPU seconds and peak RSS.

Runs `dedupe.pipeline.run_dedupe` in this process on a copy of an SQLite base (the
base itself is not changed), so a stage's peak is measured alone: the kernel's
high-water mark is reset at every stage (/proc/self/clear_refs) and read when the
next one starts. CPU seconds are this process's; the normalise stage's worker
processes are not in them. Forked processes (normalise workers, the companies'
row builder) are not in the RSS either: `bench_pipeline.py` gives the whole tree.

Usage: .venv/bin/python bench/bench_dedupe_stages.py BASE.db [--full]
       (make a base with `bench_pipeline.py`, which leaves pipeline.db in its
       workdir, or with `leadbase import` into a fresh base for a first run)
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from dedupe.pipeline import run_dedupe
from leadbase.db import make_engine, make_sessionmaker


def _status_mb(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) // 1024
    return 0


def _written_mb() -> int:
    """Bytes this process has sent to storage (/proc/self/io), in MB: the WAL's
    frames, temporary sort files and, at commit, the checkpoint."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1]) // 1_000_000
    return 0


class StageMeter:
    """A dedupe progress callback that prints each stage when the next begins."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.wall = time.perf_counter()
        self.cpu = time.process_time()
        self.written = _written_mb()

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        if stage == self.stage:
            return
        wall, cpu = time.perf_counter(), time.process_time()
        written = _written_mb()
        if self.stage is not None:
            print(
                f"{self.stage:16s} {wall - self.wall:7.1f} s wall "
                f"{cpu - self.cpu:7.1f} s CPU  peak {_status_mb('VmHWM'):6,d} MB  "
                f"after {_status_mb('VmRSS'):6,d} MB  "
                f"written {written - self.written:6,d} MB",
                flush=True,
            )
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak
        self.stage, self.wall, self.cpu = stage, wall, cpu
        self.written = written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base", type=Path, help="an SQLite base (copied first)")
    parser.add_argument("--full", action="store_true", help="leadbase dedupe --full")
    parser.add_argument(
        "--cache-mib", type=int, help="SQLite page cache of the run's connection"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.base.parent) as folder:
        copy = Path(folder) / "stages.db"
        shutil.copy(args.base, copy)
        print(f"load average at start {os.getloadavg()}")
        engine = make_engine(f"sqlite:///{copy}")
        meter = StageMeter()
        with make_sessionmaker(engine)() as session:
            if args.cache_mib:
                session.execute(text(f"PRAGMA cache_size=-{args.cache_mib * 1024}"))
            summary = run_dedupe(session, full=args.full, progress=meter)
            meter("commit")
            session.commit()
            meter("end")
        engine.dispose()
        print(
            f"records {summary.records:,}, read {summary.loaded:,}, "
            f"new {summary.new_records:,}, pairs {summary.candidate_pairs:,}, "
            f"companies written {summary.companies_written:,}"
        )
        print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
