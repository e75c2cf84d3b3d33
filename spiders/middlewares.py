"""Politeness and self-defence the Scrapy defaults lack.

- `CrawlDelayMiddleware`: robots.txt `Crawl-delay` enforced (Scrapy parses it only).
- `BackoffRetryMiddleware`: retries with exponential backoff; 429/503 wait for
  `Retry-After` (Scrapy's RetryMiddleware ignores it). A wait longer than
  `LEADBASE_RETRY_AFTER_MAX` (600 s) is not slept through: the page is given up for
  this run (the resume journal keeps it pending, so `--resume` fetches it later)
  and reported to `SourceGuard` as a rate limit, which slows the site and, after
  `LEADBASE_BLOCK_LIMIT` such pages or bans, stops the crawl.
- `SchemeFilterMiddleware`: tel:, mailto:, javascript: and other non-web links are
  never fetched.
- `BlockPageMiddleware` + `SourceGuard`: captcha, ban and decoy pages are never
  leads; each one slows the source down, and enough of them stop the crawl.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from protego import Protego
from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response, TextResponse

from spiders.extract.guards import PageVerdict, judge_block_page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
# Any word a captcha or ban page must contain; pages without one are not checked.
_SUSPECT = re.compile(
    r"captcha|challenge|robot|робот|denied|blocked|доступ|заблокир|too many|"
    r"слишком много|human|человек",
    re.IGNORECASE,
)
# With Retry-After these mean "later" (the body often says "Too Many Requests"):
# retried after the wait, not judged as ban pages.
_RATE_LIMITED = frozenset({429, 503})
_CAPTCHA_WIDGET = (
    "//*[contains(@class, 'captcha') or contains(@id, 'captcha') or "
    "contains(@class, 'cf-challenge')] | //iframe[contains(@src, 'captcha')] | "
    "//script[contains(@src, 'captcha') or contains(@src, 'challenge-platform')]"
)


class SourceGuard:
    """Counts captcha/ban/decoy pages of a crawl; slows, then stops the source."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint("LEADBASE_BLOCK_LIMIT", 3)
        # Seconds between requests to a site after a block page, at least.
        self.slowdown = crawler.settings.getfloat("LEADBASE_BLOCK_SLOWDOWN", 5.0)
        self.seen: list[tuple[str, PageVerdict]] = []

    @classmethod
    def of(cls, crawler: Crawler) -> SourceGuard:
        """The crawler's one guard."""
        guard = getattr(crawler, "_leadbase_guard", None)
        if guard is None:
            guard = cls(crawler)
            crawler._leadbase_guard = guard  # type: ignore[attr-defined]
        return guard

    def report(self, url: str, verdict: PageVerdict) -> None:
        """Record a blocked or decoy page; slow the site down or stop the crawl."""
        self.seen.append((url, verdict))
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"leadbase/blocked/{verdict.kind}")
        engine = self.crawler.engine
        spider = self.crawler.spider
        if len(self.seen) >= self.limit and engine is not None and spider is not None:
            logger.error(
                "STOPPING source: %d captcha/ban/decoy/rate-limit pages (last: %s at "
                "%s: %s); the site treats us as a robot. Do not get around it: slow "
                "down (politeness in the profile) or ask the site for access.",
                len(self.seen), verdict.kind, url, verdict.reason,
            )  # fmt: skip
            engine.close_spider(spider, reason=f"blocked_{verdict.kind}")
            return
        slot_key = urlsplit(url).hostname or ""
        downloader = engine.downloader if engine is not None else None
        slot = downloader.slots.get(slot_key) if downloader is not None else None
        if slot is not None:
            slot.delay = max(slot.delay * 2, self.slowdown)
        logger.warning(
            "SLOWING source: %s page at %s (%s); delay for %s now %.1fs",
            verdict.kind, url, verdict.reason, slot_key,
            slot.delay if slot is not None else 0.0,
        )  # fmt: skip


class BlockPageMiddleware:
    """Drops captcha and ban pages before any spider sees them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockPageMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if urlsplit(response.url).path == "/robots.txt":
            return response
        if response.status in _RATE_LIMITED and response.headers.get(b"Retry-After"):
            return response  # "come back later": BackoffRetryMiddleware's to handle
        if not isinstance(response, TextResponse):
            return response
        if response.status != 403 and not _SUSPECT.search(response.text):
            return response  # the usual page: one regex pass, no tree walk
        title = " ".join((response.css("title::text").get() or "").split())
        text = " ".join(
            response.xpath("//body//text()[not(ancestor::a)]").getall()[:300]
        )
        widget = bool(response.xpath(_CAPTCHA_WIDGET))
        verdict = judge_block_page(response.status, title, text, widget)
        if verdict is None:
            return response
        SourceGuard.of(self.crawler).report(response.url, verdict)
        raise IgnoreRequest(f"{verdict.kind} page at {response.url}")


class SchemeFilterMiddleware:
    """Never fetch tel:, mailto:, javascript: or any other non-web URL."""

    def process_request(self, request: Request) -> None:
        if urlsplit(request.url).scheme not in {"http", "https"}:
            raise IgnoreRequest(f"not a web page: {request.url}")


class CrawlDelayMiddleware:
    """Enforce robots.txt Crawl-delay per host by spacing requests apart."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.user_agent = crawler.settings.get("USER_AGENT", "*")
        self.delays: dict[str, float] = {}
        self.next_at: dict[str, float] = {}
        crawler.signals.connect(self.response_received, signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        return cls(crawler)

    def response_received(self, response: Response, **_: Any) -> None:
        parts = urlsplit(response.url)
        if parts.path != "/robots.txt" or response.status != 200:
            return
        try:
            robots = Protego.parse(response.text)
        except (AttributeError, ValueError):
            return
        delay = robots.crawl_delay(self.user_agent)
        if delay:
            self.delays[parts.netloc] = float(delay)
            logger.info("Crawl-delay %.1fs for %s (robots.txt)", delay, parts.netloc)

    async def process_request(self, request: Request) -> None:
        netloc = urlsplit(request.url).netloc
        delay = self.delays.get(netloc)
        if not delay or urlsplit(request.url).path == "/robots.txt":
            return
        now = time.monotonic()
        start = max(now, self.next_at.get(netloc, now))
        self.next_at[netloc] = start + delay
        if start > now:
            await asyncio.sleep(start - now)


def retry_after_seconds(response: Response) -> float | None:
    """Seconds a 429/503 response asks us to wait (Retry-After: seconds or a date)."""
    header = response.headers.get(b"Retry-After")
    if not header:
        return None
    text = header.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, float(when.timestamp()) - time.time())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware with exponential backoff and Retry-After honoured."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("LEADBASE_BACKOFF_BASE", 1.0)
        self.cap = crawler.settings.getfloat("LEADBASE_BACKOFF_MAX", 60.0)
        self.retry_after_max = crawler.settings.getfloat(
            "LEADBASE_RETRY_AFTER_MAX", 600.0
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def _wait(self, request: Request, response: Response | None) -> float:
        tries = int(request.meta.get("retry_times", 0))
        wait: float = min(self.cap, self.base * (2**tries))
        if response is not None and response.status in {429, 503}:
            asked = retry_after_seconds(response)
            if asked is not None:
                wait = asked
        return wait

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if (
            request.meta.get("dont_retry")
            or response.status not in self.retry_http_codes
        ):
            return response
        wait = self._wait(request, response)
        if wait > self.retry_after_max:
            self._too_long(request, wait)
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=f"HTTP {response.status}",
            max_retry_times=self.max_retry_times,
        )  # fmt: skip
        if retry is None:
            return response
        if wait > 0:
            logger.info("Waiting %.1fs before retrying %s", wait, request.url)
            await asyncio.sleep(wait)
        return retry

    def _too_long(self, request: Request, wait: float) -> None:
        """Never sleep through a long Retry-After: give the page up for now (it
        stays pending in the journal) and treat the site as rate-limiting us."""
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("leadbase/retry_after_too_long")
        logger.warning(
            "GIVING UP %s for now: Retry-After %.0fs is over LEADBASE_RETRY_AFTER_MAX"
            "=%.0fs; `--resume` later fetches it", request.url, wait,
            self.retry_after_max,
        )  # fmt: skip
        SourceGuard.of(self.crawler).report(
            request.url,
            PageVerdict("rate_limit", f"Retry-After {wait:.0f}s"),
        )

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry"
        ):
            return None
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=type(exception).__name__,
            max_retry_times=self.max_retry_times,
        )  # fmt: skip
        if retry is not None:
            await asyncio.sleep(self._wait(request, None))
        return retry
