"""Peak memory of a process and everything it starts, sampled from /proc.

A child's `ru_maxrss` overstates what a forked worker costs: pages it shares with
its parent count in full in both. PSS (proportional set size) splits shared pages
between the processes sharing them, so the sum over the tree is the memory the
whole command really holds. Sampled every `interval` seconds: a peak shorter than
that can be missed.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreePeak:
    """Samples the PSS of `pid`'s process tree until stopped; keeps the peak and
    when it happened (seconds after the start)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_mb = 0.0
        self.peak_at = 0.0
        self._stop = threading.Event()
        self._started = time.perf_counter()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = sum(_pss_kb(p) for p in _tree(self.pid)) / 1024
            if total > self.peak_mb:
                self.peak_mb = total
                self.peak_at = time.perf_counter() - self._started
            self._stop.wait(self.interval)

    def stop(self) -> TreePeak:
        self._stop.set()
        self._thread.join()
        return self


def run_measured(command: list[str]) -> tuple[float, str, TreePeak]:
    """Run a command; its wall seconds, standard output and tree peak."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = TreePeak(process.pid)
    out, _ = process.communicate()
    peak.stop()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, out)
    return time.perf_counter() - started, out, peak
