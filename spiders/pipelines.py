"""Items to raw records: one per (source, page URL) and content version.

A re-crawl of an unchanged page adds nothing; a changed page adds a new version; a
key seen for the first time is a new lead (logged and counted in the job's stats,
its first-seen time is the first version's `received_at`). `fetched_at` is left out
of the stored payload: it would make every re-crawl a "change".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from leadbase.crawl_jobs import is_known_key
from leadbase.db import session_scope
from leadbase.models import Source
from leadbase.raw import RawRow, store_raw_records
from spiders.storage import Storage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
NEW_LEADS_KEPT = 1000  # URLs of new leads listed in the job's stats


class MissingSourceUrl(DropItem):
    """An item without `source_url` cannot be keyed; a spider bug."""


class RawRecordPipeline:
    """Stores each CompanyItem as a raw record of the crawl's source."""

    def __init__(self, crawler: Crawler, storage: Storage) -> None:
        self.crawler = crawler
        self.storage = storage

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawRecordPipeline:
        return cls(crawler, Storage.of(crawler))

    def open_spider(self) -> None:
        self.storage.open(self.crawler.spider)

    def process_item(self, item: Any) -> Any:
        payload = ItemAdapter(item).asdict()
        key = payload.get("source_url")
        if not key:
            raise MissingSourceUrl("item has no source_url")
        payload.pop("fetched_at", None)
        stats = self.crawler.stats
        assert stats is not None
        with session_scope(self.storage.engine) as session:
            source = session.get(Source, self.storage.source_id)
            assert source is not None
            is_new = not is_known_key(session, source.id, key)
            result = store_raw_records(
                session, source, [RawRow(payload, source_key=key, url=key)],
                crawl_job_id=self.storage.job_id,
            )  # fmt: skip
        if result.stored:
            stats.inc_value("leadbase/raw_records_stored")
        else:
            stats.inc_value("leadbase/raw_records_unchanged")
        if is_new:
            stats.inc_value("leadbase/new_leads")
            leads = stats.get_value("leadbase/new_lead_urls", [])
            if len(leads) < NEW_LEADS_KEPT:
                leads.append(key)
                stats.set_value("leadbase/new_lead_urls", leads)
            logger.info("New lead: %s", key)
        return item
