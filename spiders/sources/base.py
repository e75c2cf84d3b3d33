"""What every leadbase spider shares: page guards, provenance, region."""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from spiders.extract.guards import PageVerdict, judge_decoy
from spiders.items import CompanyItem, add_value
from spiders.middlewares import SourceGuard


class LeadSpider(scrapy.Spider):
    """Base of the leadbase spiders: items through `add_field`, decoys reported."""

    source_name: str = ""
    region: str | None = None

    def page_title(self, response: Response) -> str:
        if not isinstance(response, TextResponse):
            return ""
        return " ".join((response.css("title::text").get() or "").split())

    def add_field(self, item: CompanyItem, field: str, value: Any, url: str) -> None:
        """Add a value (or each value of a list) to the item with its page URL."""
        for one in value if isinstance(value, list) else [value]:
            add_value(item, field, one, url)

    def is_decoy(
        self, item: CompanyItem, response: TextResponse, rejected: tuple[str, ...]
    ) -> bool:
        """Report and skip a card whose body names another company than its title."""
        og_title = response.css('meta[property="og:title"]::attr(content)').get()
        verdict: PageVerdict | None = judge_decoy(
            item.get("name"), self.page_title(response), og_title, rejected
        )
        if verdict is None:
            return False
        SourceGuard.of(self.crawler).report(response.url, verdict)
        return True
