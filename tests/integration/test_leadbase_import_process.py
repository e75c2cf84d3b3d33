"""Imports as real processes: killed half-way, and a 200 MB file in flat memory."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from cli_memory import LEADBASE, cli_peak_rss_mb, init_database
from sqlalchemy import func, select

from leadbase.db import make_engine, session_scope
from leadbase.models import Import, RawRecord, Source

HEADER = "Наименование;ИНН;Телефон;E-mail;Адрес;Комментарий\n"


def write_big_csv(path: Path, rows: int, note_size: int = 40) -> Path:
    note = ("Звонили, просили перезвонить после обеда. " * 60)[:note_size]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(
                f"ООО «Компания {i}»;{7700000000 + i};"
                f"+7 495 {i % 1000:03d}-{i % 97:02d}-{i % 89:02d};"
                f"info{i}@firm{i}.ru;г. Москва, ул. Ленина, д. {i % 300};"
                f"{note} {i}\n"
            )
    return path


def counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        result = tuple(
            int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Source, Import, RawRecord)
        )
    engine.dispose()
    return result  # type: ignore[return-value]


def test_an_import_killed_half_way_leaves_nothing(db_url: str, tmp_path: Path) -> None:
    path = write_big_csv(tmp_path / "big.csv", 400_000)
    process = subprocess.Popen(
        [LEADBASE, "--db", db_url, "import", str(path), "--source", "killed"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(4)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert counts(db_url) == (0, 0, 0)
    # Nothing is left half-registered: the same file imports cleanly afterwards.
    small = write_big_csv(tmp_path / "small.csv", 50)
    done = subprocess.run(
        [LEADBASE, "--db", db_url, "import", str(small), "--source", "after"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert counts(db_url) == (1, 1, 50)


def test_a_200_mb_file_imports_in_flat_memory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/big.db"
    init_database(url)
    half = write_big_csv(tmp_path / "100mb.csv", 50_000, note_size=1_900)
    full = write_big_csv(tmp_path / "200mb.csv", 100_000, note_size=1_900)
    assert full.stat().st_size > 200_000_000
    small_rss = cli_peak_rss_mb("--db", url, "import", str(half), "--source", "half")
    big_rss = cli_peak_rss_mb("--db", url, "import", str(full), "--source", "full")
    assert big_rss < 500
    assert big_rss < small_rss * 1.25, (
        small_rss,
        big_rss,
    )  # twice the file, same memory
    assert counts(url)[2] == 150_000
