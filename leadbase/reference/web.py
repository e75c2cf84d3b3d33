"""Website tables and host helpers: social networks, directories, free hosting.

The public suffix list is tldextract's bundled snapshot, read offline: the extractor is
built with no suffix-list URLs and no cache directory, so it never opens a socket nor
writes a file.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

import idna
import tldextract

from leadbase.reference.tables import words

# Host without "www."/"m." -> (network, the host written in canonical URLs).
SOCIAL_HOSTS: dict[str, tuple[str, str]] = {
    "vk.com": ("vk", "vk.com"), "vk.ru": ("vk", "vk.com"),
    "vkontakte.ru": ("vk", "vk.com"),
    "t.me": ("telegram", "t.me"), "telegram.me": ("telegram", "t.me"),
    "telegram.dog": ("telegram", "t.me"),
    "facebook.com": ("facebook", "facebook.com"),
    "fb.com": ("facebook", "facebook.com"),
    "fb.me": ("facebook", "facebook.com"),
    "instagram.com": ("instagram", "instagram.com"),
    "instagr.am": ("instagram", "instagram.com"),
    "ok.ru": ("ok", "ok.ru"), "odnoklassniki.ru": ("ok", "ok.ru"),
    "youtube.com": ("youtube", "youtube.com"), "youtu.be": ("youtube", "youtube.com"),
    "wa.me": ("whatsapp", "wa.me"), "whatsapp.com": ("whatsapp", "wa.me"),
    "twitter.com": ("x", "x.com"), "x.com": ("x", "x.com"),
    "linkedin.com": ("linkedin", "linkedin.com"),
    "dzen.ru": ("dzen", "dzen.ru"), "zen.yandex.ru": ("dzen", "dzen.ru"),
    "rutube.ru": ("rutube", "rutube.ru"),
    "tiktok.com": ("tiktok", "tiktok.com"),
    "pinterest.com": ("pinterest", "pinterest.com"),
    "pinterest.ru": ("pinterest", "pinterest.com"),
    "viber.com": ("viber", "viber.com"), "viber.click": ("viber", "viber.com"),
    "tenchat.ru": ("tenchat", "tenchat.ru"),
    "taplink.cc": ("taplink", "taplink.cc"), "taplink.ws": ("taplink", "taplink.cc"),
}  # fmt: skip

# Sites that host a page *about* the company: with a path they are not its website.
DIRECTORY_HOSTS: frozenset[str] = words(
    """
    2gis.ru 2gis.com 2gis.kz avito.ru hh.ru headhunter.ru zoon.ru yell.ru
    rusprofile.ru list-org.com checko.ru sbis.ru spark-interfax.ru flamp.ru
    orgpage.ru spravker.ru ozon.ru wildberries.ru market.yandex.ru maps.google.com
    yandex.ru/maps yandex.ru/profile yandex.ru/sprav yandex.com/maps google.com/maps
    google.ru/maps
    """
)

# Link shorteners hide the real site: the host is nobody's domain.
SHORTENER_HOSTS: frozenset[str] = words(
    "bit.ly clck.ru goo.gl maps.app.goo.gl tinyurl.com vk.cc t.co ow.ly is.gd"
)

# Site builders and free hosting missing from the public suffix list: a subdomain of
# one of these is a customer's own site, so "romashka.tilda.ws" is the domain key.
FREE_HOSTING_SUFFIXES: tuple[str, ...] = tuple(
    words(
        """
    tilda.ws narod.ru narod2.ru ucoz.ru ucoz.net ucoz.com ucoz.org ucoz.ua at.ua
    nethouse.ru business.site wordpress.com jimdofree.com jimdo.com weebly.com
    site123.me mya5.ru turbo.site ukit.me tb.ru pulscen.ru tiu.ru satu.kz prom.ua
    """
    )
)

_WWW = re.compile(r"^(?:www\d*|ww|m|mobile)\.(?=.+\.)")
_LABEL = re.compile(r"[\w-]{1,63}")


@cache
def _extractor() -> tldextract.TLDExtract:
    # Built on first use: the import stays cheap, and tests can patch sockets first.
    return tldextract.TLDExtract(
        suffix_list_urls=(),
        cache_dir=None,
        fallback_to_snapshot=True,
        include_psl_private_domains=True,  # msk.ru, github.io are sold per subdomain
        extra_suffixes=FREE_HOSTING_SUFFIXES,
    )


@lru_cache(maxsize=262144)
def canonical_host(host: str | None) -> str | None:
    """Lower-case a host, decode punycode to Unicode and drop "www."/"m.".

    Args:
        host: a host name as found in a URL, ASCII or Unicode, any case.

    Returns:
        The host in Unicode lower case ("пример.рф"), or None when it is not a
        well-formed host name (bad punycode, empty labels, stray characters).

    Examples:
        >>> canonical_host("WWW.xn--e1afmkfd.xn--p1ai.")
        'пример.рф'
    """
    if not host:
        return None
    labels = unicodedata.normalize("NFC", host.strip().rstrip(".").lower()).split(".")
    try:
        labels = [idna.decode(lab) if lab.startswith("xn--") else lab for lab in labels]
    except (idna.IDNAError, UnicodeError):
        return None
    if len(labels) < 2 or not all(_LABEL.fullmatch(lab) for lab in labels):
        return None
    return _WWW.sub("", ".".join(labels).lower())


@lru_cache(maxsize=262144)
def registered_domain(host: str) -> str | None:
    """The domain a registrant bought: "shop.romashka.co.uk" -> "romashka.co.uk".

    Args:
        host: a canonical host (see `canonical_host`).

    Returns:
        The registered domain, the whole host for a customer subdomain of free hosting
        ("romashka.narod.ru"), the host itself when it is a bare suffix, or None when
        the top-level domain is unknown ("romashka.local").

    Examples:
        >>> registered_domain("shop.romashka.ru"), registered_domain("a.tilda.ws")
        ('romashka.ru', 'a.tilda.ws')
    """
    parts = _extractor().extract_str(host)
    if not parts.suffix:
        return None
    if not parts.domain:
        return host
    return f"{parts.domain}.{parts.suffix}"


def social_network(host: str) -> tuple[str, str] | None:
    """Name the social network or messenger a canonical host belongs to.

    Args:
        host: a canonical host ("vk.com", "ru-ru.facebook.com", "zen.yandex.ru").

    Returns:
        (network, canonical host) such as ("vk", "vk.com"), or None.

    Examples:
        >>> social_network("api.whatsapp.com")
        ('whatsapp', 'wa.me')
    """
    found = SOCIAL_HOSTS.get(host)
    if found is None:
        domain = registered_domain(host)
        found = SOCIAL_HOSTS.get(domain) if domain else None
    return found


def is_directory_page(host: str, path: str) -> bool:
    """Tell whether host + path is a listing of the company on someone else's site.

    Args:
        host: a canonical host.
        path: the URL path ("/moskva/firm/123"); "" or "/" means the site's home page,
            which is that site's own (avito.ru itself is Avito's website).

    Returns:
        True for "2gis.ru/moscow/firm/1", "yandex.ru/maps/org/1"; False otherwise.

    Examples:
        >>> is_directory_page("2gis.ru", "/moscow/firm/1")
        True
        >>> is_directory_page("2gis.ru", "/")
        False
    """
    if path.strip("/") == "":
        return False
    if host in DIRECTORY_HOSTS or registered_domain(host) in DIRECTORY_HOSTS:
        return True
    first = path.split("/", 2)[1] if path.startswith("/") else path.split("/", 1)[0]
    return f"{host}/{first}" in DIRECTORY_HOSTS


@dataclass(frozen=True, slots=True)
class UrlParts:
    """A web address taken apart, host canonical, path without a trailing slash.

    Attributes:
        scheme: "http" or "https" ("https" when the text had none).
        host: canonical host (see `canonical_host`).
        port: a non-default port, or None.
        path: "" for the home page, else "/contacts" (index pages dropped).
        query: the query string, kept for the few sites that need it (profile ids).
    """

    scheme: str
    host: str
    port: int | None
    path: str
    query: str

    @property
    def url(self) -> str:
        """The canonical URL: scheme, host, port and path; no query, no fragment."""
        port = f":{self.port}" if self.port is not None else ""
        return f"{self.scheme}://{self.host}{port}{self.path}"


_EDGE_JUNK = "\"'<>()[]{}«»“”„`"
_TRAILING = "/.,;:!?"
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)
_SPACE = re.compile(r"\s")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_url(text: str) -> tuple[UrlParts | None, str | None]:
    """Take a website as people write it apart: scheme optional, "www." dropped.

    Args:
        text: one address ("www.Romashka.ru/", "http://xn--e1afmkfd.xn--p1ai/index.php").

    Returns:
        (parts, None) on success, else (None, flag) with flag one of "email_not_url",
        "bad_scheme", "bad_url", "no_host", "bad_host".

    Examples:
        >>> split_url("WWW.Romashka.ru/contacts/")[0].url
        'https://romashka.ru/contacts'
    """
    token = text.strip().strip(_EDGE_JUNK).rstrip(_TRAILING[1:])
    if not token or _SPACE.search(token):
        return None, "bad_url"
    if "://" in token:
        scheme = token.split("://", 1)[0].lower()
        if scheme not in _DEFAULT_PORTS:
            return None, "bad_scheme"
    elif token.lower().startswith("mailto:") or "@" in token.split("/", 1)[0]:
        return None, "email_not_url"
    else:
        scheme, token = "https", "http://" + token.lstrip("/")
    try:
        parts = urlsplit(token)
        hostname, port = parts.hostname, parts.port
    except ValueError:  # a bad port or an unclosed IPv6 bracket
        return None, "bad_url"
    if not hostname:
        return None, "no_host"
    host = canonical_host(hostname)
    if host is None:
        return None, "bad_host"
    path = _INDEX_PAGE.sub("", parts.path.rstrip(_TRAILING)).rstrip(_TRAILING)
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    return UrlParts(scheme, host, port, path, parts.query), None


def is_ip_host(host: str) -> bool:
    """True for a host that is an IP address, not a name."""
    if not host.rsplit(".", 1)[-1].isdigit():  # every IPv4 ends in digits
        return False  # (an IPv6 literal never reaches here: it is no canonical host)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
