"""Website normalisation as documentation: cell as written -> URL, domain key, page."""

from __future__ import annotations

import builtins
import socket
from typing import Any

import pytest

from dedupe.normalise.websites import (
    WebsiteParse,
    email_domain_matches_site,
    normalise_website,
    parse_website,
    parse_websites,
    website_domain,
)
from leadbase.reference import web

URLS = [
    ("romashka.ru", "https://romashka.ru", "bare domain gets https"),
    ("www.romashka.ru", "https://romashka.ru", "www dropped"),
    ("WWW.Romashka.RU", "https://romashka.ru", "host lower-cased"),
    ("http://romashka.ru", "http://romashka.ru", "http kept when written"),
    ("https://www.romashka.ru/", "https://romashka.ru", "trailing slash dropped"),
    ("https://romashka.ru/index.html", "https://romashka.ru", "index page dropped"),
    ("https://romashka.ru/index.php", "https://romashka.ru", "index.php dropped"),
    ("romashka.ru/contacts/", "https://romashka.ru/contacts", "path kept"),
    ("https://romashka.ru/?utm_source=x", "https://romashka.ru", "query dropped"),
    ("https://romashka.ru/#about", "https://romashka.ru", "fragment dropped"),
    ("https://romashka.ru:443/", "https://romashka.ru", "default port dropped"),
    ("romashka.ru:8080", "https://romashka.ru:8080", "other port kept"),
    ("//romashka.ru", "https://romashka.ru", "scheme-relative"),
    ("<https://romashka.ru>", "https://romashka.ru", "angle brackets"),
    ('"romashka.ru"', "https://romashka.ru", "quotes"),
    ("romashka.ru.", "https://romashka.ru", "full stop after the address"),
    ("Сайт: www.romashka.ru", "https://romashka.ru", "label before"),
    ("www.romashka.ru (основной)", "https://romashka.ru", "note after"),
    ("http://xn--e1afmkfd.xn--p1ai/", "http://пример.рф", "punycode to Unicode"),
    ("Пример.РФ", "https://пример.рф", "Cyrillic domain lower-cased"),
    ("www.пример.рф", "https://пример.рф", "Cyrillic with www"),
    ("m.romashka.ru", "https://romashka.ru", "mobile subdomain dropped"),
    ("shop.romashka.ru", "https://shop.romashka.ru", "other subdomains kept"),
    ("https://user:pw@romashka.ru", "https://romashka.ru", "credentials dropped"),
    ("www.a.ru, www.b.ru", "https://a.ru", "first of several"),
    ("https://vk.com/romashka", "https://vk.com/romashka", "social page"),
    ("https://m.vk.com/Romashka?w=wall-1", "https://vk.com/romashka", "VK mobile"),
    ("vkontakte.ru/romashka", "https://vk.com/romashka", "old VK host"),
    ("https://t.me/s/Romashka", "https://t.me/romashka", "Telegram web preview"),
    ("telegram.me/romashka", "https://t.me/romashka", "old Telegram host"),
    ("t.me/joinchat/AbCd", "https://t.me/+AbCd", "invite keeps its case"),
    ("twitter.com/romashka", "https://x.com/romashka", "Twitter is X"),
    ("api.whatsapp.com/send?phone=79161234567", "https://wa.me/79161234567", "WA"),
    ("нет", None, "junk"),
    ("-", None, "dash"),
    ("http://", None, "scheme only"),
    ("info@romashka.ru", None, "an email"),
    ("ftp://files.romashka.ru", None, "not a web scheme"),
    ("http://[::1", None, "broken address"),
    ("romashka .ru", None, "label without a dot is not an address"),
    ("", None, "empty"),
    (None, None, "None"),
]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(cell, expected) for cell, expected, _ in URLS],
    ids=[why for _, _, why in URLS],
)
def test_normalise_website(cell: str | None, expected: str | None) -> None:
    assert normalise_website(cell) == expected


DOMAINS = [
    ("https://shop.romashka.ru/x", "romashka.ru", "registered domain"),
    ("romashka.co.uk", "romashka.co.uk", "two-level public suffix"),
    ("romashka.msk.ru", "romashka.msk.ru", "city domain sold per name"),
    ("romashka.com.ru", "romashka.com.ru", "com.ru is a suffix"),
    ("xn--e1afmkfd.xn--p1ai", "пример.рф", "punycode .рф"),
    ("ПРИМЕР.РФ", "пример.рф", "Unicode .рф: the same key"),
    ("магазин.пример.рф", "пример.рф", "Unicode subdomain"),
    ("romashka.narod.ru", "romashka.narod.ru", "free hosting keeps the host"),
    ("firm.tilda.ws", "firm.tilda.ws", "Tilda site"),
    ("romashka.wixsite.com/site", "romashka.wixsite.com", "Wix site"),
    ("romashka.github.io", "romashka.github.io", "GitHub pages"),
    ("romashka.ucoz.ru", "romashka.ucoz.ru", "uCoz site"),
    ("avito.ru", "avito.ru", "a directory's own home page is its site"),
    ("vk.com/romashka", None, "social page"),
    ("t.me/romashka", None, "Telegram channel"),
    ("https://2gis.ru/moscow/firm/123", None, "directory listing"),
    ("https://www.avito.ru/moskva/romashka", None, "Avito shop page"),
    ("https://yandex.ru/maps/org/romashka/123", None, "Yandex Maps card"),
    ("yandex.ru", "yandex.ru", "Yandex itself"),
    ("bit.ly/abc", None, "shortener"),
    ("192.168.1.1", None, "IP address"),
    ("romashka.local", None, "unknown top-level domain"),
    ("нет", None, "junk"),
]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(cell, expected) for cell, expected, _ in DOMAINS],
    ids=[why for _, _, why in DOMAINS],
)
def test_website_domain(cell: str, expected: str | None) -> None:
    assert website_domain(cell) == expected


SOCIAL = [
    ("vk.com/romashka", "vk", "romashka", "VK name"),
    ("https://vk.com/club123", "vk", "club123", "VK group id"),
    ("t.me/Romashka_Bot", "telegram", "romashka_bot", "Telegram is case-blind"),
    ("https://www.facebook.com/romashka", "facebook", "romashka", "Facebook page"),
    ("facebook.com/profile.php?id=100012", "facebook", "100012", "Facebook id"),
    ("instagram.com/romashka.msk/", "instagram", "romashka.msk", "Instagram"),
    ("ok.ru/group/5555", "ok", "5555", "Odnoklassniki group"),
    ("youtube.com/@Romashka", "youtube", "Romashka", "YouTube handle"),
    ("youtube.com/channel/UCx9AbC", "youtube", "UCx9AbC", "YouTube channel id"),
    ("wa.me/79161234567", "whatsapp", "79161234567", "WhatsApp link"),
    ("x.com/romashka", "x", "romashka", "X"),
    ("linkedin.com/company/romashka/about", "linkedin", "romashka", "LinkedIn"),
    ("https://dzen.ru/romashka", "dzen", "romashka", "Dzen"),
    ("https://zen.yandex.ru/romashka", "dzen", "romashka", "Dzen's old host"),
    ("rutube.ru/channel/123", "rutube", "123", "Rutube channel"),
    ("https://vk.com", "vk", None, "network home page: no handle"),
]


@pytest.mark.parametrize(
    ("cell", "network", "handle"),
    [(cell, network, handle) for cell, network, handle, _ in SOCIAL],
    ids=[why for *_, why in SOCIAL],
)
def test_social_pages(cell: str, network: str, handle: str | None) -> None:
    parsed = parse_website(cell)
    assert parsed.is_social
    assert (parsed.social_network, parsed.social_handle) == (network, handle)


FLAGS = [
    ("нет", ("junk",), "junk"),
    ("Ромашка", ("junk",), "a name, not an address"),
    ("info@romashka.ru", ("email_not_url",), "an email"),
    ("ftp://romashka.ru", ("bad_scheme",), "ftp"),
    ("http://", ("junk",), "nothing after the scheme"),
    ("https:///romashka.ru", ("no_host",), "three slashes: empty host"),
    ("https://roma$hka.ru", ("bad_host",), "character not allowed in a host"),
    ("https://xn--zz.ru", ("bad_host",), "broken punycode"),
    ("romashka.local", ("unknown_tld",), "unknown top-level domain"),
    ("http://10.0.0.1/admin", ("ip_address",), "IP address"),
    ("clck.ru/abc", ("shortener",), "shortener"),
    ("2gis.ru/moscow/firm/1", ("directory_page",), "directory"),
    ("vk.com", ("no_handle",), "social home page"),
    ("a.ru b.ru", ("several_urls",), "several addresses"),
    ("romashka.ru", (), "nothing to report"),
]


@pytest.mark.parametrize(
    ("cell", "flags"),
    [(cell, flags) for cell, flags, _ in FLAGS],
    ids=[why for _, _, why in FLAGS],
)
def test_parse_website_flags(cell: str, flags: tuple[str, ...]) -> None:
    assert parse_website(cell).flags == flags


def test_parse_website_full_record() -> None:
    assert parse_website("http://WWW.Shop.Romashka.RU/Contacts/") == WebsiteParse(
        raw="http://WWW.Shop.Romashka.RU/Contacts/",
        url="http://shop.romashka.ru/Contacts",
        host="shop.romashka.ru",
        domain="romashka.ru",
    )


def test_parse_websites_reads_every_address() -> None:
    found = parse_websites("romashka.ru; vk.com/romashka, t.me/romashka")
    assert [(p.domain, p.social_network) for p in found] == [
        ("romashka.ru", None),
        (None, "vk"),
        (None, "telegram"),
    ]


MATCHES = [
    ("romashka.ru", "romashka.ru", True, "same domain"),
    ("msk.romashka.ru", "romashka.ru", True, "mail on a subdomain"),
    ("XN--E1AFMKFD.XN--P1AI", "пример.рф", True, "punycode against Unicode"),
    ("mail.ru", "mail.ru", False, "free mail says nothing"),
    ("romashka.ru", "lutik.ru", False, "different firms"),
    (None, "romashka.ru", False, "no email domain"),
]


@pytest.mark.parametrize(
    ("email_domain", "site", "expected"),
    [(email, site, expected) for email, site, expected, _ in MATCHES],
    ids=[why for *_, why in MATCHES],
)
def test_email_domain_matches_site(
    email_domain: str | None, site: str, expected: bool
) -> None:
    assert email_domain_matches_site(email_domain, site) is expected


def test_suffix_list_is_read_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """tldextract must use its bundled snapshot: no socket, no cache file written."""

    class NoNetwork(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise AssertionError("tldextract tried to open a socket")

    real_open = builtins.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        assert not set(mode) & set("wax+"), f"tldextract tried to write {file}"
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(builtins, "open", read_only_open)
    web._extractor.cache_clear()
    web.registered_domain.cache_clear()
    try:
        assert web.registered_domain("shop.romashka.co.uk") == "romashka.co.uk"
        assert web.registered_domain("пример.рф") == "пример.рф"
    finally:
        web._extractor.cache_clear()
        web.registered_domain.cache_clear()
