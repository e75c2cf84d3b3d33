"""Email validator as documentation: one address -> Check(ok, canonical, reason)."""

from __future__ import annotations

import pytest

from enrich.emails import check_email
from enrich.types import Check

CASES = [
    ("ivan@romashka.ru", Check(True, "ivan@romashka.ru"), "company address"),
    ("Ivan.Petrov@Mail.RU", Check(True, "ivan.petrov@mail.ru"), "lower-cased"),
    ("info@romashka.ru", Check(True, "info@romashka.ru"), "role boxes are valid"),
    ("ivan@xn--e1afmkfd.xn--p1ai", Check(True, "ivan@пример.рф"), "IDN domain"),
    ("ivan@mail", Check(False, None, "bad_syntax"), "no dot in the domain"),
    ("ivan@@mail.ru", Check(False, None, "bad_syntax"), "two at signs"),
    ("ivan mail.ru", Check(False, None, "bad_syntax"), "no at sign"),
    ("a@x.ru, b@x.ru", Check(False, None, "bad_syntax"), "one address per check"),
    ("test@test.ru", Check(False, "test@test.ru", "placeholder"), "placeholder"),
    ("email@example.com", Check(False, "email@example.com", "placeholder"), "example"),
    ("ivan@mail.ry", Check(False, "ivan@mail.ry", "typo_domain"), "misspelt provider"),
    ("нет", Check(False, None, "junk"), "junk"),
    ("", Check(False, None, "empty"), "empty"),
    (None, Check(False, None, "empty"), "None"),
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(value, expected) for value, expected, _ in CASES],
    ids=[why for *_, why in CASES],
)
def test_check_email(value: str | None, expected: Check) -> None:
    assert check_email(value) == expected


def test_mail_server_lookup_is_used_only_when_given() -> None:
    asked: list[str] = []

    def no_server(domain: str) -> bool:
        asked.append(domain)
        return False

    assert check_email("ivan@пример.рф", no_server) == Check(
        False, "ivan@пример.рф", "no_mail_server"
    )
    assert asked == ["xn--e1afmkfd.xn--p1ai"]  # the lookup gets the ASCII form
    assert check_email("ivan@romashka.ru", lambda domain: True).ok
