"""Email normalisation as documentation: cell as written -> canonical address(es)."""

from __future__ import annotations

import pytest

from dedupe.normalise.emails import (
    EmailParse,
    normalise_email,
    normalise_emails,
    parse_emails,
)

CANONICAL = [
    ("ivan@romashka.ru", "ivan@romashka.ru", "already canonical"),
    ("Ivan.Petrov@Romashka.RU", "ivan.petrov@romashka.ru", "lower-cased whole"),
    ("  info@romashka.ru  ", "info@romashka.ru", "surrounding whitespace"),
    ("info@romashka.ru.", "info@romashka.ru", "full stop ending a sentence"),
    ("mailto:zakaz@romashka.ru", "zakaz@romashka.ru", "mailto link"),
    ("E-mail: ivan@bk.ru", "ivan@bk.ru", "label before the address"),
    ("E-mail:ivan@bk.ru", "ivan@bk.ru", "label glued to the address"),
    ("Иван Петров <Ivan@Mail.RU>", "ivan@mail.ru", "display name and brackets"),
    ("(ivan@mail.ru)", "ivan@mail.ru", "in brackets"),
    ("«ivan@mail.ru»", "ivan@mail.ru", "in Russian quotes"),
    ("ivan+shop@gmail.com", "ivan+shop@gmail.com", "sub-address kept"),
    ("ivan[at]mail.ru", "ivan@mail.ru", "hidden with [at]"),
    ("ivan (at) mail.ru", "ivan@mail.ru", "hidden with (at)"),
    ("ivan (собака) yandex.ru", "ivan@yandex.ru", "hidden with (собака)"),
    ("ivan[at]mail[dot]ru", "ivan@mail.ru", "hidden with [at] and [dot]"),
    ("ivan＠mail.ru", "ivan@mail.ru", "full-width at sign"),
    ("ivan@xn--e1afmkfd.xn--p1ai", "ivan@пример.рф", "punycode domain to Unicode"),
    ("Иван@Пример.РФ", "иван@пример.рф", "Cyrillic address, lower-cased"),
    ("ivan@mail.ru, petr@mail.ru", "ivan@mail.ru", "first of several"),
    ("нет, ivan@mail.ru", "ivan@mail.ru", "junk before an address"),
    ("email@example.com, ivan@mail.ru", "ivan@mail.ru", "placeholder skipped"),
    ("ivan@mail.ry", "ivan@mail.ry", "typo flagged, not corrected"),
    ("нет", None, "junk word"),
    ("-", None, "dash"),
    ("—", None, "em dash"),
    ("n/a", None, "n/a"),
    ("нет данных", None, "no data"),
    ("@", None, "lone at sign"),
    ("email@example.com", None, "documentation placeholder"),
    ("test@test.ru", None, "test placeholder"),
    ("noemail@romashka.ru", None, "noemail placeholder"),
    ("ivan@", None, "no domain"),
    ("@mail.ru", None, "no local part"),
    ("ivan@mail", None, "domain without a dot"),
    ("ivan..petrov@mail.ru", None, "two dots in a row"),
    ("ivan@-mail.ru", None, "domain starts with a hyphen"),
    ("ivan.mail.ru", None, "no at sign"),
    ("", None, "empty"),
    (None, None, "None"),
]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(cell, expected) for cell, expected, _ in CANONICAL],
    ids=[why for _, _, why in CANONICAL],
)
def test_normalise_email(cell: str | None, expected: str | None) -> None:
    assert normalise_email(cell) == expected


SEVERAL = [
    ("a@romashka.ru, b@romashka.ru", ("a@romashka.ru", "b@romashka.ru"), "comma"),
    ("a@romashka.ru; b@romashka.ru", ("a@romashka.ru", "b@romashka.ru"), "semicolon"),
    ("a@romashka.ru b@romashka.ru", ("a@romashka.ru", "b@romashka.ru"), "space"),
    ("a@romashka.ru\nb@romashka.ru", ("a@romashka.ru", "b@romashka.ru"), "new line"),
    ("a@romashka.ru/b@romashka.ru", ("a@romashka.ru", "b@romashka.ru"), "slash"),
    ("A@romashka.ru, a@ROMASHKA.ru", ("a@romashka.ru",), "same address twice"),
    ("a@romashka.ru, test@test.ru, нет", ("a@romashka.ru",), "junk dropped"),
    ("нет; -", (), "only junk"),
]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(cell, expected) for cell, expected, _ in SEVERAL],
    ids=[why for _, _, why in SEVERAL],
)
def test_normalise_emails_several_per_cell(
    cell: str, expected: tuple[str, ...]
) -> None:
    assert normalise_emails(cell) == expected


KINDS = [
    ("ivan@mail.ru", True, False, "mail.ru is free mail"),
    ("ivan@bk.ru", True, False, "bk.ru"),
    ("ivan@list.ru", True, False, "list.ru"),
    ("ivan@inbox.ru", True, False, "inbox.ru"),
    ("ivan@yandex.ru", True, False, "yandex.ru"),
    ("ivan@ya.ru", True, False, "ya.ru"),
    ("ivan@rambler.ru", True, False, "rambler.ru"),
    ("ivan@gmail.com", True, False, "gmail.com"),
    ("ivan@hotmail.co.uk", True, False, "hotmail under a country domain"),
    ("ivan@yahoo.co.jp", True, False, "yahoo under a country domain"),
    ("ivan@ukr.net", True, False, "ukr.net"),
    ("ivan@mail.ry", True, False, "misspelt mail.ru is still a private box"),
    ("ivan@romashka.ru", False, False, "company domain"),
    ("ivan@yahoo.romashka.ru", False, False, "brand word inside a company domain"),
    ("info@romashka.ru", False, True, "info@ is a role box"),
    ("sales@romashka.ru", False, True, "sales@"),
    ("zakaz@romashka.ru", False, True, "zakaz@ (order)"),
    ("buh@romashka.ru", False, True, "buh@ (accounts)"),
    ("priemnaya@romashka.ru", False, True, "priemnaya@ (front desk)"),
    ("info2@romashka.ru", False, True, "digits after a role"),
    ("sales-msk@romashka.ru", False, True, "role with a branch suffix"),
    ("info@mail.ru", True, True, "a role box at a free-mail provider"),
    ("information.petrov@romashka.ru", False, True, "first word decides"),
    ("ivan.petrov@romashka.ru", False, False, "a person"),
]


@pytest.mark.parametrize(
    ("cell", "freemail", "role"),
    [(cell, freemail, role) for cell, freemail, role, _ in KINDS],
    ids=[why for *_, why in KINDS],
)
def test_freemail_and_role(cell: str, freemail: bool, role: bool) -> None:
    (parsed,) = parse_emails(cell)
    assert (parsed.is_freemail, parsed.is_role) == (freemail, role)


FLAGS = [
    ("нет", ("junk",), False, "junk word"),
    ("ivan@", ("bad_syntax",), False, "no domain"),
    ("ivan@mail", ("bad_syntax",), False, "no dot in the domain"),
    ("email@example.com", ("placeholder",), False, "example.com"),
    ("a@a.ru", ("placeholder",), False, "same short word both sides"),
    ("petrov@petrov.ru", (), True, "a personal domain is real"),
    ("ivan@gmial.com", ("typo_domain",), True, "gmial.com"),
    ("ivan@yandex.ry", ("typo_domain",), True, "yandex.ry"),
    ("ivan[at]mail.ru", ("deobfuscated",), True, "hidden address"),
    ("ivan@mail.ru", (), True, "nothing to report"),
]


@pytest.mark.parametrize(
    ("cell", "flags", "valid"),
    [(cell, flags, valid) for cell, flags, valid, _ in FLAGS],
    ids=[why for *_, why in FLAGS],
)
def test_parse_emails_flags(cell: str, flags: tuple[str, ...], valid: bool) -> None:
    (parsed,) = parse_emails(cell)
    assert (parsed.flags, parsed.is_valid) == (flags, valid)


def test_parse_emails_full_record() -> None:
    assert parse_emails("Info@Romashka.RU") == (
        EmailParse(
            raw="Info@Romashka.RU",
            address="info@romashka.ru",
            local="info",
            domain="romashka.ru",
            is_valid=True,
            is_freemail=False,
            is_role=True,
        ),
    )


def test_several_addresses_keep_their_own_raw_piece() -> None:
    raws = [p.raw for p in parse_emails("Ivan@Mail.ru; Petr@Mail.ru")]
    assert raws == ["Ivan@Mail.ru", "Petr@Mail.ru"]


def test_placeholder_keeps_its_address_for_review() -> None:
    (parsed,) = parse_emails("test@test.ru")
    assert parsed.address == "test@test.ru"
    assert not parsed.is_valid


def test_empty_cell_gives_no_parse() -> None:
    assert parse_emails("") == ()
    assert parse_emails(None) == ()
