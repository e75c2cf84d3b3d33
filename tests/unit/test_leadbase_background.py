"""BackgroundWrites: one write at a time, in order, in a thread; errors surface."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from leadbase.background import SWITCH_INTERVAL, BackgroundWrites


def test_writes_run_in_order_one_at_a_time_in_another_thread() -> None:
    done: list[int] = []
    running = threading.Lock()
    threads = set()

    def write(value: int) -> None:
        assert running.acquire(blocking=False), "two writes at once"
        threads.add(threading.get_ident())
        time.sleep(0.01)  # the caller goes on meanwhile
        done.append(value)
        running.release()

    with BackgroundWrites() as writes:
        for value in range(5):
            writes.submit(write, value)
            assert done == list(range(value))  # the one before has finished
    assert done == list(range(5))  # leaving the block waits for the last
    assert threads and threading.get_ident() not in threads


def test_a_failed_write_raises_at_the_next_submit_or_on_leaving() -> None:
    def fail() -> None:
        raise RuntimeError("rows not inserted")

    with pytest.raises(RuntimeError, match="not inserted"), BackgroundWrites() as w:
        w.submit(fail)
        w.submit(lambda: None)
    with pytest.raises(RuntimeError, match="not inserted"), BackgroundWrites() as w:
        w.submit(fail)


def test_an_error_in_the_block_waits_for_the_running_write() -> None:
    finished = threading.Event()

    def slow() -> None:
        time.sleep(0.05)
        finished.set()

    with pytest.raises(KeyError), BackgroundWrites() as writes:
        writes.submit(slow)
        raise KeyError("building failed")
    assert finished.is_set()  # no statement left running on the connection


def test_the_switch_interval_is_short_inside_and_given_back() -> None:
    before = sys.getswitchinterval()
    with BackgroundWrites():
        assert sys.getswitchinterval() == min(before, SWITCH_INTERVAL)
    assert sys.getswitchinterval() == before
