"""Crawl bookkeeping: progress lines, the crawl job row, idle redis workers.

`CrawlProgress` logs pages, items and errors per minute while crawling and a summary
at the end, and writes the counts to the crawl job row when storing is on.
`RedisIdleGuard` keeps a scrapy-redis worker alive while the shared queue has work
or another worker is still busy (it may push more), instead of closing the moment
its own share runs dry.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from leadbase.crawl_jobs import update_job
from leadbase.db import session_scope
from leadbase.enums import JobStatus
from spiders.scrapy_compat import wake_engine
from spiders.storage import Storage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class CrawlProgress:
    """Per-minute progress, the end summary, and the crawl job row."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("LEADBASE_PROGRESS_INTERVAL", 60.0)
        self.storage: Storage | None
        try:
            self.storage = Storage.of(crawler)
        except NotConfigured:
            self.storage = None
        self.last = (0, 0, 0)
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        return cls(crawler)

    def counts(self) -> tuple[int, int, int]:
        stats = self.crawler.stats
        assert stats is not None
        pages = int(stats.get_value("response_received_count", 0))
        items = int(stats.get_value("item_scraped_count", 0))
        errors = int(stats.get_value("log_count/ERROR", 0)) + int(
            stats.get_value("downloader/exception_count", 0)
        )
        return pages, items, errors

    def spider_opened(self, spider: Any) -> None:
        if self.storage is not None:
            self.storage.open(spider)
        self.loop = task.LoopingCall(self.log_progress)
        self.loop.start(self.interval, now=False)

    def log_progress(self) -> None:
        pages, items, errors = self.counts()
        minutes = self.interval / 60
        logger.info(
            "Progress: %d pages (%.0f/min), %d items (%.0f/min), %d errors (%.0f/min)",
            pages, (pages - self.last[0]) / minutes,
            items, (items - self.last[1]) / minutes,
            errors, (errors - self.last[2]) / minutes,
        )  # fmt: skip
        self.last = (pages, items, errors)
        self.write_job(JobStatus.RUNNING)

    def write_job(self, status: JobStatus) -> None:
        if self.storage is None or self.storage.job_id is None:
            return
        pages, items, errors = self.counts()
        stats = self.crawler.stats
        assert stats is not None
        kept = {
            key: value
            for key, value in stats.get_stats().items()
            if isinstance(value, int | float | str | list)
        }
        with session_scope(self.storage.engine) as session:
            update_job(
                session, self.storage.job_id, pages=pages, items=items,
                errors=errors, stats=kept, status=status,
            )  # fmt: skip

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        pages, items, errors = self.counts()
        elapsed = time.monotonic() - self.started
        stats = self.crawler.stats
        new = int(stats.get_value("leadbase/new_leads", 0)) if stats else 0
        logger.info(
            "Crawl finished (%s): %d pages, %d items (%d new leads), %d errors "
            "in %.0fs", reason, pages, items, new, errors, elapsed,
        )  # fmt: skip
        status = JobStatus.DONE if reason == "finished" else JobStatus.FAILED
        if reason == "shutdown":
            status = JobStatus.KILLED
        self.write_job(status)


class RedisIdleGuard:
    """Keeps a scrapy-redis worker alive while the crawl still has work anywhere."""

    def __init__(self, crawler: Crawler) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.grace = crawler.settings.getfloat("LEADBASE_REDIS_IDLE_GRACE", 10.0)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.idle_since: float | None = None
        self.poll = task.LoopingCall(self.pull)
        crawler.signals.connect(self.spider_opened, signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signals.spider_idle)
        crawler.signals.connect(self.busy, signals.response_received)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisIdleGuard:
        if "scrapy_redis" not in str(crawler.settings.get("SCHEDULER")):
            raise NotConfigured
        return cls(crawler)

    def _busy_key(self, name: str | None = None) -> str:
        spider = self.crawler.spider
        assert spider is not None
        return f"leadbase:{spider.name}:busy:{name or self.worker}"

    def busy(self, **_: Any) -> None:
        self.idle_since = None
        self.server.set(self._busy_key(), "1", ex=30)

    def spider_opened(self, spider: Any) -> None:
        self.poll.start(self.crawler.settings.getfloat("LEADBASE_REDIS_POLL", 0.5))

    def pull(self) -> None:
        """Ask the engine for work now: left alone it looks only every 5 seconds,
        and a worker would sit idle while the shared queue fills."""
        wake_engine(self.crawler.engine)

    def spider_idle(self, spider: Any) -> None:
        self.server.delete(self._busy_key())
        scheduler = self.crawler.engine.scheduler if self.crawler.engine else None
        queued = len(scheduler) if scheduler is not None else 0  # type: ignore[arg-type]
        others = list(self.server.scan_iter(self._busy_key("*")))
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if queued or others or now - self.idle_since < self.grace:
            raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.poll.running:
            self.poll.stop()
        self.server.delete(self._busy_key())
