"""Crawl jobs: one row per crawl run (spider, arguments, times, counts, runner).

A row says which host and process run it and when that process last reported
(`heartbeat_at`, written with every progress line). A row still "running" whose
process is gone was killed hard: `is_alive` tells, `leadbase crawl --list` shows it
as interrupted, `--resume` continues it and a fresh crawl closes it as killed.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leadbase.enums import JobStatus
from leadbase.errors import LeadbaseError
from leadbase.models import CrawlJob, Source, utcnow

# A job on another host is presumed dead when silent this long: progress lines (and
# heartbeats) come every LEADBASE_PROGRESS_INTERVAL, 60 s by default.
STALE_AFTER = timedelta(minutes=5)
INTERRUPTED = "interrupted"  # shown, never stored: the row stays running or killed


def this_runner() -> tuple[str, int]:
    """(host name, process id) of the current process."""
    return socket.gethostname(), os.getpid()


def _process_runs_a_crawl(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        # The pid may have been reused by an unrelated process since the kill.
        return b"scrapy" in cmdline.read_bytes()
    except OSError:
        return True  # no /proc (macOS): the pid exists, trust it


def is_alive(job: CrawlJob, now: datetime | None = None) -> bool:
    """Whether a running job's process still runs.

    On this host the process is checked directly; elsewhere the job must have
    reported within `STALE_AFTER`.
    """
    if job.status != JobStatus.RUNNING:
        return False
    host, _ = this_runner()
    if job.host == host and job.pid:
        return _process_runs_a_crawl(job.pid)
    last = job.heartbeat_at or job.started_at
    return (now or utcnow()) - last < STALE_AFTER


def shown_status(job: CrawlJob) -> str:
    """The status to show: "interrupted" for a running row whose process is gone."""
    if job.status == JobStatus.RUNNING and not is_alive(job):
        return INTERRUPTED
    return job.status.value


def _describe(job: CrawlJob) -> str:
    where = f"pid {job.pid} on {job.host}" if job.pid else "another process"
    return f"crawl job #{job.id} ({job.spider}) is still running ({where})"


def close_interrupted(session: Session, job: CrawlJob) -> None:
    """Close a row whose process is gone as killed, at its last sign of life."""
    job.status = JobStatus.KILLED
    job.finished_at = job.heartbeat_at or job.started_at
    job.stats = {**(job.stats or {}), INTERRUPTED: True}


def unfinished_jobs(session: Session, jobdir: str) -> list[CrawlJob]:
    """Rows of that job directory not finished cleanly, newest first."""
    return list(
        session.scalars(
            select(CrawlJob)
            .where(CrawlJob.jobdir == jobdir, CrawlJob.status != JobStatus.DONE)
            .order_by(CrawlJob.id.desc())
        )
    )


def refuse_if_running(session: Session, jobdir: str) -> None:
    """Raise if a live process runs a crawl in that job directory.

    Raises:
        LeadbaseError: naming the job and its process; two crawls on one job
            directory would corrupt its journal.
    """
    for job in unfinished_jobs(session, jobdir):
        if is_alive(job):
            raise LeadbaseError(
                f"{_describe(job)}; wait for it or stop it (kill {job.pid}) first"
            )


def open_job(
    session: Session,
    spider: str,
    args: dict[str, Any],
    source: Source,
    jobdir: str | None,
    *,
    resume: bool = True,
) -> CrawlJob:
    """A new running job, or, resuming, the unfinished one of the same job directory.

    A fresh crawl closes the rows its job directory's earlier runs left unfinished.

    Raises:
        LeadbaseError: the job directory's crawl is still running elsewhere.
    """
    host, pid = this_runner()
    now = utcnow()
    if jobdir:
        refuse_if_running(session, jobdir)
        unfinished = unfinished_jobs(session, jobdir)
        for job in unfinished[1 if resume else 0 :]:
            if job.status == JobStatus.RUNNING:
                close_interrupted(session, job)
        if resume and unfinished:
            job = unfinished[0]
            mark_resumed(session, job)
            job.status, job.finished_at = JobStatus.RUNNING, None
            job.host, job.pid, job.heartbeat_at = host, pid, now
            return job
    job = CrawlJob(
        spider=spider, args=args, source_id=source.id, jobdir=jobdir,
        status=JobStatus.RUNNING, host=host, pid=pid, heartbeat_at=now,
    )  # fmt: skip
    session.add(job)
    session.flush()
    return job


def update_job(
    session: Session,
    job_id: int,
    *,
    pages: int,
    items: int,
    errors: int,
    stats: dict[str, Any] | None = None,
    status: JobStatus | None = None,
) -> None:
    """Write a job's counts (added to what earlier runs of a resumed job counted)."""
    job = session.get(CrawlJob, job_id)
    if job is None:
        return
    base = (job.stats or {}).get("before_resume", {"pages": 0, "items": 0, "errors": 0})
    job.pages, job.items, job.errors = (
        base["pages"] + pages, base["items"] + items, base["errors"] + errors,
    )  # fmt: skip
    job.heartbeat_at = utcnow()
    if stats is not None:
        job.stats = {**stats, "before_resume": base}
    if status is not None:
        job.status = status
        job.finished_at = utcnow() if status != JobStatus.RUNNING else None


def add_new_leads(session: Session, job_id: int, count: int) -> None:
    """Count new leads on the job row, in the transaction that stores them."""
    if count:
        session.execute(
            update(CrawlJob)
            .where(CrawlJob.id == job_id)
            .values(new_leads=CrawlJob.new_leads + count)
        )


def mark_resumed(session: Session, job: CrawlJob) -> None:
    """Remember the counts so far, so a resumed run adds to them."""
    job.stats = {
        **(job.stats or {}),
        "before_resume": {"pages": job.pages, "items": job.items, "errors": job.errors},
    }


def list_jobs(session: Session, limit: int = 50) -> list[CrawlJob]:
    """The most recent crawl jobs first."""
    return list(
        session.scalars(select(CrawlJob).order_by(CrawlJob.id.desc()).limit(limit))
    )
