"""Suppression before storage: erased people's values never reach the base."""

from __future__ import annotations

import pytest

from leadbase.enums import SuppressionKind
from leadbase.suppression import SuppressionList, suppression_hash
from spiders.items import CompanyItem, add_value, new_company_item
from spiders.pipelines import SuppressedCompany, strip_suppressed

SALT = "salt"


def suppressed(*values: tuple[SuppressionKind, str]) -> SuppressionList:
    hashes: dict[SuppressionKind, set[str]] = {}
    for kind, value in values:
        hashes.setdefault(kind, set()).add(suppression_hash(kind, value, SALT))
    return SuppressionList({k: frozenset(v) for k, v in hashes.items()}, SALT)


def item_with_contacts() -> CompanyItem:
    item = new_company_item("http://romashka.ru/", inn="7707083893")
    for email in ("info@romashka.ru", "ivan@romashka.ru"):
        add_value(item, "emails", email, "http://romashka.ru/kontakty")
    add_value(item, "phones", "+79161234567", "http://romashka.ru/kontakty")
    return item


def test_suppressed_emails_and_phones_go_with_their_provenance() -> None:
    item = item_with_contacts()
    removed = strip_suppressed(
        item,
        suppressed(
            (SuppressionKind.EMAIL, "ivan@romashka.ru"),
            (SuppressionKind.PHONE, "+79161234567"),
        ),
    )
    assert removed == ["email", "phone"]
    assert item["emails"] == ["info@romashka.ru"] and item["phones"] == []
    assert "ivan@romashka.ru" not in str(item["provenance"])


def test_an_erased_inn_drops_the_whole_item() -> None:
    with pytest.raises(SuppressedCompany):
        strip_suppressed(
            item_with_contacts(), suppressed((SuppressionKind.INN, "7707083893"))
        )


def test_an_empty_list_changes_nothing() -> None:
    item = item_with_contacts()
    assert strip_suppressed(item, suppressed()) == []
    assert not suppressed()
    assert item["emails"] == ["info@romashka.ru", "ivan@romashka.ru"]
