"""Peak memory of one `leadbase` command run in a fresh interpreter (memory tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def init_database(url: str) -> None:
    command = [LEADBASE, "--db", url, "init", "--admin-user", "admin"]
    subprocess.run(
        [*command, "--admin-password", "admin-password"],
        check=True,
        capture_output=True,
    )


def cli_peak_rss_mb(*args: str, timeout: int = 900) -> float:
    """Run `leadbase ARGS…` in a new interpreter; its own peak RSS in MB."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("peak-rss-kb"))
    return int(line.split()[1]) / 1024
