"""Crawl jobs: one row per crawl run (spider, arguments, times, counts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadbase.enums import JobStatus
from leadbase.models import CrawlJob, RawRecord, Source, utcnow


def open_job(
    session: Session,
    spider: str,
    args: dict[str, Any],
    source: Source,
    jobdir: str | None,
) -> CrawlJob:
    """A new running job, or the unfinished one of the same job directory (resume)."""
    if jobdir:
        unfinished = session.scalars(
            select(CrawlJob)
            .where(CrawlJob.jobdir == jobdir, CrawlJob.status != JobStatus.DONE)
            .order_by(CrawlJob.id.desc())
        ).first()
        if unfinished is not None:
            mark_resumed(session, unfinished)
            unfinished.status = JobStatus.RUNNING
            unfinished.finished_at = None
            return unfinished
    job = CrawlJob(
        spider=spider, args=args, source_id=source.id, jobdir=jobdir,
        status=JobStatus.RUNNING,
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
    if stats is not None:
        job.stats = {**stats, "before_resume": base}
    if status is not None:
        job.status = status
        job.finished_at = utcnow() if status != JobStatus.RUNNING else None


def mark_resumed(session: Session, job: CrawlJob) -> None:
    """Remember the counts so far, so a resumed run adds to them."""
    job.stats = {
        **(job.stats or {}),
        "before_resume": {"pages": job.pages, "items": job.items, "errors": job.errors},
    }


def known_keys(session: Session, source_id: int, keys: list[str]) -> set[str]:
    """The keys of which some version is stored: pages seen before."""
    if not keys:
        return set()
    return set(
        session.scalars(
            select(RawRecord.source_key)
            .where(RawRecord.source_id == source_id, RawRecord.source_key.in_(keys))
            .distinct()
        )
    )


def list_jobs(session: Session, limit: int = 50) -> list[CrawlJob]:
    """The most recent crawl jobs first."""
    return list(
        session.scalars(select(CrawlJob).order_by(CrawlJob.id.desc()).limit(limit))
    )
