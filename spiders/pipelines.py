"""Items to raw records: one per (source, page URL) and content version.

A re-crawl of an unchanged page adds nothing; a changed page adds a new version. A
company the base did not know (`leadbase.leads.new_lead_keys`: a key new to the
source, and no company or record with its INN, OGRN or site domain) is a new lead:
its raw record is flagged `is_new_lead`, its first-seen time is that record's
`received_at`, the job row counts it, and it is logged. `fetched_at` is left out of
the stored payload: it would make every re-crawl a "change".

Items are written in small batches (one transaction for up to
`LEADBASE_STORE_BATCH` items or `LEADBASE_STORE_WAIT` seconds), and each item's
processing finishes only once its batch is committed: Scrapy's `item_scraped`
signal, which the resume journal waits for, never runs ahead of the database.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from leadbase.config import load_settings
from leadbase.crawl_jobs import add_new_leads
from leadbase.db import session_scope
from leadbase.enums import SuppressionKind
from leadbase.leads import new_lead_keys
from leadbase.models import Source
from leadbase.raw import RawRow, store_raw_records
from leadbase.suppression import SuppressionList
from spiders.storage import Storage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
NEW_LEADS_KEPT = 1000  # URLs of new leads listed in the job's stats


class MissingSourceUrl(DropItem):
    """An item without `source_url` cannot be keyed; a spider bug."""


class SuppressedCompany(DropItem):
    """Raised by `SuppressionPipeline`: the item's INN was erased (a sole trader
    asked to be forgotten), so nothing of it may be stored again."""


_SUPPRESSIBLE = (("emails", SuppressionKind.EMAIL), ("phones", SuppressionKind.PHONE))


def strip_suppressed(item: Any, suppressed: SuppressionList) -> list[str]:
    """Take erased people's emails and phones out of an item, with their provenance.

    Returns:
        The kinds taken out (each once), for the item's flags.

    Raises:
        SuppressedCompany: the item's INN is on the list.
    """
    inn = item.get("inn")
    if inn and suppressed.has(SuppressionKind.INN, inn):
        raise SuppressedCompany("INN on the suppression list (erased)")
    removed: list[str] = []
    for field, kind in _SUPPRESSIBLE:
        values = item.get(field) or []
        kept = [v for v in values if not suppressed.has(kind, v)]
        if len(kept) == len(values):
            continue
        item[field] = kept
        sources = item.get("provenance", {}).get(field, {})
        for value in set(values) - set(kept):
            sources.pop(value, None)
        removed.append(kind.value)
    return removed


class SuppressionPipeline:
    """Erased people stay erased: suppressed values never reach the base."""

    def __init__(self, crawler: Crawler, storage: Storage, salt: str) -> None:
        self.crawler = crawler
        self.storage = storage
        self.salt = salt
        self.suppressed = SuppressionList({}, salt)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SuppressionPipeline:
        storage = Storage.of(crawler)  # NotConfigured without a base
        # The salt is a secret: read from leadbase.toml or the environment here,
        # never passed on the command line where `ps` would show it.
        return cls(crawler, storage, load_settings().suppression_salt)

    def open_spider(self) -> None:
        with session_scope(self.storage.engine) as session:
            self.suppressed = SuppressionList.load(session, self.salt)

    def process_item(self, item: Any) -> Any:
        if not self.suppressed:
            return item
        stats = self.crawler.stats
        assert stats is not None
        try:
            removed = strip_suppressed(item, self.suppressed)
        except SuppressedCompany:
            stats.inc_value("leadbase/suppressed/inn")
            raise
        for kind in removed:
            stats.inc_value(f"leadbase/suppressed/{kind}")
            item.setdefault("flags", []).append(f"suppressed:{kind}")
        return item


@dataclass
class _Pending:
    row: RawRow
    done: asyncio.Future[None]


class RawRecordPipeline:
    """Stores each CompanyItem as a raw record of the crawl's source."""

    def __init__(self, crawler: Crawler, storage: Storage) -> None:
        self.crawler = crawler
        self.storage = storage
        self.batch_size = crawler.settings.getint("LEADBASE_STORE_BATCH", 50)
        self.wait = crawler.settings.getfloat("LEADBASE_STORE_WAIT", 0.2)
        self.pending: list[_Pending] = []
        self.timer: asyncio.TimerHandle | None = None
        self.source: Source | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawRecordPipeline:
        return cls(crawler, Storage.of(crawler))

    def open_spider(self) -> None:
        self.storage.open(self.crawler.spider)
        with session_scope(self.storage.engine) as session:
            self.source = session.get(Source, self.storage.source_id)

    def close_spider(self) -> None:
        self.flush()

    async def process_item(self, item: Any) -> Any:
        payload = ItemAdapter(item).asdict()
        key = payload.get("source_url")
        if not key:
            raise MissingSourceUrl("item has no source_url")
        payload.pop("fetched_at", None)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append(_Pending(RawRow(payload, source_key=key, url=key), done))
        if len(self.pending) >= self.batch_size:
            self.flush()
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(self.wait, self.flush)
        await done
        return item

    def flush(self) -> None:
        """Store the waiting items in one transaction and release them."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            new = self._store([entry.row for entry in batch])
        except Exception as exc:  # every waiting item learns that it failed
            for entry in batch:
                if not entry.done.done():
                    entry.done.set_exception(exc)
            return
        for entry in batch:
            if not entry.done.done():
                entry.done.set_result(None)
        self._count_new(new)

    def _store(self, rows: list[RawRow]) -> list[str]:
        assert self.source is not None
        payloads = {row.source_key or "": row.payload for row in rows}
        with session_scope(self.storage.engine) as session:
            new = new_lead_keys(session, self.source.id, payloads)
            result = store_raw_records(
                session, self.source, rows, crawl_job_id=self.storage.job_id,
                new_lead_keys=new,
            )  # fmt: skip
            if self.storage.job_id is not None:
                add_new_leads(session, self.storage.job_id, len(new))
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("leadbase/raw_records_stored", result.stored)
        stats.inc_value("leadbase/raw_records_unchanged", len(rows) - result.stored)
        return [key for key in payloads if key in new]

    def _count_new(self, new: list[str]) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("leadbase/new_leads", len(new))
        leads = stats.get_value("leadbase/new_lead_urls", [])
        stats.set_value("leadbase/new_lead_urls", (leads + new)[:NEW_LEADS_KEPT])
        for key in new:
            logger.info("New lead: %s", key)
