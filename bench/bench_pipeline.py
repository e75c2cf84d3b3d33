"""Benchmark the whole pipeline as a user runs it: import three files, then dedupe.

The sample generator's three sources are written as files (directory JSON Lines,
bought list and CRM export as `;` CSV: XLSX would measure openpyxl, which
bench_import.py does on its own) and cached in --workdir. A fresh base is made, each
`leadbase` command runs in its own process and is timed; peak RSS is the largest of
them. `leadbase dedupe` here includes normalising every record, loading the base,
the engine, storing pairs and writing companies with their merge events. Accuracy is
measured on the companies written to the base against the generator's truth.

With `--batch N` the directory's last N rows are held back: after the first dedupe
they are imported as a new source and `leadbase dedupe` runs again, incremental
(what a daily crawl or a new bought list costs against an existing base).

Usage: .venv/bin/python bench/bench_pipeline.py [--companies 8000] [--batch 10000]
       [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
       (694,000 companies give 1,004,149 records)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from tree_memory import TreePeak, run_measured  # bench/, beside this script

from dedupe.evaluate import accuracy
from leadbase.models import NormalisedRecord, RawRecord, Source

LEADBASE = str(Path(sys.executable).with_name("leadbase"))
SOURCES = {  # sample source -> (file, leadbase source kind)
    "directory": ("directory.jsonl", "crawl"),
    "bought": ("bought.csv", "bought"),
    "crm": ("crm.csv", "crm-export"),
}


def write_files(companies: int, workdir: Path) -> Path:
    """The three source files and the truth (entity per row, in file order)."""
    folder = workdir / f"pipeline-{companies}"
    truth_path = folder / "truth.json"
    if truth_path.exists():
        return folder
    from leadbase.sample import iter_sample_rows

    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, list[str]] = {name: [] for name in SOURCES}
    handles = {
        name: (folder / file).open("w", encoding="utf-8", newline="")
        for name, (file, _) in SOURCES.items()
    }
    writers: dict[str, csv.writer] = {}  # type: ignore[valid-type]
    for row in iter_sample_rows(companies, 1):
        truth[row.source].append(row.entity_id)
        handle = handles[row.source]
        if row.source == "directory":
            handle.write(json.dumps(row.payload, ensure_ascii=False) + "\n")
            continue
        if row.source not in writers:
            writers[row.source] = csv.writer(handle, delimiter=";")
            writers[row.source].writerow(row.payload.keys())  # type: ignore[attr-defined]
        writers[row.source].writerow(row.payload.values())  # type: ignore[attr-defined]
    for handle in handles.values():
        handle.close()
    truth_path.write_text(json.dumps(truth))
    return folder


BATCH_FILE = "directory-batch.jsonl"


def hold_back(folder: Path, rows: int) -> str:
    """Split the directory file: all but its last `rows` rows, and those rows (as
    source "batch"); returns the first file's name."""
    lines = (folder / "directory.jsonl").read_text(encoding="utf-8").splitlines(True)
    (folder / "directory-base.jsonl").write_text("".join(lines[:-rows]), "utf-8")
    (folder / BATCH_FILE).write_text("".join(lines[-rows:]), "utf-8")
    return "directory-base.jsonl"


PEAKS: dict[str, TreePeak] = {}  # step -> its process tree's PSS peak


def dedupe(db: str, step: str = "dedupe") -> tuple[float, dict[str, Any]]:
    seconds, out, PEAKS[step] = run_measured([LEADBASE, "--db", db, "dedupe", "--json"])
    summary: dict[str, Any] = json.loads(out)
    return seconds, summary


def run(db: str, *args: str, step: str | None = None) -> float:
    seconds, _, peak = run_measured([LEADBASE, "--db", db, *args])
    PEAKS[step or args[0]] = peak
    return seconds


def peaks_line() -> str:
    """Each step's PSS peak (whole process tree) and when in the step it came."""
    return "peak PSS of each step's process tree: " + " · ".join(
        f"{step} {peak.peak_mb:,.0f} MB at {peak.peak_at:.0f} s"
        for step, peak in PEAKS.items()
    )


def measured_accuracy(db: str, folder: Path, held: int = 0) -> str:
    truth = json.loads((folder / "truth.json").read_text())
    if held:  # the directory's last rows arrived as source "batch"
        truth["batch"] = truth["directory"][-held:]
        truth["directory"] = truth["directory"][:-held]
    engine = create_engine(db)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Source.name, NormalisedRecord.company_id)
            .join(RawRecord, RawRecord.source_id == Source.id)
            .join(NormalisedRecord, NormalisedRecord.raw_record_id == RawRecord.id)
            .order_by(Source.name, RawRecord.row_number)
        ).all()
    engine.dispose()
    position = dict.fromkeys(truth, 0)
    found: list[int] = []
    expected: list[str] = []
    for source, company in rows:
        found.append(company)
        expected.append(truth[source][position[source]])
        position[source] += 1
    return accuracy(found, expected).line()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=8000)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--batch", type=int, default=0, help="rows held back")
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/leadbase-bench-pipeline")
    )
    args = parser.parse_args()
    folder = write_files(args.companies, args.workdir)
    if args.postgres:
        name = f"leadbase_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        db = args.postgres.rsplit("/", 1)[0] + f"/{name}"
    else:
        path = args.workdir / "pipeline.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = f"sqlite:///{path}"
    print(f"load average at start {os.getloadavg()}")
    run(db, "init", "--admin-user", "admin", "--admin-password", "bench-password-1")
    seconds: dict[str, float] = {}
    files = dict(SOURCES)
    if args.batch:
        files["directory"] = (hold_back(folder, args.batch), "crawl")
    for source, (file, kind) in files.items():
        seconds[f"import {source}"] = run(
            db,
            "import",
            str(folder / file),
            "--source",
            source,
            "--kind",
            kind,
            step=f"import {source}",
        )
    seconds["dedupe"], summary = dedupe(db)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if args.batch:
        imported = run(
            db,
            "import",
            str(folder / BATCH_FILE),
            "--source",
            "batch",
            "--kind",
            "crawl",
            step="import batch",
        )
        started = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, incremental = dedupe(db, "incremental dedupe")
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = used.ru_utime + used.ru_stime - started.ru_utime - started.ru_stime
        print(
            f"incremental batch of {args.batch:,} records: import {imported:.1f} s, "
            f"`leadbase dedupe` {wall:.1f} s wall, {cpu:.1f} CPU s; "
            f"read {incremental['loaded']:,} of {incremental['records']:,} records; "
            f"peak RSS (largest step so far) {used.ru_maxrss / 1024:,.0f} MB"
        )
        print(
            "incremental stages "
            + " · ".join(f"{k} {v:.1f}" for k, v in incremental["seconds"].items())
        )
    print(f"records {summary['records']:,}  companies {summary['clusters']:,}")
    print(" · ".join(f"{k} {v:.1f} s" for k, v in seconds.items()))
    print(
        f"end to end {sum(seconds.values()):.1f} s  "
        f"peak RSS (largest step, forked workers' shared pages counted in full) "
        f"{peak:,.0f} MB"
    )
    print(
        "dedupe stages "
        + " · ".join(f"{k} {v:.1f}" for k, v in summary["seconds"].items())
    )
    print(peaks_line())
    print(measured_accuracy(db, folder, args.batch))
    print(f"load average at end {os.getloadavg()}")
    if args.postgres:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
