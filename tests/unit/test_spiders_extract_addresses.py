"""Postal addresses on company pages: labels, table cells, <address>, other forms."""

from __future__ import annotations

import pytest
from parsel import Selector

from spiders.extract.addresses import address_block, addresses_in_text, best_address
from spiders.extract.contacts import contacts_on_page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Адрес: 123456, г. Москва, ул. Ленина, д. 1, оф. 5",
            (
                "123456, г. Москва, ул. Ленина, д. 1, оф. 5",
                "address",
                "123456",
                "Москва",
            ),
        ),
        (
            "Адрес: 123456, г. Москва, ул. Ленина, д. 1. Телефон: +7 495 123-45-67",
            ("123456, г. Москва, ул. Ленина, д. 1", "address", "123456", "Москва"),
        ),
        (
            "Юридический адрес: 107078, г. Москва, ул. Садовая-Спасская, д. 21, стр. 1",
            (
                "107078, г. Москва, ул. Садовая-Спасская, д. 21, стр. 1",
                "legal",
                "107078",
                "Москва",
            ),
        ),
        (
            "Почтовый адрес: 101000, Москва, а/я 15",
            ("101000, Москва, а/я 15", "postal", "101000", "Москва"),
        ),
        (
            "190000, Санкт-Петербург, Невский пр., 1",  # no label: postcode + street
            (
                "190000, Санкт-Петербург, Невский пр., 1",
                "address",
                "190000",
                "Санкт-Петербург",
            ),
        ),
        (
            "Registered office: 1 Main Street, London EC1A 1BB",
            ("1 Main Street, London EC1A 1BB", "legal", "EC1A 1BB", "London"),
        ),
        (
            "Address: Friedrichstraße 123, 10117 Berlin, Germany | Tel: +49 30 123456",
            (
                "Friedrichstraße 123, 10117 Berlin, Germany",
                "address",
                "10117",
                "Berlin",
            ),
        ),
        (
            "Adresse : 12 rue de la Paix, 75002 Paris",
            ("12 rue de la Paix, 75002 Paris", "address", "75002", "Paris"),
        ),
    ],
)
def test_labelled_addresses(text: str, expected: tuple[str, ...]) -> None:
    (found,) = addresses_in_text(text)
    assert (found.text, found.kind, found.postcode, found.city) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Адрес электронной почты: info@romashka.ru",
        "E-mail address: info@firm.com",
        "Адрес доставки уточняйте у менеджера",  # prose, no colon, no digits
        "Адрес: Москва",  # a town is not an address
        "Дата регистрации 12.03.2021, уставный капитал 123456 руб.",
        "Your address: ____",
        "Адрес сайта: www.romashka.ru/1",
    ],
)
def test_what_is_not_an_address(text: str) -> None:
    assert addresses_in_text(text) == []


def test_two_labels_on_one_line_are_two_addresses() -> None:
    found = addresses_in_text(
        "Юр. адрес: 190000, Санкт-Петербург, Невский пр., д. 1 "
        "Факт. адрес: 190000, Санкт-Петербург, ул. Марата, 5"
    )
    assert [(a.kind, a.text) for a in found] == [
        ("legal", "190000, Санкт-Петербург, Невский пр., д. 1"),
        ("office", "190000, Санкт-Петербург, ул. Марата, 5"),
    ]
    best = best_address(found)
    assert best is not None and best.kind == "office"


def test_label_and_address_in_neighbouring_cells() -> None:
    html = """<table><tr><th>Юридический адрес</th>
      <td>620014, г. Екатеринбург, ул. Малышева, д. 51, офис 1201</td></tr>
      <tr><th>ИНН</th><td>7707083893</td></tr></table>"""
    page = contacts_on_page(Selector(text=html).root, "http://x.ru/rekvizity", "RU")
    assert [(a.kind, a.text, a.city) for a in page.addresses] == [
        ("legal", "620014, г. Екатеринбург, ул. Малышева, д. 51, офис 1201",
         "Екатеринбург"),
    ]  # fmt: skip


def test_address_element_without_a_label() -> None:
    html = """<html><body><footer><address>ООО «Ромашка»<br>
      ул. Ленина, д. 1, оф. 5<br>123456, г. Москва<br>
      Тел.: +7 (495) 123-45-67</address></footer>
      <div class="ad-banner"><address>Реклама: 654321, г. Казань, ул. Баумана, 1
      </address></div></body></html>"""
    page = contacts_on_page(Selector(text=html).root, "http://romashka.ru/", "RU")
    assert [a.text for a in page.addresses] == [
        "ул. Ленина, д. 1, оф. 5, 123456, г. Москва"
    ]  # not the name above it, nor the advertiser's block
    assert page.addresses[0].postcode == "123456"
    assert address_block("Тел.: +7 495 123-45-67") is None
