"""Crawl job rows: a hard-killed job is shown as interrupted, then closed or resumed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.audit import Actor
from leadbase.cli import cli
from leadbase.crawl_jobs import (
    INTERRUPTED,
    STALE_AFTER,
    is_alive,
    open_job,
    shown_status,
    this_runner,
)
from leadbase.enums import JobStatus, SourceKind
from leadbase.errors import LeadbaseError
from leadbase.models import CrawlJob, Source, utcnow
from leadbase.raw import ensure_source

JOBDIR = "crawl-jobs/demo"  # what `leadbase crawl demo` uses


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def live_crawl() -> Iterator[int]:
    """A process whose command line names scrapy, as a crawl's does.

    Popen returns once exec has begun, but the kernel fills in the new
    program's command line a moment later (an empty /proc/PID/cmdline failed
    CI once); the child's first line says it is fully started.
    """
    started = "import sys, time; print('up', flush=True); time.sleep(60)"
    child = subprocess.Popen(
        [sys.executable, "-c", started, "scrapy", "crawl"], stdout=subprocess.PIPE
    )
    assert child.stdout is not None and child.stdout.readline() == b"up\n"
    yield child.pid
    child.kill()
    child.wait()
    child.stdout.close()


def source(session: Session) -> Source:
    actor = Actor(name="test")
    return ensure_source(session, "demo-directory", SourceKind.CRAWL, actor=actor)


def job(session: Session, **values: object) -> CrawlJob:
    row = CrawlJob(
        spider="demo", args={}, source_id=source(session).id, jobdir=JOBDIR,
        status=JobStatus.RUNNING, **values,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def test_a_running_row_whose_process_is_gone_is_interrupted(
    session: Session, db_url: str
) -> None:
    host, _ = this_runner()
    row = job(session, host=host, pid=dead_pid(), heartbeat_at=utcnow())
    session.commit()
    assert not is_alive(row) and shown_status(row) == INTERRUPTED
    listing = CliRunner().invoke(cli, ["--db", db_url, "crawl", "--list"])
    assert listing.exit_code == 0
    assert f"#{row.id:<4} demo                 {INTERRUPTED}" in listing.output


def test_a_live_process_keeps_its_row_running(
    session: Session, live_crawl: int
) -> None:
    host, _ = this_runner()
    row = job(session, host=host, pid=live_crawl, heartbeat_at=utcnow())
    assert is_alive(row) and shown_status(row) == "running"


def test_another_hosts_job_lives_while_it_reports(session: Session) -> None:
    row = job(session, host="elsewhere", pid=1, heartbeat_at=utcnow())
    assert shown_status(row) == "running"
    row.heartbeat_at = utcnow() - STALE_AFTER - timedelta(seconds=1)
    assert shown_status(row) == INTERRUPTED
    row.status = JobStatus.DONE
    assert shown_status(row) == "done"


def test_a_fresh_crawl_closes_the_interrupted_row(session: Session) -> None:
    host, _ = this_runner()
    beat = utcnow() - timedelta(minutes=1)
    old = job(session, host=host, pid=dead_pid(), heartbeat_at=beat)
    new = open_job(session, "demo", {}, source(session), JOBDIR, resume=False)
    assert new.id != old.id and new.status == JobStatus.RUNNING
    assert (new.host, new.pid) == this_runner()
    assert old.status == JobStatus.KILLED and old.finished_at == beat
    assert old.stats == {INTERRUPTED: True}


def test_resume_continues_the_interrupted_row(session: Session) -> None:
    host, _ = this_runner()
    older = job(session, host=host, pid=dead_pid(), pages=3)
    old = job(session, host=host, pid=dead_pid(), pages=7, items=5)
    resumed = open_job(session, "demo", {}, source(session), JOBDIR, resume=True)
    assert resumed.id == old.id and resumed.status == JobStatus.RUNNING
    assert (resumed.host, resumed.pid) == this_runner()
    assert resumed.stats == {"before_resume": {"pages": 7, "items": 5, "errors": 0}}
    assert older.status == JobStatus.KILLED  # an even older leftover is closed


def test_a_crawl_still_running_is_never_started_twice(
    session: Session, db_url: str, live_crawl: int
) -> None:
    host, _ = this_runner()
    row = job(session, host=host, pid=live_crawl, heartbeat_at=utcnow())
    session.commit()
    with pytest.raises(LeadbaseError, match=f"#{row.id} .*pid {live_crawl}"):
        open_job(session, "demo", {}, source(session), JOBDIR, resume=True)
    result = CliRunner().invoke(cli, ["--db", db_url, "crawl", "demo", "--resume"])
    assert result.exit_code == 1
    assert f"crawl job #{row.id} (demo) is still running (pid {live_crawl}" in (
        result.output
    )
    assert session.scalars(select(CrawlJob)).all() == [row]
