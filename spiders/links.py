"""Which links a spider may follow, and which ones lead to contact pages.

`response.follow()` on a raw `href` crashes on "tel:" and "mailto:" ("Missing
scheme") and "javascript:" is never a page: only http(s) links are followed.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from leadbase.reference.web import canonical_host, registered_domain

__all__ = [
    "CONTACT_HINTS",
    "contact_page_rank",
    "followable",
    "same_site",
    "site_key",
    "site_region",
]

# Link text or URL words of the pages that carry contacts, best first.
CONTACT_HINTS: tuple[tuple[str, ...], ...] = (
    ("контакт", "contact", "kontakt", "impressum"),
    ("реквизит", "requisite", "rekvizit", "details", "legal"),
    ("о компании", "о нас", "about", "o-kompanii", "o-nas", "company"),
)
_COUNTRY_TLD = re.compile(r"\.([a-z]{2})$")
_TLD_REGION = {"рф": "RU", "su": "RU", "uk": "GB"}


def followable(base_url: str, href: str | None) -> str | None:
    """The absolute http(s) URL of a link, without fragment; None for the rest."""
    if not href:
        return None
    href = href.strip()
    scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
    if scheme and scheme not in {"http", "https"}:
        return None  # tel:, mailto:, javascript:, data:, ftp:...
    absolute = urljoin(base_url, href)
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return urlunsplit(parts._replace(fragment=""))


def site_key(url: str) -> str | None:
    """The registered domain of a URL ("shop.romashka.ru" -> "romashka.ru")."""
    host = urlsplit(url).hostname
    if not host:
        return None
    canonical = canonical_host(host) or host
    return registered_domain(canonical) or canonical


def same_site(url: str, other: str) -> bool:
    """Both URLs are on one registered domain (subdomains included)."""
    key = site_key(url)
    return key is not None and key == site_key(other)


def contact_page_rank(url: str, text: str) -> int | None:
    """0 for contacts, 1 for requisites, 2 for about pages; None for other links."""
    haystack = f"{urlsplit(url).path.lower()} {' '.join(text.lower().split())}"
    for rank, hints in enumerate(CONTACT_HINTS):
        if any(hint in haystack for hint in hints):
            return rank
    return None


def site_region(url: str) -> str | None:
    """The country a site's TLD names ("romashka.kz" -> "KZ"), or None (".com")."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host.endswith(".рф") or host.endswith(".xn--p1ai"):
        return "RU"
    match = _COUNTRY_TLD.search(host)
    if not match:
        return None
    tld = match.group(1)
    return _TLD_REGION.get(tld, tld.upper())
