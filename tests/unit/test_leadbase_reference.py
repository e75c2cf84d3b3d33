"""Reference tables shared by dedupe and enrich, as documentation."""

from __future__ import annotations

import pytest

from leadbase.reference.mail import (
    is_freemail_domain,
    is_placeholder_address,
    is_role_local_part,
)
from leadbase.reference.web import canonical_host, registered_domain, split_url

FREEMAIL = [
    ("mail.ru", True), ("MAIL.RU", True), ("yandex.ru", True), ("ya.ru", True),
    ("gmail.com", True), ("hotmail.de", True), ("yahoo.com.br", True),
    ("gmx.at", True), ("gmail.con", True), ("romashka.ru", False),
    ("mail.romashka.ru", False), ("yahoo.romashka.ru", False), ("", False),
    (None, False),
]  # fmt: skip


@pytest.mark.parametrize(("domain", "expected"), FREEMAIL)
def test_is_freemail_domain(domain: str | None, expected: bool) -> None:
    assert is_freemail_domain(domain) is expected


ROLES = [
    ("info", True), ("INFO", True), ("sales", True), ("zakaz", True),
    ("buh", True), ("info2", True), ("zakaz.spb", True), ("no-reply", True),
    ("ivan", False), ("ivan.petrov", False), ("informatika", False), ("", False),
]  # fmt: skip


@pytest.mark.parametrize(("local", "expected"), ROLES)
def test_is_role_local_part(local: str, expected: bool) -> None:
    assert is_role_local_part(local) is expected


@pytest.mark.parametrize(
    ("local", "domain", "expected"),
    [
        ("email", "example.com", True),
        ("test", "test.ru", True),
        ("noemail", "romashka.ru", True),
        ("mail", "mail.ru", True),
        ("petrov", "petrov.ru", False),
        ("ivan", "romashka.ru", False),
    ],
)
def test_is_placeholder_address(local: str, domain: str, expected: bool) -> None:
    assert is_placeholder_address(local, domain) is expected


HOSTS = [
    ("WWW.Romashka.RU", "romashka.ru"),
    ("romashka.ru.", "romashka.ru"),
    ("xn--e1afmkfd.xn--p1ai", "пример.рф"),
    ("www2.romashka.ru", "romashka.ru"),
    ("m.vk.com", "vk.com"),
    ("m.ru", "m.ru"),
    ("xn--zz.ru", None),
    ("romashka", None),
    ("roma shka.ru", None),
    ("", None),
]


@pytest.mark.parametrize(("host", "expected"), HOSTS)
def test_canonical_host(host: str, expected: str | None) -> None:
    assert canonical_host(host) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("shop.romashka.ru", "romashka.ru"),
        ("romashka.spb.ru", "romashka.spb.ru"),
        ("romashka.tilda.ws", "romashka.tilda.ws"),
        ("narod.ru", "narod.ru"),
        ("romashka.local", None),
    ],
)
def test_registered_domain(host: str, expected: str | None) -> None:
    assert registered_domain(host) == expected


def test_split_url_reports_problem_not_exception() -> None:
    assert split_url("https://romashka.ru:99999") == (None, "bad_url")
