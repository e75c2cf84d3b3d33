"""A crash-safe request journal, so `--resume` survives a hard kill.

Scrapy's JOBDIR keeps its queue and seen-set in files written on a clean stop; after
a SIGKILL they are stale or empty (Scrapy issues #2399, #4106). `JournalScheduler`
instead writes every request it accepts to SQLite in the job directory (`pending`),
and `FrontierDoneMiddleware` marks it `done` once its callback has run and its items
went through the pipelines. Resuming re-queues every pending request: only the
requests in flight at the kill are fetched again; duplicates are filtered by the
journal itself. A request that redirected is done with its final page; one that
failed for good (a timeout, or an answer of RETRY_HTTP_CODES such as 503, or a
429 whose Retry-After was too long to wait) stays pending and is tried again on
resume. Without JOBDIR the
scheduler is Scrapy's own, in memory.

Requests a callback yields are journaled by `FrontierDoneMiddleware` as they are
yielded, not when they reach the scheduler: Scrapy processes a callback's output
concurrently (CONCURRENT_ITEMS), so the output can be spent, and its page marked
done, before the last request it gave is enqueued. A kill in that gap lost the
request for good (found by the website spider's kill test).
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.job import job_dir
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.request import request_from_dict

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider


class Frontier:
    """The journal: fingerprint, serialised request, state ("pending" / "done")."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        # A killed process loses nothing the OS has been handed; fsync buys nothing
        # against SIGKILL and costs a disk flush per request.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS requests (fingerprint TEXT PRIMARY KEY, "
            "state TEXT NOT NULL, url TEXT NOT NULL, request BLOB NOT NULL)"
        )

    def seen(self, fingerprint: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM requests WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        return row is not None

    def add(self, fingerprint: str, url: str, request: bytes) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO requests VALUES (?, 'pending', ?, ?)",
            (fingerprint, url, request),
        )

    def done(self, fingerprint: str) -> None:
        self.db.execute(
            "UPDATE requests SET state = 'done' WHERE fingerprint = ?", (fingerprint,)
        )

    def pending(self) -> list[bytes]:
        return [
            row[0]
            for row in self.db.execute(
                "SELECT request FROM requests WHERE state = 'pending' ORDER BY rowid"
            )
        ]

    def pending_urls(self) -> list[str]:
        """URLs accepted but not yet processed: queued, or in flight."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT url FROM requests WHERE state = 'pending'"
            )
        ]

    def counts(self) -> dict[str, int]:
        return dict(
            self.db.execute("SELECT state, count(*) FROM requests GROUP BY state")
        )

    def close(self) -> None:
        self.db.close()


def frontier_path(jobdir: str) -> Path:
    return Path(jobdir) / "frontier.sqlite"


# Request meta: the fingerprint under which the request is in the journal already.
JOURNALED = "leadbase_journaled"


def journal_request(
    frontier: Frontier, fingerprint: str, request: Request, spider: Spider
) -> bool:
    """Put a request in the journal as pending; False for a duplicate to drop.

    A request seen before is dropped unless `dont_filter`; then it goes on
    without a second journal row.
    """
    if frontier.seen(fingerprint):
        return bool(request.dont_filter)
    blob = pickle.dumps(request.to_dict(spider=spider), protocol=5)
    frontier.add(fingerprint, request.url, blob)
    return True


class JournalScheduler(Scheduler):
    """Scrapy's scheduler (memory queues) plus the journal when JOBDIR is set."""

    frontier: Frontier | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JournalScheduler:
        dupefilter_cls = load_object(crawler.settings["DUPEFILTER_CLASS"])
        scheduler = cls(
            dupefilter=build_from_crawler(dupefilter_cls, crawler),
            jobdir=None,  # the journal replaces Scrapy's disk queues
            mqclass=load_object(crawler.settings["SCHEDULER_MEMORY_QUEUE"]),
            logunser=crawler.settings.getbool("SCHEDULER_DEBUG"),
            stats=crawler.stats,
            pqclass=load_object(crawler.settings["SCHEDULER_PRIORITY_QUEUE"]),
            crawler=crawler,
        )
        jobdir = job_dir(crawler.settings)
        if jobdir:
            scheduler.frontier = Frontier(frontier_path(jobdir))
            crawler._leadbase_frontier = scheduler.frontier  # type: ignore[attr-defined]
        return scheduler

    def _fingerprint(self, request: Request) -> str:
        assert self.crawler is not None
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def open(self, spider: Spider) -> Any:
        result = super().open(spider)
        if self.frontier is not None:
            resumed = self.frontier.pending()
            for blob in resumed:
                self._mqpush(request_from_dict(pickle.loads(blob), spider=spider))
            if resumed:
                spider.logger.info(
                    "Resuming: %d pending request(s) re-queued", len(resumed)
                )
        return result

    def enqueue_request(self, request: Request) -> bool:
        if self.frontier is None:
            return super().enqueue_request(request)
        fingerprint = self._fingerprint(request)
        # Taken off at once: a redirect or retry copies the meta, and must not
        # pass for a request the journal holds already.
        journaled = request.meta.pop(JOURNALED, None) == fingerprint
        assert self.spider is not None
        if not journaled and not journal_request(
            self.frontier, fingerprint, request, self.spider
        ):
            self.df.log(request, self.spider)
            # A redirect to a page known already: the redirecting URLs are done.
            for url in request.meta.get("redirect_urls", []):
                self.frontier.done(self._fingerprint(request.replace(url=url)))
            return False
        self._mqpush(request)
        assert self.stats is not None
        self.stats.inc_value("scheduler/enqueued/memory")
        self.stats.inc_value("scheduler/enqueued")
        return True

    def close(self, reason: str) -> Any:
        if self.frontier is not None:
            self.frontier.close()
        return super().close(reason)


class FrontierDoneMiddleware:
    """Spider middleware: marks a request done once its callback output is spent
    and every item it gave has left the pipelines (stored, dropped or failed).

    Items go through the pipelines concurrently with the rest of the output, so
    the end of the output alone is too early: a kill in between would lose them.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # Answers worth asking again later: such a page stays pending.
        self.retryable = {int(c) for c in crawler.settings.getlist("RETRY_HTTP_CODES")}
        self.open_items: dict[str, int] = {}  # fingerprint -> items not yet through
        self.spent: set[str] = set()  # fingerprints whose output is exhausted
        self.redirected_from: dict[str, list[str]] = {}
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_left, signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierDoneMiddleware:
        if not job_dir(crawler.settings):
            raise NotConfigured("no JOBDIR: no journal to mark")
        return cls(crawler)

    def _frontier(self) -> Frontier | None:
        return getattr(self.crawler, "_leadbase_frontier", None)

    def _fingerprint(self, response: Response) -> str | None:
        if response.request is None:
            return None
        return self.crawler.request_fingerprinter.fingerprint(response.request).hex()

    def _finish(self, fingerprint: str) -> None:
        if self.open_items.get(fingerprint, 0) == 0 and fingerprint in self.spent:
            self.spent.discard(fingerprint)
            self.open_items.pop(fingerprint, None)
            frontier = self._frontier()
            if frontier is not None:
                frontier.done(fingerprint)
                for earlier in self.redirected_from.pop(fingerprint, []):
                    frontier.done(earlier)  # the URLs that redirected here

    def _journal(self, frontier: Frontier, request: Request) -> bool:
        """Journal a request the callback gave, before its page can be done."""
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        assert self.crawler.spider is not None
        if not journal_request(frontier, fingerprint, request, self.crawler.spider):
            stats = self.crawler.stats
            if stats is not None:
                stats.inc_value("dupefilter/filtered")
            return False
        request.meta[JOURNALED] = fingerprint
        return True

    def item_left(self, response: Response | None = None, **_: Any) -> None:
        fingerprint = self._fingerprint(response) if response is not None else None
        if fingerprint is None or fingerprint not in self.open_items:
            return
        self.open_items[fingerprint] -= 1
        self._finish(fingerprint)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        fingerprint = self._fingerprint(response) if self._frontier() else None
        request = response.request
        if fingerprint is not None and request is not None:
            fingerprinter = self.crawler.request_fingerprinter
            self.redirected_from[fingerprint] = [
                fingerprinter.fingerprint(request.replace(url=url)).hex()
                for url in request.meta.get("redirect_urls", [])
            ]
        frontier = self._frontier()
        async for output in result:
            if isinstance(output, Request):
                if frontier is not None and not self._journal(frontier, output):
                    continue  # a duplicate: the scheduler would drop it too
            elif fingerprint is not None:
                self.open_items[fingerprint] = self.open_items.get(fingerprint, 0) + 1
            yield output
        if fingerprint is not None and response.status not in self.retryable:
            self.spent.add(fingerprint)
            self._finish(fingerprint)
