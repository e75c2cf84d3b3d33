"""Website validator as documentation: one address -> Check(ok, canonical, reason)."""

from __future__ import annotations

import pytest

from enrich.types import Check
from enrich.websites import check_website

CASES = [
    ("romashka.ru", Check(True, "https://romashka.ru"), "bare domain"),
    ("WWW.Romashka.RU/", Check(True, "https://romashka.ru"), "www and case"),
    ("http://romashka.ru/contacts", Check(True, "http://romashka.ru/contacts"), "path"),
    ("xn--e1afmkfd.xn--p1ai", Check(True, "https://пример.рф"), "IDN"),
    ("romashka.narod.ru", Check(True, "https://romashka.narod.ru"), "free hosting"),
    ("vk.com/romashka", Check(False, "https://vk.com/romashka", "social_page"), "VK"),
    ("t.me/romashka", Check(False, "https://t.me/romashka", "social_page"), "Telegram"),
    (
        "2gis.ru/moscow/firm/1",
        Check(False, "https://2gis.ru/moscow/firm/1", "directory_page"),
        "directory listing",
    ),
    ("bit.ly/x", Check(False, "https://bit.ly/x", "shortener"), "shortener"),
    ("10.0.0.1", Check(False, "https://10.0.0.1", "ip_address"), "IP address"),
    ("romashka.local", Check(False, "https://romashka.local", "unknown_tld"), "TLD"),
    ("info@romashka.ru", Check(False, None, "email_not_url"), "an email"),
    ("ftp://romashka.ru", Check(False, None, "bad_scheme"), "ftp"),
    ("roma shka.ru", Check(False, None, "bad_url"), "space inside"),
    ("https://roma$hka.ru", Check(False, None, "bad_host"), "bad character"),
    ("", Check(False, None, "empty"), "empty"),
    (None, Check(False, None, "empty"), "None"),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(value, expected) for value, expected, _ in CASES],
    ids=[why for *_, why in CASES],
)
def test_check_website(value: str | None, expected: Check) -> None:
    assert check_website(value) == expected


def test_reachability_is_checked_only_when_asked() -> None:
    asked: list[str] = []

    def down(url: str) -> bool:
        asked.append(url)
        return False

    assert check_website("www.romashka.ru", down) == Check(
        False, "https://romashka.ru", "unreachable"
    )
    assert asked == ["https://romashka.ru"]
    assert check_website("vk.com/romashka", down).reason == "social_page"
    assert asked == ["https://romashka.ru"]  # a social page is never fetched
