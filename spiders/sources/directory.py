"""`directory`: a business directory crawled by a YAML profile (`-a profile=NAME`).

Listing pages give card links and the next page; each card becomes a CompanyItem
from schema.org data (JSON-LD, microdata, OpenGraph; RDFa if the profile asks),
overridden field by field by the profile's selectors, plus labelled tax ids.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from parsel import Selector
from scrapy import Request
from scrapy.http import Response, TextResponse

from spiders.extract.fields import clean_values
from spiders.extract.schema_org import organisation_fields
from spiders.extract.tax_ids import tax_ids_in_text
from spiders.extract.text import visible_text
from spiders.items import CompanyItem, new_company_item
from spiders.links import followable, site_region
from spiders.profiles import Profile, load_profile, select
from spiders.sources.base import LeadSpider

_FRAME = frozenset({"header", "footer", "nav"})


class DirectorySpider(LeadSpider):
    """Crawls one directory site as its profile describes."""

    name = "directory"
    profile_name: str | None = None

    def __init__(self, profile: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        chosen = profile or self.profile_name
        if not chosen:
            raise ValueError("give a profile: scrapy crawl directory -a profile=NAME")
        self.profile: Profile = load_profile(chosen)
        self.source_name = self.profile.source
        self.allowed_domains = list(self.profile.allowed_domains)
        self.detail_pattern = (
            re.compile(self.profile.url_pattern) if self.profile.url_pattern else None
        )
        delay = self.profile.politeness.get("download_delay")
        if delay is not None:
            self.download_delay = float(delay)

    async def start(self) -> AsyncIterator[Any]:
        # dont_filter=False: a resumed or second worker must not fetch them again.
        for url in self.profile.start_urls:
            yield Request(url, callback=self.parse_listing, dont_filter=False)
        if self.profile.sitemap:
            yield Request(self.profile.sitemap, callback=self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        selector = Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        for loc in selector.xpath("//loc/text()").getall():
            url = followable(response.url, loc)
            if url and self.detail_pattern and self.detail_pattern.search(url):
                yield Request(url, callback=self.parse_detail)
            elif url:
                yield Request(url, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        if self.detail_pattern and self.detail_pattern.search(response.url):
            yield from self.parse_detail(response)
            return
        links = (
            select(response.selector, self.profile.links) if self.profile.links else []
        )
        if not links and self.detail_pattern:
            links = [
                href for href in response.css("a::attr(href)").getall()
                if self.detail_pattern.search(href)
            ]  # fmt: skip
        for href in links:
            url = followable(response.url, href)
            if url:
                yield Request(url, callback=self.parse_detail)
        if self.profile.next_page:
            for href in select(response.selector, self.profile.next_page):
                url = followable(response.url, href)
                if url:  # a loop back to a seen page is dropped by the dupefilter
                    yield Request(url, callback=self.parse_listing)

    def parse_detail(self, response: Response) -> Iterator[CompanyItem]:
        if not isinstance(response, TextResponse):
            return
        item, rejected = self.card_item(response)
        if not item.get("name"):
            self.logger.warning("No company name on %s; not a lead", response.url)
            return
        if self.is_decoy(item, response, rejected):
            return
        yield item

    def card_item(self, response: TextResponse) -> tuple[CompanyItem, tuple[str, ...]]:
        """The CompanyItem of a card page, and labelled ids that failed checks."""
        url = response.url
        region = self.profile.country or site_region(url)
        item = new_company_item(url)
        schema, syntax = organisation_fields(
            response.selector.root, response.text, url, rdfa=self.profile.rdfa
        )
        if syntax:
            item["flags"].append(f"schema_org:{syntax}")
        rejected: list[str] = []
        values: dict[str, Any] = {}
        for field, value in schema.items():
            texts = value if isinstance(value, list) else [value]
            if field == "persons":
                values[field] = value
                continue
            values[field], bad = clean_values(field, texts, region)
            rejected += bad
        for field, expression in self.profile.fields.items():
            texts = select(response.selector, expression)
            if texts:  # the profile overrides schema.org field by field
                values[field], bad = clean_values(field, texts, region)
                rejected += bad
        self._labelled_ids(response, values, rejected)
        for field, value in values.items():
            self.add_field(item, field, value, url)
        if rejected:
            item["flags"].extend(f"rejected_{r}" for r in rejected)
        return item, tuple(rejected)

    def _labelled_ids(
        self, response: TextResponse, values: dict[str, Any], rejected: list[str]
    ) -> None:
        if all(values.get(k) for k in ("inn", "ogrn", "kpp")):
            return
        # The directory's own header, footer and menus are not the card's.
        found = tax_ids_in_text(visible_text(response.selector.root, _FRAME))
        for key in ("inn", "ogrn", "kpp"):
            if not values.get(key) and getattr(found, key):
                values[key] = getattr(found, key)
        rejected += list(found.rejected)
