"""Benchmark `leadbase import`: rows/s and peak RSS for a large CSV and XLSX.

The files are made from the sample generator's bought-list rows (cp1251 `;` CSV with
a title row; XLSX via openpyxl write-only) and cached in --workdir. Each import runs in
a fresh process (`leadbase import`) so its peak RSS is its own; two CSV sizes show
whether memory grows with the file.

Usage: .venv/bin/python bench/bench_import.py [--rows 1000000] [--xlsx-rows 200000]
       [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
       [--workdir /tmp/leadbase-bench]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

LEADBASE = str(Path(sys.executable).with_name("leadbase"))
COLUMNS = [
    "Наименование",
    "ИНН",
    "ОГРН",
    "КПП",
    "Телефон",
    "E-mail",
    "Сайт",
    "Адрес",
    "Город",
    "Контактное лицо",
    "Должность",
    "Отрасль",
]


def sample_rows(count: int) -> Iterator[list[str]]:
    from leadbase.sample import iter_sample_rows

    produced = 0
    for seed in itertools.count():
        for row in iter_sample_rows(500_000, seed):
            if row.source == "bought":
                yield [row.payload.get(c, "") for c in COLUMNS]
                produced += 1
                if produced == count:
                    return


def make_csv(path: Path, rows: int) -> Path:
    if not path.exists():
        with path.open("w", encoding="cp1251", errors="replace", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["Выгрузка базы компаний"])
            writer.writerow(COLUMNS)
            writer.writerows(sample_rows(rows))
    return path


def make_xlsx(path: Path, rows: int) -> Path:
    if not path.exists():
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("База")
        sheet.append(["Выгрузка базы компаний"])
        sheet.append(COLUMNS)
        for row in sample_rows(rows):
            sheet.append(row)
        workbook.save(path)
    return path


def fresh_database(kind: str, workdir: Path, postgres: str | None) -> str:
    if kind == "sqlite":
        db = workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{db}"
    else:
        assert postgres
        admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
        name = f"leadbase_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        admin.dispose()
    subprocess.run(
        [
            LEADBASE,
            "--db",
            url,
            "init",
            "--admin-user",
            "bench",
            "--admin-password",
            "bench-password",
        ],
        check=True,
        capture_output=True,
    )
    return url


def drop_database(url: str, postgres: str | None) -> None:
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(postgres or "", isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def measure(url: str, path: Path) -> tuple[float, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "peak-rss-kb %M",
            LEADBASE,
            "--db",
            url,
            "import",
            str(path),
            "--source",
            "bench",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    rss = next(
        int(x.split()[1])
        for x in done.stderr.splitlines()
        if x.startswith("peak-rss-kb")
    )
    summary = next(x for x in done.stdout.splitlines() if x.startswith("read "))
    return seconds, rss / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/leadbase-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    quarter = max(1, args.rows // 4)
    files = [
        make_csv(args.workdir / f"bought-{quarter}.csv", quarter),
        make_csv(args.workdir / f"bought-{args.rows}.csv", args.rows),
        make_xlsx(args.workdir / f"bought-{args.xlsx_rows}.xlsx", args.xlsx_rows),
    ]
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    print(
        f"{'backend':<11}{'file':<26}{'MB':>7}{'rows':>10}{'s':>8}{'rows/s':>9}"
        f"{'peak RSS MB':>13}"
    )
    for backend in backends:
        for path in files:
            url = fresh_database(backend, args.workdir, args.postgres)
            try:
                seconds, rss, summary = measure(url, path)
            finally:
                drop_database(url, args.postgres)
            rows = int(summary.split(",")[0].split()[1])
            size = path.stat().st_size / 1e6
            print(
                f"{backend:<11}{path.name:<26}{size:>7.0f}{rows:>10,}{seconds:>8.1f}"
                f"{rows / seconds:>9,.0f}{rss:>13.0f}"
            )


if __name__ == "__main__":
    main()
