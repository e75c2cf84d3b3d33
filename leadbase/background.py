"""Bulk writes in a thread while the calling thread builds the next rows.

The sqlite3 driver lets go of the GIL while SQLite runs a statement (psycopg
while PostgreSQL answers), so a loop that builds rows in Python and inserts them
can do both at once on two cores. Threads share the rows: a forked builder had
to pickle them both ways and lost (bench/RESULTS.md, "Full-run writes").
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

# How long the building thread may keep the GIL once the writer asks for it back:
# at Python's 5 ms default the writer could wait that long after each statement,
# which takes about 2 ms (100 company rows).
SWITCH_INTERVAL = 0.0005


class BackgroundWrites:
    """Runs one write at a time in a thread; `submit` first waits for the one
    before, so at most one write runs while the caller builds the next.

    The caller must not use what a running write uses (the session, its
    connection) before `wait`; leaving the block waits, and re-raises a write's
    error. On an error in the block the running write is waited for (a statement
    never runs on a connection being rolled back) and its own error dropped.

    Examples:
        >>> done = []
        >>> with BackgroundWrites() as writes:
        ...     for chunk in ([1, 2], [3]):
        ...         writes.submit(done.extend, chunk)
        >>> done
        [1, 2, 3]
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write")
        self._running: Future[Any] | None = None
        self._interval = sys.getswitchinterval()

    def __enter__(self) -> BackgroundWrites:
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        return self

    def submit(self, write: Callable[..., Any], *args: Any) -> None:
        self.wait()
        self._running = self._pool.submit(write, *args)

    def wait(self) -> None:
        """Wait for the running write; raise its error, if it failed."""
        running, self._running = self._running, None
        if running is not None:
            running.result()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                self.wait()
        finally:
            self._pool.shutdown(wait=True)
            sys.setswitchinterval(self._interval)
