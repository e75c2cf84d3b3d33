"""Request fingerprints that know which company site a request is for.

The website spider follows each site's contact pages one by one, carrying the
site's half-built item in the request. Two companies on one host can link the
same page ("/kontakty"); with Scrapy's URL-only fingerprint the second request
would be dropped as a repeat and that company's item never finished. Adding the
site (`request.meta[SITE_KEY]`) to the fingerprint keeps them apart, so
Scrapy's dupefilter and the resume journal can still drop true repeats, such as a
resumed page asking again for a page the journal has queued already.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from scrapy.utils.request import RequestFingerprinter

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

SITE_KEY = "leadbase_site"


class SiteFingerprinter(RequestFingerprinter):
    """Scrapy's fingerprint, combined with the request's site when it has one."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        super().__init__(crawler)

    def fingerprint(self, request: Request) -> bytes:
        base = super().fingerprint(request)
        site = request.meta.get(SITE_KEY)
        if not site:
            return base
        return hashlib.sha1(base + b"\0" + str(site).encode()).digest()
