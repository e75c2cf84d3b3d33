"""Websites: canonical URL, registered-domain key, social pages told apart.

Canonical forms, chosen so that every source agrees:

* `url` is "scheme://host[:port]/path": scheme kept when given ("http" stays "http",
  none becomes "https"), host lower-case Unicode without "www."/"m.", no query, no
  fragment, no trailing slash, index pages dropped.
* `domain` (the matching key) is the registered domain in Unicode:
  "xn--e1afmkfd.xn--p1ai" and "Пример.РФ" both give "пример.рф", as email-validator
  writes mail domains, so a website and an email domain compare directly. A customer
  subdomain of free hosting or a site builder is the company's own site, so
  "romashka.narod.ru" is kept whole.
* Social pages (vk.com/romashka, t.me/romashka), directory listings (2gis, avito, maps)
  and link shorteners are nobody's domain: `domain` is None, so 300 firms with a VK page
  never share a blocking key. A social page keeps its network and handle instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from leadbase.reference.mail import is_freemail_domain
from leadbase.reference.tables import JUNK_CELLS
from leadbase.reference.web import (
    SHORTENER_HOSTS,
    SOCIAL_HOSTS,
    UrlParts,
    canonical_host,
    is_directory_page,
    is_ip_host,
    registered_domain,
    social_network,
    split_url,
)

__all__ = [
    "WebsiteParse",
    "email_domain_matches_site",
    "first_site",
    "normalise_website",
    "parse_website",
    "parse_websites",
    "website_domain",
]

_JUNK = JUNK_CELLS | {"http://", "https://", "www", "www.", "сайт", "site"}
_TOKEN_SPLIT = re.compile(r"[\s,;|]+")
# First path segments that only say what kind of page follows: kept in the URL.
_KIND_SEGMENTS: dict[str, frozenset[str]] = {
    "youtube": frozenset({"c", "user", "channel"}),
    "linkedin": frozenset({"company", "in", "school", "showcase"}),
    "ok": frozenset({"group", "profile"}),
    "facebook": frozenset({"groups", "pages"}),
    "rutube": frozenset({"channel"}),
}
_CASE_SENSITIVE = frozenset({"youtube", "rutube", "viber"})  # ids, not user names
_WHATSAPP_PHONE = re.compile(r"(?:^|&)phone=\+?(\d+)")
_FACEBOOK_ID = re.compile(r"(?:^|&)id=(\d+)")
# The usual cell: a bare second-level host, "www." and a scheme optional.
_QUICK_SITE = re.compile(
    r"(?:(https?)://)?(?:www\.)?([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z]{2,24})/?",
    re.IGNORECASE | re.ASCII,  # ASCII: "K" (Kelvin) is no "k" here
)
_TLD_IS_SUFFIX: dict[str, bool] = {}


@dataclass(frozen=True, slots=True)
class WebsiteParse:
    """One website cell taken apart.

    Attributes:
        raw: the input, untouched.
        url: canonical URL (see the module docstring), or None.
        host: canonical host ("shop.romashka.ru", "vk.com"), or None.
        domain: the matching key, or None for social pages, directories, shorteners,
            IP addresses and unknown top-level domains.
        is_social: the address is a page on a social network or messenger.
        social_network: "vk", "telegram", "facebook", "instagram", "ok", "youtube",
            "whatsapp", "x", "linkedin", "dzen", "rutube", "tiktok", ... or None.
        social_handle: the account on that network ("romashka", "club123"), or None.
        flags: what could not be parsed or deserves a look (see `parse_website`).
    """

    raw: str | None
    url: str | None = None
    host: str | None = None
    domain: str | None = None
    is_social: bool = False
    social_network: str | None = None
    social_handle: str | None = None
    flags: tuple[str, ...] = ()


def _social_page(raw: str, parts: UrlParts, network: str, host: str) -> WebsiteParse:
    segments = [seg for seg in parts.path.split("/") if seg]
    handle: str | None = None
    if network == "whatsapp" and (phone := _WHATSAPP_PHONE.search(parts.query)):
        segments = [phone.group(1)]
    if network == "facebook" and segments[:1] == ["profile.php"]:
        fb_id = _FACEBOOK_ID.search(parts.query)
        segments = [f"profile.php?id={fb_id.group(1)}"] if fb_id else []
    if network == "telegram" and segments[:1] == ["s"]:
        segments = segments[1:]  # t.me/s/NAME is the web preview of t.me/NAME
    if network == "telegram" and segments[:1] == ["joinchat"] and len(segments) > 1:
        segments = ["+" + segments[1]]  # the old form of an invite link
    keep = 2 if segments and segments[0] in _KIND_SEGMENTS.get(network, ()) else 1
    segments = segments[:keep] if len(segments) >= keep else []
    if segments:
        last = segments[-1]
        if network not in _CASE_SENSITIVE and not last.startswith("+"):
            segments = [seg.lower() for seg in segments]
        handle = segments[-1].removeprefix("profile.php?id=").lstrip("@") or None
    path = "/" + "/".join(segments) if handle else ""
    return WebsiteParse(
        raw=raw,
        url=f"https://{host}{path}",
        host=host,
        is_social=True,
        social_network=network,
        social_handle=handle,
        flags=() if handle else ("no_handle",),
    )


def _parse_token(raw: str, token: str) -> WebsiteParse:
    parts, problem = split_url(token)
    if parts is None:
        return WebsiteParse(raw=raw, flags=(problem or "bad_url",))
    social = social_network(parts.host)
    if social is not None:
        return _social_page(raw, parts, *social)
    flag: str | None = None
    domain: str | None = None
    if is_ip_host(parts.host):
        flag = "ip_address"
    elif parts.host in SHORTENER_HOSTS:
        flag = "shortener"
    elif is_directory_page(parts.host, parts.path):
        flag = "directory_page"
    else:
        domain = registered_domain(parts.host)
        flag = None if domain else "unknown_tld"
    flags = (flag,) if flag else ()
    return WebsiteParse(
        raw=raw, url=parts.url, host=parts.host, domain=domain, flags=flags
    )


def _candidates(text: str) -> list[str]:
    # Labels such as "Сайт:" carry no dot; every address does.
    tokens = [tok for tok in _TOKEN_SPLIT.split(text) if tok]
    return [tok for tok in tokens if "." in tok.strip(".,;:!?")]


@lru_cache(maxsize=262144)
def parse_websites(value: str | None) -> tuple[WebsiteParse, ...]:
    """Parse every address in a website cell ("romashka.ru, vk.com/romashka").

    Args:
        value: the cell as read; several addresses may be separated by spaces, commas,
            semicolons or new lines.

    Returns:
        One `WebsiteParse` per address, in order; () for an empty cell; a single parse
        with url None and flag "junk" when the cell holds no address ("нет", "-").

    Examples:
        >>> [p.domain for p in parse_websites("www.romashka.ru; vk.com/romashka")]
        ['romashka.ru', None]
    """
    if value is None or not value.strip():
        return ()
    text = value.strip()
    tokens = _candidates(text)
    if text.casefold() in _JUNK or not tokens:
        return (WebsiteParse(raw=value, flags=("junk",)),)
    if len(tokens) == 1:
        return (_parse_token(value, tokens[0]),)
    return tuple(_parse_token(tok, tok) for tok in tokens)


def _known_suffix(tld: str) -> bool:
    # A top-level label that is itself a public suffix makes "name.tld" its own
    # registered domain, whatever else the list says about "name.tld".
    known = _TLD_IS_SUFFIX.get(tld)
    if known is None:
        known = _TLD_IS_SUFFIX[tld] = registered_domain(tld) == tld
    return known


def _quick_site(value: str) -> tuple[str, str] | None:
    """(url, domain) of the usual cell, "romashka.ru" or "https://www.romashka.ru/",
    as parse_websites reads it; None when the cell is not that simple."""
    match = _QUICK_SITE.fullmatch(value.strip())
    if match is None:
        return None
    scheme, name, tld = match.groups()
    host = f"{name}.{tld}".lower()
    if (
        len(name) > 63
        or host in SOCIAL_HOSTS
        or host in SHORTENER_HOSTS
        or not _known_suffix(tld.lower())
    ):
        return None
    return f"{(scheme or 'https').lower()}://{host}", host


def first_site(value: str | None) -> tuple[str | None, str | None] | None:
    """(url, domain) of the first address in a cell that has a domain key, or None.

    What `normalise_record` keeps of a website cell: the same as the first of
    `parse_websites` with a domain, read without parsing objects for the usual cell.

    Examples:
        >>> first_site("vk.com/romashka, WWW.Romashka.ru/")
        ('https://romashka.ru', 'romashka.ru')
    """
    if value is None:
        return None
    quick = _quick_site(value)
    if quick is not None:
        return quick
    site = next((w for w in parse_websites(value) if w.domain), None)
    return (site.url, site.domain) if site else None


def parse_website(value: str | None) -> WebsiteParse:
    """Parse a website cell; when it holds several addresses, the first one.

    Args:
        value: the cell as read ("WWW.Romashka.RU/", "https://vk.com/romashka").

    Returns:
        A `WebsiteParse`. Flags: "junk" (no address), "several_urls" (more followed),
        "email_not_url", "bad_scheme", "bad_url", "no_host", "bad_host",
        "unknown_tld", "ip_address", "shortener", "directory_page", "no_handle"
        (a social network's home page).

    Examples:
        >>> parse_website("http://WWW.xn--e1afmkfd.xn--p1ai/").domain
        'пример.рф'
    """
    found = parse_websites(value)
    if not found:
        return WebsiteParse(raw=value)
    first = found[0]
    if len(found) > 1:
        first = WebsiteParse(
            raw=value,
            url=first.url,
            host=first.host,
            domain=first.domain,
            is_social=first.is_social,
            social_network=first.social_network,
            social_handle=first.social_handle,
            flags=(*first.flags, "several_urls"),
        )
    return first


def normalise_website(value: str | None) -> str | None:
    """The canonical URL of the first address in a cell, or None.

    Examples:
        >>> normalise_website("WWW.Romashka.ru/index.html")
        'https://romashka.ru'
    """
    return parse_website(value).url


def website_domain(value: str | None) -> str | None:
    """The matching key of a website cell: its registered domain, in Unicode.

    Args:
        value: the cell as read.

    Returns:
        "romashka.ru" for "https://shop.romashka.ru/x"; the whole host for free hosting
        ("romashka.narod.ru"); None for social pages, directories and junk.

    Examples:
        >>> website_domain("xn--e1afmkfd.xn--p1ai"), website_domain("vk.com/romashka")
        ('пример.рф', None)
    """
    return parse_website(value).domain


def email_domain_matches_site(
    email_domain: str | None, site_domain: str | None
) -> bool:
    """Tell whether a mail domain is the company's own website domain.

    Free-mail domains never match: ivan@mail.ru says nothing about a site at mail.ru.

    Args:
        email_domain: the part after "@" ("spb.romashka.ru", "XN--E1AFMKFD.XN--P1AI").
        site_domain: a website domain key (see `website_domain`).

    Returns:
        True when both reduce to the same registered domain.

    Examples:
        >>> email_domain_matches_site("msk.romashka.ru", "romashka.ru")
        True
    """
    host = canonical_host(email_domain)
    site = canonical_host(site_domain)
    if host is None or site is None or is_freemail_domain(host):
        return False
    return registered_domain(host) == registered_domain(site)
