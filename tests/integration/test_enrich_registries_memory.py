"""Generated 100,000- and 200,000-document SME-register ZIPs import in the same
memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from enrich.registries.synthetic import write_rmsp_zip
from leadbase.db import make_engine, session_scope
from leadbase.models import RegistryEntity

LEADBASE = str(Path(sys.executable).with_name("leadbase"))
# VmHWM, not getrusage's ru_maxrss: on Linux the latter carries over the parent's
# peak across fork and exec, so a child of a big pytest process reports pytest's size.
MEASURE = """
import sys
from leadbase.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    with open("/proc/self/status") as status:
        peak = next(l for l in status if l.startswith("VmHWM:")).split()[1]
    print("peak-rss-kb", peak)
"""


def peak_rss_mb(url: str, path: Path) -> float:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            "--db",
            url,
            "registry",
            "import",
            "rmsp",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("peak-rss-kb"))
    return int(line.split()[1]) / 1024


def test_a_100k_document_release_imports_in_flat_memory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/registry.db"
    subprocess.run(
        [
            LEADBASE,
            "--db",
            url,
            "init",
            "--admin-user",
            "admin",
            "--admin-password",
            "admin-password",
        ],
        check=True,
        capture_output=True,
    )
    # Both runs touch more pages than SQLite's page cache holds (capped at 64 MiB
    # per connection), so what differs between them is only the document count.
    small = write_rmsp_zip(tmp_path / "data-10102026-structure-10062025.zip", 100_000)
    big = write_rmsp_zip(
        tmp_path / "data-10112026-structure-10062025.zip", 200_000, seed=9
    )
    small_rss = peak_rss_mb(url, small)
    big_rss = peak_rss_mb(url, big)
    # Twice the documents, the same memory.
    assert big_rss < small_rss * 1.1, (small_rss, big_rss)
    assert big_rss < 300
    engine = make_engine(url)
    with session_scope(engine) as session:
        entities = session.scalar(select(func.count()).select_from(RegistryEntity))
    engine.dispose()
    assert entities == 200_000  # the 100k are the first half of the 200k
