"""`website`: each company site becomes one lead, read from its contact pages.

`-a urls=FILE` gives the sites, one a line (optionally a tab and the company's
ISO country, used for phones when the TLD names none). Per site the spider fetches
the home page, then the contact, requisites and about pages it links to (Russian
and English hints), one page at a time, on the site's own domain only, at most
`WEBSITE_MAX_PAGES` pages and `WEBSITE_MAX_DEPTH` links deep. The partly built
item travels in the request's meta, so a resumed crawl continues a site where it
stopped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from spiders.extract.addresses import FoundAddress, best_address
from spiders.extract.contacts import contacts_on_page
from spiders.extract.schema_org import organisation_fields
from spiders.fingerprints import SITE_KEY
from spiders.items import CompanyItem, add_value, new_company_item
from spiders.links import contact_page_rank, followable, same_site, site_region
from spiders.sources.base import LeadSpider


def read_sites(path: str) -> list[tuple[str, str | None]]:
    """(URL, country) pairs of a sites file; blank lines and "#" comments skipped."""
    sites = []
    for number, line in enumerate(
        Path(path).read_text(encoding="utf-8").splitlines(), 1
    ):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        url, _, country = text.partition("\t")
        url = url.strip()
        if "://" not in url:
            url = f"https://{url}"
        if followable(url, url) is None:
            raise ValueError(f"{path}, line {number}: {url!r} is not a web address")
        sites.append((url, country.strip().upper() or None))
    return sites


class WebsiteSpider(LeadSpider):
    """Visits company sites for emails, phones, tax ids and social links."""

    name = "website"
    source_name = "websites"
    custom_settings = {  # noqa: RUF012 (Scrapy's own attribute shape)
        "REQUEST_FINGERPRINTER_CLASS": "spiders.fingerprints.SiteFingerprinter"
    }

    def __init__(self, urls: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not urls:
            raise ValueError("give the sites: scrapy crawl website -a urls=FILE")
        self.sites = read_sites(urls)

    async def start(self) -> AsyncIterator[Any]:
        for url, country in self.sites:
            state = {
                "site": url, "country": country, "queue": [], "visited": [url],
                "item": dict(new_company_item(url, website=url)),
            }  # fmt: skip
            yield self._request(url, state, depth=0)

    def _request(self, url: str, state: dict[str, Any], depth: int) -> Request:
        # Within a site the visited list rules; the site is part of the request's
        # fingerprint (spiders.fingerprints), so a page two sites on one host share
        # is fetched for each. scrapy-redis fingerprints URLs only: there, pages
        # within a site skip its dupefilter instead.
        redis = "scrapy_redis" in str(self.settings.get("DUPEFILTER_CLASS"))
        return Request(
            url, callback=self.parse_page, errback=self.page_failed,
            meta={"site": state, "site_depth": depth, SITE_KEY: state["site"]},
            dont_filter=redis and depth > 0,
        )  # fmt: skip

    def parse_page(self, response: Response) -> Iterator[Any]:
        state: dict[str, Any] = response.meta["site"]
        depth: int = response.meta["site_depth"]
        if isinstance(response, TextResponse):
            if same_site(response.url, state["site"]):
                self._read_page(response, state)
                if depth < self.settings.getint("WEBSITE_MAX_DEPTH", 2):
                    self._queue_links(response, state, depth + 1)
            else:
                state["item"]["flags"].append(f"left_site:{response.url}")
        yield from self._next(state)

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        state: dict[str, Any] = request.meta["site"]
        self.logger.info(
            "Could not read %s: %s", request.url, failure.getErrorMessage()
        )
        if request.url == state["site"] and not state.get("read"):
            return  # the home page never answered: no lead, nothing to go on
        yield from self._next(state)

    def _next(self, state: dict[str, Any]) -> Iterator[Any]:
        limit = self.settings.getint("WEBSITE_MAX_PAGES", 6)
        while state["queue"] and len(state["visited"]) < limit:
            url, depth = state["queue"].pop(0)
            if url in state["visited"]:
                continue
            state["visited"].append(url)
            yield self._request(url, state, depth)
            return
        if state.get("legal"):  # no other address anywhere on the site
            self._set_address(state["item"], *state["legal"])
        item = CompanyItem(state["item"])
        if state.get("read"):
            yield item

    def _read_page(self, response: TextResponse, state: dict[str, Any]) -> None:
        item = CompanyItem(state["item"])
        region = (
            state["country"]
            or site_region(state["site"])
            or self.settings.get("LEADBASE_DEFAULT_REGION", "RU")
        )
        page = contacts_on_page(response.selector.root, response.url, region)
        schema, _ = organisation_fields(response.selector.root, "", response.url)
        name = (
            schema.get("name")
            or response.css('meta[property="og:site_name"]::attr(content)').get()
            or self.page_title(response)
        )
        if not item.get("name") and name:
            add_value(item, "name", " ".join(name.split()), response.url)
        for field in ("emails", "phones", "socials"):
            self.add_field(item, field, getattr(page, field), response.url)
        for field in ("inn", "ogrn", "kpp"):
            self.add_field(item, field, getattr(page.tax_ids, field), response.url)
        for field in ("address", "city", "postcode", "country"):
            if schema.get(field):
                add_value(item, field, schema[field], response.url)
        # Named people (schema.org founder, employee...): personal data, kept in
        # `persons` apart from the company's fields and flagged by add_value.
        self.add_field(item, "persons", schema.get("persons", []), response.url)
        item["flags"].extend(f for f in page.flags if f not in item["flags"])
        item["fetched_at"] = new_company_item(response.url)["fetched_at"]
        state["item"] = dict(item)
        self._add_addresses(state, page.addresses, response.url)
        state["read"] = True

    def _add_addresses(
        self, state: dict[str, Any], found: list[FoundAddress], url: str
    ) -> None:
        """The office (or any unqualified) address first; a legal address only
        when the site gives no other, and always noted in the flags, as registries
        list companies by it."""
        flags: list[str] = state["item"]["flags"]
        for address in found:
            if address.kind == "legal" and f"legal_address:{address.text}" not in flags:
                flags.append(f"legal_address:{address.text}")
                state.setdefault("legal", [address.text, address.postcode,
                                           address.city, url])  # fmt: skip
        chosen = best_address([a for a in found if a.kind != "legal"])
        if chosen is not None:
            self._set_address(state["item"], chosen.text, chosen.postcode,
                              chosen.city, url)  # fmt: skip

    def _set_address(
        self, item: dict[str, Any], text: str, postcode: str | None,
        city: str | None, url: str,
    ) -> None:  # fmt: skip
        if item.get("address"):
            return  # the first page that stated an address wins, with its parts
        company = CompanyItem(item)
        for field, value in (("address", text), ("postcode", postcode),
                             ("city", city)):  # fmt: skip
            add_value(company, field, value, url)
        item.update(company)

    def _queue_links(
        self, response: TextResponse, state: dict[str, Any], depth: int
    ) -> None:
        ranked = []
        for link in response.css("a"):
            url = followable(response.url, link.attrib.get("href"))
            if not url or not same_site(url, state["site"]):
                continue
            rank = contact_page_rank(url, " ".join(link.css("::text").getall()))
            queued = {u for u, _ in state["queue"]}
            if rank is not None and url not in state["visited"] and url not in queued:
                ranked.append((rank, url))
        for _, url in sorted(ranked):
            state["queue"].append((url, depth))
