"""The crawl's link to the leadbase base: engine, source and crawl job row.

Storing is on when the environment variable `LEADBASE_DATABASE_URL` is set
(`leadbase crawl` always sets it for its Scrapy child); without it a bare
`scrapy crawl ... -O items.jsonl` stores nothing. The URL may hold a password, so it
is never a Scrapy setting: `-s` shows it in `ps` and in Scrapy's settings log line.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from sqlalchemy import Engine

from leadbase.audit import Actor
from leadbase.crawl_jobs import open_job
from leadbase.db import make_engine, require_current_schema, session_scope
from leadbase.enums import SourceKind
from leadbase.errors import ConfigError
from leadbase.raw import ensure_source

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class Storage:
    """One per crawler: the engine, the source id and the crawl job id."""

    def __init__(self, crawler: Crawler, url: str) -> None:
        self.crawler = crawler
        self.engine: Engine = make_engine(url)
        require_current_schema(self.engine)
        self.source_id: int | None = None
        self.job_id: int | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> Storage:
        """The crawler's storage; NotConfigured when no database is set."""
        storage = getattr(crawler, "_leadbase_storage", None)
        if storage is None:
            if crawler.settings.get("LEADBASE_DATABASE_URL"):
                raise ConfigError(
                    "LEADBASE_DATABASE_URL is a Scrapy setting here; set it in the "
                    "environment instead (LEADBASE_DATABASE_URL=... scrapy crawl ...): "
                    "a -s value shows in `ps` and in the crawl log"
                )
            url = os.environ.get("LEADBASE_DATABASE_URL")
            if not url:
                raise NotConfigured("LEADBASE_DATABASE_URL is not set: not storing")
            storage = cls(crawler, url)
            crawler._leadbase_storage = storage  # type: ignore[attr-defined]
        return storage

    def open(self, spider: Any) -> None:
        """Find or create the source and open (or resume) the crawl job row."""
        if self.job_id is not None:
            return
        source_name = getattr(spider, "source_name", "") or spider.name
        settings = self.crawler.settings
        args = dict(settings.getdict("LEADBASE_CRAWL_ARGS")) or {"spider": spider.name}
        # `leadbase crawl` says whether it resumes; a bare `scrapy crawl` with a
        # JOBDIR always continues what that directory holds, as Scrapy does.
        resume = bool(args.get("resume", True))
        with session_scope(self.engine) as session:
            source = ensure_source(
                session, source_name, SourceKind.CRAWL,
                actor=Actor(name=f"crawl:{os.getpid()}"),
            )  # fmt: skip
            job = open_job(
                session, spider.name, args, source, settings.get("JOBDIR") or None,
                resume=resume,
            )  # fmt: skip
            self.source_id, self.job_id = source.id, job.id
